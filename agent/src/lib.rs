//! Glass agent: the sharer side of a help session.
//!
//! [`share::Share`] captures the screen, encodes it and streams it over WebRTC to the
//! helper, and injects the helper's input only at the level the sharer allowed. It runs its
//! own threads (capture, encode, transport, input) and, in direct mode, a small HTTP server
//! for WHEP on a thread of its own, so it can be started and dropped from inside a caller's
//! async runtime as well as from plain threads.
//!
//! ```no_run
//! use glass_agent::share::{Share, ShareConfig};
//!
//! let share = Share::start(ShareConfig { source: "synthetic:typing".parse()?, ..ShareConfig::default() })?;
//! println!("viewers open {}", share.url());
//! println!("{}", share.stop()?);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! [`help::run`] joins a help session through a broker; [`local_ui::LocalUi`] is its local
//! approval page (127.0.0.1 only), where the sharer allows, pauses, takes back control, stops
//! and chats. [`helper_identity`] checks who the helper is on this machine, from the
//! helper's issuer, and binds the consent to the helper's own media connection.
//!
//! [`permissions`] is the OS permission preflight (macOS Screen Recording and Accessibility):
//! call [`permissions::preflight`] before sharing to learn what is missing, what to tell the
//! user, which System Settings pane to open and which role is possible. It never prompts.
//! [`help::run`] asks it again when a helper requests full control, and declines that
//! request itself, with the reason, when the machine cannot be controlled.
//!
//! Panic policy: a panic is a bug. Nothing a viewer sends can panic the sharer.
#![forbid(unsafe_code)]

pub mod clipboard;
mod cursor;
pub mod device;
pub mod display;
pub mod help;
pub mod helper_identity;
mod input;
pub mod local_ui;
pub mod share;
pub mod sign_in;

pub use glass_engine::permissions;
pub use input::InputSnapshot;
