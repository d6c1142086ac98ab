//! The pointer stream of a share: a thread reads the [`CursorSource`] and hands shapes
//! (as PNG, once per serial) and positions to the transport, which sends them to connected
//! viewers on their `cursor` channel.
//!
//! Consent: the pointer is screen content. Updates go out only while [`CursorGate`] is open
//! (sharing not paused); closing it makes the transport forget the state it keeps for late
//! joiners, under the same lock the thread sends under, so no update slips out after
//! [`CursorGate::set_open`] returns.

use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use crossbeam_channel::{Receiver, Sender, TryRecvError, bounded};
use glass_engine::cursor::{CursorSource, CursorUpdate};
use glass_transport::Transport;
use glass_transport::cursor::{CursorPosition, CursorShape};

/// Longest a `next` call blocks: bounds how late the thread notices a stop or a resume.
const WAKE: Duration = Duration::from_millis(250);

/// Whether viewers may see the pointer now; shared by the share and the cursor thread.
#[derive(Clone)]
pub(crate) struct CursorGate(Arc<Mutex<GateState>>);

struct GateState {
    open: bool,
    /// Closed then opened since the thread last looked: send the full state again.
    reopened: bool,
}

impl CursorGate {
    pub(crate) fn new(open: bool) -> CursorGate {
        CursorGate(Arc::new(Mutex::new(GateState {
            open,
            reopened: false,
        })))
    }

    /// Opens or closes the gate. Closing makes `transport` forget its kept cursor state
    /// (ordered after every update sent before), so a viewer joining while paused learns
    /// nothing.
    pub(crate) fn set_open(&self, open: bool, transport: &Transport) {
        let mut g = self.0.lock().unwrap_or_else(|p| p.into_inner());
        if g.open == open {
            return;
        }
        g.open = open;
        if open {
            g.reopened = true;
        } else {
            transport.forget_cursor();
        }
    }
}

/// The running cursor thread.
pub(crate) struct CursorPump {
    stop: Sender<()>,
    thread: JoinHandle<()>,
}

impl CursorPump {
    pub(crate) fn start(
        source: Box<dyn CursorSource>,
        transport: Arc<Transport>,
        gate: CursorGate,
    ) -> std::io::Result<CursorPump> {
        let (stop, stopped) = bounded(1);
        let thread = std::thread::Builder::new()
            .name("glass-cursor".into())
            .spawn(move || run(source, &transport, &gate, &stopped))?;
        Ok(CursorPump { stop, thread })
    }

    pub(crate) fn stop(self) {
        let _ = self.stop.send(());
        let _ = self.thread.join();
    }
}

fn run(
    mut source: Box<dyn CursorSource>,
    transport: &Transport,
    gate: &CursorGate,
    stop: &Receiver<()>,
) {
    let mut shape: Option<CursorShape> = None;
    loop {
        if !matches!(stop.try_recv(), Err(TryRecvError::Empty)) {
            return;
        }
        let update = match source.next(Instant::now() + WAKE) {
            Ok(u) => u,
            Err(e) => {
                tracing::warn!("cursor stream stopped: {e}");
                return;
            }
        };
        let mut g = gate.0.lock().unwrap_or_else(|p| p.into_inner());
        if std::mem::take(&mut g.reopened) {
            // Resumed: the next update carries the shape and position again.
            source.request_full();
            continue;
        }
        let Some(update) = update else { continue };
        if let Some(s) = update.shape.as_ref().and_then(to_wire) {
            shape = Some(s);
        }
        let Some(current) = shape.as_ref().filter(|s| s.serial == update.serial) else {
            continue; // a shape we could not encode: nothing to show it with
        };
        if g.open {
            transport.send_cursor(current.clone(), position(&update));
        }
    }
}

fn to_wire(s: &glass_engine::cursor::CursorShape) -> Option<CursorShape> {
    let shape = CursorShape {
        serial: s.serial,
        width: u16::try_from(s.width).ok()?,
        height: u16::try_from(s.height).ok()?,
        hot_x: u16::try_from(s.hot_x).ok()?,
        hot_y: u16::try_from(s.hot_y).ok()?,
        png: bytes::Bytes::from(s.to_png()),
    };
    match shape.validate() {
        Ok(()) => Some(shape),
        Err(e) => {
            tracing::debug!("cursor shape {} not sent: {e}", s.serial);
            None
        }
    }
}

fn position(u: &CursorUpdate) -> CursorPosition {
    // The wallclock of `u.at`: now, less the little time since.
    let wall = SystemTime::now()
        .checked_sub(u.at.elapsed())
        .unwrap_or_else(SystemTime::now);
    CursorPosition {
        serial: u.serial,
        x: u.x,
        y: u.y,
        time_us: wall
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| d.as_micros() as u64),
    }
}
