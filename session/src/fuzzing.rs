//! Entry points for the fuzz targets in `fuzz/` (one-liners there). Not a stable API.

use std::time::{Duration, Instant};

use glass_protocol::{
    Card, Client, ClientMessage, IceCandidate, Level, SdpType, ServerMessage, SessionDescription,
    Side, Signal,
};

use crate::clock::WallClock;
use crate::ids::{SessionId, SessionKey, UserId};
use crate::machine::{Output, Session, SessionConfig, SessionPolicy, Snapshot, State};

fn card(name: &str) -> Card {
    Card {
        name: name.to_owned(),
        title: String::new(),
        company: String::new(),
        picture: None,
        domain: "example.com".to_owned(),
        domain_verified: false,
        vouched: Default::default(),
    }
}

fn rank(level: Option<Level>) -> u8 {
    match level {
        None => 0,
        Some(Level::View) => 1,
        Some(Level::Full) => 2,
    }
}

/// Drives one session with an arbitrary event sequence read from `data`, on simulated time,
/// and checks the invariants after every event:
/// - a refused event changes nothing and emits nothing;
/// - the level rises only through a sharer's `consent` with `allow: true` (never a timeout,
///   never a `state`), and a web sharer never gets `full`;
/// - `signal` is relayed only while active; `consent_result` `allow: true` only on an allow;
/// - `End` is the last output ever, and an ended session refuses everything;
/// - every message sent re-encodes and decodes to itself;
/// - after a `view` policy limit the level is never `full` again.
pub fn session_events(data: &[u8]) {
    let mut bytes = data.iter().copied();
    let setup = bytes.next().unwrap_or(0);
    let t0 = Instant::now();
    let wall = WallClock::new(t0, 1_765_000_000_000);
    let client = if setup & 1 == 0 {
        Client::Agent
    } else {
        Client::Web
    };
    let config = SessionConfig {
        consent_timeout: Duration::from_secs(60),
        policy: SessionPolicy {
            chat: setup & 2 == 0,
            keep_chat_transcripts: setup & 4 == 0,
            clipboard: glass_protocol::ClipboardRule {
                to_helper: setup & 8 == 0,
                to_sharer: setup & 16 == 0,
            },
        },
    };
    let key = SessionKey {
        id: SessionId(7),
        helper: UserId::new("helper"),
    };
    let Ok(mut session) = Session::new(
        key,
        card("Helper"),
        t0 + Duration::from_secs(600),
        wall,
        config,
    ) else {
        return;
    };
    let mut now = t0;
    let mut ended = false;
    let mut last_seq = 0;
    // A `view` limit was applied: full control never comes back in this session.
    let mut limited = false;
    while let Some(op) = bytes.next() {
        let arg = bytes.next().unwrap_or(0);
        now += match op >> 5 {
            0..=3 => Duration::ZERO,
            4 | 5 => Duration::from_millis(u64::from(arg) * 10),
            6 => Duration::from_secs(u64::from(arg)),
            _ => Duration::from_secs(61),
        };
        let side = if arg & 1 == 0 {
            Side::Helper
        } else {
            Side::Sharer
        };
        let level = if arg & 2 == 0 {
            Level::View
        } else {
            Level::Full
        };
        let flag = arg & 4 != 0;
        let before = session.clone();
        let mut allowing = false;
        let result = match (op & 31) % 14 {
            0 => session.handle_sharer_joined(now, UserId::new("sharer"), card("Sharer"), client),
            1 => session.handle_request(now, level),
            2 => {
                allowing = flag;
                session.handle_consent(now, u64::from(arg >> 3), flag)
            }
            3 => session.handle_sharer_state(now, level, flag),
            4 => session.handle_signal(
                now,
                side,
                Signal::Sdp(SessionDescription {
                    kind: SdpType::Offer,
                    sdp: "v=0".to_owned(),
                }),
            ),
            5 => session.handle_signal(
                now,
                side,
                Signal::Candidate(IceCandidate {
                    candidate: String::new(),
                    sdp_mid: None,
                    sdp_m_line_index: None,
                    username_fragment: None,
                }),
            ),
            6 => {
                let text: Vec<u8> = bytes.by_ref().take(usize::from(arg >> 1)).collect();
                session.handle_chat(now, side, &String::from_utf8_lossy(&text))
            }
            7 => session.handle_leave(now, side),
            8 => session.handle_link_lost(now, side),
            9 => session.handle_stop(now),
            10 => {
                let text: Vec<u8> = bytes.by_ref().take(usize::from(arg >> 1)).collect();
                match std::str::from_utf8(&text).map(glass_protocol::decode_client) {
                    Ok(Ok(message)) => {
                        allowing = matches!(message, ClientMessage::Consent { allow: true, .. });
                        session.handle_message(now, side, message)
                    }
                    _ => continue,
                }
            }
            11 => {
                let max = (!flag).then_some(level);
                if max == Some(Level::View) {
                    limited = true;
                }
                session.handle_limit(now, max)
            }
            _ => {
                session.handle_timeout(now);
                Ok(())
            }
        };
        let outputs: Vec<Output> = std::iter::from_fn(|| session.poll_output()).collect();
        if limited && result.is_ok() {
            assert_ne!(session.level(), Some(Level::Full), "above a policy limit");
        }

        if result.is_err() {
            assert_eq!(session, before, "a refused event changed the session");
            assert!(outputs.is_empty(), "a refused event emitted {outputs:?}");
        }
        if ended {
            assert!(
                result.is_err() || outputs.is_empty(),
                "an ended session acted"
            );
        }
        if rank(session.level()) > rank(before.level()) {
            assert!(
                allowing,
                "level rose without an allow: {before:?} -> {session:?}"
            );
        }
        if client == Client::Web {
            assert_ne!(session.level(), Some(Level::Full), "web sharer at full");
        }
        for (i, output) in outputs.iter().enumerate() {
            match output {
                Output::End => {
                    assert!(!ended && i == outputs.len() - 1, "End not last or repeated");
                    assert!(session.is_ended());
                    ended = true;
                }
                Output::Send { message, .. } => {
                    let again = glass_protocol::decode_server(&glass_protocol::encode(message));
                    assert_eq!(again.as_ref(), Ok(message));
                    match message {
                        ServerMessage::Signal(_) => {
                            assert!(matches!(before.state(), State::Active { .. }));
                        }
                        ServerMessage::ConsentResult { allow: true, .. } => assert!(allowing),
                        ServerMessage::ChatMessage { seq, .. } => {
                            assert!(*seq >= last_seq);
                            last_seq = *seq;
                        }
                        _ => {}
                    }
                }
                Output::Audit(_) => {}
            }
        }
        // Any broker may handle the next event: a session read back from its own snapshot
        // is the same session, and every other event goes on with the copy.
        let snap = session.snapshot();
        let copy = Snapshot::decode(&snap.encode())
            .and_then(|s| Session::restore(s, wall, now))
            .expect("a session's own snapshot was refused");
        assert_eq!(
            copy.snapshot(),
            snap,
            "a snapshot did not restore the same session"
        );
        if op & 16 != 0 {
            session = copy;
        }
        if matches!(
            session.state(),
            State::WaitingForSharer { .. }
                | State::AwaitingConsent { .. }
                | State::Active {
                    pending: Some(_),
                    ..
                }
        ) {
            assert!(session.poll_timeout().is_some());
        }
    }
}

/// Reads arbitrary bytes as a session snapshot (as a broker reads one from the shared store)
/// and, when it is accepted, checks that the session it gives snapshots to itself and handles
/// a timeout and a chat line without panicking.
pub fn session_snapshot(data: &[u8]) {
    let t0 = Instant::now();
    let wall = WallClock::new(t0, 1_765_000_000_000);
    let Ok(snapshot) = Snapshot::decode(data) else {
        return;
    };
    let Ok(mut session) = Session::restore(snapshot, wall, t0) else {
        return;
    };
    let again = session.snapshot();
    let copy = Session::restore(again.clone(), wall, t0).expect("own snapshot refused");
    assert_eq!(copy.snapshot(), again);
    session.handle_timeout(t0 + Duration::from_secs(3600));
    let _ = session.handle_chat(t0, Side::Sharer, "hi");
    while session.poll_output().is_some() {}
}

/// Parses arbitrary bytes as a policy file and, when it parses, asks it every question once:
/// never panics.
pub fn policy_file(data: &[u8]) {
    use crate::policy::{Device, Policy, Subject};
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(policy) = Policy::parse(text, "fuzz.toml") else {
        return;
    };
    let groups = vec!["helpdesk".to_owned(), "staff".to_owned()];
    let amr = vec!["mfa".to_owned()];
    let names: Vec<String> = policy.tenant_names().map(str::to_owned).collect();
    for tenant in &names {
        let who = Subject {
            user_id: "local:a",
            tenant,
            groups: &groups,
            amr: &amr,
            addr: std::net::IpAddr::from([10, 0, 0, 1]),
        };
        let _ = policy.may_issue_code(&who);
        let _ = policy.may_join(&who, &who, &Device::unenrolled());
        let _ = policy.max_level(&who, &who, &Device::unenrolled());
        let _ = policy.may_view_reports(&who);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A scripted run through every state: join, view, signals, escalation, take back, chat,
    /// timeouts, leave.
    #[test]
    fn scripted() {
        let hi = 2 << 1;
        session_events(&[
            0, // agent, chat on
            0,
            0, // joined
            1,
            0, // request view
            2,
            (1 << 3) | 4, // consent 1 allow
            4,
            0, // signal from the helper
            5,
            1, // signal from the sharer
            1,
            2, // request full
            2,
            (2 << 3) | 4, // consent 2 allow
            3,
            0, // state: view (take back)
            6,
            hi,
            b'h',
            b'i', // chat
            1,
            2, // request full again
            (7 << 5) | 11,
            0, // 61 s later: timeout declines
            7,
            1, // the sharer leaves
            9,
            0, // stop after the end: refused
        ]);
        // A web sharer asked for full; chat off.
        session_events(&[3, 0, 0, 1, 2, 1, 0, 2, (2 << 3) | 4, 6, hi, b'h', b'i']);
    }

    proptest::proptest! {
        #[test]
        fn any_event_sequence_keeps_the_invariants(
            data in proptest::collection::vec(proptest::prelude::any::<u8>(), 0..400)
        ) {
            session_events(&data);
        }
    }
}

#[cfg(test)]
mod snapshot_tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(512))]

        /// A snapshot with bytes changed is refused or restores to a consistent session.
        #[test]
        fn altered_snapshots(at in 0usize..2000, byte in any::<u8>()) {
            let t0 = Instant::now();
            let wall = WallClock::new(t0, 1_765_000_000_000);
            let key = SessionKey { id: SessionId(1), helper: UserId::new("h") };
            let mut s = Session::new(key, card("H"), t0 + Duration::from_secs(60), wall,
                SessionConfig::default()).unwrap();
            s.handle_sharer_joined(t0, UserId::new("s"), card("S"), Client::Agent).unwrap();
            s.handle_request(t0, Level::View).unwrap();
            s.handle_consent(t0, 1, true).unwrap();
            s.handle_chat(t0, Side::Sharer, "héllo").unwrap();
            s.handle_request(t0, Level::Full).unwrap();
            while s.poll_output().is_some() {}
            let mut bytes = s.snapshot().encode();
            let i = at % bytes.len();
            bytes[i] = byte;
            session_snapshot(&bytes);
        }
    }
}
