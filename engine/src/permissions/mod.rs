//! The privacy permissions a sharer needs, checked before sharing starts and never prompted
//! for behind the user's back (macOS TCC: Screen Recording, Accessibility).
//!
//! ```no_run
//! use glass_engine::capture::SourceSpec;
//! use glass_engine::input::ControlLevel;
//! use glass_engine::permissions;
//!
//! let source: SourceSpec = "macos".parse()?;
//! let plan = permissions::preflight(&source, ControlLevel::Full);
//! for line in plan.report() {
//!     eprintln!("{line}");
//! }
//! if let Some(pane) = plan.open {
//!     permissions::open_settings(pane)?; // System Settings at that pane; no prompt
//! }
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! One set of functions with a per-OS implementation: on macOS, [`check`] asks
//! `CGPreflightScreenCaptureAccess` and `AXIsProcessTrusted` (`macos.rs`, the only FFI); on
//! every other OS, and for sources that are not a macOS display, nothing is needed. Every
//! decision (what to tell, which pane, which role, when to look again, what a change means)
//! is in [`macos_logic`], which is pure and tested on every OS.

pub mod macos_logic;

#[cfg(target_os = "macos")]
mod macos;
#[cfg(target_os = "macos")]
pub(crate) use macos::accessibility_trusted;

pub use macos_logic::{
    Change, Grant, Grants, Host, MacVersion, Missing, Permission, Plan, Watch, plan,
};

use crate::capture::SourceSpec;
use crate::input::ControlLevel;

/// Why a settings pane could not be opened or a permission not requested.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum PermissionError {
    /// There is no such permission on this OS.
    #[error("{0} is a macOS permission; nothing to do on this OS")]
    Unsupported(Permission),
    /// The OS refused to open the URL.
    #[error("cannot open {url}: open it by hand")]
    Open {
        /// The URL.
        url: &'static str,
    },
}

/// The lowest macOS Glass supports (ScreenCaptureKit needs 12.3).
pub const MIN_MACOS: MacVersion = MacVersion::new(12, 3);

/// What `source` needs, checked without prompting. Only a macOS display needs anything.
pub fn check(source: &SourceSpec) -> Grants {
    match source {
        #[cfg(target_os = "macos")]
        SourceSpec::MacOs { .. } => macos::grants(),
        _ => Grants::NOT_NEEDED,
    }
}

/// The running macOS version; `None` on other OSes.
pub fn mac_version() -> Option<MacVersion> {
    #[cfg(target_os = "macos")]
    {
        Some(macos::version())
    }
    #[cfg(not(target_os = "macos"))]
    {
        None
    }
}

/// Who holds the grant: the app bundle Glass runs in, or the terminal of a command-line run
/// ([`Host::detect`]).
pub fn host() -> Host {
    let term = std::env::var("TERM_PROGRAM").ok();
    std::env::current_exe().map_or(Host::CommandLine, |exe| Host::detect(&exe, term.as_deref()))
}

/// Checks what sharing `source` at `wanted` needs and decides what to tell and offer.
pub fn preflight(source: &SourceSpec, wanted: ControlLevel) -> Plan {
    plan(
        check(source),
        wanted,
        mac_version().unwrap_or(MIN_MACOS),
        &host(),
    )
}

/// Opens System Settings at `permission`'s pane (no prompt: the user switches it on there).
pub fn open_settings(permission: Permission) -> Result<(), PermissionError> {
    #[cfg(target_os = "macos")]
    {
        macos::open_url(permission.settings_url())
    }
    #[cfg(not(target_os = "macos"))]
    {
        Err(PermissionError::Unsupported(permission))
    }
}

/// Shows the system's own request for `permission` and lists the app in its pane. Only on an
/// explicit user action (a "grant access" button, `--request-access`), never at start-up or
/// mid-session. Returns whether it is granted now; a Screen Recording grant still needs a
/// restart to take effect.
pub fn request(permission: Permission) -> Result<bool, PermissionError> {
    #[cfg(target_os = "macos")]
    {
        Ok(macos::request(permission))
    }
    #[cfg(not(target_os = "macos"))]
    {
        Err(PermissionError::Unsupported(permission))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    #[cfg(not(target_os = "macos"))]
    fn nothing_is_needed_off_macos() {
        for source in ["x11", "synthetic", "macos"] {
            let source: SourceSpec = source.parse().expect("source");
            assert_eq!(check(&source), Grants::NOT_NEEDED);
            let plan = preflight(&source, ControlLevel::Full);
            assert!(plan.all_granted());
            assert_eq!(plan.level, ControlLevel::Full);
        }
        assert!(open_settings(Permission::Accessibility).is_err());
        assert!(request(Permission::ScreenRecording).is_err());
        assert_eq!(mac_version(), None);
    }

    #[test]
    fn synthetic_sources_need_nothing_anywhere() {
        let source: SourceSpec = "synthetic".parse().expect("source");
        assert_eq!(check(&source), Grants::NOT_NEEDED);
    }
}
