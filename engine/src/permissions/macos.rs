//! The permission checks' FFI (macOS only; the decisions are in `macos_logic.rs`).
//!
//! - Screen Recording: `CGPreflightScreenCaptureAccess()` (10.15+), which never prompts.
//! - Accessibility: `AXIsProcessTrusted()` (ApplicationServices), which never prompts, or
//!   `CGPreflightPostEventAccess()` (10.15+), the precise check for `CGEventPost`; either
//!   means the helper's events get through.
//! - Settings: `-[NSWorkspace openURL:]` with the pane's `x-apple.systempreferences:` URL.
//! - Requests, only on the user's explicit action: `CGRequestScreenCaptureAccess()` and
//!   `CGRequestPostEventAccess()` show the system's prompt and list the app in the pane.
//!
//! Only type-checked on Linux; see `docs/macos.md` for what needs testing on a Mac.

use objc2_app_kit::NSWorkspace;
use objc2_core_graphics::{
    CGPreflightPostEventAccess, CGPreflightScreenCaptureAccess, CGRequestPostEventAccess,
    CGRequestScreenCaptureAccess,
};
use objc2_foundation::{NSProcessInfo, NSString, NSURL};

use super::PermissionError;
use super::macos_logic::{Grant, Grants, MacVersion, Permission};

#[link(name = "ApplicationServices", kind = "framework")]
unsafe extern "C" {
    /// `Boolean AXIsProcessTrusted(void)` (AXUIElement.h); `Boolean` is an unsigned char.
    fn AXIsProcessTrusted() -> u8;
}

/// Whether this process may post input events (the Accessibility grant).
pub(crate) fn accessibility_trusted() -> bool {
    // SAFETY: `AXIsProcessTrusted` takes no arguments and only asks TCC about this process;
    // its `Boolean` result is read as the `u8` it is.
    let ax = unsafe { AXIsProcessTrusted() } != 0;
    ax || CGPreflightPostEventAccess()
}

/// Both checks, without prompting.
pub(crate) fn grants() -> Grants {
    Grants {
        screen_recording: Grant::from_check(CGPreflightScreenCaptureAccess()),
        accessibility: Grant::from_check(accessibility_trusted()),
    }
}

/// `NSProcessInfo.operatingSystemVersion`.
pub(crate) fn version() -> MacVersion {
    let v = NSProcessInfo::processInfo().operatingSystemVersion();
    MacVersion::new(
        u32::try_from(v.majorVersion).unwrap_or(0),
        u32::try_from(v.minorVersion).unwrap_or(0),
    )
}

/// Opens `url` with the default handler (System Settings for `x-apple.systempreferences:`).
pub(crate) fn open_url(url: &'static str) -> Result<(), PermissionError> {
    let opened = NSURL::URLWithString(&NSString::from_str(url))
        .is_some_and(|u| NSWorkspace::sharedWorkspace().openURL(&u));
    if opened {
        Ok(())
    } else {
        Err(PermissionError::Open { url })
    }
}

/// The system's request for `permission` (prompt and listing); whether it is granted now.
pub(crate) fn request(permission: Permission) -> bool {
    match permission {
        Permission::ScreenRecording => {
            CGPreflightScreenCaptureAccess() || CGRequestScreenCaptureAccess()
        }
        Permission::Accessibility => accessibility_trusted() || CGRequestPostEventAccess(),
    }
}
