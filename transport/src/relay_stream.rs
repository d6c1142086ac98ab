//! The driver's side of a TCP or TLS relay: the TCP connection and its two threads.
//!
//! As for the UDP sockets, a thread blocks on the socket and hands what it reads to the
//! driver over a channel (stamped with the arrival time), so the driver waits on everything at
//! once without a platform poller. It also connects first, so a slow connect never holds up
//! the driver. Writes go through [`StreamOut`], a byte buffer a second thread drains into the
//! socket: the driver never blocks on a full TCP window. The buffer is capped: datagrams
//! str0m sends through the relay are dropped (and counted) once [`SOFT_CAP`] bytes wait, as
//! a congested UDP path would lose them; the relay's own messages (and the TLS records already
//! made) are always queued up to [`HARD_CAP`], past which the connection is given up.
//!
//! Nothing here knows TURN or TLS: [`crate::turn::TurnRelay`] frames and encrypts.

use std::io::{Read, Write};
use std::net::{Shutdown, SocketAddr, TcpStream};
use std::sync::{Arc, Condvar, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use crossbeam_channel::Sender;

/// Above this backlog, datagrams to peers are dropped: about a quarter second of video at
/// 4 Mbit/s, on top of what the kernel holds. More would only add latency.
pub(crate) const SOFT_CAP: usize = 128 * 1024;
/// Above this backlog even the relay's own messages cannot go: the connection is stuck.
pub(crate) const HARD_CAP: usize = 512 * 1024;
/// Longest TCP connect (the allocation as a whole must succeed in 8 s).
const CONNECT_TIMEOUT: Duration = Duration::from_secs(5);
/// How often the threads look at the stop flag.
const POLL: Duration = Duration::from_millis(100);
/// One read.
const READ_SIZE: usize = 16 * 1024;

/// What a relay's connection thread tells the driver.
#[derive(Debug)]
pub(crate) struct StreamEvent {
    /// The relay's index.
    pub relay: usize,
    /// When it happened (for data: when it was read).
    pub at: Instant,
    /// What happened.
    pub kind: StreamEventKind,
}

#[derive(Debug)]
pub(crate) enum StreamEventKind {
    /// Connected, from this local address.
    Connected(SocketAddr),
    /// Bytes read.
    Data(Vec<u8>),
    /// The connection could not be made, or ended.
    Closed(String),
}

/// Bytes waiting to be written to one relay's connection.
#[derive(Debug, Default)]
pub(crate) struct StreamOut {
    state: Mutex<OutState>,
    ready: Condvar,
}

#[derive(Debug, Default)]
struct OutState {
    queued: Vec<u8>,
    /// Bytes the writer took and is writing.
    writing: usize,
    closed: bool,
    stop: bool,
}

impl StreamOut {
    fn lock(&self) -> MutexGuard<'_, OutState> {
        // A writer that panicked leaves plain bytes behind: still usable.
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Bytes queued or being written.
    pub(crate) fn backlog(&self) -> usize {
        let s = self.lock();
        s.queued.len() + s.writing
    }

    /// Queues `data`; false if it cannot go (the backlog would pass [`HARD_CAP`], or the
    /// connection is closed).
    pub(crate) fn push(&self, data: &[u8]) -> bool {
        let mut s = self.lock();
        if s.closed || s.queued.len() + s.writing + data.len() > HARD_CAP {
            return false;
        }
        s.queued.extend_from_slice(data);
        drop(s);
        self.ready.notify_one();
        true
    }

    /// Closed: by [`StreamOut::close`], or a write failed.
    pub(crate) fn is_closed(&self) -> bool {
        self.lock().closed
    }

    /// Asks the writer to write what is queued and stop.
    pub(crate) fn stop(&self) {
        self.lock().stop = true;
        self.ready.notify_one();
    }

    /// Drops what is queued and ends the connection.
    pub(crate) fn close(&self) {
        let mut s = self.lock();
        s.closed = true;
        s.queued = Vec::new();
        drop(s);
        self.ready.notify_one();
    }
}

/// Connects to `server`, starts the writer, and reads until the connection ends or `stop`
/// holds. Runs on its own thread.
pub(crate) fn run(
    relay: usize,
    server: SocketAddr,
    out: &Arc<StreamOut>,
    events: &Sender<StreamEvent>,
    stop: &dyn Fn() -> bool,
) {
    let closed = |reason: String| {
        let _ = events.send(StreamEvent {
            relay,
            at: Instant::now(),
            kind: StreamEventKind::Closed(reason),
        });
    };
    let stream = match TcpStream::connect_timeout(&server, CONNECT_TIMEOUT) {
        Ok(s) => s,
        Err(e) => {
            out.close();
            closed(e.to_string());
            return;
        }
    };
    // TURN messages are small and latency matters more than segment count.
    let _ = stream.set_nodelay(true);
    let prepared = stream
        .set_read_timeout(Some(POLL))
        .and_then(|()| stream.local_addr())
        .and_then(|local| Ok((local, stream.try_clone()?)));
    let (local, writer) = match prepared {
        Ok(p) => p,
        Err(e) => {
            out.close();
            closed(e.to_string());
            return;
        }
    };
    let _ = events.send(StreamEvent {
        relay,
        at: Instant::now(),
        kind: StreamEventKind::Connected(local),
    });
    let writer_out = out.clone();
    let writer = std::thread::Builder::new()
        .name(format!("glass-turn-w{relay}"))
        .spawn(move || write_loop(writer, &writer_out));
    let mut stream = stream;
    let mut buf = vec![0u8; READ_SIZE];
    let reason = loop {
        if stop() {
            break None;
        }
        if out.is_closed() {
            break Some("closed".to_string());
        }
        match stream.read(&mut buf) {
            Ok(0) => break Some("the relay closed the connection".to_string()),
            Ok(n) => {
                let e = StreamEvent {
                    relay,
                    at: Instant::now(),
                    kind: StreamEventKind::Data(buf[..n].to_vec()),
                };
                // Blocks when the driver is behind: TCP's window then slows the relay down
                // (dropping bytes would break the stream). Fails once the driver is gone.
                if events.send(e).is_err() {
                    break None;
                }
            }
            Err(e)
                if matches!(
                    e.kind(),
                    std::io::ErrorKind::WouldBlock
                        | std::io::ErrorKind::TimedOut
                        | std::io::ErrorKind::Interrupted
                ) => {}
            Err(e) => break Some(e.to_string()),
        }
    };
    if reason.is_none() {
        // Stopping: give the writer a moment for the allocation's deletion.
        out.stop();
        let end = Instant::now() + POLL;
        while out.backlog() > 0 && Instant::now() < end {
            std::thread::sleep(Duration::from_millis(5));
        }
    }
    out.close();
    // Unblocks a write the relay never reads.
    let _ = stream.shutdown(Shutdown::Both);
    if let Ok(w) = writer {
        let _ = w.join();
    }
    if let Some(reason) = reason {
        closed(reason);
    }
}

fn write_loop(mut stream: TcpStream, out: &StreamOut) {
    loop {
        let bytes = {
            let mut s = out.lock();
            while s.queued.is_empty() && !s.closed && !s.stop {
                s = out
                    .ready
                    .wait_timeout(s, POLL)
                    .map(|(s, _)| s)
                    .unwrap_or_else(|e| e.into_inner().0);
            }
            if s.closed || (s.stop && s.queued.is_empty()) {
                return;
            }
            let bytes = std::mem::take(&mut s.queued);
            s.writing = bytes.len();
            bytes
        };
        let written = stream.write_all(&bytes);
        let mut s = out.lock();
        s.writing = 0;
        if let Err(e) = written {
            tracing::debug!("TURN connection write: {e}");
            s.closed = true;
            s.queued = Vec::new();
            return;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_backlog_is_capped_and_a_closed_stream_takes_nothing() {
        let out = StreamOut::default();
        assert!(out.push(&vec![0; HARD_CAP - 10]));
        assert_eq!(out.backlog(), HARD_CAP - 10);
        assert!(!out.push(&[0; 11]), "past the hard cap");
        assert!(out.push(&[0; 10]));
        out.close();
        assert!(!out.push(&[0]));
        assert_eq!(out.backlog(), 0);
    }

    #[test]
    fn bytes_reach_the_server_in_order_and_a_refused_connect_says_why() {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let addr = listener.local_addr().unwrap();
        let out = Arc::new(StreamOut::default());
        let (tx, rx) = crossbeam_channel::bounded(16);
        let stop = Arc::new(std::sync::atomic::AtomicBool::new(false));
        let thread = {
            let (out, stop) = (out.clone(), stop.clone());
            std::thread::spawn(move || {
                run(0, addr, &out, &tx, &|| {
                    stop.load(std::sync::atomic::Ordering::Relaxed)
                });
            })
        };
        // Queued before the connection is up: written once it is.
        assert!(out.push(b"hello "));
        let (mut server, _) = listener.accept().unwrap();
        assert!(matches!(
            rx.recv_timeout(Duration::from_secs(2)).unwrap().kind,
            StreamEventKind::Connected(_)
        ));
        assert!(out.push(b"relay"));
        let mut got = [0u8; 11];
        server.read_exact(&mut got).unwrap();
        assert_eq!(&got, b"hello relay");
        server.write_all(b"back").unwrap();
        match rx.recv_timeout(Duration::from_secs(2)).unwrap().kind {
            StreamEventKind::Data(d) => assert_eq!(d, b"back"),
            other => panic!("{other:?}"),
        }
        drop(server);
        match rx.recv_timeout(Duration::from_secs(2)).unwrap().kind {
            StreamEventKind::Closed(reason) => assert!(reason.contains("closed"), "{reason}"),
            other => panic!("{other:?}"),
        }
        thread.join().unwrap();
        stop.store(true, std::sync::atomic::Ordering::Relaxed);
        // Nobody listens there any more.
        drop(listener);
        let (tx, rx) = crossbeam_channel::bounded(16);
        run(1, addr, &Arc::new(StreamOut::default()), &tx, &|| false);
        match rx.try_recv().unwrap().kind {
            StreamEventKind::Closed(reason) => assert!(reason.contains("refused"), "{reason}"),
            other => panic!("{other:?}"),
        }
    }
}
