//! The engine's error type, split by who is at fault.

/// Errors from capture backends.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum CaptureError {
    /// The source description is malformed (user input).
    #[error("bad source: {0}")]
    BadSpec(String),
    /// The backend does not exist on this platform.
    #[error("unsupported: {0}")]
    Unsupported(String),
    /// The display server cannot be reached (no X server, wrong DISPLAY).
    #[error("cannot connect to display: {0}")]
    Connect(String),
    /// The OS refused (screen-recording permission, MIT-SHM not allowed).
    #[error("permission denied: {0}")]
    Permission(String),
    /// The requested display or monitor does not exist.
    #[error("no such display: {0}")]
    NoSuchDisplay(String),
    /// The display server or OS framework failed while capturing.
    #[error("capture failed: {0}")]
    Backend(String),
}

/// Errors from the pipeline.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// Capture failed.
    #[error(transparent)]
    Capture(#[from] CaptureError),
    /// The encoder failed or was misconfigured.
    #[error(transparent)]
    Codec(#[from] glass_codecs::Error),
    /// Pipeline configuration is invalid (API misuse).
    #[error("invalid pipeline config: {field} = {value} ({allowed})")]
    InvalidConfig {
        /// The field.
        field: &'static str,
        /// The value given.
        value: String,
        /// What is allowed.
        allowed: &'static str,
    },
    /// A pipeline thread panicked (a bug).
    #[error("pipeline thread {0} panicked")]
    ThreadPanicked(&'static str),
}
