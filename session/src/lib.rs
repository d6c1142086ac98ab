//! Glass help sessions, sans-IO: the rules of `docs/session-protocol.md`.
//!
//! - [`code`]: session codes and the [`code::CodeBook`] that issues and redeems them, with
//!   per-user, per-address and global lockouts;
//! - [`machine`]: the broker's [`machine::Session`] state machine for one session;
//! - [`consent`]: the agent's own [`consent::ConsentGate`] (only the local user raises the
//!   level);
//! - [`chat`]: chat text normalisation; [`audit`]: typed audit events with fixed codes;
//! - [`policy`]: who may help whom at what level (roles, scopes, tenant settings, rules).
//!
//! No sockets, no clocks, no threads: every state-changing call takes `now: Instant`, wall
//! time comes from a [`clock::WallClock`] anchor the driver passes in, randomness from an
//! `RngCore` the driver passes in. A broker drives it like this:
//!
//! ```no_run
//! use std::net::{IpAddr, Ipv4Addr};
//! use std::time::Instant;
//! use glass_protocol::{Card, Client, Side, encode};
//! use glass_session::{
//!     clock::WallClock, code::{CodeBook, CodeBookConfig}, ids::UserId,
//!     machine::{Output, Session, SessionConfig},
//! };
//! # fn card() -> Card { unimplemented!() }
//! # fn send(_: Side, _: String) {}
//! let wall = WallClock::system(); // the driver reads the clocks, the core never does
//! let mut book = CodeBook::new(CodeBookConfig::default(), wall)?;
//! let now = Instant::now();
//! // Helper: create_code.
//! let issued = book.issue_os(now, UserId::new("local:ada"))?;
//! send(Side::Helper, encode(&issued.message()));
//! let mut session = Session::new(issued.key.clone(), card(), issued.expires, wall, SessionConfig::default())?;
//! // Sharer: redeem.
//! let ip = IpAddr::V4(Ipv4Addr::LOCALHOST);
//! let key = book.redeem(now, &UserId::new("local:sam"), ip, "4060 r0gx")?;
//! assert_eq!(key, issued.key);
//! session.handle_sharer_joined(now, UserId::new("local:sam"), card(), Client::Agent)?;
//! // Drain after every handle_* call, then arm a timer for poll_timeout().
//! while let Some(output) = session.poll_output() {
//!     match output {
//!         Output::Send { to, message } => send(to, encode(&message)),
//!         Output::Audit(event) => { /* store event.code(), event */ let _ = event; }
//!         Output::End => { /* drop the session */ }
//!     }
//! }
//! let _next_wakeup = session.poll_timeout();
//! # Ok::<(), glass_session::Error>(())
//! ```
//!
//! Errors: one [`Error`] enum, composed of the module errors and split by fault (the remote
//! user, capacity, the local caller); each client-facing error has a `code()` giving the
//! protocol's `error` code.
//!
//! Panic policy: a panic is a bug. Nothing a client sends (codes, messages, chat text, any
//! sequence of events) panics: illegal events are refused and change nothing. The session
//! machine is fuzzed with arbitrary event sequences (`fuzz/fuzz_targets/session_machine.rs`).
#![forbid(unsafe_code)]
#![warn(missing_docs)]

pub mod audit;
pub mod chat;
pub mod clock;
pub mod code;
pub mod consent;
pub mod device;
pub mod error;
#[doc(hidden)]
pub mod fuzzing;
pub mod ids;
pub mod machine;
pub mod policy;
pub mod turn;

pub use clock::WallClock;
pub use error::{ConfigError, Error};
pub use ids::{SessionId, SessionKey, UserId};
