//! Wayland: capture and input through Mutter's `RemoteDesktop` and `ScreenCast` D-Bus APIs
//! (GNOME, no dialog — the path gnome-remote-desktop uses) or through xdg-desktop-portal's
//! (any desktop with a portal backend, the sharer approves in its dialog: [`portal`]), and
//! the PipeWire stream either hands out.
//!
//! # One session for capture and input
//! On Wayland one consent covers the picture and the input, and Mutter and the portal both tie
//! them to one remote-desktop session that lives exactly as long as the D-Bus connection that
//! created it. So the capturer, the injector and the pointer source share one
//! [`WaylandSession`] (behind an [`Arc`]), whose link is Mutter's session or the portal's:
//!
//! - [`WaylandSession::shared`] (Mutter) and [`WaylandSession::shared_portal`] keep one
//!   process-wide registry of live sessions keyed by backend and config (bus, PipeWire socket,
//!   connector; bus and token file), holding only [`Weak`] references.
//!   `capture::open_following`, `input::open_injector_following` and
//!   `cursor::open_following` all call it for a `wayland` source: whichever comes first
//!   creates the session, the others get the same one. The agent needs no change of its own:
//!   it opens the capturer, the injector and the pointer source, and holds them for the share.
//! - The session (its D-Bus connection, the RemoteDesktop/ScreenCast sessions and the stream)
//!   lives while either side holds it; dropping the last `Arc` stops the session and closes
//!   the connection, which Mutter takes as the end of the share.
//! - No thread keeps a clone of the connection beyond start-up, so dropping really ends it.
//! - A session whose stream ended (Mutter closed it, e.g. from GNOME's sharing indicator) is
//!   not handed out again: the next `shared` opens a new one.
//!
//! # Start-up (Mutter; the portal's is in [`portal`])
//! `RemoteDesktop.CreateSession` → `ScreenCast.CreateSession({"remote-desktop-session-id"})`
//! → `RecordMonitor(connector, {"cursor-mode": metadata})` (the connector from
//! `DisplayConfig.GetCurrentState`: the one asked for, else the primary monitor's) →
//! `RemoteDesktop.Session.Start` → the stream's `PipeWireStreamAdded(node_id)`. The capturer
//! ([`WaylandCapturer`]) consumes that node ([`pw`]); the injector ([`WaylandInjector`]) calls
//! the session's `Notify*` methods.
//!
//! Every reply is deserialised into the type the API documents; anything else is an error
//! naming the call (counted in [`WaylandStats::malformed_replies`]), never a panic.

mod capture;
mod cursor;
mod input;
pub mod portal;
pub(crate) mod pw;

pub use self::capture::WaylandCapturer;
pub use self::cursor::WaylandCursorSource;
pub use self::input::{WaylandInjector, evdev_keycode};
pub use self::portal::{PortalConfig, RestoreToken};

use std::collections::HashMap;
use std::os::fd::OwnedFd;
use std::os::unix::net::UnixStream;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Condvar, Mutex, MutexGuard, Weak};
use std::time::{Duration, Instant};

use zbus::blocking::{Connection, Proxy};
use zbus::zvariant::{ObjectPath, OwnedObjectPath, OwnedValue, Value};

pub use crate::capture::WaylandBackend;
use crate::capture::{DisplayInfo, SourceSpec};
use crate::cursor::CursorShape;
use crate::error::CaptureError;

/// How long start-up waits for Mutter to announce the PipeWire node.
const STREAM_ADDED_TIMEOUT: Duration = Duration::from_secs(10);
/// `cursor-mode` of `RecordMonitor`: 0 hidden, 1 embedded, 2 metadata. Metadata keeps the
/// pointer out of the picture (as on X11) and gives its position for free.
const CURSOR_MODE_METADATA: u32 = 2;

const RD_NAME: &str = "org.gnome.Mutter.RemoteDesktop";
const RD_PATH: &str = "/org/gnome/Mutter/RemoteDesktop";
const RD_SESSION: &str = "org.gnome.Mutter.RemoteDesktop.Session";
const SC_NAME: &str = "org.gnome.Mutter.ScreenCast";
const SC_PATH: &str = "/org/gnome/Mutter/ScreenCast";
const SC_SESSION: &str = "org.gnome.Mutter.ScreenCast.Session";
const SC_STREAM: &str = "org.gnome.Mutter.ScreenCast.Stream";
const DC_NAME: &str = "org.gnome.Mutter.DisplayConfig";
const DC_PATH: &str = "/org/gnome/Mutter/DisplayConfig";

/// Where to find Mutter and PipeWire. The default takes both from the environment
/// (`DBUS_SESSION_BUS_ADDRESS`; `PIPEWIRE_RUNTIME_DIR` or `XDG_RUNTIME_DIR`, and
/// `PIPEWIRE_REMOTE` or `pipewire-0`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct MutterConfig {
    /// D-Bus address of the session bus Mutter is on (`None`: the session bus).
    pub bus_address: Option<String>,
    /// Path of the PipeWire socket Mutter streams to (`None`: from the environment).
    pub pipewire_socket: Option<PathBuf>,
    /// Monitor connector to record (`None`: the primary monitor).
    pub connector: Option<String>,
}

impl MutterConfig {
    /// The PipeWire socket this config names or the environment gives.
    fn pipewire_socket(&self) -> Result<PathBuf, CaptureError> {
        if let Some(p) = &self.pipewire_socket {
            return Ok(p.clone());
        }
        let dir = std::env::var_os("PIPEWIRE_RUNTIME_DIR")
            .or_else(|| std::env::var_os("XDG_RUNTIME_DIR"))
            .ok_or_else(|| {
                CaptureError::Connect(
                    "no PipeWire socket: neither PIPEWIRE_RUNTIME_DIR nor XDG_RUNTIME_DIR is set"
                        .into(),
                )
            })?;
        let name = std::env::var_os("PIPEWIRE_REMOTE").unwrap_or_else(|| "pipewire-0".into());
        Ok(PathBuf::from(dir).join(name))
    }
}

/// Trouble counted over a session's life (from outside input: Mutter's replies, PipeWire's
/// formats and buffers).
#[derive(Debug, Default)]
pub struct WaylandStats {
    /// D-Bus replies that did not have the documented type.
    pub malformed_replies: AtomicU64,
    /// Formats PipeWire offered that are not BGRx/BGRA of a usable size.
    pub bad_formats: AtomicU64,
    /// Buffers the compositor marked corrupted (Mutter: a recording that failed), skipped.
    pub corrupted_buffers: AtomicU64,
    /// Buffers skipped for no mapped memory or a layout outside the buffer.
    pub bad_buffers: AtomicU64,
    /// Frames that arrived while the previous one was still waiting, and replaced it.
    pub replaced_frames: AtomicU64,
    /// Buffers with only pointer metadata (the pointer moved, the picture did not).
    pub cursor_only_buffers: AtomicU64,
    /// Input calls Mutter refused or failed to answer.
    pub failed_input_calls: AtomicU64,
}

impl WaylandStats {
    pub(crate) fn count(counter: &AtomicU64) {
        counter.fetch_add(1, Ordering::Relaxed);
    }
}

/// The monitor a session records.
#[derive(Debug, Clone, PartialEq)]
pub struct MutterMonitor {
    /// Connector name (`Meta-0`, `DP-1`).
    pub connector: String,
    /// Vendor/product as Mutter names it.
    pub name: String,
    /// Left edge in the logical layout.
    pub x: i32,
    /// Top edge in the logical layout.
    pub y: i32,
    /// Width of the current mode in pixels.
    pub width: u32,
    /// Height of the current mode in pixels.
    pub height: u32,
    /// The logical monitor's scale.
    pub scale: f64,
    /// Whether it is the primary monitor.
    pub primary: bool,
}

impl MutterMonitor {
    /// The size of the stream's coordinate space for pointer events (logical pixels).
    pub fn logical_size(&self) -> (u32, u32) {
        let s = if self.scale.is_finite() && self.scale > 0.0 {
            self.scale
        } else {
            1.0
        };
        (
            ((f64::from(self.width) / s).round() as u32).max(1),
            ((f64::from(self.height) / s).round() as u32).max(1),
        )
    }
}

/// One remote-desktop session with one screen-cast stream, shared by the capturer, the
/// injector and the pointer source: Mutter's own, or an xdg-desktop-portal one. See the
/// [module docs](self).
pub struct WaylandSession {
    link: Link,
    node_id: u32,
    monitor: MutterMonitor,
    stats: WaylandStats,
    /// The stream ended (the compositor closed the session, PipeWire failed): not handed out
    /// again.
    ended: AtomicBool,
    /// The pointer as the stream last reported it.
    pointer: Mutex<PointerState>,
    pointer_changed: Condvar,
}

/// What a session talks to.
enum Link {
    Mutter(MutterLink),
    Portal(portal::PortalLink),
}

/// A Mutter session: its D-Bus proxy (holding the connection: Mutter ends the session when it
/// closes), the stream and the PipeWire socket Mutter streams to.
struct MutterLink {
    rd_session: Proxy<'static>,
    stream_path: OwnedObjectPath,
    pipewire_socket: PathBuf,
}

/// The pointer as the stream's cursor metadata reports it.
#[derive(Debug, Default, Clone)]
pub(crate) struct PointerState {
    /// Hotspot position in stream pixels (`None`: not on this monitor, or not known yet).
    pub(crate) position: Option<(i32, i32)>,
    /// The latest image.
    pub(crate) shape: Option<CursorShape>,
    /// Bumped on every change of position or shape.
    pub(crate) generation: u64,
    /// When the last change arrived.
    pub(crate) at: Option<Instant>,
}

impl std::fmt::Debug for WaylandSession {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let mut d = f.debug_struct("WaylandSession");
        match &self.link {
            Link::Mutter(m) => d
                .field("mutter_session", &m.rd_session.path().as_str())
                .field("stream", &m.stream_path.as_str()),
            Link::Portal(p) => d.field("portal_session", &p.session_path()),
        };
        d.field("node_id", &self.node_id)
            .field("monitor", &self.monitor)
            .finish_non_exhaustive()
    }
}

/// What a registry entry is keyed by: the backend and its config.
#[derive(Debug, Clone, PartialEq, Eq)]
enum SessionKey {
    Mutter(MutterConfig),
    Portal(PortalConfig),
}

/// Live sessions by config; `Weak` so the registry never keeps one alive.
static SESSIONS: Mutex<Vec<(SessionKey, Weak<WaylandSession>)>> = Mutex::new(Vec::new());

fn dbus_err(what: &str) -> impl Fn(zbus::Error) -> CaptureError + '_ {
    move |e| match e {
        zbus::Error::MethodError(name, msg, _) => {
            let msg = msg.unwrap_or_default();
            if name.as_str().ends_with("AccessDenied") {
                CaptureError::Permission(format!("{what}: {name}: {msg}"))
            } else {
                CaptureError::Backend(format!("{what}: {name}: {msg}"))
            }
        }
        e => CaptureError::Backend(format!("{what}: {e}")),
    }
}

fn proxy(
    conn: &Connection,
    dest: &'static str,
    path: ObjectPath<'static>,
    iface: &'static str,
) -> Result<Proxy<'static>, CaptureError> {
    zbus::blocking::proxy::Builder::<Proxy<'static>>::new(conn)
        .destination(dest)
        .and_then(|b| b.path(path))
        .and_then(|b| b.interface(iface))
        .map(|b| b.cache_properties(zbus::proxy::CacheProperties::No))
        .and_then(|b| b.build())
        .map_err(dbus_err(iface))
}

/// The shared session of a `wayland` source (what `capture::open_following`,
/// `input::open_injector_following` and `cursor::open_following` use), from the environment:
/// Mutter's for `wayland[:mutter]`, the portal's for `wayland:portal`.
pub fn session_for(spec: &SourceSpec) -> Result<Arc<WaylandSession>, CaptureError> {
    match spec {
        SourceSpec::Wayland {
            backend: WaylandBackend::Mutter,
            connector,
        } => WaylandSession::shared(&MutterConfig {
            connector: connector.clone(),
            ..MutterConfig::default()
        }),
        SourceSpec::Wayland {
            backend: WaylandBackend::Portal,
            ..
        } => WaylandSession::shared_portal(&PortalConfig::default()),
        other => Err(CaptureError::BadSpec(format!(
            "{other:?} is not a Wayland source"
        ))),
    }
}

impl WaylandSession {
    /// The live Mutter session for `config`, or a new one (see the [module docs](self)): the
    /// capturer and the injector of one source get the same session.
    pub fn shared(config: &MutterConfig) -> Result<Arc<WaylandSession>, CaptureError> {
        Self::shared_by(SessionKey::Mutter(config.clone()), || Self::open(config))
    }

    /// The live portal session for `config`, or a new one (the first asks the portal, which
    /// may show its dialog; the capturer, the injector and the pointer source then share it).
    pub fn shared_portal(config: &PortalConfig) -> Result<Arc<WaylandSession>, CaptureError> {
        Self::shared_by(SessionKey::Portal(config.clone()), || {
            Self::open_portal(config)
        })
    }

    fn shared_by(
        key: SessionKey,
        open: impl FnOnce() -> Result<WaylandSession, CaptureError>,
    ) -> Result<Arc<WaylandSession>, CaptureError> {
        let mut sessions = SESSIONS.lock().unwrap_or_else(|p| p.into_inner());
        sessions.retain(|(_, w)| w.upgrade().is_some_and(|s| !s.ended()));
        if let Some(s) = sessions
            .iter()
            .find(|(k, _)| *k == key)
            .and_then(|(_, w)| w.upgrade())
        {
            return Ok(s);
        }
        // Opening under the lock: a capturer and an injector racing get one session (and the
        // portal shows one dialog).
        let s = Arc::new(open()?);
        sessions.push((key, Arc::downgrade(&s)));
        Ok(s)
    }

    /// Opens a new portal session of its own (not shared; [`WaylandSession::shared_portal`]
    /// is the usual way in).
    pub fn open_portal(config: &PortalConfig) -> Result<WaylandSession, CaptureError> {
        let stats = WaylandStats::default();
        let (link, node_id, monitor) = portal::PortalLink::open(config, &stats)?;
        Ok(Self::new(Link::Portal(link), node_id, monitor, stats))
    }

    fn new(link: Link, node_id: u32, monitor: MutterMonitor, stats: WaylandStats) -> Self {
        WaylandSession {
            link,
            node_id,
            monitor,
            stats,
            ended: AtomicBool::new(false),
            pointer: Mutex::new(PointerState::default()),
            pointer_changed: Condvar::new(),
        }
    }

    /// Opens a new Mutter session of its own (not shared; [`WaylandSession::shared`] is the
    /// usual way in).
    pub fn open(config: &MutterConfig) -> Result<WaylandSession, CaptureError> {
        let conn = connect(config)?;
        let stats = WaylandStats::default();
        let pipewire_socket = config.pipewire_socket()?;
        let monitor = pick_monitor(&conn, config.connector.as_deref(), &stats)?;

        let rd = proxy(
            &conn,
            RD_NAME,
            ObjectPath::from_static_str_unchecked(RD_PATH),
            RD_NAME,
        )?;
        let rd_path: OwnedObjectPath =
            rd.call("CreateSession", &()).map_err(|e| {
                match dbus_err("RemoteDesktop.CreateSession")(e) {
                    CaptureError::Backend(m) if m.contains("ServiceUnknown") => {
                        CaptureError::Connect(format!(
                            "Mutter's RemoteDesktop API is not on this bus (not GNOME?): {m}"
                        ))
                    }
                    other => other,
                }
            })?;
        let rd_session = proxy(&conn, RD_NAME, rd_path.into_inner(), RD_SESSION)?;
        // From here on a failure must stop the half-made session.
        let stop = |e: CaptureError| {
            let _ = rd_session.call_method("Stop", &());
            e
        };
        let session_id: String = rd_session
            .get_property("SessionId")
            .map_err(|e| {
                WaylandStats::count(&stats.malformed_replies);
                CaptureError::Backend(format!("RemoteDesktop.Session.SessionId: {e}"))
            })
            .map_err(stop)?;

        let sc = proxy(
            &conn,
            SC_NAME,
            ObjectPath::from_static_str_unchecked(SC_PATH),
            SC_NAME,
        )
        .map_err(stop)?;
        let mut props: HashMap<&str, Value<'_>> = HashMap::new();
        props.insert(
            "remote-desktop-session-id",
            Value::from(session_id.as_str()),
        );
        let sc_path: OwnedObjectPath = sc
            .call("CreateSession", &(props,))
            .map_err(dbus_err("ScreenCast.CreateSession"))
            .map_err(stop)?;
        let sc_session = proxy(&conn, SC_NAME, sc_path.into_inner(), SC_SESSION).map_err(stop)?;
        let mut props: HashMap<&str, Value<'_>> = HashMap::new();
        props.insert("cursor-mode", Value::from(CURSOR_MODE_METADATA));
        let stream_path: OwnedObjectPath = sc_session
            .call("RecordMonitor", &(monitor.connector.as_str(), props))
            .map_err(dbus_err("ScreenCast.Session.RecordMonitor"))
            .map_err(stop)?;
        let stream =
            proxy(&conn, SC_NAME, stream_path.clone().into_inner(), SC_STREAM).map_err(stop)?;

        // Subscribe before Start: the signal comes once, right after it.
        let added = stream
            .receive_signal("PipeWireStreamAdded")
            .map_err(dbus_err("subscribe to PipeWireStreamAdded"))
            .map_err(stop)?;
        let (tx, rx) = crossbeam_channel::bounded(1);
        std::thread::Builder::new()
            .name("glass-mutter-start".into())
            .spawn(move || {
                let mut added = added;
                let node = added.next().map(|m| m.body().deserialize::<u32>());
                let _ = tx.send(node);
            })
            .map_err(|e| CaptureError::Backend(format!("cannot spawn a thread: {e}")))
            .map_err(stop)?;
        rd_session
            .call::<_, _, ()>("Start", &())
            .map_err(dbus_err("RemoteDesktop.Session.Start"))
            .map_err(stop)?;
        let node_id = match rx.recv_timeout(STREAM_ADDED_TIMEOUT) {
            Ok(Some(Ok(node))) => node,
            Ok(Some(Err(e))) => {
                WaylandStats::count(&stats.malformed_replies);
                return Err(stop(CaptureError::Backend(format!(
                    "PipeWireStreamAdded carried no node id: {e}"
                ))));
            }
            Ok(None) | Err(_) => {
                return Err(stop(CaptureError::Backend(format!(
                    "Mutter announced no PipeWire stream within {STREAM_ADDED_TIMEOUT:?}"
                ))));
            }
        };
        tracing::info!(
            session = rd_session.path().as_str(),
            node_id,
            connector = %monitor.connector,
            width = monitor.width,
            height = monitor.height,
            "Mutter remote-desktop session started"
        );
        let link = MutterLink {
            rd_session,
            stream_path,
            pipewire_socket,
        };
        Ok(Self::new(Link::Mutter(link), node_id, monitor, stats))
    }

    /// Whether the stream ended (Mutter closed the session): a new `shared` call then opens
    /// a new session rather than handing this one out.
    pub fn ended(&self) -> bool {
        self.ended.load(Ordering::Relaxed)
    }

    pub(crate) fn mark_ended(&self) {
        self.ended.store(true, Ordering::Relaxed);
    }

    /// Whether the grant behind this session is remembered for the next share: a portal
    /// session whose portal keeps restore tokens (`RemoteDesktop` version 2 or later). Mutter
    /// shows no dialog to remember.
    pub fn portal_persists(&self) -> bool {
        match &self.link {
            Link::Mutter(_) => false,
            Link::Portal(p) => p.persists(),
        }
    }

    /// Which API this session goes through.
    pub fn backend(&self) -> WaylandBackend {
        match self.link {
            Link::Mutter(_) => WaylandBackend::Mutter,
            Link::Portal(_) => WaylandBackend::Portal,
        }
    }

    /// The monitor being recorded.
    pub fn monitor(&self) -> &MutterMonitor {
        &self.monitor
    }

    /// The PipeWire node of the stream.
    pub fn node_id(&self) -> u32 {
        self.node_id
    }

    /// Trouble counted so far.
    pub fn stats(&self) -> &WaylandStats {
        &self.stats
    }

    /// Where the stream last reported the pointer, in stream pixels (`None` until a frame
    /// with pointer metadata arrived, or while the pointer is off this monitor).
    pub fn pointer_position(&self) -> Option<(i32, i32)> {
        self.pointer_state().position
    }

    pub(crate) fn pointer_state(&self) -> MutexGuard<'_, PointerState> {
        self.pointer.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Waits until the pointer changed after `generation`, or `deadline`.
    pub(crate) fn wait_pointer(
        &self,
        generation: u64,
        deadline: Instant,
    ) -> MutexGuard<'_, PointerState> {
        let mut s = self.pointer_state();
        while s.generation == generation {
            let Some(left) = deadline.checked_duration_since(Instant::now()) else {
                break;
            };
            s = self
                .pointer_changed
                .wait_timeout(s, left)
                .unwrap_or_else(|p| p.into_inner())
                .0;
        }
        s
    }

    /// Takes what a buffer's cursor metadata says (PipeWire thread).
    pub(crate) fn pointer_update(&self, meta: pw::CursorMeta) {
        let mut s = self.pointer_state();
        let mut changed = s.position != meta.position;
        s.position = meta.position;
        if let Some(b) = meta.shape {
            let serial = s.shape.as_ref().map_or(1, |c| c.serial.wrapping_add(1));
            let shape = CursorShape::from_premultiplied_argb(
                serial, b.width, b.height, b.hot_x, b.hot_y, &b.argb,
            );
            if let Some(shape) = shape {
                let same = s.shape.as_ref().is_some_and(|c| {
                    (c.width, c.height, c.hot_x, c.hot_y, &c.rgba)
                        == (
                            shape.width,
                            shape.height,
                            shape.hot_x,
                            shape.hot_y,
                            &shape.rgba,
                        )
                });
                if !same {
                    s.shape = Some(shape);
                    changed = true;
                }
            }
        }
        if changed {
            s.generation += 1;
            s.at = Some(Instant::now());
            drop(s);
            self.pointer_changed.notify_all();
        }
    }

    /// A connection to the PipeWire daemon that carries the stream: Mutter's socket, or
    /// the portal's `OpenPipeWireRemote` (a connection that sees only this session's
    /// stream).
    pub(crate) fn pipewire_fd(&self) -> Result<OwnedFd, CaptureError> {
        match &self.link {
            Link::Mutter(m) => UnixStream::connect(&m.pipewire_socket)
                .map(OwnedFd::from)
                .map_err(|e| {
                    CaptureError::Connect(format!(
                        "PipeWire socket {}: {e}",
                        m.pipewire_socket.display()
                    ))
                }),
            Link::Portal(p) => p.open_pipewire_remote(&self.stats),
        }
    }

    /// Sends one input event to the session.
    pub(crate) fn input(&self, event: InputCall) -> Result<(), zbus::Error> {
        match &self.link {
            Link::Mutter(m) => {
                let rd = &m.rd_session;
                match event {
                    InputCall::MotionAbsolute(x, y) => rd.call(
                        "NotifyPointerMotionAbsolute",
                        &(m.stream_path.as_str(), x, y),
                    ),
                    InputCall::Button(b, down) => rd.call("NotifyPointerButton", &(b, down)),
                    InputCall::Axis(dx, dy, flags) => {
                        rd.call("NotifyPointerAxis", &(dx, dy, flags))
                    }
                    InputCall::AxisDiscrete(axis, steps) => {
                        rd.call("NotifyPointerAxisDiscrete", &(axis, steps))
                    }
                    InputCall::Keycode(k, down) => rd.call("NotifyKeyboardKeycode", &(k, down)),
                    InputCall::Keysym(k, down) => rd.call("NotifyKeyboardKeysym", &(k, down)),
                }
            }
            Link::Portal(p) => p.input(self.node_id, event),
        }
    }
}

/// One input call, in the units both APIs share (evdev codes, keysyms, stream pixels).
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum InputCall {
    /// Pointer to (x, y) in the stream's logical pixels.
    MotionAbsolute(f64, f64),
    /// evdev `BTN_*`, pressed.
    Button(i32, bool),
    /// Smooth scroll (dx, dy) in pixels, with `NotifyPointerAxis` flags.
    Axis(f64, f64, u32),
    /// Wheel clicks on an axis (0 vertical, 1 horizontal).
    AxisDiscrete(u32, i32),
    /// evdev `KEY_*`, pressed.
    Keycode(u32, bool),
    /// X keysym, pressed.
    Keysym(u32, bool),
}

impl Drop for WaylandSession {
    fn drop(&mut self) {
        match &self.link {
            // Mutter would stop it when the connection closes anyway; saying so is quicker.
            Link::Mutter(m) => {
                if let Err(e) = m.rd_session.call_method("Stop", &()) {
                    tracing::debug!("RemoteDesktop.Session.Stop: {e}");
                }
            }
            // `PortalLink`'s own drop closes the portal session.
            Link::Portal(_) => {}
        }
    }
}

/// `DisplayConfig.GetCurrentState` monitors: `((connector, vendor, product, serial), modes,
/// properties)`, modes `(id, width, height, refresh, preferred scale, scales, properties)`.
type DcMonitor = (
    (String, String, String, String),
    Vec<(
        String,
        i32,
        i32,
        f64,
        f64,
        Vec<f64>,
        HashMap<String, OwnedValue>,
    )>,
    HashMap<String, OwnedValue>,
);
/// Logical monitors: `(x, y, scale, transform, primary, monitors, properties)`.
type DcLogical = (
    i32,
    i32,
    f64,
    u32,
    bool,
    Vec<(String, String, String, String)>,
    HashMap<String, OwnedValue>,
);

/// The active monitors Mutter reports on `config`'s bus (for `glass displays`).
pub fn displays(config: &MutterConfig) -> Result<Vec<DisplayInfo>, CaptureError> {
    let conn = connect(config)?;
    let stats = WaylandStats::default();
    Ok(current_monitors(&conn, &stats)?
        .into_iter()
        .map(|m| DisplayInfo {
            backend: "wayland",
            id: m.connector,
            name: m.name,
            x: m.x,
            y: m.y,
            width: m.width,
            height: m.height,
            primary: m.primary,
        })
        .collect())
}

fn connect(config: &MutterConfig) -> Result<Connection, CaptureError> {
    connect_bus(config.bus_address.as_deref())
}

/// The bus at `address`, else the session bus.
fn connect_bus(address: Option<&str>) -> Result<Connection, CaptureError> {
    match address {
        Some(a) => zbus::blocking::connection::Builder::address(a)
            .and_then(|b| b.build())
            .map_err(|e| CaptureError::Connect(format!("D-Bus at {a}: {e}"))),
        None => Connection::session()
            .map_err(|e| CaptureError::Connect(format!("D-Bus session bus: {e}"))),
    }
}

/// The monitor to record: `want`, else the primary one, else the first.
fn pick_monitor(
    conn: &Connection,
    want: Option<&str>,
    stats: &WaylandStats,
) -> Result<MutterMonitor, CaptureError> {
    let list = current_monitors(conn, stats)?;
    let found = match want {
        Some(w) => list.iter().find(|m| m.connector == w),
        None => list.iter().find(|m| m.primary).or(list.first()),
    };
    found.cloned().ok_or_else(|| {
        let names: Vec<&str> = list.iter().map(|m| m.connector.as_str()).collect();
        CaptureError::NoSuchDisplay(match want {
            Some(w) => format!("no Mutter monitor {w:?} (monitors: {})", names.join(", ")),
            None => "Mutter reports no active monitor".into(),
        })
    })
}

/// `DisplayConfig.GetCurrentState`'s active monitors.
fn current_monitors(
    conn: &Connection,
    stats: &WaylandStats,
) -> Result<Vec<MutterMonitor>, CaptureError> {
    let dc = proxy(
        conn,
        DC_NAME,
        ObjectPath::from_static_str_unchecked(DC_PATH),
        DC_NAME,
    )?;
    let reply = dc
        .call_method("GetCurrentState", &())
        .map_err(dbus_err("DisplayConfig.GetCurrentState"))?;
    let (_serial, monitors, logical, _props): (
        u32,
        Vec<DcMonitor>,
        Vec<DcLogical>,
        HashMap<String, OwnedValue>,
    ) = reply.body().deserialize().map_err(|e| {
        WaylandStats::count(&stats.malformed_replies);
        CaptureError::Backend(format!("DisplayConfig.GetCurrentState reply: {e}"))
    })?;
    Ok(monitors_from_state(&monitors, &logical))
}

/// The active monitors (those in a logical monitor, with a current mode).
fn monitors_from_state(monitors: &[DcMonitor], logical: &[DcLogical]) -> Vec<MutterMonitor> {
    let mut out = Vec::new();
    for (x, y, scale, _transform, primary, members, _) in logical {
        for member in members {
            let Some((spec, modes, props)) = monitors.iter().find(|(s, _, _)| s == member) else {
                continue;
            };
            let current = modes.iter().find(|m| {
                m.6.get("is-current")
                    .and_then(|v| bool::try_from(v).ok())
                    .unwrap_or(false)
            });
            let Some((_, w, h, ..)) = current else {
                continue;
            };
            let (Ok(width), Ok(height)) = (u32::try_from(*w), u32::try_from(*h)) else {
                continue;
            };
            let name = props
                .get("display-name")
                .and_then(|v| String::try_from(v.try_clone().ok()?).ok())
                .unwrap_or_else(|| format!("{} {}", spec.1, spec.2));
            out.push(MutterMonitor {
                connector: spec.0.clone(),
                name,
                x: *x,
                y: *y,
                width,
                height,
                scale: *scale,
                primary: *primary,
            });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mode(w: i32, h: i32, current: bool) -> DcMonitor {
        let mut props = HashMap::new();
        props.insert("is-current".to_string(), OwnedValue::from(current));
        (
            (
                "Meta-0".into(),
                "MetaVendor".into(),
                "Virtual".into(),
                "0x00".into(),
            ),
            vec![("m".into(), w, h, 60.0, 1.0, vec![1.0], props)],
            HashMap::new(),
        )
    }

    #[test]
    fn active_monitors_come_from_logical_monitors_with_a_current_mode() {
        let monitors = vec![mode(640, 480, true)];
        let spec = monitors[0].0.clone();
        let logical = vec![(10, 20, 2.0, 0, true, vec![spec.clone()], HashMap::new())];
        let list = monitors_from_state(&monitors, &logical);
        assert_eq!(list.len(), 1);
        let m = &list[0];
        assert_eq!((m.connector.as_str(), m.x, m.y), ("Meta-0", 10, 20));
        assert_eq!((m.width, m.height, m.primary), (640, 480, true));
        assert_eq!(m.logical_size(), (320, 240));
        // No current mode, a negative size, an unknown member: skipped, not a panic.
        assert!(monitors_from_state(&[mode(640, 480, false)], &logical).is_empty());
        assert!(monitors_from_state(&[mode(-1, 480, true)], &logical).is_empty());
        let stranger = vec![(
            0,
            0,
            1.0,
            0,
            true,
            vec![("X".into(), "".into(), "".into(), "".into())],
            HashMap::new(),
        )];
        assert!(monitors_from_state(&monitors, &stranger).is_empty());
    }

    #[test]
    fn a_bad_scale_counts_as_one() {
        let m = MutterMonitor {
            connector: "A".into(),
            name: "A".into(),
            x: 0,
            y: 0,
            width: 100,
            height: 50,
            scale: f64::NAN,
            primary: true,
        };
        assert_eq!(m.logical_size(), (100, 50));
    }
}
