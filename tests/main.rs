//! The integration-test binary: one binary, one module per area.

#[cfg(target_os = "linux")]
mod agent_ui;
mod alloc;
mod audit;
mod bench;
#[cfg(target_os = "linux")]
mod binding;
#[cfg(target_os = "linux")]
mod binding_browser;
#[cfg(target_os = "linux")]
mod browser;
mod cli;
#[cfg(target_os = "linux")]
mod clipboard;
mod cluster;
mod cluster_store;
#[cfg(target_os = "linux")]
mod cursor;
mod devices;
#[cfg(target_os = "linux")]
mod displays;
mod faults;
mod help;
#[cfg(target_os = "linux")]
mod help_browser;
mod help_harness;
mod input;
mod load;
mod metrics;
#[cfg(target_os = "linux")]
mod oidc;
mod packaging;
mod pipeline;
mod policy;
mod relay_faults;
#[cfg(target_os = "linux")]
mod reports_browser;
mod roundtrip;
mod security;
mod transport;
mod turn;
#[cfg(target_os = "linux")]
mod turn_browser;
mod util;
#[cfg(target_os = "linux")]
mod wayland;
#[cfg(target_os = "linux")]
mod web_resume;
mod whep;
#[cfg(target_os = "linux")]
mod x11;
#[cfg(target_os = "linux")]
mod xclient;
#[cfg(target_os = "linux")]
mod xvfb;
