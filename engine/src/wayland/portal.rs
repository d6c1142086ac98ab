//! `wayland:portal`: capture and input through xdg-desktop-portal's `RemoteDesktop` and
//! `ScreenCast` interfaces, for compositors without Mutter's private API (KDE, wlroots, and
//! GNOME when the sharer should see a consent dialog).
//!
//! # One session, one consent
//! A remote-desktop session of the portal carries both the picture and the input, so the
//! capturer, the injector and the pointer source share it through the same registry as
//! Mutter's ([`super::WaylandSession::shared_portal`]):
//!
//! `RemoteDesktop.CreateSession` → `RemoteDesktop.SelectDevices(keyboard | pointer)` →
//! `ScreenCast.SelectSources(monitor, one, cursor metadata when offered)` →
//! `RemoteDesktop.Start` (the portal's dialog) → the `streams` of its response (PipeWire
//! node, size, position) → `ScreenCast.OpenPipeWireRemote` (an fd the capturer's PipeWire
//! connection runs on) and `RemoteDesktop.NotifyPointerMotionAbsolute` etc. for input.
//!
//! Every call but `CreateSession`'s method reply answers through a `Request` object's
//! `Response(u32 code, a{sv} results)` signal: code 0 success, 1 the user cancelled, 2 the
//! interaction ended otherwise. This module subscribes to the request's path (computed from
//! the `handle_token` it sends) before calling, and waits with a timeout: a dialog nobody
//! answers is an error, never a hang; a cancelled dialog is [`CaptureError::Permission`]
//! ("the sharer declined in the system dialog").
//!
//! # The restore token
//! A portal whose `RemoteDesktop` interface has version 2 or later can persist the grant:
//! `SelectDevices` asks for `persist_mode` 2 (until revoked) and passes the token of the last
//! session, and `Start`'s response carries a new one. The token is a credential (whoever has
//! it can take control without a dialog): it is kept only in
//! `$XDG_STATE_HOME/glass/portal-restore-token` (mode 0600, replaced atomically), never
//! logged, and redacted in [`RestoreToken`]'s `Debug`. A token is good for one session: after
//! each `Start` the file holds the new token, or is removed when the portal gave none (it
//! rejected the old one, or the sharer declined). `glass share --forget-portal-token` removes
//! it.
//!
//! Persistence goes in `SelectDevices`, not `SelectSources`: the portal refuses
//! `persist_mode` in `ScreenCast.SelectSources` on a remote-desktop session ("Remote desktop
//! sessions cannot persist"); a remote-desktop token covers the screen-cast part too. Portals
//! with `RemoteDesktop` version 1 (xdg-desktop-portal before 1.17, Debian 12's 1.16) cannot
//! persist at all: every share shows the dialog.
#![forbid(unsafe_code)]

use std::collections::HashMap;
use std::io::{Read, Write};
use std::os::fd::OwnedFd;
use std::os::unix::fs::{DirBuilderExt, OpenOptionsExt};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use futures_lite::StreamExt;
use zbus::blocking::{Connection, Proxy};
use zbus::zvariant::{ObjectPath, OwnedObjectPath, OwnedValue, Value};

use super::{InputCall, MutterMonitor, WaylandStats, connect_bus, dbus_err, proxy};
use crate::error::CaptureError;

const PORTAL_NAME: &str = "org.freedesktop.portal.Desktop";
const PORTAL_PATH: &str = "/org/freedesktop/portal/desktop";
const RD_IFACE: &str = "org.freedesktop.portal.RemoteDesktop";
const SC_IFACE: &str = "org.freedesktop.portal.ScreenCast";
const REQUEST_IFACE: &str = "org.freedesktop.portal.Request";
const SESSION_IFACE: &str = "org.freedesktop.portal.Session";

/// `SelectDevices` `types`: keyboard, pointer.
pub const DEVICE_KEYBOARD: u32 = 1;
/// See [`DEVICE_KEYBOARD`].
pub const DEVICE_POINTER: u32 = 2;
/// `SelectSources` `types`: a monitor.
pub const SOURCE_MONITOR: u32 = 1;
/// `cursor_mode` bits of `AvailableCursorModes`.
pub const CURSOR_HIDDEN: u32 = 1;
/// See [`CURSOR_HIDDEN`].
pub const CURSOR_EMBEDDED: u32 = 2;
/// See [`CURSOR_HIDDEN`].
pub const CURSOR_METADATA: u32 = 4;
/// `persist_mode`: until the user revokes it.
pub const PERSIST_UNTIL_REVOKED: u32 = 2;
/// The `RemoteDesktop` version that added `persist_mode` and `restore_token`.
const RD_PERSIST_VERSION: u32 = 2;

/// How long a request that shows no dialog may take.
const CALL_TIMEOUT: Duration = Duration::from_secs(30);
/// How long the sharer has to answer the portal's dialog by default.
pub const DEFAULT_DIALOG_TIMEOUT: Duration = Duration::from_secs(180);
/// Largest restore-token file read (a token is a 36-character UUID).
const MAX_TOKEN_FILE: u64 = 1024;

/// Where to find the portal and keep its restore token.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct PortalConfig {
    /// D-Bus address of the session bus the portal is on (`None`: the session bus).
    pub bus_address: Option<String>,
    /// The restore-token file (`None`: [`default_token_path`]).
    pub token_file: Option<PathBuf>,
    /// How long the sharer has to answer the portal's dialog.
    pub dialog_timeout: Duration,
}

impl Default for PortalConfig {
    fn default() -> Self {
        PortalConfig {
            bus_address: None,
            token_file: None,
            dialog_timeout: DEFAULT_DIALOG_TIMEOUT,
        }
    }
}

impl PortalConfig {
    /// The token file this config names, else the default one (`None`: no `$XDG_STATE_HOME`
    /// and no `$HOME`, so no token is kept).
    pub fn token_path(&self) -> Option<PathBuf> {
        self.token_file.clone().or_else(default_token_path)
    }
}

/// A portal restore token: a credential, so its `Debug` does not show it.
#[derive(Clone, PartialEq, Eq)]
pub struct RestoreToken(String);

impl std::fmt::Debug for RestoreToken {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("RestoreToken(<redacted>)")
    }
}

impl RestoreToken {
    /// A token as xdg-desktop-portal mints them (a UUID in its 36-character text form; the
    /// portal refuses anything else), `None` otherwise.
    pub fn parse(s: &str) -> Option<RestoreToken> {
        let b = s.as_bytes();
        let ok = b.len() == 36
            && b.iter().enumerate().all(|(i, c)| match i {
                8 | 13 | 18 | 23 => *c == b'-',
                _ => c.is_ascii_hexdigit(),
            });
        ok.then(|| RestoreToken(s.to_string()))
    }

    /// The token, for the portal only.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

/// `$XDG_STATE_HOME/glass/portal-restore-token` (`$HOME/.local/state` when
/// `XDG_STATE_HOME` is unset or relative, as the XDG spec says).
pub fn default_token_path() -> Option<PathBuf> {
    let state = std::env::var_os("XDG_STATE_HOME")
        .map(PathBuf::from)
        .filter(|p| p.is_absolute())
        .or_else(|| {
            std::env::var_os("HOME")
                .map(PathBuf::from)
                .filter(|p| p.is_absolute())
                .map(|h| h.join(".local/state"))
        })?;
    Some(state.join("glass").join("portal-restore-token"))
}

/// The token stored at `path`; `None` when there is none or the file does not hold one
/// (not a regular file, too long, not a token: then it is ignored, not an error).
pub fn read_token(path: &Path) -> Option<RestoreToken> {
    let file = std::fs::File::open(path).ok()?;
    let meta = file.metadata().ok()?;
    if !meta.is_file() || meta.len() > MAX_TOKEN_FILE {
        return None;
    }
    let mut s = String::new();
    file.take(MAX_TOKEN_FILE).read_to_string(&mut s).ok()?;
    RestoreToken::parse(s.trim())
}

/// Stores `token` at `path`: written to a temporary file (mode 0600) beside it, flushed and
/// renamed over it, so a reader sees the old token or the new one, never half of one. The
/// directory is made (mode 0700) when missing.
pub fn store_token(path: &Path, token: &RestoreToken) -> std::io::Result<()> {
    let dir = path
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    std::fs::DirBuilder::new()
        .recursive(true)
        .mode(0o700)
        .create(dir)?;
    let name = path
        .file_name()
        .ok_or_else(|| std::io::Error::other("the token path names no file"))?;
    let mut tmp_name = std::ffi::OsString::from(".");
    tmp_name.push(name);
    tmp_name.push(format!(".{}.tmp", std::process::id()));
    let tmp = dir.join(tmp_name);
    let write = || -> std::io::Result<()> {
        let mut f = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .mode(0o600)
            .open(&tmp)?;
        f.write_all(token.0.as_bytes())?;
        f.write_all(b"\n")?;
        f.sync_all()?;
        std::fs::rename(&tmp, path)
    };
    let _ = std::fs::remove_file(&tmp); // left over by a crash of this pid's predecessor
    write().inspect_err(|_| {
        let _ = std::fs::remove_file(&tmp);
    })
}

/// Removes the token at `path`; `true` if there was one.
pub fn forget_token(path: &Path) -> std::io::Result<bool> {
    match std::fs::remove_file(path) {
        Ok(()) => Ok(true),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(false),
        Err(e) => Err(e),
    }
}

/// The `a{sv}` results of a `Response`.
pub type Results = HashMap<String, OwnedValue>;

/// Turns a `Response`'s code into the results or the error a user understands.
pub fn response_result(what: &str, code: u32, results: Results) -> Result<Results, CaptureError> {
    match code {
        0 => Ok(results),
        1 => Err(CaptureError::Permission(format!(
            "the sharer declined in the system dialog ({what} was cancelled)"
        ))),
        2 => Err(CaptureError::Permission(format!(
            "the portal ended {what} without an answer (the dialog was closed, or the portal \
             refused)"
        ))),
        other => Err(CaptureError::Backend(format!(
            "{what}: the portal answered with unknown response code {other}"
        ))),
    }
}

/// The `session_handle` of `CreateSession`'s results (a string in the portal's docs, an
/// object path in some implementations: both are taken).
pub fn session_handle(results: &Results) -> Result<OwnedObjectPath, CaptureError> {
    let v = results.get("session_handle").ok_or_else(|| {
        CaptureError::Backend("CreateSession's response has no session_handle".into())
    })?;
    let path = match &**v {
        Value::Str(s) => ObjectPath::try_from(s.as_str())
            .map(|p| OwnedObjectPath::from(p.into_owned()))
            .ok(),
        Value::ObjectPath(p) => Some(OwnedObjectPath::from(p.to_owned())),
        _ => None,
    };
    path.ok_or_else(|| {
        CaptureError::Backend(format!(
            "CreateSession's session_handle is not an object path: {v:?}"
        ))
    })
}

/// One stream of `Start`'s response.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PortalStream {
    /// The PipeWire node.
    pub node_id: u32,
    /// Its position in the compositor's logical space, when given.
    pub position: Option<(i32, i32)>,
    /// Its size in logical pixels (the coordinate space of pointer events), when given.
    pub size: Option<(i32, i32)>,
    /// The stream's id (for restoring), when given.
    pub id: Option<String>,
}

/// The `streams` (`a(ua{sv})`) of `Start`'s results. Properties of the wrong type are left
/// out; a `streams` of the wrong type is an error.
pub fn parse_streams(results: &Results) -> Result<Vec<PortalStream>, CaptureError> {
    let Some(v) = results.get("streams") else {
        return Ok(Vec::new());
    };
    let v = v
        .try_clone()
        .map_err(|e| CaptureError::Backend(format!("Start's streams: {e}")))?;
    let list = <Vec<(u32, HashMap<String, OwnedValue>)>>::try_from(v)
        .map_err(|e| CaptureError::Backend(format!("Start's streams are not a(ua{{sv}}): {e}")))?;
    let pair = |props: &HashMap<String, OwnedValue>, key: &str| {
        props
            .get(key)
            .and_then(|v| <(i32, i32)>::try_from(v.try_clone().ok()?).ok())
    };
    Ok(list
        .into_iter()
        .map(|(node_id, props)| PortalStream {
            node_id,
            position: pair(&props, "position"),
            size: pair(&props, "size"),
            id: props
                .get("id")
                .and_then(|v| String::try_from(v.try_clone().ok()?).ok()),
        })
        .collect())
}

/// The `restore_token` of `Start`'s results, when it is one.
pub fn restore_token(results: &Results) -> Option<RestoreToken> {
    let v = results.get("restore_token")?;
    match &**v {
        Value::Str(s) => RestoreToken::parse(s.as_str()),
        _ => None,
    }
}

/// The cursor mode asked for: metadata (the pointer stays out of the picture and its
/// position and image come with each buffer, as with Mutter), else embedded, else hidden.
pub fn cursor_mode(available: u32) -> u32 {
    [CURSOR_METADATA, CURSOR_EMBEDDED, CURSOR_HIDDEN]
        .into_iter()
        .find(|m| available & m != 0)
        .unwrap_or(CURSOR_HIDDEN)
}

/// Options of `RemoteDesktop.SelectDevices`: keyboard and pointer; with `persist`, until
/// revoked, restoring `restore` when there is one.
pub fn select_devices_options<'a>(
    handle_token: &'a str,
    persist: bool,
    restore: Option<&'a RestoreToken>,
) -> HashMap<&'static str, Value<'a>> {
    let mut o = HashMap::new();
    o.insert("handle_token", Value::from(handle_token));
    o.insert("types", Value::from(DEVICE_KEYBOARD | DEVICE_POINTER));
    if persist {
        o.insert("persist_mode", Value::from(PERSIST_UNTIL_REVOKED));
        if let Some(t) = restore {
            o.insert("restore_token", Value::from(t.0.as_str()));
        }
    }
    o
}

/// Options of `ScreenCast.SelectSources`: one monitor, with `cursor_mode` when the portal
/// said which it offers. No `persist_mode`: on a remote-desktop session that belongs to
/// `SelectDevices`.
pub fn select_sources_options(
    handle_token: &str,
    cursor: Option<u32>,
) -> HashMap<&'static str, Value<'_>> {
    let mut o = HashMap::new();
    o.insert("handle_token", Value::from(handle_token));
    o.insert("types", Value::from(SOURCE_MONITOR));
    o.insert("multiple", Value::from(false));
    if let Some(c) = cursor {
        o.insert("cursor_mode", Value::from(c));
    }
    o
}

/// The path of the `Request` a call with `handle_token` makes, for the connection named
/// `unique_name` (`:1.42` → `…/request/1_42/TOKEN`).
pub fn request_path(unique_name: &str, handle_token: &str) -> String {
    let sender = unique_name.trim_start_matches(':').replace('.', "_");
    format!("{PORTAL_PATH}/request/{sender}/{handle_token}")
}

/// A fresh `handle_token` (letters, digits and `_` only, as object paths need).
fn next_token() -> String {
    static NEXT: AtomicU64 = AtomicU64::new(0);
    format!(
        "glass{}_{}",
        std::process::id(),
        NEXT.fetch_add(1, Ordering::Relaxed)
    )
}

/// One portal remote-desktop session: the D-Bus connection (the portal closes the session
/// when it goes) and the session's handle.
pub(crate) struct PortalLink {
    conn: Connection,
    rd: Proxy<'static>,
    sc: Proxy<'static>,
    session: OwnedObjectPath,
    /// The portal can remember the grant (`RemoteDesktop` version 2 or later).
    persists: bool,
}

impl PortalLink {
    pub(crate) fn session_path(&self) -> &str {
        self.session.as_str()
    }

    pub(crate) fn persists(&self) -> bool {
        self.persists
    }

    /// Runs the start-up dance (see the [module docs](self)); returns the link, the
    /// stream's PipeWire node and the "monitor" it shows.
    pub(crate) fn open(
        config: &PortalConfig,
        stats: &WaylandStats,
    ) -> Result<(PortalLink, u32, MutterMonitor), CaptureError> {
        let conn = connect_bus(config.bus_address.as_deref()).map_err(|e| match e {
            CaptureError::Connect(m) => CaptureError::Connect(format!("xdg-desktop-portal: {m}")),
            other => other,
        })?;
        let portal_path = ObjectPath::from_static_str_unchecked(PORTAL_PATH);
        let rd = proxy(&conn, PORTAL_NAME, portal_path.clone(), RD_IFACE)?;
        let sc = proxy(&conn, PORTAL_NAME, portal_path, SC_IFACE)?;
        let rd_version: u32 = rd.get_property("version").map_err(|e| {
            CaptureError::Connect(format!(
                "no xdg-desktop-portal RemoteDesktop interface on this bus (is \
                 xdg-desktop-portal running, with a backend for this desktop?): {e}"
            ))
        })?;
        let cursor = match sc.get_property::<u32>("AvailableCursorModes") {
            Ok(m) => Some(cursor_mode(m)),
            Err(e) => {
                WaylandStats::count(&stats.malformed_replies);
                tracing::warn!("ScreenCast.AvailableCursorModes: {e}");
                None
            }
        };
        let unique = conn
            .unique_name()
            .map(|n| n.to_string())
            .ok_or_else(|| CaptureError::Connect("the D-Bus connection has no name".into()))?;
        let requests = Requests {
            conn: &conn,
            unique: &unique,
            stats,
        };

        let token = next_token();
        let mut opts: HashMap<&str, Value<'_>> = HashMap::new();
        opts.insert("handle_token", Value::from(token.as_str()));
        opts.insert("session_handle_token", Value::from(token.as_str()));
        let created = requests.call(
            &rd,
            "RemoteDesktop.CreateSession",
            &token,
            &(opts,),
            CALL_TIMEOUT,
        )?;
        let session = session_handle(&created).inspect_err(|_| {
            WaylandStats::count(&stats.malformed_replies);
        })?;
        let persist = rd_version >= RD_PERSIST_VERSION;
        let link = PortalLink {
            conn: conn.clone(),
            rd,
            sc,
            session,
            persists: persist,
        };
        // From here on a failure closes the session (dropping `link` does).
        let token_path = config.token_path().filter(|_| persist);
        let restore = token_path.as_deref().and_then(read_token);
        if !persist {
            tracing::info!(
                rd_version,
                "this portal cannot remember the grant (RemoteDesktop version < 2): it asks every time"
            );
        }
        let select_devices = |restore: Option<&RestoreToken>| {
            let token = next_token();
            let opts = select_devices_options(&token, persist, restore);
            requests.call(
                &link.rd,
                "RemoteDesktop.SelectDevices",
                &token,
                &(&link.session, opts),
                CALL_TIMEOUT,
            )
        };
        let mut used_token = restore.is_some();
        if let Err(e) = select_devices(restore.as_ref()) {
            // A token the portal refuses outright: forget it and ask again without.
            if restore.is_none() {
                return Err(e);
            }
            tracing::info!("the portal refused the stored restore token; asking without it");
            forget(token_path.as_deref());
            used_token = false;
            select_devices(None)?;
        }
        let token = next_token();
        requests.call(
            &link.sc,
            "ScreenCast.SelectSources",
            &token,
            &(&link.session, select_sources_options(&token, cursor)),
            CALL_TIMEOUT,
        )?;
        let token = next_token();
        let mut opts: HashMap<&str, Value<'_>> = HashMap::new();
        opts.insert("handle_token", Value::from(token.as_str()));
        let started = requests.call(
            &link.rd,
            "RemoteDesktop.Start",
            &token,
            &(&link.session, "", opts),
            config.dialog_timeout,
        );
        // A token is good for one session: keep the new one, or none.
        if let Some(path) = &token_path {
            match started.as_ref().ok().and_then(restore_token) {
                Some(new) => match store_token(path, &new) {
                    Ok(()) => tracing::info!(
                        path = %path.display(),
                        "stored the portal's restore token (the next share needs no dialog)"
                    ),
                    Err(e) => tracing::warn!(
                        path = %path.display(),
                        "cannot store the portal's restore token: {e}"
                    ),
                },
                None if used_token || started.is_ok() => forget(Some(path)),
                None => {}
            }
        }
        let started = started?;
        let devices = started
            .get("devices")
            .and_then(|v| u32::try_from(v).ok())
            .unwrap_or(0);
        if devices & DEVICE_POINTER == 0 || devices & DEVICE_KEYBOARD == 0 {
            tracing::warn!(
                devices,
                "the portal granted not both pointer and keyboard: some input will fail"
            );
        }
        let streams = parse_streams(&started).inspect_err(|_| {
            WaylandStats::count(&stats.malformed_replies);
        })?;
        let Some(stream) = streams.into_iter().next() else {
            return Err(CaptureError::Backend(
                "the portal started no screen-cast stream".into(),
            ));
        };
        let Some((w, h)) = stream
            .size
            .and_then(|(w, h)| Some((u32::try_from(w).ok()?, u32::try_from(h).ok()?)))
            .filter(|&(w, h)| w > 0 && h > 0 && w <= 16384 && h <= 16384)
        else {
            WaylandStats::count(&stats.malformed_replies);
            return Err(CaptureError::Backend(format!(
                "the portal's stream has no usable size: {:?}",
                stream.size
            )));
        };
        let (x, y) = stream.position.unwrap_or((0, 0));
        let monitor = MutterMonitor {
            connector: stream
                .id
                .clone()
                .unwrap_or_else(|| format!("portal-{}", stream.node_id)),
            name: "the monitor picked in the portal's dialog".into(),
            x,
            y,
            width: w,
            height: h,
            scale: 1.0,
            primary: true,
        };
        tracing::info!(
            session = link.session.as_str(),
            node_id = stream.node_id,
            width = w,
            height = h,
            devices,
            "portal remote-desktop session started"
        );
        Ok((link, stream.node_id, monitor))
    }

    /// `ScreenCast.OpenPipeWireRemote`: a PipeWire connection that sees this session's
    /// stream.
    pub(crate) fn open_pipewire_remote(
        &self,
        stats: &WaylandStats,
    ) -> Result<OwnedFd, CaptureError> {
        let opts: HashMap<&str, Value<'_>> = HashMap::new();
        let reply = self
            .sc
            .call_method("OpenPipeWireRemote", &(&self.session, opts))
            .map_err(dbus_err("ScreenCast.OpenPipeWireRemote"))?;
        let fd: zbus::zvariant::OwnedFd = reply.body().deserialize().map_err(|e| {
            WaylandStats::count(&stats.malformed_replies);
            CaptureError::Backend(format!("ScreenCast.OpenPipeWireRemote reply: {e}"))
        })?;
        Ok(fd.into())
    }

    /// One input event on the session (the portal's `Notify*`, with the session handle and
    /// empty options first).
    pub(crate) fn input(&self, node_id: u32, event: InputCall) -> Result<(), zbus::Error> {
        let s = &self.session;
        let o: HashMap<&str, Value<'_>> = HashMap::new();
        let int = |v: u32| {
            i32::try_from(v).map_err(|_| zbus::Error::Failure(format!("{v} is out of range")))
        };
        let rd = &self.rd;
        match event {
            InputCall::MotionAbsolute(x, y) => {
                rd.call("NotifyPointerMotionAbsolute", &(s, o, node_id, x, y))
            }
            InputCall::Button(b, down) => {
                rd.call("NotifyPointerButton", &(s, o, b, u32::from(down)))
            }
            InputCall::Axis(dx, dy, _flags) => rd.call("NotifyPointerAxis", &(s, o, dx, dy)),
            InputCall::AxisDiscrete(axis, steps) => {
                rd.call("NotifyPointerAxisDiscrete", &(s, o, axis, steps))
            }
            InputCall::Keycode(k, down) => {
                rd.call("NotifyKeyboardKeycode", &(s, o, int(k)?, u32::from(down)))
            }
            InputCall::Keysym(k, down) => {
                rd.call("NotifyKeyboardKeysym", &(s, o, int(k)?, u32::from(down)))
            }
        }
    }

    /// `Session.Close` (the portal would close it when the connection goes anyway).
    pub(crate) fn close(&self) {
        if let Err(e) = self.conn.call_method(
            Some(PORTAL_NAME),
            self.session.as_str(),
            Some(SESSION_IFACE),
            "Close",
            &(),
        ) {
            tracing::debug!("portal Session.Close: {e}");
        }
    }
}

impl Drop for PortalLink {
    fn drop(&mut self) {
        // Only a half-made session is dropped on its own (a started one is closed by its
        // `WaylandSession`); closing twice is harmless.
        self.close();
    }
}

fn forget(path: Option<&Path>) {
    if let Some(p) = path {
        match forget_token(p) {
            Ok(true) => tracing::info!(path = %p.display(), "removed the spent restore token"),
            Ok(false) => {}
            Err(e) => tracing::warn!(path = %p.display(), "cannot remove the restore token: {e}"),
        }
    }
}

/// Portal calls that answer through a `Request`.
struct Requests<'a> {
    conn: &'a Connection,
    unique: &'a str,
    stats: &'a WaylandStats,
}

impl Requests<'_> {
    /// Calls `method` (whose options carry `handle_token`) and waits up to `timeout` for its
    /// `Response`, subscribed to before the call so it cannot be missed.
    fn call<B>(
        &self,
        on: &Proxy<'static>,
        what: &str,
        handle_token: &str,
        body: &B,
        timeout: Duration,
    ) -> Result<Results, CaptureError>
    where
        B: serde::ser::Serialize + zbus::zvariant::DynamicType,
    {
        let method = what.rsplit('.').next().unwrap_or(what);
        let expected = request_path(self.unique, handle_token);
        let subscribe = |path: &str| -> Result<zbus::proxy::SignalStream<'static>, CaptureError> {
            let path = ObjectPath::try_from(path.to_string())
                .map_err(|e| CaptureError::Backend(format!("{what}: request path: {e}")))?;
            let req = proxy(self.conn, PORTAL_NAME, path, REQUEST_IFACE)?;
            async_io::block_on(req.inner().receive_signal("Response"))
                .map_err(dbus_err("subscribe to Request.Response"))
        };
        let mut responses = subscribe(&expected)?;
        let handle: OwnedObjectPath = on.call(method, body).map_err(dbus_err(what))?;
        if handle.as_str() != expected {
            // A portal older than 0.9 picks its own path (a response sent before this
            // subscription would be lost; such portals are gone from maintained systems).
            responses = subscribe(handle.as_str())?;
        }
        let answer = async_io::block_on(futures_lite::future::or(
            async { responses.next().await.map(Some) },
            async {
                async_io::Timer::after(timeout).await;
                Some(None)
            },
        ));
        let msg = match answer {
            Some(Some(m)) => m,
            Some(None) => {
                let _ = self.conn.call_method(
                    Some(PORTAL_NAME),
                    handle.as_str(),
                    Some(REQUEST_IFACE),
                    "Close",
                    &(),
                );
                return Err(CaptureError::Permission(format!(
                    "{what}: no answer from the portal within {timeout:?} (nobody answered \
                     the system dialog?)"
                )));
            }
            None => {
                return Err(CaptureError::Backend(format!(
                    "{what}: the D-Bus connection closed before the portal answered"
                )));
            }
        };
        let (code, results): (u32, Results) = msg.body().deserialize().map_err(|e| {
            WaylandStats::count(&self.stats.malformed_replies);
            CaptureError::Backend(format!("{what}: malformed Response: {e}"))
        })?;
        response_result(what, code, results)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::os::unix::fs::PermissionsExt;

    const UUID: &str = "0f8fad5b-d9cb-469f-a165-70867728950e";

    #[test]
    fn tokens_are_uuids_and_never_shown() {
        let t = RestoreToken::parse(UUID).unwrap();
        assert_eq!(t.expose(), UUID);
        assert_eq!(format!("{t:?}"), "RestoreToken(<redacted>)");
        for bad in [
            "",
            "x",
            "0f8fad5b-d9cb-469f-a165-70867728950",
            "0f8fad5b-d9cb-469f-a165-70867728950e0",
            "0f8fad5bxd9cb-469f-a165-70867728950e",
            "0f8fad5b-d9cb-469f-a165-70867728950g",
            "0f8fad5b-d9cb-469f-a165-70867728950\u{e9}",
        ] {
            assert!(RestoreToken::parse(bad).is_none(), "{bad:?}");
        }
    }

    #[test]
    fn the_token_file_is_private_and_replaced_whole() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("state/glass/portal-restore-token");
        assert_eq!(read_token(&path), None);
        let a = RestoreToken::parse(UUID).unwrap();
        store_token(&path, &a).unwrap();
        assert_eq!(read_token(&path), Some(a));
        let mode = std::fs::metadata(&path).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
        let dir_mode = std::fs::metadata(path.parent().unwrap())
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(dir_mode & 0o777, 0o700);
        let b = RestoreToken::parse("11111111-2222-3333-4444-555555555555").unwrap();
        store_token(&path, &b).unwrap();
        assert_eq!(read_token(&path), Some(b));
        // Only the token file is left in the directory (no temporary files).
        let names: Vec<_> = std::fs::read_dir(path.parent().unwrap())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(
            names,
            vec![std::ffi::OsString::from("portal-restore-token")]
        );
        assert!(forget_token(&path).unwrap());
        assert!(!forget_token(&path).unwrap());
        assert_eq!(read_token(&path), None);
        // Garbage, a huge file or a directory is no token (and no panic).
        std::fs::write(&path, "not a token").unwrap();
        assert_eq!(read_token(&path), None);
        std::fs::write(&path, vec![b'a'; 4096]).unwrap();
        assert_eq!(read_token(&path), None);
        std::fs::remove_file(&path).unwrap();
        std::fs::create_dir(&path).unwrap();
        assert_eq!(read_token(&path), None);
    }

    #[test]
    fn the_default_token_path_follows_xdg() {
        // Read-only use of the environment: whatever it holds, the path ends the same way.
        if let Some(p) = default_token_path() {
            assert!(p.is_absolute());
            assert!(p.ends_with("glass/portal-restore-token"));
        }
        let c = PortalConfig {
            token_file: Some("/x/t".into()),
            ..PortalConfig::default()
        };
        assert_eq!(c.token_path(), Some(PathBuf::from("/x/t")));
    }

    fn results(pairs: Vec<(&str, Value<'static>)>) -> Results {
        pairs
            .into_iter()
            .map(|(k, v)| (k.to_string(), OwnedValue::try_from(v).unwrap()))
            .collect()
    }

    #[test]
    fn response_codes_become_what_a_user_understands() {
        assert!(response_result("Start", 0, Results::new()).is_ok());
        let e = response_result("RemoteDesktop.Start", 1, Results::new()).unwrap_err();
        assert!(matches!(e, CaptureError::Permission(_)), "{e}");
        assert!(
            e.to_string().contains("declined in the system dialog"),
            "{e}"
        );
        let e = response_result("RemoteDesktop.Start", 2, Results::new()).unwrap_err();
        assert!(matches!(e, CaptureError::Permission(_)), "{e}");
        let e = response_result("RemoteDesktop.Start", 7, Results::new()).unwrap_err();
        assert!(e.to_string().contains("unknown response code 7"), "{e}");
    }

    #[test]
    fn session_handles_come_as_strings_or_paths() {
        let p = "/org/freedesktop/portal/desktop/session/1_2/glass1_0";
        let s = session_handle(&results(vec![("session_handle", Value::from(p))])).unwrap();
        assert_eq!(s.as_str(), p);
        let op = ObjectPath::try_from(p).unwrap();
        let s = session_handle(&results(vec![("session_handle", Value::from(op))])).unwrap();
        assert_eq!(s.as_str(), p);
        for bad in [
            results(vec![]),
            results(vec![("session_handle", Value::from("not a path"))]),
            results(vec![("session_handle", Value::from(7u32))]),
        ] {
            assert!(session_handle(&bad).is_err());
        }
    }

    #[test]
    fn streams_and_tokens_are_read_from_starts_results() {
        let mut props: HashMap<&str, Value<'_>> = HashMap::new();
        props.insert("position", Value::from((10i32, 20i32)));
        props.insert("size", Value::from((1280i32, 720i32)));
        props.insert("id", Value::from("0"));
        props.insert("source_type", Value::from(1u32));
        let mut odd: HashMap<&str, Value<'_>> = HashMap::new();
        odd.insert("size", Value::from("big")); // wrong type: left out
        let streams = vec![(44u32, props), (45u32, odd)];
        let r = results(vec![
            ("streams", Value::from(streams)),
            ("devices", Value::from(3u32)),
            ("restore_token", Value::from(UUID)),
        ]);
        let s = parse_streams(&r).unwrap();
        assert_eq!(
            s,
            vec![
                PortalStream {
                    node_id: 44,
                    position: Some((10, 20)),
                    size: Some((1280, 720)),
                    id: Some("0".into()),
                },
                PortalStream {
                    node_id: 45,
                    position: None,
                    size: None,
                    id: None,
                },
            ]
        );
        assert_eq!(restore_token(&r), RestoreToken::parse(UUID));
        assert!(parse_streams(&results(vec![])).unwrap().is_empty());
        let bad = results(vec![
            ("streams", Value::from(7u32)),
            ("restore_token", Value::from(7u32)),
        ]);
        assert!(parse_streams(&bad).is_err());
        assert_eq!(restore_token(&bad), None);
        let bad = results(vec![("restore_token", Value::from("not a uuid"))]);
        assert_eq!(restore_token(&bad), None);
    }

    #[test]
    fn options_ask_for_what_the_share_needs() {
        let t = RestoreToken::parse(UUID).unwrap();
        let o = select_devices_options("h1", true, Some(&t));
        assert_eq!(o["handle_token"], Value::from("h1"));
        assert_eq!(o["types"], Value::from(3u32));
        assert_eq!(o["persist_mode"], Value::from(2u32));
        assert_eq!(o["restore_token"], Value::from(UUID));
        let o = select_devices_options("h1", true, None);
        assert!(!o.contains_key("restore_token"));
        // A portal that cannot persist gets neither (it would refuse the call).
        let o = select_devices_options("h1", false, Some(&t));
        assert!(!o.contains_key("persist_mode") && !o.contains_key("restore_token"));

        let o = select_sources_options("h2", Some(cursor_mode(7)));
        assert_eq!(o["types"], Value::from(1u32));
        assert_eq!(o["multiple"], Value::from(false));
        assert_eq!(o["cursor_mode"], Value::from(CURSOR_METADATA));
        assert!(
            !o.contains_key("persist_mode"),
            "not on a remote-desktop session"
        );
        assert!(!select_sources_options("h2", None).contains_key("cursor_mode"));
        assert_eq!(
            cursor_mode(CURSOR_HIDDEN | CURSOR_EMBEDDED),
            CURSOR_EMBEDDED
        );
        assert_eq!(cursor_mode(CURSOR_HIDDEN), CURSOR_HIDDEN);
        assert_eq!(cursor_mode(0), CURSOR_HIDDEN);
    }

    #[test]
    fn request_paths_follow_the_senders_name() {
        assert_eq!(
            request_path(":1.42", "glass7_3"),
            "/org/freedesktop/portal/desktop/request/1_42/glass7_3"
        );
        let t = next_token();
        assert!(t.chars().all(|c| c.is_ascii_alphanumeric() || c == '_'));
        assert_ne!(t, next_token());
    }
}
