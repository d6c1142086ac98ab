//! ScreenCaptureKit capture.
