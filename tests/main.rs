//! The integration-test binary: one binary, one module per area.

mod alloc;
mod cli;
mod pipeline;
mod roundtrip;
mod util;
#[cfg(target_os = "linux")]
mod x11;
#[cfg(target_os = "linux")]
mod xvfb;
