//! The permission preflight's decisions, pure and `cfg`-free, so they are unit-tested on every
//! OS: what is missing → what to tell the user, which System Settings pane (and its URL), which
//! role is possible, how often to look again, and what a change means.
//!
//! macOS guards the two things a sharer needs with TCC (Transparency, Consent and Control):
//!
//! - **Screen Recording** (`kTCCServiceScreenCapture`): every role needs it. The check is
//!   `CGPreflightScreenCaptureAccess()` (10.15+), which never prompts. It is *advisory*: it has
//!   been seen answering false while access is granted, so capture is still attempted, and
//!   ScreenCaptureKit's own answer (`-3801`, user declined) is the final word. A grant is
//!   applied when the app is next launched: System Settings itself offers "Quit & Reopen"
//!   after the switch is turned on.
//! - **Accessibility** (`kTCCServiceAccessibility`): needed to post the helper's mouse and
//!   keyboard events (`CGEventPost`). Without it events are dropped silently, so full control
//!   is not offered at all: the session is view only and says why. The check
//!   (`AXIsProcessTrusted()`, or `CGPreflightPostEventAccess()`) reflects a grant at once, so
//!   it is polled ([`Watch`]) and full control becomes possible without a restart.
//!
//! Nothing here prompts. Prompts (`CGRequestScreenCaptureAccess`, `CGRequestPostEventAccess`)
//! are only for an explicit user action, never at start-up or mid-session.
#![forbid(unsafe_code)]

use std::fmt;
use std::path::Path;
use std::time::{Duration, Instant};

use crate::input::ControlLevel;

/// A macOS privacy permission Glass needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Permission {
    /// Screen Recording (TCC `ScreenCapture`): any share.
    ScreenRecording,
    /// Accessibility (TCC `Accessibility`): injecting the helper's input (full control).
    Accessibility,
}

impl Permission {
    /// Both, in the order they are asked for (seeing before controlling).
    pub const ALL: [Permission; 2] = [Permission::ScreenRecording, Permission::Accessibility];

    /// The name System Settings shows (macOS 15 renamed Screen Recording).
    pub fn pane_name(self, os: MacVersion) -> &'static str {
        match self {
            Permission::ScreenRecording if os.major >= 15 => "Screen & System Audio Recording",
            Permission::ScreenRecording => "Screen Recording",
            Permission::Accessibility => "Accessibility",
        }
    }

    /// The `x-apple.systempreferences:` URL of its pane. The `com.apple.preference.security`
    /// form is the macOS 12 one; macOS 13–15 still resolve it to the pane in System Settings
    /// (reported, not verified here; 13+ also has `com.apple.settings.PrivacySecurity.extension`).
    pub fn settings_url(self) -> &'static str {
        match self {
            Permission::ScreenRecording => {
                "x-apple.systempreferences:com.apple.preference.security?Privacy_ScreenCapture"
            }
            Permission::Accessibility => {
                "x-apple.systempreferences:com.apple.preference.security?Privacy_Accessibility"
            }
        }
    }

    /// The TCC service name, as in a PPPC profile and `tccutil reset`.
    pub fn tcc_service(self) -> &'static str {
        match self {
            Permission::ScreenRecording => "ScreenCapture",
            Permission::Accessibility => "Accessibility",
        }
    }

    /// What it is needed for, for the user.
    fn needed_for(self) -> &'static str {
        match self {
            Permission::ScreenRecording => "to show this screen to the helper",
            Permission::Accessibility => "to let the helper use the mouse and keyboard",
        }
    }
}

impl fmt::Display for Permission {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Permission::ScreenRecording => "Screen Recording",
            Permission::Accessibility => "Accessibility",
        })
    }
}

/// One permission's state.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Grant {
    /// The check says granted.
    Granted,
    /// The check says not granted.
    Missing,
    /// This platform or source has no such permission (X11, a synthetic source).
    NotNeeded,
}

impl Grant {
    /// From a check's answer.
    pub fn from_check(granted: bool) -> Grant {
        if granted {
            Grant::Granted
        } else {
            Grant::Missing
        }
    }

    /// Granted or not needed.
    pub fn is_ok(self) -> bool {
        self != Grant::Missing
    }
}

/// What the checks answered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Grants {
    /// Screen Recording.
    pub screen_recording: Grant,
    /// Accessibility.
    pub accessibility: Grant,
}

impl Grants {
    /// Nothing to ask for (Linux/X11, synthetic sources).
    pub const NOT_NEEDED: Grants = Grants {
        screen_recording: Grant::NotNeeded,
        accessibility: Grant::NotNeeded,
    };

    /// One permission's state.
    pub fn get(&self, p: Permission) -> Grant {
        match p {
            Permission::ScreenRecording => self.screen_recording,
            Permission::Accessibility => self.accessibility,
        }
    }

    /// The highest role these grants make possible. Screen Recording is not required here:
    /// its check is advisory and capture itself gives the final answer; Accessibility is, as
    /// input without it is dropped silently.
    pub fn max_level(&self) -> ControlLevel {
        if self.accessibility.is_ok() {
            ControlLevel::Full
        } else {
            ControlLevel::View
        }
    }
}

/// The running macOS version (`NSProcessInfo.operatingSystemVersion`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct MacVersion {
    /// 12 (Monterey), 13 (Ventura), 14 (Sonoma), 15 (Sequoia), …
    pub major: u32,
    /// The minor version.
    pub minor: u32,
}

impl MacVersion {
    /// A version.
    pub const fn new(major: u32, minor: u32) -> MacVersion {
        MacVersion { major, minor }
    }

    /// Where the privacy list lives: System Preferences until 12, System Settings from 13.
    pub fn privacy_path(self) -> &'static str {
        if self.major >= 13 {
            "System Settings → Privacy & Security"
        } else {
            "System Preferences → Security & Privacy → Privacy"
        }
    }
}

/// Whose switch the user turns on: TCC grants the *responsible* app.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Host {
    /// Glass runs inside an app bundle (`Glass.app`): the grant is the bundle's.
    Bundle {
        /// The app's name as the list shows it ("Glass").
        name: String,
    },
    /// A command-line run: the grant belongs to the terminal app that started it.
    CommandLine,
}

impl Host {
    /// From the executable's path: `…/Name.app/Contents/MacOS/exe` is a bundle.
    pub fn from_exe(path: &Path) -> Host {
        let macos = path.parent();
        let contents = macos.and_then(Path::parent);
        let app = contents.and_then(Path::parent);
        match (macos, contents, app) {
            (Some(m), Some(c), Some(a))
                if m.file_name().is_some_and(|n| n == "MacOS")
                    && c.file_name().is_some_and(|n| n == "Contents") =>
            {
                match a.file_name().and_then(|n| n.to_str()) {
                    Some(name) if name.len() > 4 && name.ends_with(".app") => Host::Bundle {
                        name: name[..name.len() - 4].to_string(),
                    },
                    _ => Host::CommandLine,
                }
            }
            _ => Host::CommandLine,
        }
    }

    /// [`Host::from_exe`], unless a terminal started the process: a shell in Terminal, iTerm
    /// and the like has `TERM_PROGRAM` set, and then the terminal is the responsible app even
    /// for `Glass.app/Contents/MacOS/glass`. Started by LaunchServices (`open -a Glass`, a
    /// LaunchAgent) the environment has no `TERM_PROGRAM`. A heuristic: a terminal that does
    /// not set it, or a variable inherited some other way, misleads it.
    pub fn detect(exe: &Path, term_program: Option<&str>) -> Host {
        match term_program {
            Some(t) if !t.is_empty() => Host::CommandLine,
            _ => Host::from_exe(exe),
        }
    }

    /// The app to switch on, as a phrase.
    fn app(&self) -> String {
        match self {
            Host::Bundle { name } => format!("“{name}”"),
            Host::CommandLine => "the terminal app that runs glass (Terminal, iTerm, …)".into(),
        }
    }
}

/// One missing permission and what to tell about it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Missing {
    /// Which.
    pub permission: Permission,
    /// Whether the role asked for needs it (else it only limits what a helper may ask).
    pub needed: bool,
    /// The pane's URL ([`Permission::settings_url`]).
    pub url: &'static str,
    /// What to do, in one paragraph.
    pub advice: String,
}

/// What the preflight found and decided.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Plan {
    /// What the checks answered.
    pub grants: Grants,
    /// The role asked for.
    pub wanted: ControlLevel,
    /// The role that can be given: [`ControlLevel::View`] without Accessibility.
    pub level: ControlLevel,
    /// What is missing, Screen Recording first.
    pub missing: Vec<Missing>,
    /// The pane to open for the user: the first missing permission the wanted role needs.
    pub open: Option<Permission>,
    /// Why full control cannot be given, when it cannot (shown locally and in the log).
    pub full_control_refusal: Option<String>,
}

impl Plan {
    /// Nothing missing at all.
    pub fn all_granted(&self) -> bool {
        self.missing.is_empty()
    }

    /// The lines to show the user, empty when nothing is missing.
    pub fn report(&self) -> Vec<String> {
        let mut lines: Vec<String> = self.missing.iter().map(|m| m.advice.clone()).collect();
        if self.wanted == ControlLevel::Full
            && self.level == ControlLevel::View
            && let Some(why) = &self.full_control_refusal
        {
            lines.push(format!("Sharing view only: {why}"));
        }
        lines
    }
}

/// Decides what to tell, which pane to open and which role is possible.
pub fn plan(grants: Grants, wanted: ControlLevel, os: MacVersion, host: &Host) -> Plan {
    let level = match (grants.max_level(), wanted) {
        (ControlLevel::Full, ControlLevel::Full) => ControlLevel::Full,
        _ => ControlLevel::View,
    };
    let missing: Vec<Missing> = Permission::ALL
        .into_iter()
        .filter(|&p| grants.get(p) == Grant::Missing)
        .map(|p| {
            let needed = p == Permission::ScreenRecording || wanted == ControlLevel::Full;
            Missing {
                permission: p,
                needed,
                url: p.settings_url(),
                advice: advice(p, os, host),
            }
        })
        .collect();
    let open = missing.iter().find(|m| m.needed).map(|m| m.permission);
    Plan {
        grants,
        wanted,
        level,
        open,
        full_control_refusal: full_control_refusal(grants, os, host),
        missing,
    }
}

/// What to do to grant `p`.
pub fn advice(p: Permission, os: MacVersion, host: &Host) -> String {
    let where_ = format!("{} → {}", os.privacy_path(), p.pane_name(os));
    let app = host.app();
    match p {
        Permission::ScreenRecording => format!(
            "Screen Recording is not allowed yet ({}). Open {where_}, switch on {app}, then \
             choose “Quit & Reopen” (or quit and start it again): macOS applies this \
             permission when the app is next started.",
            p.needed_for()
        ),
        Permission::Accessibility => format!(
            "Accessibility is not allowed ({}). Open {where_} and switch on {app} (use + to \
             add it if it is not listed). This takes effect at once: no restart is needed.",
            p.needed_for()
        ),
    }
}

/// Why full control cannot be given, or `None` when it can.
pub fn full_control_refusal(grants: Grants, os: MacVersion, host: &Host) -> Option<String> {
    (grants.accessibility == Grant::Missing).then(|| {
        format!(
            "macOS does not allow {} to control this computer: {} → {} is off. Without it \
             the helper's mouse and keyboard would be dropped, so only view is possible.",
            host.app(),
            os.privacy_path(),
            Permission::Accessibility.pane_name(os)
        )
    })
}

/// A permission that changed between two checks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Change {
    /// Switched on.
    Granted(Permission),
    /// Switched off.
    Revoked(Permission),
}

impl Change {
    /// Whether this process can use the change now (Accessibility), or only after the app is
    /// started again (a Screen Recording grant).
    pub fn effective_now(self) -> bool {
        !matches!(self, Change::Granted(Permission::ScreenRecording))
    }

    /// What to tell the user.
    pub fn message(self, host: &Host) -> String {
        match self {
            Change::Granted(Permission::Accessibility) => {
                "Accessibility is allowed now: full control is possible (no restart needed).".into()
            }
            Change::Granted(Permission::ScreenRecording) => format!(
                "Screen Recording is allowed now. macOS applies it when {} is started again: \
                 choose “Quit & Reopen”, or quit and start it again.",
                host.app()
            ),
            Change::Revoked(Permission::Accessibility) => {
                "Accessibility was switched off: the helper can no longer use the mouse and \
                 keyboard; view only."
                    .into()
            }
            Change::Revoked(Permission::ScreenRecording) => {
                "Screen Recording was switched off: macOS stops the screen from being shared."
                    .into()
            }
        }
    }
}

/// What changed from `before` to `after` (a permission that went to or from `NotNeeded` did
/// not change: the source did).
pub fn changes(before: Grants, after: Grants) -> Vec<Change> {
    Permission::ALL
        .into_iter()
        .filter_map(|p| match (before.get(p), after.get(p)) {
            (Grant::Missing, Grant::Granted) => Some(Change::Granted(p)),
            (Grant::Granted, Grant::Missing) => Some(Change::Revoked(p)),
            _ => None,
        })
        .collect()
}

/// Look again every second for this long after the preflight: the user is in System Settings.
pub const FAST_POLL_FOR: Duration = Duration::from_secs(120);
/// The fast interval.
pub const FAST_POLL: Duration = Duration::from_secs(1);
/// Then every 5 s…
pub const SLOW_POLL: Duration = Duration::from_secs(5);
/// …until this long after the preflight; after that the user is told to restart instead.
pub const GIVE_UP_AFTER: Duration = Duration::from_secs(15 * 60);

/// Sans-IO watcher of the grants: the driver calls [`Watch::handle_grants`] with a fresh check
/// at [`Watch::poll_timeout`], and tells the user each [`Change`]. It stops asking once
/// everything that can take effect in this process is granted, or after [`GIVE_UP_AFTER`].
#[derive(Debug, Clone)]
pub struct Watch {
    started: Instant,
    last: Grants,
    next: Option<Instant>,
}

impl Watch {
    /// Starts from the preflight's grants.
    pub fn new(now: Instant, grants: Grants) -> Watch {
        let mut w = Watch {
            started: now,
            last: grants,
            next: None,
        };
        w.next = w.schedule(now);
        w
    }

    /// The grants last seen.
    pub fn grants(&self) -> Grants {
        self.last
    }

    /// When to check again; `None`: nothing is waited for any more.
    pub fn poll_timeout(&self) -> Option<Instant> {
        self.next
    }

    /// A fresh check at `now`: returns what changed and schedules the next check.
    pub fn handle_grants(&mut self, now: Instant, grants: Grants) -> Vec<Change> {
        let out = changes(self.last, grants);
        self.last = grants;
        self.next = self.schedule(now);
        out
    }

    fn schedule(&self, now: Instant) -> Option<Instant> {
        // An Accessibility grant takes effect at once; a Screen Recording grant needs a
        // restart, and seeing it lets the user be told so at the right moment.
        let waiting = self.last.accessibility == Grant::Missing
            || self.last.screen_recording == Grant::Missing;
        if !waiting {
            return None;
        }
        let since = now.saturating_duration_since(self.started);
        if since >= GIVE_UP_AFTER {
            None
        } else if since < FAST_POLL_FOR {
            Some(now + FAST_POLL)
        } else {
            Some(now + SLOW_POLL)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::PathBuf;

    const SONOMA: MacVersion = MacVersion::new(14, 5);
    const MONTEREY: MacVersion = MacVersion::new(12, 7);
    const SEQUOIA: MacVersion = MacVersion::new(15, 1);

    fn grants(screen: Grant, ax: Grant) -> Grants {
        Grants {
            screen_recording: screen,
            accessibility: ax,
        }
    }

    fn app() -> Host {
        Host::Bundle {
            name: "Glass".into(),
        }
    }

    #[test]
    fn nothing_needed_on_linux_gives_any_role_and_says_nothing() {
        let p = plan(Grants::NOT_NEEDED, ControlLevel::Full, SONOMA, &app());
        assert!(p.all_granted());
        assert_eq!(p.level, ControlLevel::Full);
        assert_eq!(p.open, None);
        assert_eq!(p.full_control_refusal, None);
        assert!(p.report().is_empty());
    }

    #[test]
    fn everything_granted_is_full_control() {
        let g = grants(Grant::Granted, Grant::Granted);
        let p = plan(g, ControlLevel::Full, SONOMA, &app());
        assert!(p.all_granted());
        assert_eq!(p.level, ControlLevel::Full);
        // The role asked for is never exceeded.
        assert_eq!(
            plan(g, ControlLevel::View, SONOMA, &app()).level,
            ControlLevel::View
        );
    }

    #[test]
    fn missing_accessibility_means_view_only_with_the_reason() {
        let g = grants(Grant::Granted, Grant::Missing);
        let p = plan(g, ControlLevel::Full, SONOMA, &app());
        assert_eq!(p.level, ControlLevel::View);
        assert_eq!(p.open, Some(Permission::Accessibility));
        let why = p.full_control_refusal.as_deref().unwrap_or_default();
        assert!(
            why.contains("System Settings → Privacy & Security → Accessibility"),
            "{why}"
        );
        assert!(why.contains("“Glass”"), "{why}");
        let report = p.report().join("\n");
        assert!(report.contains("Sharing view only"), "{report}");
        assert!(report.contains("no restart is needed"), "{report}");
        assert_eq!(
            p.missing[0].url,
            "x-apple.systempreferences:com.apple.preference.security?Privacy_Accessibility"
        );
    }

    #[test]
    fn view_only_request_does_not_open_the_accessibility_pane() {
        let g = grants(Grant::Granted, Grant::Missing);
        let p = plan(g, ControlLevel::View, SONOMA, &app());
        assert_eq!(p.level, ControlLevel::View);
        assert_eq!(p.open, None);
        assert_eq!(p.missing.len(), 1);
        assert!(!p.missing[0].needed);
        // Told once as information, not as "view only" (view is what was asked for).
        assert!(!p.report().join("\n").contains("Sharing view only"));
        // A helper asking for full control later still gets the reason.
        assert!(p.full_control_refusal.is_some());
    }

    #[test]
    fn missing_screen_recording_is_opened_first_and_says_restart() {
        let g = grants(Grant::Missing, Grant::Missing);
        let p = plan(g, ControlLevel::Full, SONOMA, &app());
        assert_eq!(p.open, Some(Permission::ScreenRecording));
        assert_eq!(
            p.missing.iter().map(|m| m.permission).collect::<Vec<_>>(),
            [Permission::ScreenRecording, Permission::Accessibility]
        );
        assert!(p.missing[0].advice.contains("Quit & Reopen"));
        assert_eq!(
            p.missing[0].url,
            "x-apple.systempreferences:com.apple.preference.security?Privacy_ScreenCapture"
        );
        // Screen Recording's check is advisory: view is still attempted.
        assert_eq!(p.level, ControlLevel::View);
        let p = plan(g, ControlLevel::View, SONOMA, &app());
        assert_eq!(p.open, Some(Permission::ScreenRecording));
    }

    #[test]
    fn wording_follows_the_macos_version() {
        let g = grants(Grant::Missing, Grant::Missing);
        let p = plan(g, ControlLevel::Full, MONTEREY, &app());
        assert!(
            p.missing[0]
                .advice
                .contains("System Preferences → Security & Privacy → Privacy → Screen Recording")
        );
        let p = plan(g, ControlLevel::Full, SEQUOIA, &app());
        assert!(
            p.missing[0]
                .advice
                .contains("System Settings → Privacy & Security → Screen & System Audio Recording")
        );
        assert!(
            plan(g, ControlLevel::Full, MacVersion::new(13, 0), &app()).missing[1]
                .advice
                .contains("System Settings → Privacy & Security → Accessibility")
        );
    }

    #[test]
    fn a_command_line_run_names_the_terminal() {
        let p = plan(
            grants(Grant::Granted, Grant::Missing),
            ControlLevel::Full,
            SONOMA,
            &Host::CommandLine,
        );
        assert!(p.missing[0].advice.contains("terminal app"));
    }

    #[test]
    fn host_is_read_from_the_executable_path() {
        let bundle = PathBuf::from("/Applications/Glass.app/Contents/MacOS/glass");
        assert_eq!(Host::from_exe(&bundle), app());
        for cli in [
            "/usr/local/bin/glass",
            "/Users/sam/glass/target/release/glass",
            "/Contents/MacOS/glass",
            "/x/.app/Contents/MacOS/glass",
            "glass",
            "",
        ] {
            assert_eq!(Host::from_exe(Path::new(cli)), Host::CommandLine, "{cli}");
        }
    }

    #[test]
    fn a_bundle_started_from_a_terminal_is_the_terminals() {
        let bundle = Path::new("/Applications/Glass.app/Contents/MacOS/glass");
        assert_eq!(Host::detect(bundle, None), app());
        assert_eq!(Host::detect(bundle, Some("")), app());
        assert_eq!(
            Host::detect(bundle, Some("Apple_Terminal")),
            Host::CommandLine
        );
        assert_eq!(
            Host::detect(Path::new("/usr/local/bin/glass"), None),
            Host::CommandLine
        );
    }

    #[test]
    fn changes_are_grants_and_revocations_only() {
        let none = grants(Grant::Missing, Grant::Missing);
        let ax = grants(Grant::Missing, Grant::Granted);
        let both = grants(Grant::Granted, Grant::Granted);
        assert_eq!(
            changes(none, ax),
            [Change::Granted(Permission::Accessibility)]
        );
        assert_eq!(
            changes(both, ax),
            [Change::Revoked(Permission::ScreenRecording)]
        );
        assert!(changes(ax, ax).is_empty());
        assert!(changes(Grants::NOT_NEEDED, both).is_empty());
        assert!(Change::Granted(Permission::Accessibility).effective_now());
        assert!(!Change::Granted(Permission::ScreenRecording).effective_now());
        let m = Change::Granted(Permission::ScreenRecording).message(&app());
        assert!(m.contains("Quit & Reopen") && m.contains("“Glass”"), "{m}");
    }

    #[test]
    fn watch_polls_fast_then_slow_then_gives_up() {
        let t0 = Instant::now();
        let missing = grants(Grant::Granted, Grant::Missing);
        let mut w = Watch::new(t0, missing);
        assert_eq!(w.poll_timeout(), Some(t0 + FAST_POLL));
        let t = t0 + FAST_POLL_FOR;
        assert!(w.handle_grants(t, missing).is_empty());
        assert_eq!(w.poll_timeout(), Some(t + SLOW_POLL));
        let t = t0 + GIVE_UP_AFTER;
        w.handle_grants(t, missing);
        assert_eq!(w.poll_timeout(), None);
    }

    #[test]
    fn watch_reports_the_grant_and_stops() {
        let t0 = Instant::now();
        let mut w = Watch::new(t0, grants(Grant::Granted, Grant::Missing));
        let t = t0 + Duration::from_secs(7);
        assert_eq!(
            w.handle_grants(t, grants(Grant::Granted, Grant::Granted)),
            [Change::Granted(Permission::Accessibility)]
        );
        assert_eq!(w.grants().max_level(), ControlLevel::Full);
        assert_eq!(w.poll_timeout(), None);
    }

    #[test]
    fn watch_has_nothing_to_do_when_nothing_is_needed() {
        let w = Watch::new(Instant::now(), Grants::NOT_NEEDED);
        assert_eq!(w.poll_timeout(), None);
    }
}
