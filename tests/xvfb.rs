//! A private X server per test (`Xvfb`) and a minimal raw X11 client to draw on it.
//!
//! The client speaks the core protocol directly over the Unix socket (a few requests, no
//! dependencies), so tests can put known pixels at known places and wait until the server
//! has done it.

#![allow(dead_code)] // Not every test module uses every helper.

use std::io::{BufRead, BufReader, Read, Write};
use std::os::unix::net::UnixStream;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

/// A running `Xvfb` on a free display number, killed on drop.
pub struct Xvfb {
    child: Child,
    display: String,
    number: u32,
}

impl Xvfb {
    /// Starts `Xvfb` with one `width`×`height` 24-bit screen and waits until it accepts
    /// connections.
    ///
    /// # Panics
    /// If Xvfb is not installed or does not start: tests that need X must fail, not pass.
    pub fn start(width: u32, height: u32) -> Xvfb {
        Self::start_with(width, height, &[])
    }

    /// As [`Xvfb::start`] with extra server arguments (e.g. `["-extension", "MIT-SHM"]` to
    /// disable an extension).
    pub fn start_with(width: u32, height: u32, extra: &[&str]) -> Xvfb {
        // `-displayfd` makes Xvfb pick a free display itself (no races with other tests or
        // users) and write its number once it is ready for connections.
        let screen = format!("{width}x{height}x24");
        let spawned = Command::new("Xvfb")
            .args([
                "-displayfd",
                "1",
                "-screen",
                "0",
                &screen,
                "-nolisten",
                "tcp",
                "-noreset",
            ])
            .args(extra)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn();
        let mut child = match spawned {
            Ok(c) => c,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                panic!("Xvfb not found: install the xvfb package (the README's test command does)")
            }
            Err(e) => panic!("cannot start Xvfb: {e}"),
        };
        let stdout = child.stdout.take().expect("piped stdout");
        // Xvfb writes warnings (xkbcomp) to stderr; drain it so it can never block on a full pipe.
        let mut stderr = child.stderr.take().expect("piped stderr");
        let (log_tx, log_rx) = mpsc::channel();
        std::thread::spawn(move || {
            let mut log = String::new();
            let _ = stderr.read_to_string(&mut log);
            let _ = log_tx.send(log);
        });
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || {
            let mut line = String::new();
            let _ = BufReader::new(stdout).read_line(&mut line);
            let _ = tx.send(line);
        });
        let line = rx.recv_timeout(Duration::from_secs(20)).unwrap_or_default();
        let Ok(number) = line.trim().parse::<u32>() else {
            let _ = child.kill();
            let _ = child.wait();
            let log = log_rx
                .recv_timeout(Duration::from_secs(2))
                .unwrap_or_default();
            panic!("Xvfb did not start (it printed {line:?}); its log:\n{log}");
        };
        Xvfb {
            child,
            display: format!(":{number}"),
            number,
        }
    }

    /// The display name, e.g. `":93"`.
    pub fn display(&self) -> &str {
        &self.display
    }

    /// Runs an X client program (`xsetroot`, `xrandr`, ...) against this server and panics
    /// with its output if it fails.
    pub fn run(&self, program: &str, args: &[&str]) {
        let out = Command::new(program)
            .args(args)
            .env("DISPLAY", &self.display)
            .output()
            .unwrap_or_else(|e| panic!("cannot run {program}: {e}"));
        assert!(
            out.status.success(),
            "{program} {args:?} failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }

    /// A raw protocol client connected to this server.
    pub fn client(&self) -> XClient {
        XClient::connect(self.number)
    }
}

impl Drop for Xvfb {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A minimal X11 client: windows, filled rectangles, and a round trip to wait for them.
pub struct XClient {
    stream: UnixStream,
    id_base: u32,
    id_mask: u32,
    next_id: u32,
    /// The root window.
    pub root: u32,
}

fn u16_at(b: &[u8], i: usize) -> u16 {
    u16::from_le_bytes([b[i], b[i + 1]])
}

fn u32_at(b: &[u8], i: usize) -> u32 {
    u32::from_le_bytes([b[i], b[i + 1], b[i + 2], b[i + 3]])
}

impl XClient {
    fn connect(display: u32) -> XClient {
        let path = format!("/tmp/.X11-unix/X{display}");
        let mut stream =
            UnixStream::connect(&path).unwrap_or_else(|e| panic!("cannot connect to {path}: {e}"));
        stream
            .set_read_timeout(Some(Duration::from_secs(10)))
            .expect("set timeout");
        // Little-endian, protocol 11.0, no authorisation (Xvfb started without -auth).
        stream
            .write_all(&[b'l', 0, 11, 0, 0, 0, 0, 0, 0, 0, 0, 0])
            .expect("send setup");
        let mut head = [0u8; 8];
        stream.read_exact(&mut head).expect("read setup reply");
        let mut rest = vec![0u8; usize::from(u16_at(&head, 6)) * 4];
        stream.read_exact(&mut rest).expect("read setup reply");
        assert_eq!(
            head[0],
            1,
            "X server refused the connection: {}",
            String::from_utf8_lossy(&rest)
        );
        let vendor_len = usize::from(u16_at(&rest, 16));
        let formats = usize::from(rest[21]);
        let screen = 32 + vendor_len.div_ceil(4) * 4 + 8 * formats;
        XClient {
            id_base: u32_at(&rest, 4),
            id_mask: u32_at(&rest, 8),
            next_id: 1,
            root: u32_at(&rest, screen),
            stream,
        }
    }

    fn new_id(&mut self) -> u32 {
        let id = self.id_base | (self.next_id & self.id_mask);
        self.next_id += 1;
        id
    }

    fn send(&mut self, opcode: u8, data: u8, body: &[u32]) {
        let mut req = Vec::with_capacity(4 + body.len() * 4);
        req.push(opcode);
        req.push(data);
        req.extend_from_slice(&(1 + body.len() as u16).to_le_bytes());
        for w in body {
            req.extend_from_slice(&w.to_le_bytes());
        }
        self.stream.write_all(&req).expect("send X request");
    }

    fn pack(a: i16, b: i16) -> u32 {
        u32::from(a as u16) | (u32::from(b as u16) << 16)
    }

    /// Creates and maps a `width`×`height` window at (`x`, `y`) on the root with background
    /// `pixel` (`0x00RRGGBB`), not managed by any window manager. Returns its id.
    pub fn window(&mut self, x: i16, y: i16, width: u16, height: u16, pixel: u32) -> u32 {
        let wid = self.new_id();
        // CreateWindow: depth/visual from parent, InputOutput, no border;
        // values: background-pixel (0x2), override-redirect (0x200).
        let body = [
            wid,
            self.root,
            Self::pack(x, y),
            Self::pack(width as i16, height as i16),
            1 << 16, // border width 0, class InputOutput
            0,       // visual CopyFromParent
            0x2 | 0x200,
            pixel,
            1,
        ];
        self.send(1, 0, &body);
        self.send(8, 0, &[wid]); // MapWindow
        wid
    }

    /// Fills a rectangle of `drawable` (a window id or the root) with `pixel`.
    pub fn fill(&mut self, drawable: u32, x: i16, y: i16, width: u16, height: u16, pixel: u32) {
        let gc = self.new_id();
        self.send(55, 0, &[gc, drawable, 0x4, pixel]); // CreateGC with foreground
        self.send(
            70,
            0,
            &[
                drawable,
                gc,
                Self::pack(x, y),
                Self::pack(width as i16, height as i16),
            ],
        ); // PolyFillRectangle
        self.send(60, 0, &[gc]); // FreeGC
    }

    /// Destroys a window.
    pub fn destroy(&mut self, window: u32) {
        self.send(4, 0, &[window]);
    }

    /// Waits until the server has executed every request sent so far (GetInputFocus round
    /// trip). Panics on any X error.
    pub fn sync(&mut self) {
        self.send(43, 0, &[]);
        loop {
            let mut msg = [0u8; 32];
            self.stream.read_exact(&mut msg).expect("read X reply");
            match msg[0] {
                1 => return,
                0 => panic!(
                    "X error {} (major opcode {}, bad value {:#x})",
                    msg[1],
                    msg[10],
                    u32_at(&msg, 4)
                ),
                _ => {} // an event; none were selected, but skip it anyway
            }
        }
    }
}
