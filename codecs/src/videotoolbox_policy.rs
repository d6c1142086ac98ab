//! The platform-independent decisions of the VideoToolbox encoder ([`crate::videotoolbox`]):
//! what an encoder error leads to, and how long to wait for frames still inside VideoToolbox.
//! No objc2 types, so the unit tests run on every OS
//! (`cargo test -p glass-codecs videotoolbox_policy`).

// On other systems only the tests below use this module.
#![cfg_attr(not(target_os = "macos"), allow(dead_code))]
#![forbid(unsafe_code)]

use std::time::Duration;

/// `kVTInvalidSessionErr` (VTErrors.h): the session is gone (sleep/wake, GPU change, app in
/// the background on iOS).
pub const VT_INVALID_SESSION: i32 = -12903;
/// `kVTVideoEncoderMalfunctionErr` (VTErrors.h): the encoder broke; WebRTC's
/// `RTCVideoEncoderH264.mm` resets the compression session on it, as on an invalid session.
pub const VT_ENCODER_MALFUNCTION: i32 = -12912;

/// Sessions recreated in a row (no packet in between) before giving up on VideoToolbox.
pub const MAX_RECREATES: u32 = 2;
/// Other failures in a row (no packet in between) before giving up on VideoToolbox.
pub const MAX_FAILURES: u32 = 5;

/// What to do about a VideoToolbox error.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Recovery {
    /// Drop this frame and make the next one a keyframe; the session stays.
    Retry,
    /// Invalidate the session, create a new one and start again with a keyframe.
    Recreate,
    /// VideoToolbox keeps failing: hand over to the software encoder (the caller reopens with
    /// `EncoderPreference::Software`; the switch shows in the stats' encoder caps).
    FallBack,
    /// VideoToolbox keeps failing and hardware was required: end with the error.
    Fatal,
}

/// The error policy: an error code and the recent history give a [`Recovery`].
///
/// WebRTC's `RTCVideoEncoderH264.mm` recreates the session on `kVTInvalidSessionErr` and on
/// `kVTVideoEncoderMalfunctionErr` and returns `WEBRTC_VIDEO_CODEC_ERROR` on anything else,
/// which its `VideoEncoderSoftwareFallbackWrapper` answers by switching to software. This does
/// the same, with bounds so that a session that fails again at once does not loop: history is
/// counted since the last packet that came out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ErrorPolicy {
    allow_fallback: bool,
    recreates: u32,
    failures: u32,
}

impl ErrorPolicy {
    /// A policy for an encoder that may (`EncoderPreference::Auto`) or may not (`Hardware`)
    /// fall back to software.
    pub fn new(allow_fallback: bool) -> Self {
        Self {
            allow_fallback,
            recreates: 0,
            failures: 0,
        }
    }

    /// A packet came out: the encoder works, the history starts again.
    pub fn handle_packet(&mut self) {
        self.recreates = 0;
        self.failures = 0;
    }

    /// VideoToolbox returned `status` (non-zero) from `VTCompressionSessionEncodeFrame` or in
    /// the output callback.
    pub fn handle_error(&mut self, status: i32) -> Recovery {
        match status {
            0 => Recovery::Retry,
            VT_INVALID_SESSION | VT_ENCODER_MALFUNCTION if self.recreates < MAX_RECREATES => {
                self.recreates += 1;
                Recovery::Recreate
            }
            VT_INVALID_SESSION | VT_ENCODER_MALFUNCTION => self.give_up(),
            _ => {
                self.failures += 1;
                if self.failures < MAX_FAILURES {
                    Recovery::Retry
                } else {
                    self.give_up()
                }
            }
        }
    }

    /// Creating the replacement session failed (the hardware encoder is gone).
    pub fn handle_recreate_failed(&mut self) -> Recovery {
        self.give_up()
    }

    fn give_up(&self) -> Recovery {
        if self.allow_fallback {
            Recovery::FallBack
        } else {
            Recovery::Fatal
        }
    }
}

/// How long `receive_packet` waits for frames still inside VideoToolbox while it keeps up
/// (see [`OutputWait`](crate::output_wait::OutputWait)).
pub const OUTPUT_WAIT: Duration = Duration::from_secs(1);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn invalid_session_and_malfunction_recreate_then_fall_back() {
        for status in [VT_INVALID_SESSION, VT_ENCODER_MALFUNCTION] {
            let mut p = ErrorPolicy::new(true);
            assert_eq!(p.handle_error(status), Recovery::Recreate);
            assert_eq!(p.handle_error(status), Recovery::Recreate);
            // The new sessions failed at once as well: hardware is not coming back.
            assert_eq!(p.handle_error(status), Recovery::FallBack);
            // Required hardware ends instead.
            let mut p = ErrorPolicy::new(false);
            for _ in 0..MAX_RECREATES {
                assert_eq!(p.handle_error(status), Recovery::Recreate);
            }
            assert_eq!(p.handle_error(status), Recovery::Fatal);
        }
    }

    #[test]
    fn a_packet_resets_the_history() {
        let mut p = ErrorPolicy::new(true);
        // Sleep/wake once a night for a week: every time a fresh recreate.
        for _ in 0..7 {
            assert_eq!(p.handle_error(VT_INVALID_SESSION), Recovery::Recreate);
            p.handle_packet();
        }
        for _ in 0..20 {
            assert_eq!(p.handle_error(-12902), Recovery::Retry);
            p.handle_packet();
        }
    }

    #[test]
    fn other_errors_retry_then_fall_back() {
        let mut p = ErrorPolicy::new(true);
        for _ in 1..MAX_FAILURES {
            assert_eq!(p.handle_error(-12902), Recovery::Retry); // kVTParameterErr
        }
        assert_eq!(p.handle_error(-12902), Recovery::FallBack);
        let mut p = ErrorPolicy::new(false);
        for _ in 1..MAX_FAILURES {
            assert_eq!(p.handle_error(-1), Recovery::Retry);
        }
        assert_eq!(p.handle_error(-1), Recovery::Fatal);
        // Mixed: retries do not use up the recreate budget, nor the other way round.
        let mut p = ErrorPolicy::new(true);
        assert_eq!(p.handle_error(-1), Recovery::Retry);
        assert_eq!(p.handle_error(VT_ENCODER_MALFUNCTION), Recovery::Recreate);
        assert_eq!(p.handle_error(-1), Recovery::Retry);
        assert_eq!(p.handle_error(VT_INVALID_SESSION), Recovery::Recreate);
    }

    #[test]
    fn a_failed_rebuild_falls_back_instead_of_ending() {
        let mut p = ErrorPolicy::new(true);
        assert_eq!(p.handle_error(VT_INVALID_SESSION), Recovery::Recreate);
        assert_eq!(p.handle_recreate_failed(), Recovery::FallBack);
        let mut p = ErrorPolicy::new(false);
        assert_eq!(p.handle_error(VT_INVALID_SESSION), Recovery::Recreate);
        assert_eq!(p.handle_recreate_failed(), Recovery::Fatal);
    }
}
