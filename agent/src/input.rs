//! The sharer's input thread: takes the viewers' input-channel messages from the transport,
//! runs each viewer's [`InputGate`] and injects what is allowed.
//!
//! One thread owns the injector, so events from every viewer are injected in arrival order
//! and a slow injector never holds up video. Each viewer has its own gate (level, held
//! keys, flood limits); when its session or input channel ends, whatever it holds is
//! released. Latency (sender timestamp → injected, corrected by the viewer's clock offset)
//! goes into one ring for the stats.

use std::collections::HashMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::thread::JoinHandle;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use crossbeam_channel::{Receiver, Sender, bounded, select};
use glass_engine::input::gate::{ControlLevel, LatencyRing, LatencySummary, Outcome};
use glass_engine::input::{InjectError, Injected, Injector, InputGate, InputStats};
use glass_transport::control::{ControlMessage, Level};
use glass_transport::{InputPacket, InputPacketKind, SessionId, Transport};

/// Input counters of a share.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct InputSnapshot {
    /// The injector in use ("xtest", "cgevent", "recording", or "none").
    pub injector: &'static str,
    /// Level given to viewers that join.
    pub default_level: ControlLevel,
    /// Viewers with full control now.
    pub viewers_in_control: usize,
    /// Counters over all viewers, past and present.
    pub stats: InputStats,
    /// Sender timestamp → injected, over the last 1024 injected messages.
    pub latency: LatencySummary,
    /// Clipboard texts moved: helper → sharer's clipboard, sharer's copies → helpers.
    pub clipboard_in: u64,
    /// See `clipboard_in`.
    pub clipboard_out: u64,
    /// Clipboard texts refused: the viewer had no full control, sharing was paused, or that
    /// direction is off.
    pub clipboard_refused: u64,
}

/// Stands in when no injector could be opened: the share works view-only.
struct NoInjector(String);

impl Injector for NoInjector {
    fn name(&self) -> &'static str {
        "none"
    }
    fn inject(&mut self, _: &Injected<'_>) -> Result<(), InjectError> {
        Err(InjectError::Unsupported(self.0.clone()))
    }
}

pub(crate) enum Cmd {
    Joined(SessionId),
    /// `None`: every viewer and the default. `from_viewer`: only lowering is honoured.
    SetLevel {
        id: Option<SessionId>,
        level: ControlLevel,
        from_viewer: bool,
    },
    Stats(Sender<InputSnapshot>),
    /// An injector that could not be opened at start is open now (macOS: Accessibility was
    /// granted during the share, which takes effect without a restart).
    SetInjector(Box<dyn Injector>),
    /// The sharer copied this text (from [`crate::clipboard::ClipboardPump`]).
    LocalClipboard(String),
    /// Sharing paused or resumed: no clipboard either way while paused.
    Paused(bool),
}

struct Viewer {
    gate: InputGate,
    clock_offset_us: i64,
    /// The counters last sent to this viewer (`input` control message).
    reported: (u64, u64, u64, u64),
}

struct Service {
    injector: Box<dyn Injector>,
    can_inject: bool,
    default_level: ControlLevel,
    viewers: HashMap<SessionId, Viewer>,
    /// Counters of viewers that left.
    past: InputStats,
    latency: LatencyRing,
    transport: Arc<Transport>,
    clipboard: Clipboard,
    paused: bool,
}

/// Where the helper's text goes, and which ways are open.
pub(crate) struct Clipboard {
    pub(crate) policy: crate::clipboard::ClipboardPolicy,
    /// To the clipboard thread (`None`: no desktop clipboard).
    pub(crate) to_desktop: Option<Sender<String>>,
    counts: (u64, u64, u64),
}

impl Clipboard {
    pub(crate) fn new(
        policy: crate::clipboard::ClipboardPolicy,
        to_desktop: Option<Sender<String>>,
    ) -> Self {
        Self {
            policy,
            to_desktop,
            counts: (0, 0, 0),
        }
    }
}

/// Handle to the input thread.
pub(crate) struct InputService {
    commands: Sender<Cmd>,
    stop: Sender<()>,
    thread: Option<JoinHandle<()>>,
    can_inject: AtomicBool,
}

fn wire_level(level: ControlLevel) -> Level {
    match level {
        ControlLevel::View => Level::View,
        ControlLevel::Full => Level::Full,
    }
}

fn wallclock_us() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_micros() as u64)
}

impl InputService {
    /// Starts the thread. `injector` is `Err` when none could be opened: viewers stay
    /// view-only and [`InputService::can_inject`] is false.
    pub(crate) fn start(
        transport: Arc<Transport>,
        injector: Result<Box<dyn Injector>, InjectError>,
        default_level: ControlLevel,
        clipboard: Clipboard,
    ) -> std::io::Result<InputService> {
        let (injector, can_inject): (Box<dyn Injector>, bool) = match injector {
            Ok(i) => (i, true),
            Err(e) => (Box::new(NoInjector(e.to_string())), false),
        };
        let default_level = if can_inject {
            default_level
        } else {
            ControlLevel::View
        };
        let (commands, cmd_rx) = bounded(64);
        let (stop, stop_rx) = bounded(1);
        let service = Service {
            injector,
            can_inject,
            default_level,
            viewers: HashMap::new(),
            past: InputStats::default(),
            latency: LatencyRing::default(),
            transport,
            clipboard,
            paused: false,
        };
        let thread = std::thread::Builder::new()
            .name("glass-input".into())
            .spawn(move || service.run(&cmd_rx, &stop_rx))?;
        Ok(InputService {
            commands,
            stop,
            thread: Some(thread),
            can_inject: AtomicBool::new(can_inject),
        })
    }

    pub(crate) fn commands(&self) -> Sender<Cmd> {
        self.commands.clone()
    }

    pub(crate) fn can_inject(&self) -> bool {
        self.can_inject.load(Ordering::Acquire)
    }

    /// Replaces the stand-in of an injector that could not be opened at start. Viewers keep
    /// their level; raising it is the caller's next command.
    pub(crate) fn set_injector(&self, injector: Box<dyn Injector>) {
        self.send(Cmd::SetInjector(injector));
        self.can_inject.store(true, Ordering::Release);
    }

    pub(crate) fn send(&self, cmd: Cmd) {
        // Bounded and tiny; a full queue means the thread is stuck injecting, and dropping a
        // level change would be wrong, so wait a little.
        let _ = self.commands.send_timeout(cmd, Duration::from_secs(1));
    }

    pub(crate) fn snapshot(&self) -> InputSnapshot {
        let (tx, rx) = bounded(1);
        self.send(Cmd::Stats(tx));
        rx.recv_timeout(Duration::from_secs(2)).unwrap_or_default()
    }

    /// Releases everything every viewer holds and stops the thread.
    pub(crate) fn stop(&mut self) {
        let _ = self.stop.send(());
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

impl Drop for InputService {
    fn drop(&mut self) {
        self.stop();
    }
}

/// The viewer's state, created at the level new viewers get (and announced to it).
fn viewer_entry<'a>(
    viewers: &'a mut HashMap<SessionId, Viewer>,
    id: SessionId,
    level: ControlLevel,
    transport: &Transport,
) -> &'a mut Viewer {
    viewers.entry(id).or_insert_with(|| {
        transport.send_control(
            id,
            ControlMessage::Control {
                level: wire_level(level),
            },
        );
        Viewer {
            gate: InputGate::new(level),
            clock_offset_us: 0,
            reported: (0, 0, 0, 0),
        }
    })
}

impl Service {
    fn run(mut self, commands: &Receiver<Cmd>, stop: &Receiver<()>) {
        let input = self.transport.input().clone();
        let report = crossbeam_channel::tick(Duration::from_secs(1));
        loop {
            select! {
                recv(stop) -> _ => break,
                recv(report) -> _ => self.report(),
                recv(input) -> packet => match packet {
                    Ok(p) => self.on_packet(p),
                    Err(_) => break,
                },
                recv(commands) -> cmd => match cmd {
                    Ok(c) => self.on_command(c),
                    Err(_) => break,
                },
            }
        }
        // Shutting down: nobody may be left holding a key on the sharer's machine.
        for v in self.viewers.values_mut() {
            v.gate.release_all(self.injector.as_mut());
        }
    }

    /// Tells each viewer what became of its input, when that changed: refusals are visible
    /// live on both sides, not only in the sharer's counters at exit.
    fn report(&mut self) {
        for (id, v) in self.viewers.iter_mut() {
            let s = v.gate.stats();
            let now = (
                s.received,
                s.injected,
                s.rejected,
                s.dropped_view_only + s.dropped_stale + s.rate_limited + s.inject_failed,
            );
            if now != v.reported {
                v.reported = now;
                self.transport.send_control(
                    *id,
                    ControlMessage::Input {
                        received: now.0,
                        injected: now.1,
                        rejected: now.2,
                        dropped: now.3,
                    },
                );
            }
        }
    }

    fn viewer(&mut self, id: SessionId) -> &mut Viewer {
        viewer_entry(&mut self.viewers, id, self.default_level, &self.transport)
    }

    fn on_packet(&mut self, packet: InputPacket) {
        let id = packet.id;
        match packet.kind {
            InputPacketKind::Data { data, received: _ } => {
                let now = Instant::now();
                let viewer =
                    viewer_entry(&mut self.viewers, id, self.default_level, &self.transport);
                let outcome = viewer
                    .gate
                    .handle_message(now, &data, self.injector.as_mut());
                let offset = viewer.clock_offset_us;
                match outcome {
                    Outcome::Injected { timestamp_us } => {
                        let sent = timestamp_us.saturating_add_signed(offset.saturating_neg());
                        self.latency.record(sent, wallclock_us());
                    }
                    Outcome::Rejected(e) => tracing::debug!("viewer {id}: {e}"),
                    _ => {}
                }
            }
            InputPacketKind::ClockOffset(us) => self.viewer(id).clock_offset_us = us,
            InputPacketKind::Clipboard(text) => {
                let full = self.viewer(id).gate.level() == ControlLevel::Full;
                let c = &mut self.clipboard;
                let sent = match &c.to_desktop {
                    Some(tx) if full && c.policy.to_sharer && !self.paused => {
                        tx.try_send(text).is_ok()
                    }
                    _ => false,
                };
                if sent {
                    c.counts.0 += 1;
                } else {
                    c.counts.2 += 1;
                    tracing::debug!(viewer = %id, "clipboard text from the viewer refused");
                }
            }
            InputPacketKind::Closed => {
                if let Some(mut v) = self.viewers.remove(&id) {
                    v.gate.release_all(self.injector.as_mut());
                    self.past += v.gate.stats();
                }
            }
            _ => {}
        }
    }

    fn on_command(&mut self, cmd: Cmd) {
        match cmd {
            Cmd::LocalClipboard(text) => {
                let c = &mut self.clipboard;
                if !c.policy.to_helper || self.paused {
                    c.counts.2 += 1;
                    return;
                }
                let mut sent = false;
                for (id, v) in &self.viewers {
                    if v.gate.level() == ControlLevel::Full
                        && self.transport.send_clipboard(*id, text.clone())
                    {
                        c.counts.1 += 1;
                        sent = true;
                    }
                }
                if !sent {
                    c.counts.2 += 1; // no viewer in control
                }
            }
            Cmd::Paused(paused) => self.paused = paused,
            Cmd::Joined(id) => {
                self.viewer(id);
            }
            Cmd::SetLevel {
                id,
                level,
                from_viewer,
            } => {
                let level = if self.can_inject {
                    level
                } else {
                    ControlLevel::View
                };
                let ids: Vec<SessionId> = match id {
                    Some(id) => vec![id],
                    None => {
                        self.default_level = level;
                        self.viewers.keys().copied().collect()
                    }
                };
                for id in ids {
                    let Some(v) = self.viewers.get_mut(&id) else {
                        continue;
                    };
                    if from_viewer && level == ControlLevel::Full {
                        continue; // a viewer cannot raise its own level
                    }
                    if v.gate.level() != level {
                        v.gate.set_level(level, self.injector.as_mut());
                        tracing::info!("viewer {id}: control {}", level.as_str());
                    }
                    // Confirm even when unchanged: the viewer asked, or the app insists.
                    self.transport.send_control(
                        id,
                        ControlMessage::Control {
                            level: wire_level(level),
                        },
                    );
                }
            }
            Cmd::SetInjector(injector) => {
                tracing::info!(
                    "input injector {} open: full control possible",
                    injector.name()
                );
                self.injector = injector;
                self.can_inject = true;
            }
            Cmd::Stats(reply) => {
                let mut stats = self.past;
                for v in self.viewers.values() {
                    stats += v.gate.stats();
                }
                let _ = reply.send(InputSnapshot {
                    injector: self.injector.name(),
                    default_level: self.default_level,
                    viewers_in_control: self
                        .viewers
                        .values()
                        .filter(|v| v.gate.level() == ControlLevel::Full)
                        .count(),
                    stats,
                    latency: self.latency.summary(),
                    clipboard_in: self.clipboard.counts.0,
                    clipboard_out: self.clipboard.counts.1,
                    clipboard_refused: self.clipboard.counts.2,
                });
            }
        }
    }
}
