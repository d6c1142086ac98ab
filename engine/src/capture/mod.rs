//! Screen capture: one trait, one backend module per platform, and a synthetic source.
//!
//! Backends are selected at run time from a [`SourceSpec`]. Each returns BGRA/BGRX frames
//! (or NV12 where the OS hands that out) with damage hints when the OS reports them, and
//! waits for change rather than polling on a clock where the OS can tell.

use std::time::Instant;

use glass_codecs::VideoFrame;

pub mod synthetic;

#[cfg(target_os = "linux")]
pub mod x11;

#[cfg(target_os = "macos")]
pub mod macos;
#[cfg(target_os = "macos")]
pub mod macos_clipboard;
#[cfg(target_os = "macos")]
pub mod macos_cursor;
#[cfg(any(target_os = "macos", test))]
mod macos_logic;

#[cfg(windows)]
pub mod windows;
#[cfg(windows)]
pub mod windows_cursor;
#[cfg(windows)]
pub mod windows_wgc;
// Always built: the spec parser uses its device names.
#[cfg_attr(not(windows), allow(dead_code))]
pub(crate) mod windows_logic;

use crate::display::DisplaySelection;
use crate::error::CaptureError;

/// One display (monitor) a backend can capture.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DisplayInfo {
    /// Backend name ("x11", "screencapturekit", "dxgi", "synthetic").
    pub backend: &'static str,
    /// Identifier to pass back in a [`SourceSpec`] (RandR output name, CGDirectDisplayID,
    /// Windows display device name such as `\\.\DISPLAY1`).
    pub id: String,
    /// Human-readable name.
    pub name: String,
    /// Left edge in the virtual desktop.
    pub x: i32,
    /// Top edge in the virtual desktop.
    pub y: i32,
    /// Width in pixels.
    pub width: u32,
    /// Height in pixels.
    pub height: u32,
    /// Whether this is the primary display.
    pub primary: bool,
}

/// What a capturer is capturing, reported in stats and logs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CaptureInfo {
    /// Backend name.
    pub backend: &'static str,
    /// The display.
    pub display: DisplayInfo,
    /// Whether the backend reports damage (so unchanged screens cost nothing).
    pub damage_hints: bool,
    /// Whether frames reference OS memory without a copy.
    pub zero_copy: bool,
}

/// A screen source.
///
/// `capture` blocks until the screen changes (or, for backends that cannot tell, until a
/// frame is due) or `deadline` passes. A frame's `damage` holds the backend's hints, `None`
/// when it has none; a frame's size may differ from the previous one (resolution change),
/// which the pipeline handles with a new encoder and a keyframe.
pub trait Capturer: Send {
    /// What is being captured.
    fn info(&self) -> CaptureInfo;
    /// The next frame, or `Ok(None)` if nothing changed before `deadline`.
    fn capture(&mut self, deadline: Instant) -> Result<Option<VideoFrame>, CaptureError>;
    /// Makes the next `capture` return a full frame even if nothing changed (refresh
    /// keyframes, a new viewer).
    fn request_full_frame(&mut self);
    /// Frames the backend had to drop or skip (all buffers busy downstream, OS queue full).
    fn dropped_frames(&self) -> u64 {
        0
    }
    /// Waits until `until`, or less once a change is pending, and returns when that change
    /// was first seen (`None`: nothing pending, or the backend cannot tell). The pipeline
    /// calls it while the frame-rate cap holds a capture back, to learn the phase of a
    /// source that changes at the cap's own rate. The default sleeps until `until`.
    fn wait_change(&mut self, until: Instant) -> Result<Option<Instant>, CaptureError> {
        if let Some(d) = until.checked_duration_since(Instant::now()) {
            std::thread::sleep(d);
        }
        Ok(None)
    }
}

/// Which Wayland path a `wayland` source takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum WaylandBackend {
    /// Mutter's RemoteDesktop/ScreenCast D-Bus APIs (GNOME): no dialog, runs in the user's
    /// session.
    Mutter,
    /// xdg-desktop-portal `RemoteDesktop` + `ScreenCast` (any compositor with a portal
    /// backend): the sharer approves in the portal's dialog; see `docs/wayland.md`.
    Portal,
}

/// Which capture API a `windows` source uses (see `docs/windows.md`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum WindowsBackend {
    /// DXGI Desktop Duplication, and Windows.Graphics.Capture where duplication cannot be
    /// opened (`windows[:DISPLAY]`).
    #[default]
    Auto,
    /// DXGI Desktop Duplication only (`windows:dxgi[:DISPLAY]`).
    Dxgi,
    /// Windows.Graphics.Capture only (`windows:wgc[:DISPLAY]`, Windows 10 1903+).
    Wgc,
}

/// Which source to capture, parsed from the CLI or given by an embedding app.
#[derive(Debug, Clone, PartialEq)]
pub enum SourceSpec {
    /// Deterministic generated content.
    Synthetic(synthetic::SyntheticConfig),
    /// An X11 display (`None`: `$DISPLAY`), optionally one monitor by RandR output name.
    X11 {
        /// X display name, e.g. `:99`.
        display: Option<String>,
        /// RandR output name (e.g. `HDMI-1`); the whole root window when `None`.
        monitor: Option<String>,
    },
    /// A Wayland session (Linux): capture and input share one remote-desktop session.
    Wayland {
        /// Which API.
        backend: WaylandBackend,
        /// Monitor connector (e.g. `Meta-0`, `DP-1`; `None`: the primary monitor).
        connector: Option<String>,
    },
    /// A macOS display by CGDirectDisplayID (`None`: the main display).
    MacOs {
        /// Display id.
        display_id: Option<u32>,
    },
    /// A Windows monitor by display device name (`\\.\DISPLAY2`; `None`: the primary),
    /// captured with DXGI Desktop Duplication or Windows.Graphics.Capture.
    Windows {
        /// Which capture API.
        backend: WindowsBackend,
        /// Device name, normalised by the parser to `\\.\DISPLAYn` upper case.
        display: Option<String>,
    },
}

impl SourceSpec {
    /// The display of the source this spec names, as a [`DisplayInfo::id`] (`None`: the
    /// whole screen or the main display).
    pub fn display(&self) -> Option<String> {
        match self {
            SourceSpec::Synthetic(_) => None,
            SourceSpec::X11 { monitor, .. } => monitor.clone(),
            SourceSpec::Wayland { connector, .. } => connector.clone(),
            SourceSpec::MacOs { display_id } => display_id.map(|d| d.to_string()),
            SourceSpec::Windows { display, .. } => display.clone(),
        }
    }

    /// This spec with display `id` instead (`None`: the whole screen or the main display);
    /// `None` when this kind of source has no such display ids.
    pub fn with_display(&self, id: Option<&str>) -> Option<SourceSpec> {
        match self {
            SourceSpec::X11 { display, .. } => Some(SourceSpec::X11 {
                display: display.clone(),
                monitor: id.map(str::to_string),
            }),
            SourceSpec::MacOs { .. } => Some(SourceSpec::MacOs {
                display_id: match id {
                    None => None,
                    Some(id) => Some(id.parse().ok()?),
                },
            }),
            // Before sharing only: a new Mutter session records that connector. The portal's
            // dialog picks the monitor itself.
            SourceSpec::Wayland {
                backend: WaylandBackend::Mutter,
                ..
            } => Some(SourceSpec::Wayland {
                backend: WaylandBackend::Mutter,
                connector: id.map(str::to_string),
            }),
            SourceSpec::Wayland {
                backend: WaylandBackend::Portal,
                ..
            } => None,
            SourceSpec::Windows { backend, .. } => Some(SourceSpec::Windows {
                backend: *backend,
                display: match id {
                    None => None,
                    Some(id) => Some(windows_logic::device_name(id)?),
                },
            }),
            SourceSpec::Synthetic(_) => None,
        }
    }

    /// Whether capture, input and the pointer can switch to another display of this source
    /// during a share (X11 RandR monitors, macOS displays, Windows monitors; on Wayland the
    /// monitor is picked before sharing only).
    pub fn switchable(&self) -> bool {
        matches!(
            self,
            SourceSpec::X11 { .. } | SourceSpec::MacOs { .. } | SourceSpec::Windows { .. }
        )
    }

    /// The displays of this source the sharer may pick among: the RandR monitors of the
    /// same X display, the macOS displays, none for a synthetic source.
    pub fn displays(&self) -> Result<Vec<DisplayInfo>, CaptureError> {
        match self {
            #[cfg(target_os = "linux")]
            SourceSpec::X11 { display, .. } => x11::displays(display.as_deref()),
            #[cfg(target_os = "macos")]
            SourceSpec::MacOs { .. } => macos::displays(),
            // The portal's dialog picks the monitor: none to list here.
            #[cfg(target_os = "linux")]
            SourceSpec::Wayland {
                backend: WaylandBackend::Mutter,
                ..
            } => crate::wayland::displays(&Default::default()),
            #[cfg(windows)]
            SourceSpec::Windows { .. } => windows::displays(),
            _ => Ok(Vec::new()),
        }
    }
}

impl std::str::FromStr for SourceSpec {
    type Err = CaptureError;

    /// `synthetic[:SCENE[:WxH[@FPS]]]`, `x11[:DISPLAY[@MONITOR]]`,
    /// `wayland[:mutter[@CONNECTOR]]`, `wayland:portal`, `macos[:DISPLAY_ID]`,
    /// `windows[:[dxgi|wgc]:DEVICE]` (`DEVICE`: a display device name, `DISPLAY2` or
    /// `\\.\DISPLAY2`; `windows:wgc` alone for the primary).
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let (kind, rest) = s.split_once(':').map_or((s, None), |(k, r)| (k, Some(r)));
        match kind {
            "synthetic" => Ok(Self::Synthetic(synthetic::SyntheticConfig::parse(
                rest.unwrap_or(""),
            )?)),
            "x11" => {
                // X display names contain a colon themselves (":0", "host:0.1"): the monitor,
                // if any, follows the last '@'.
                let (display, monitor) = match rest {
                    None | Some("") => (None, None),
                    Some(r) => match r.split_once('@') {
                        Some((d, m)) => (
                            Some(d.to_string()).filter(|d| !d.is_empty()),
                            Some(m.to_string()),
                        ),
                        None => (Some(r.to_string()), None),
                    },
                };
                let display = display.map(|d| if d.contains(':') { d } else { format!(":{d}") });
                Ok(Self::X11 { display, monitor })
            }
            "wayland" => parse_wayland(rest.unwrap_or("")),
            "macos" => {
                let display_id = match rest {
                    None | Some("") => None,
                    Some(r) => Some(r.parse().map_err(|_| {
                        CaptureError::BadSpec(format!(
                            "macOS display id must be a number, got {r:?}"
                        ))
                    })?),
                };
                Ok(Self::MacOs { display_id })
            }
            "windows" => {
                let (backend, display) = windows_logic::parse_spec(rest.unwrap_or(""))?;
                Ok(Self::Windows { backend, display })
            }
            _ => Err(CaptureError::BadSpec(format!(
                "unknown source {kind:?}: expected synthetic[:SCENE], x11[:DISPLAY], wayland[:mutter], \
                 macos[:ID] or windows[:dxgi|wgc][:DISPLAYn]"
            ))),
        }
    }
}

/// `[mutter|portal][@CONNECTOR]`, after `wayland:`.
fn parse_wayland(rest: &str) -> Result<SourceSpec, CaptureError> {
    let (backend, connector) = match rest.split_once('@') {
        Some((b, c)) => (b, Some(c)),
        None => (rest, None),
    };
    let backend = match backend {
        "" | "mutter" => WaylandBackend::Mutter,
        "portal" => WaylandBackend::Portal,
        other => {
            return Err(CaptureError::BadSpec(format!(
                "unknown Wayland backend {other:?}: expected wayland, wayland:mutter[@CONNECTOR] or wayland:portal"
            )));
        }
    };
    let connector = match connector {
        None => None,
        Some("") => {
            return Err(CaptureError::BadSpec(
                "empty monitor connector after '@' (e.g. wayland:mutter@DP-1)".into(),
            ));
        }
        Some(_) if backend == WaylandBackend::Portal => {
            return Err(CaptureError::BadSpec(
                "wayland:portal takes no monitor: the portal's dialog picks it".into(),
            ));
        }
        Some(c) => Some(c.to_string()),
    };
    Ok(SourceSpec::Wayland { backend, connector })
}

/// Opens the capturer for `spec`.
pub fn open(spec: &SourceSpec) -> Result<Box<dyn Capturer>, CaptureError> {
    open_following(spec, &DisplaySelection::new(spec.display()))
}

/// Opens the capturer for `spec`, following `selection` for which display of the source it
/// captures where the backend can switch during a share ([`SourceSpec::switchable`]); the
/// others capture the display `spec` names.
pub fn open_following(
    spec: &SourceSpec,
    selection: &DisplaySelection,
) -> Result<Box<dyn Capturer>, CaptureError> {
    #[cfg(not(any(target_os = "linux", target_os = "macos", windows)))]
    let _ = selection; // only X11, macOS and Windows switch displays during a share
    match spec {
        SourceSpec::Synthetic(c) => Ok(Box::new(synthetic::SyntheticCapturer::new(c.clone())?)),
        #[cfg(target_os = "linux")]
        SourceSpec::X11 { display, .. } => Ok(Box::new(x11::X11Capturer::open_following(
            display.as_deref(),
            selection,
        )?)),
        #[cfg(target_os = "linux")]
        SourceSpec::Wayland { .. } => Ok(Box::new(crate::wayland::WaylandCapturer::new(
            crate::wayland::session_for(spec)?,
        )?)),
        #[cfg(target_os = "macos")]
        SourceSpec::MacOs { .. } => Ok(Box::new(macos::ScreenCaptureKitCapturer::open_following(
            selection,
        )?)),
        #[cfg(windows)]
        SourceSpec::Windows { backend, display } => {
            windows_wgc::open_following(*backend, display.as_deref(), selection)
        }
        #[allow(unreachable_patterns)]
        other => Err(CaptureError::Unsupported(format!(
            "{other:?} cannot be captured on this platform"
        ))),
    }
}

/// Every display every backend on this machine can capture. Backends that are unavailable
/// (no X server, no permission) are reported in the second list with the reason.
pub fn displays() -> (Vec<DisplayInfo>, Vec<(&'static str, CaptureError)>) {
    let mut found = Vec::new();
    #[cfg_attr(
        not(any(target_os = "linux", target_os = "macos", windows)),
        allow(unused_mut)
    )]
    let mut failed = Vec::new();
    #[cfg(target_os = "linux")]
    match x11::displays(None) {
        Ok(d) => found.extend(d),
        Err(e) => failed.push(("x11", e)),
    }
    // Only inside a Wayland session: elsewhere "no Mutter" would be noise.
    #[cfg(target_os = "linux")]
    if std::env::var_os("WAYLAND_DISPLAY").is_some() {
        match crate::wayland::displays(&Default::default()) {
            Ok(d) => found.extend(d),
            Err(e) => failed.push(("wayland", e)),
        }
    }
    #[cfg(target_os = "macos")]
    match macos::displays() {
        Ok(d) => found.extend(d),
        Err(e) => failed.push(("screencapturekit", e)),
    }
    #[cfg(windows)]
    match windows::displays() {
        Ok(d) => found.extend(d),
        Err(e) => failed.push(("dxgi", e)),
    }
    found.extend(synthetic::displays());
    (found, failed)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_source_specs() {
        assert!(matches!(
            "synthetic:typing".parse::<SourceSpec>(),
            Ok(SourceSpec::Synthetic(_))
        ));
        assert_eq!(
            "x11::99".parse::<SourceSpec>().unwrap(),
            SourceSpec::X11 {
                display: Some(":99".into()),
                monitor: None
            }
        );
        assert_eq!(
            "x11:99".parse::<SourceSpec>().unwrap(),
            SourceSpec::X11 {
                display: Some(":99".into()),
                monitor: None
            }
        );
        assert_eq!(
            "x11::0@HDMI-1".parse::<SourceSpec>().unwrap(),
            SourceSpec::X11 {
                display: Some(":0".into()),
                monitor: Some("HDMI-1".into())
            }
        );
        assert_eq!(
            "x11".parse::<SourceSpec>().unwrap(),
            SourceSpec::X11 {
                display: None,
                monitor: None
            }
        );
        let wayland = |backend, connector: Option<&str>| SourceSpec::Wayland {
            backend,
            connector: connector.map(str::to_string),
        };
        assert_eq!(
            "wayland".parse::<SourceSpec>().unwrap(),
            wayland(WaylandBackend::Mutter, None)
        );
        assert_eq!(
            "wayland:mutter".parse::<SourceSpec>().unwrap(),
            wayland(WaylandBackend::Mutter, None)
        );
        assert_eq!(
            "wayland:mutter@Meta-0".parse::<SourceSpec>().unwrap(),
            wayland(WaylandBackend::Mutter, Some("Meta-0"))
        );
        assert_eq!(
            "wayland:@DP-1".parse::<SourceSpec>().unwrap(),
            wayland(WaylandBackend::Mutter, Some("DP-1"))
        );
        assert_eq!(
            "wayland:portal".parse::<SourceSpec>().unwrap(),
            wayland(WaylandBackend::Portal, None)
        );
        assert_eq!(
            "wayland:mutter@DP-1"
                .parse::<SourceSpec>()
                .unwrap()
                .display(),
            Some("DP-1".into())
        );
        for (bad, says) in [
            ("wayland:kwin", "kwin"),
            ("wayland:mutter@", "empty monitor"),
            ("wayland:portal@DP-1", "dialog"),
        ] {
            let e = bad.parse::<SourceSpec>().unwrap_err().to_string();
            assert!(e.contains(says), "{bad}: {e}");
        }
        assert!("vnc:1".parse::<SourceSpec>().is_err());
        assert!("macos:abc".parse::<SourceSpec>().is_err());
    }

    #[test]
    fn parses_windows_specs() {
        let win = |d: Option<&str>| SourceSpec::Windows {
            backend: WindowsBackend::Auto,
            display: d.map(str::to_string),
        };
        assert_eq!("windows".parse::<SourceSpec>().unwrap(), win(None));
        assert_eq!("windows:".parse::<SourceSpec>().unwrap(), win(None));
        assert_eq!(
            "windows:display2".parse::<SourceSpec>().unwrap(),
            win(Some(r"\\.\DISPLAY2"))
        );
        assert_eq!(
            r"windows:\\.\DISPLAY1".parse::<SourceSpec>().unwrap(),
            win(Some(r"\\.\DISPLAY1"))
        );
        assert!(r"windows:\\.\".parse::<SourceSpec>().is_err());
        let spec = win(Some(r"\\.\DISPLAY1"));
        assert_eq!(spec.display().as_deref(), Some(r"\\.\DISPLAY1"));
        assert_eq!(
            spec.with_display(Some("DISPLAY3")),
            Some(win(Some(r"\\.\DISPLAY3")))
        );
        assert_eq!(spec.with_display(None), Some(win(None)));
        assert!(spec.switchable());
        let wgc = SourceSpec::Windows {
            backend: WindowsBackend::Wgc,
            display: Some(r"\\.\DISPLAY2".into()),
        };
        assert_eq!("windows:wgc:DISPLAY2".parse::<SourceSpec>().unwrap(), wgc);
        // Switching monitors keeps the API.
        assert_eq!(
            wgc.with_display(None),
            Some(SourceSpec::Windows {
                backend: WindowsBackend::Wgc,
                display: None
            })
        );
        assert_eq!(
            "windows:dxgi".parse::<SourceSpec>().unwrap(),
            SourceSpec::Windows {
                backend: WindowsBackend::Dxgi,
                display: None
            }
        );
        let e = "windows:gdi:DISPLAY1"
            .parse::<SourceSpec>()
            .unwrap_err()
            .to_string();
        assert!(e.contains("gdi"), "{e}");
    }
}
