//! A window that shows a synthetic scene and the latency probe on an X display, so that
//! benchmarks measure real X11 capture (and other screen sharers can be measured on the same
//! pixels: `benches/peers.sh`).
//!
//! A thread ticks at the scene's frame rate: it advances the scene, copies what changed into
//! a MIT-SHM segment, draws the probe's [`Timecode`] **last, just before** the `ShmPutImage`
//! requests, and waits for the server to have drawn them (a round trip) before the next tick.
//! So the timecode is at most the server's drawing time older than the pixels on screen, and
//! glass-to-glass latency measured from it includes everything from the moment the pixel
//! changed in the X server's framebuffer.
//!
//! The window is override-redirect (no window manager places or decorates it) and sits at
//! the top-left corner of the screen, raised above everything else.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use glass_codecs::{PixelStorage, Rect};
use x11rb::connection::{Connection, RequestConnection};
use x11rb::protocol::shm as xshm;
use x11rb::protocol::xproto::{
    ConfigureWindowAux, ConnectionExt as _, CreateGCAux, CreateWindowAux, EventMask, ImageFormat,
    StackMode, WindowClass,
};
use x11rb::rust_connection::RustConnection;
use x11rb::wrapper::ConnectionExt as _;

use super::shm::ShmSegment;
use super::{connect, id_err, lost, pixel_format, reply_err};
use crate::capture::synthetic::{SyntheticCapturer, SyntheticConfig};
use crate::error::CaptureError;
use crate::probe::{Probe, Timecode};

/// What to show: plain data.
#[derive(Debug, Clone)]
pub struct SceneWindowConfig {
    /// X display (`None`: `$DISPLAY`).
    pub display: Option<String>,
    /// Scene, window size and tick rate.
    pub scene: SyntheticConfig,
    /// The clock of the probe's timecodes; `None` draws no probe.
    pub probe_epoch: Option<Instant>,
}

/// The running window; closed (and its thread joined) on drop.
pub struct SceneWindow {
    stop: Arc<AtomicBool>,
    ticks: Arc<AtomicU64>,
    thread: Option<JoinHandle<Result<(), CaptureError>>>,
    probe: Option<Probe>,
}

impl std::fmt::Debug for SceneWindow {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SceneWindow")
            .field("ticks", &self.ticks())
            .field("probe", &self.probe)
            .finish()
    }
}

impl SceneWindow {
    /// Opens the window and returns once its first frame is on screen.
    ///
    /// Fails if the display cannot be reached, has no MIT-SHM or no 32-bit BGRA visual, or
    /// its screen is smaller than the scene.
    pub fn open(config: SceneWindowConfig) -> Result<Self, CaptureError> {
        config.scene.validate()?;
        let (w, h) = (config.scene.width, config.scene.height);
        let probe = match config.probe_epoch {
            Some(_) => Some(Probe::default_for(w, h).ok_or_else(|| {
                CaptureError::BadSpec(format!("{w}x{h} is too small for the latency probe"))
            })?),
            None => None,
        };
        let (conn, screen, name) = connect(config.display.as_deref())?;
        if u32::from(screen.width_in_pixels) < w || u32::from(screen.height_in_pixels) < h {
            return Err(CaptureError::BadSpec(format!(
                "the screen of X display {name} is {}x{}, smaller than the {w}x{h} scene",
                screen.width_in_pixels, screen.height_in_pixels
            )));
        }
        // The same check the capturer makes: 32 bits per pixel, B G R x in memory.
        pixel_format(&conn, &screen)?;
        if conn
            .extension_information(xshm::X11_EXTENSION_NAME)
            .map_err(lost)?
            .is_none()
        {
            return Err(CaptureError::Unsupported(format!(
                "X display {name} has no MIT-SHM (the scene window draws through it)"
            )));
        }

        let window = conn.generate_id().map_err(id_err)?;
        conn.create_window(
            screen.root_depth,
            window,
            screen.root,
            0,
            0,
            w as u16,
            h as u16,
            0,
            WindowClass::INPUT_OUTPUT,
            screen.root_visual,
            &CreateWindowAux::new()
                .override_redirect(1)
                .background_pixel(screen.black_pixel)
                .event_mask(EventMask::NO_EVENT),
        )
        .map_err(lost)?
        .check()
        .map_err(reply_err("CreateWindow"))?;
        let gc = conn.generate_id().map_err(id_err)?;
        conn.create_gc(gc, window, &CreateGCAux::new().graphics_exposures(0))
            .map_err(lost)?;
        conn.map_window(window).map_err(lost)?;
        conn.configure_window(
            window,
            &ConfigureWindowAux::new().stack_mode(StackMode::ABOVE),
        )
        .map_err(lost)?;
        let xid = conn.generate_id().map_err(id_err)?;
        let seg = ShmSegment::new(w as usize * h as usize * 4, xid).map_err(|e| {
            CaptureError::Backend(format!("cannot create a shared-memory segment: {e}"))
        })?;
        xshm::attach(&conn, xid, seg.shmid(), true)
            .map_err(lost)?
            .check()
            .map_err(reply_err("MIT-SHM Attach"))?;

        let scene = SyntheticCapturer::new(config.scene.clone())?;
        let stop = Arc::new(AtomicBool::new(false));
        let ticks = Arc::new(AtomicU64::new(0));
        let mut drawer = Drawer {
            conn,
            window,
            gc,
            seg,
            scene,
            probe: probe.zip(config.probe_epoch),
            rects: Vec::with_capacity(64),
            depth: screen.root_depth,
            fps: config.scene.fps,
        };
        // The first frame, drawn before `open` returns.
        drawer.tick(Instant::now())?;
        ticks.store(1, Ordering::Relaxed);
        let thread = {
            let (stop, ticks) = (stop.clone(), ticks.clone());
            std::thread::Builder::new()
                .name("scene-window".into())
                .spawn(move || drawer.run(&stop, &ticks))
                .map_err(|e| CaptureError::Backend(format!("cannot start a thread: {e}")))?
        };
        Ok(Self {
            stop,
            ticks,
            thread: Some(thread),
            probe,
        })
    }

    /// Frames drawn so far.
    pub fn ticks(&self) -> u64 {
        self.ticks.load(Ordering::Relaxed)
    }

    /// The drawing thread has stopped (an X error or a lost connection; `close` says which).
    pub fn is_finished(&self) -> bool {
        self.thread.as_ref().is_none_or(JoinHandle::is_finished)
    }

    /// Where the probe is drawn (window = screen coordinates), if it is on.
    pub fn probe(&self) -> Option<Probe> {
        self.probe
    }

    /// Stops drawing and closes the window; returns the error that stopped it early, if any.
    pub fn close(mut self) -> Result<(), CaptureError> {
        self.shutdown()
    }

    fn shutdown(&mut self) -> Result<(), CaptureError> {
        self.stop.store(true, Ordering::Relaxed);
        match self.thread.take().map(JoinHandle::join) {
            Some(Ok(r)) => r,
            Some(Err(_)) => Err(CaptureError::Backend("the scene window panicked".into())),
            None => Ok(()),
        }
    }
}

impl Drop for SceneWindow {
    fn drop(&mut self) {
        let _ = self.shutdown();
    }
}

struct Drawer {
    conn: RustConnection,
    window: u32,
    gc: u32,
    seg: ShmSegment,
    scene: SyntheticCapturer,
    probe: Option<(Probe, Instant)>,
    rects: Vec<Rect>,
    depth: u8,
    fps: u32,
}

impl Drawer {
    fn run(mut self, stop: &AtomicBool, ticks: &AtomicU64) -> Result<(), CaptureError> {
        let period = Duration::from_secs_f64(1.0 / f64::from(self.fps));
        let mut due = Instant::now() + period;
        while !stop.load(Ordering::Relaxed) {
            let now = Instant::now();
            if due > now {
                std::thread::sleep(due - now);
            }
            let now = Instant::now();
            // Ticks follow the clock; a slow server makes us skip ticks, not slow time.
            due = (due + period).max(now);
            self.tick(now)?;
            ticks.fetch_add(1, Ordering::Relaxed);
        }
        // Dropping the connection destroys the window and detaches the segment.
        Ok(())
    }

    /// One frame: the scene's changes and the probe, on screen when this returns.
    fn tick(&mut self, now: Instant) -> Result<(), CaptureError> {
        self.rects.clear();
        let w = self.scene.config().width;
        let h = self.scene.config().height;
        let stride = w as usize * 4;
        if let Some(frame) = self.scene.step(now) {
            let src = frame.plane(0);
            let src_stride = frame.planes[0].stride;
            let dst = self.seg.bytes_mut();
            let full = [Rect::new(0, 0, w, h)];
            let rects = match &frame.damage {
                Some(d) => d.as_slice(),
                None => &full[..],
            };
            for r in rects {
                let row = r.width as usize * 4;
                for y in r.y as usize..(r.y + r.height) as usize {
                    let s = y * src_stride + r.x as usize * 4;
                    let d = y * stride + r.x as usize * 4;
                    dst[d..d + row].copy_from_slice(&src[s..s + row]);
                }
                self.rects.push(*r);
            }
        }
        if let Some((probe, epoch)) = self.probe {
            // Stamped as late as possible: the next thing that happens is the server drawing.
            let code = Timecode::at(epoch, Instant::now());
            probe.draw_bgra(self.seg.bytes_mut(), stride, code);
            self.rects.push(probe.rect());
        }
        for r in &self.rects {
            xshm::put_image(
                &self.conn,
                self.window,
                self.gc,
                w as u16,
                h as u16,
                r.x as u16,
                r.y as u16,
                r.width as u16,
                r.height as u16,
                r.x as i16,
                r.y as i16,
                self.depth,
                ImageFormat::Z_PIXMAP.into(),
                false,
                self.seg.xid,
                0,
            )
            .map_err(lost)?;
        }
        // A round trip: the server has executed the puts (the pixels are on screen) and is
        // done reading the segment, which the next tick rewrites.
        self.conn.sync().map_err(reply_err("sync"))?;
        Ok(())
    }
}
