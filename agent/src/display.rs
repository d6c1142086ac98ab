//! Which display a share shows, and switching it during the share: the helper's "Select
//! monitor" (a `select_display` control message) or the sharer's own choice
//! ([`crate::share::Share::select_display`]). The capturer, the injector and the pointer
//! stream follow one [`DisplaySelection`], so a switch moves the picture, where clicks land
//! and the pointer together; the new size reaches viewers as a keyframe.
//!
//! The decision is a pure function ([`decide`]) over the source's current list of displays.

use glass_engine::capture::{DisplayInfo, SourceSpec};
use glass_engine::display::DisplaySelection;
use glass_transport::control::{ControlMessage, DisplayDesc, MAX_DISPLAY_NAME, MAX_DISPLAYS};

/// The id that stands for the whole screen (every X11 monitor at once).
pub const WHOLE_SCREEN: &str = "root";

/// Why a switch was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SwitchRefused {
    /// This share does not switch displays (the sharer fixed it, or the source cannot).
    NotSwitchable,
    /// No display of the source has that id (now).
    NoSuchDisplay(String),
}

impl std::fmt::Display for SwitchRefused {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            SwitchRefused::NotSwitchable => f.write_str("this share shows one display only"),
            SwitchRefused::NoSuchDisplay(id) => write!(f, "no display {id:?}"),
        }
    }
}

/// Whether to switch to `id`, and the selection to set: `None` is the whole screen.
pub fn decide(
    displays: &[DisplayInfo],
    switchable: bool,
    id: &str,
) -> Result<Option<String>, SwitchRefused> {
    if !switchable {
        return Err(SwitchRefused::NotSwitchable);
    }
    if id == WHOLE_SCREEN {
        return Ok(None);
    }
    if displays.iter().any(|d| d.id == id) {
        Ok(Some(id.to_string()))
    } else {
        Err(SwitchRefused::NoSuchDisplay(
            id.chars().take(MAX_DISPLAY_NAME).collect(),
        ))
    }
}

/// The `displays` message for `displays` with `current` shared (`None`: the whole screen,
/// listed first when the source has several displays).
pub fn message(
    displays: &[DisplayInfo],
    current: Option<&str>,
    switchable: bool,
) -> ControlMessage {
    let cut = |s: &str| -> String {
        let mut end = s.len().min(MAX_DISPLAY_NAME);
        while !s.is_char_boundary(end) {
            end -= 1;
        }
        s[..end].to_string()
    };
    let mut list: Vec<DisplayDesc> = Vec::new();
    let whole = displays.len() > 1 || current.is_none();
    if whole && !displays.iter().any(|d| d.id == WHOLE_SCREEN) {
        let right = displays
            .iter()
            .map(|d| d.x + d.width as i32)
            .max()
            .unwrap_or(0);
        let bottom = displays
            .iter()
            .map(|d| d.y + d.height as i32)
            .max()
            .unwrap_or(0);
        let left = displays.iter().map(|d| d.x).min().unwrap_or(0);
        let top = displays.iter().map(|d| d.y).min().unwrap_or(0);
        list.push(DisplayDesc {
            id: WHOLE_SCREEN.into(),
            name: "All displays".into(),
            width: (right - left).max(0) as u32,
            height: (bottom - top).max(0) as u32,
            primary: false,
        });
    }
    list.extend(
        displays
            .iter()
            // An id too long to send back whole could never be selected.
            .filter(|d| d.id.len() <= MAX_DISPLAY_NAME)
            .map(|d| DisplayDesc {
                id: d.id.clone(),
                name: cut(&d.name),
                width: d.width,
                height: d.height,
                primary: d.primary,
            }),
    );
    list.truncate(MAX_DISPLAYS);
    ControlMessage::Displays {
        displays: list,
        current: current.unwrap_or(WHOLE_SCREEN).to_string(),
        switchable,
    }
}

/// Widest thumbnail in the sharer's picker, pixels.
pub const THUMBNAIL_WIDTH: u32 = 240;

/// One display the sharer may pick before (and while) sharing, for the agent's own UI.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct DisplayChoice {
    /// What to pass back ([`crate::help::LocalAction::SelectDisplay`]); [`WHOLE_SCREEN`] for
    /// every display at once.
    pub id: String,
    /// Human-readable name.
    pub name: String,
    /// Width, pixels.
    pub width: u32,
    /// Height, pixels.
    pub height: u32,
    /// Whether it is the primary display.
    pub primary: bool,
    /// What it shows now: a `data:image/png;base64,…` URL, at most [`THUMBNAIL_WIDTH`]
    /// wide (`None` when it could not be captured). Stays on this machine.
    pub thumbnail: Option<String>,
}

/// The displays of `spec` with a thumbnail of each, the whole screen first when there are
/// several (as viewers are told). Captures each display once: call it off the async runtime.
pub fn choices(spec: &SourceSpec) -> Vec<DisplayChoice> {
    use base64::Engine as _;
    let displays = spec.displays().unwrap_or_else(|e| {
        tracing::debug!("listing displays: {e}");
        Vec::new()
    });
    let ControlMessage::Displays {
        displays: listed, ..
    } = message(&displays, None, true)
    else {
        return Vec::new();
    };
    listed
        .into_iter()
        .map(|d| {
            let id = (d.id != WHOLE_SCREEN).then_some(d.id.as_str());
            let thumbnail =
                match glass_engine::display::capture_thumbnail(spec, id, THUMBNAIL_WIDTH) {
                    Ok(png) => Some(format!(
                        "data:image/png;base64,{}",
                        base64::engine::general_purpose::STANDARD.encode(png)
                    )),
                    Err(e) => {
                        tracing::debug!(display = d.id, "no thumbnail: {e}");
                        None
                    }
                };
            DisplayChoice {
                id: d.id,
                name: d.name,
                width: d.width,
                height: d.height,
                primary: d.primary,
                thumbnail,
            }
        })
        .collect()
}

/// A share's display state: the source, the selection its components follow, and whether
/// viewers may switch.
pub(crate) struct Displays {
    source: SourceSpec,
    selection: DisplaySelection,
    switchable: bool,
}

impl Displays {
    pub(crate) fn new(source: &SourceSpec, allow_switching: bool) -> Self {
        Self {
            selection: DisplaySelection::new(source.display()),
            switchable: allow_switching && source.switchable(),
            source: source.clone(),
        }
    }

    pub(crate) fn selection(&self) -> &DisplaySelection {
        &self.selection
    }

    fn list(&self) -> Vec<DisplayInfo> {
        self.source.displays().unwrap_or_else(|e| {
            tracing::debug!("listing displays: {e}");
            Vec::new()
        })
    }

    /// The `displays` message for viewers now.
    pub(crate) fn message(&self) -> ControlMessage {
        message(
            &self.list(),
            self.selection.current().as_deref(),
            self.switchable,
        )
    }

    /// Switches to display `id` (see [`decide`]).
    pub(crate) fn select(&self, id: &str) -> Result<(), SwitchRefused> {
        let target = decide(&self.list(), self.switchable, id)?;
        if target != self.selection.current() {
            tracing::info!(display = id, "switching the shared display");
            self.selection.set(target);
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn display(id: &str, x: i32, width: u32) -> DisplayInfo {
        DisplayInfo {
            backend: "x11",
            id: id.into(),
            name: format!(":9 {id}"),
            x,
            y: 0,
            width,
            height: 480,
            primary: id == "left",
        }
    }

    #[test]
    fn only_a_listed_display_or_the_whole_screen_is_chosen_and_only_where_allowed() {
        let list = [display("left", 0, 640), display("right", 640, 320)];
        assert_eq!(decide(&list, true, "right"), Ok(Some("right".into())));
        assert_eq!(decide(&list, true, WHOLE_SCREEN), Ok(None));
        assert_eq!(
            decide(&list, true, "HDMI-9"),
            Err(SwitchRefused::NoSuchDisplay("HDMI-9".into()))
        );
        assert_eq!(
            decide(&list, false, "right"),
            Err(SwitchRefused::NotSwitchable)
        );
        let long = "x".repeat(10_000);
        let Err(SwitchRefused::NoSuchDisplay(echo)) = decide(&list, true, &long) else {
            panic!("a long id must be refused");
        };
        assert_eq!(echo.len(), MAX_DISPLAY_NAME, "what is echoed is bounded");
    }

    #[test]
    fn the_message_lists_the_whole_screen_first_and_fits_a_control_message() {
        let list = [display("left", 0, 640), display("right", 640, 320)];
        let ControlMessage::Displays {
            displays,
            current,
            switchable,
        } = message(&list, Some("right"), true)
        else {
            panic!("not a displays message");
        };
        let ids: Vec<&str> = displays.iter().map(|d| d.id.as_str()).collect();
        assert_eq!(ids, [WHOLE_SCREEN, "left", "right"]);
        assert_eq!((displays[0].width, displays[0].height), (960, 480));
        assert_eq!(current, "right");
        assert!(switchable);

        // One display: no "all displays" entry.
        let one = [display("left", 0, 640)];
        let ControlMessage::Displays { displays, .. } = message(&one, Some("left"), false) else {
            panic!()
        };
        assert_eq!(displays.len(), 1);

        // Many long names still fit in one control message.
        let many: Vec<DisplayInfo> = (0..40)
            .map(|i| DisplayInfo {
                name: "é".repeat(100),
                ..display(&format!("m{i:0>60}"), i * 10, 10)
            })
            .collect();
        let m = message(&many, None, true);
        let ControlMessage::Displays { displays, .. } = &m else {
            panic!()
        };
        assert_eq!(displays.len(), MAX_DISPLAYS);
        assert!(displays.iter().all(|d| d.name.len() <= MAX_DISPLAY_NAME));
        let bytes = m.encode();
        assert!(
            bytes.len() <= glass_transport::control::MAX_CONTROL_MESSAGE,
            "{} bytes",
            bytes.len()
        );
        assert!(ControlMessage::decode(&bytes).is_ok());
    }
}
