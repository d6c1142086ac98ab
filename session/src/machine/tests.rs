use std::time::{Duration, Instant};

use glass_protocol::{
    Card, Client, ClientMessage, ConsentReason, DeviceWarning, EndReason, ErrorCode, IceCandidate,
    Level, SdpType, ServerMessage, SessionDescription, Side, Signal,
};

use super::*;
use crate::audit::AuditKind;
use crate::chat::ChatError;
use crate::clock::WallClock;
use crate::ids::{SessionId, SessionKey, UserId};

const TTL: Duration = Duration::from_secs(600);
const CONSENT: Duration = Duration::from_secs(60);
const UNIX0: u64 = 1_765_000_000_000;

fn card(name: &str) -> Card {
    Card {
        name: name.to_owned(),
        title: "Support engineer".to_owned(),
        company: "Contoso".to_owned(),
        picture: None,
        domain: "contoso.com".to_owned(),
        domain_verified: true,
        vouched: Default::default(),
    }
}

struct Fixture {
    t0: Instant,
    s: Session,
}

fn fixture_with(policy: SessionPolicy) -> Fixture {
    let t0 = Instant::now();
    let key = SessionKey {
        id: SessionId(0xfeed),
        helper: UserId::new("local:ada"),
    };
    let config = SessionConfig {
        consent_timeout: CONSENT,
        policy,
    };
    let s = Session::new(
        key,
        card("Ada"),
        t0 + TTL,
        WallClock::new(t0, UNIX0),
        config,
    )
    .unwrap();
    Fixture { t0, s }
}

fn fixture() -> Fixture {
    fixture_with(SessionPolicy::default())
}

fn drain(s: &mut Session) -> Vec<Output> {
    std::iter::from_fn(|| s.poll_output()).collect()
}

fn sends(outputs: &[Output]) -> Vec<(Side, ServerMessage)> {
    outputs
        .iter()
        .filter_map(|o| match o {
            Output::Send { to, message } => Some((*to, message.clone())),
            _ => None,
        })
        .collect()
}

fn audits(outputs: &[Output]) -> Vec<AuditKind> {
    outputs
        .iter()
        .filter_map(|o| match o {
            Output::Audit(a) => Some(a.what.clone()),
            _ => None,
        })
        .collect()
}

fn offer() -> Signal {
    Signal::Sdp(SessionDescription {
        kind: SdpType::Offer,
        sdp: "v=0".into(),
    })
}

impl Fixture {
    fn join(&mut self, client: Client) {
        self.s
            .handle_sharer_joined(self.t0, UserId::new("local:sam"), card("Sam"), client)
            .unwrap();
        drain(&mut self.s);
    }

    fn grant(&mut self, level: Level) {
        self.s.handle_request(self.t0, level).unwrap();
        let id = match self.s.state() {
            State::AwaitingConsent { id, .. } => *id,
            State::Active {
                pending: Some(p), ..
            } => p.id,
            other => panic!("nothing pending in {other:?}"),
        };
        self.s.handle_consent(self.t0, id, true).unwrap();
        drain(&mut self.s);
    }
}

#[test]
fn happy_path_exact_outputs() {
    let mut f = fixture();
    let t = f.t0;
    assert_eq!(f.s.poll_timeout(), Some(t + TTL));
    f.s.handle_sharer_joined(t, UserId::new("local:sam"), card("Sam"), Client::Agent)
        .unwrap();
    let out = drain(&mut f.s);
    assert_eq!(
        sends(&out),
        [
            (
                Side::Sharer,
                ServerMessage::Joined {
                    session: "000000000000feed".into(),
                    helper: card("Ada"),
                    helper_token: None,
                    chat_kept: false,
                    clipboard: glass_protocol::ClipboardRule {
                        to_helper: true,
                        to_sharer: true,
                    },
                }
            ),
            (
                Side::Helper,
                ServerMessage::SharerJoined {
                    sharer: card("Sam"),
                    client: Client::Agent,
                    warnings: Vec::new(),
                    max_level: Level::Full,
                    chat_kept: false,
                    clipboard: glass_protocol::ClipboardRule {
                        to_helper: true,
                        to_sharer: true,
                    },
                }
            ),
        ]
    );
    assert_eq!(
        audits(&out),
        [AuditKind::SharerJoined {
            client: Client::Agent
        }]
    );
    assert_eq!(f.s.poll_timeout(), None);

    f.s.handle_request(t, Level::View).unwrap();
    let out = drain(&mut f.s);
    assert_eq!(
        sends(&out),
        [(
            Side::Sharer,
            ServerMessage::ConsentRequest {
                id: 1,
                level: Level::View,
                helper: card("Ada")
            }
        )]
    );
    assert_eq!(f.s.poll_timeout(), Some(t + CONSENT));

    f.s.handle_consent(t, 1, true).unwrap();
    let out = drain(&mut f.s);
    assert_eq!(
        sends(&out),
        [(
            Side::Helper,
            ServerMessage::ConsentResult {
                id: 1,
                level: Level::View,
                allow: true,
                reason: None
            }
        )]
    );
    assert_eq!(
        audits(&out),
        [
            AuditKind::ConsentAllowed {
                id: 1,
                level: Level::View
            },
            AuditKind::LevelChanged {
                from: None,
                to: Level::View
            }
        ]
    );
    assert_eq!(f.s.level(), Some(Level::View));

    // Signalling both ways.
    f.s.handle_signal(t, Side::Helper, offer()).unwrap();
    assert_eq!(
        sends(&drain(&mut f.s)),
        [(Side::Sharer, ServerMessage::Signal(offer()))]
    );
    let cand = Signal::Candidate(IceCandidate {
        candidate: "candidate:1 1 udp 1 10.0.0.1 5000 typ host".into(),
        sdp_mid: Some("0".into()),
        sdp_m_line_index: Some(0),
        username_fragment: None,
    });
    f.s.handle_signal(t, Side::Sharer, cand.clone()).unwrap();
    assert_eq!(
        sends(&drain(&mut f.s)),
        [(Side::Helper, ServerMessage::Signal(cand))]
    );

    // Escalation asks again.
    f.s.handle_request(t, Level::Full).unwrap();
    assert_eq!(
        sends(&drain(&mut f.s)),
        [(
            Side::Sharer,
            ServerMessage::ConsentRequest {
                id: 2,
                level: Level::Full,
                helper: card("Ada")
            }
        )]
    );
    f.s.handle_consent(t, 2, true).unwrap();
    let out = drain(&mut f.s);
    assert_eq!(
        audits(&out)[1],
        AuditKind::LevelChanged {
            from: Some(Level::View),
            to: Level::Full
        }
    );
    assert_eq!(f.s.level(), Some(Level::Full));

    // Take back control.
    f.s.handle_sharer_state(t, Level::View, false).unwrap();
    let out = drain(&mut f.s);
    assert_eq!(
        sends(&out),
        [(
            Side::Helper,
            ServerMessage::SharerState {
                level: Level::View,
                paused: false
            }
        )]
    );
    assert_eq!(f.s.level(), Some(Level::View));

    // Ask again, declined: stays at view.
    f.s.handle_request(t, Level::Full).unwrap();
    drain(&mut f.s);
    f.s.handle_consent(t, 3, false).unwrap();
    assert_eq!(
        sends(&drain(&mut f.s)),
        [(
            Side::Helper,
            ServerMessage::ConsentResult {
                id: 3,
                level: Level::Full,
                allow: false,
                reason: Some(ConsentReason::Declined)
            }
        )]
    );
    assert_eq!(f.s.level(), Some(Level::View));

    // The helper leaves.
    f.s.handle_leave(t, Side::Helper).unwrap();
    let out = drain(&mut f.s);
    let left = EndReason::Left;
    assert_eq!(
        sends(&out),
        [
            (Side::Sharer, ServerMessage::PeerLeft { reason: left }),
            (Side::Sharer, ServerMessage::Ended { reason: left }),
            (Side::Helper, ServerMessage::Ended { reason: left }),
        ]
    );
    assert_eq!(audits(&out), [AuditKind::SessionEnded { reason: left }]);
    assert_eq!(out.last(), Some(&Output::End));
    assert!(f.s.is_ended());
    assert_eq!(f.s.poll_output(), None);
}

#[test]
fn first_decline_goes_back_to_joined() {
    let mut f = fixture();
    f.join(Client::Agent);
    f.s.handle_request(f.t0, Level::Full).unwrap();
    f.s.handle_consent(f.t0, 1, false).unwrap();
    assert_eq!(f.s.state(), &State::SharerJoined);
    // And the helper may ask again, with a new id.
    f.s.handle_request(f.t0, Level::View).unwrap();
    assert!(matches!(f.s.state(), State::AwaitingConsent { id: 2, .. }));
}

#[test]
fn agent_that_cannot_be_controlled_declines_full_as_not_supported() {
    // A Mac without Accessibility: the agent answers `full` itself, with its reason.
    let mut f = fixture();
    f.join(Client::Agent);
    f.s.handle_request(f.t0, Level::Full).unwrap();
    drain(&mut f.s);
    f.s.handle_message(
        f.t0,
        Side::Sharer,
        ClientMessage::Consent {
            id: 1,
            allow: false,
            reason: Some(ConsentReason::NotSupported),
        },
    )
    .unwrap();
    let out = drain(&mut f.s);
    assert_eq!(
        sends(&out),
        [(
            Side::Helper,
            ServerMessage::ConsentResult {
                id: 1,
                level: Level::Full,
                allow: false,
                reason: Some(ConsentReason::NotSupported)
            }
        )]
    );
    assert_eq!(
        audits(&out),
        [AuditKind::ConsentNotSupported {
            id: 1,
            level: Level::Full
        }]
    );
    // As after any decline: the helper may ask for view.
    assert_eq!(f.s.state(), &State::SharerJoined);
    f.s.handle_request(f.t0, Level::View).unwrap();
    assert!(matches!(f.s.state(), State::AwaitingConsent { id: 2, .. }));
}

#[test]
fn web_sharer_full_is_not_supported_without_asking() {
    let mut f = fixture();
    f.join(Client::Web);
    f.s.handle_request(f.t0, Level::Full).unwrap();
    let out = drain(&mut f.s);
    assert_eq!(
        sends(&out),
        [(
            Side::Helper,
            ServerMessage::ConsentResult {
                id: 1,
                level: Level::Full,
                allow: false,
                reason: Some(ConsentReason::NotSupported)
            }
        )]
    );
    assert_eq!(
        audits(&out),
        [AuditKind::ConsentNotSupported {
            id: 1,
            level: Level::Full
        }]
    );
    assert_eq!(f.s.state(), &State::SharerJoined);
    // View works; escalation is not supported either.
    f.grant(Level::View);
    f.s.handle_request(f.t0, Level::Full).unwrap();
    let out = drain(&mut f.s);
    assert!(sends(&out).iter().all(|(to, _)| *to == Side::Helper));
    assert_eq!(
        f.s.state(),
        &State::Active {
            level: Level::View,
            paused: false,
            pending: None
        }
    );
}

#[test]
fn consent_timeout_declines_and_never_accepts() {
    let mut f = fixture();
    f.join(Client::Agent);
    f.s.handle_request(f.t0, Level::View).unwrap();
    drain(&mut f.s);
    let deadline = f.t0 + CONSENT;
    f.s.handle_timeout(deadline - Duration::from_millis(1));
    assert!(drain(&mut f.s).is_empty());
    // An allow at the deadline, before the timer fired: refused, nothing changes.
    let before = f.s.clone();
    assert_eq!(
        f.s.handle_consent(deadline, 1, true),
        Err(SessionError::NotAllowed {
            state: StateKind::AwaitingConsent,
            event: EventKind::Consent
        })
    );
    assert_eq!(f.s, before);
    f.s.handle_timeout(deadline);
    let out = drain(&mut f.s);
    let result = ServerMessage::ConsentResult {
        id: 1,
        level: Level::View,
        allow: false,
        reason: Some(ConsentReason::Timeout),
    };
    assert_eq!(
        sends(&out),
        [(Side::Helper, result.clone()), (Side::Sharer, result)]
    );
    assert_eq!(
        audits(&out),
        [AuditKind::ConsentTimedOut {
            id: 1,
            level: Level::View
        }]
    );
    assert_eq!(f.s.state(), &State::SharerJoined);
    assert!(f.s.handle_consent(deadline, 1, true).is_err());
    assert_eq!(f.s.level(), None);
}

#[test]
fn escalation_timeout_keeps_view() {
    let mut f = fixture();
    f.join(Client::Agent);
    f.grant(Level::View);
    f.s.handle_sharer_state(f.t0, Level::View, true).unwrap();
    f.s.handle_request(f.t0, Level::Full).unwrap();
    drain(&mut f.s);
    assert_eq!(f.s.poll_timeout(), Some(f.t0 + CONSENT));
    f.s.handle_timeout(f.t0 + CONSENT);
    drain(&mut f.s);
    assert_eq!(
        f.s.state(),
        &State::Active {
            level: Level::View,
            paused: true,
            pending: None
        }
    );
    assert_eq!(f.s.poll_timeout(), None);
}

#[test]
fn sharer_state_never_raises() {
    let mut f = fixture();
    f.join(Client::Agent);
    f.grant(Level::View);
    let before = f.s.clone();
    assert!(f.s.handle_sharer_state(f.t0, Level::Full, false).is_err());
    assert_eq!(f.s, before);
    // Pause and resume are audited.
    f.s.handle_sharer_state(f.t0, Level::View, true).unwrap();
    assert_eq!(audits(&drain(&mut f.s)), [AuditKind::Paused]);
    f.s.handle_sharer_state(f.t0, Level::View, false).unwrap();
    assert_eq!(audits(&drain(&mut f.s)), [AuditKind::Resumed]);
}

#[test]
fn chat_rules() {
    let mut f = fixture();
    let t = f.t0 + Duration::from_millis(1500);
    assert!(
        f.s.handle_chat(t, Side::Helper, "hi").is_err(),
        "nobody to chat with yet"
    );
    f.join(Client::Web);
    f.s.handle_chat(t, Side::Helper, "cafe\u{301}").unwrap();
    let out = drain(&mut f.s);
    let msg = ServerMessage::ChatMessage {
        seq: 1,
        from: Side::Helper,
        name: "Ada".into(),
        text: "caf\u{e9}".into(),
        at: UNIX0 + 1500,
    };
    assert_eq!(
        sends(&out),
        [(Side::Helper, msg.clone()), (Side::Sharer, msg)]
    );
    // Transcripts off (the default): the audit event has the seq, never the text.
    assert_eq!(audits(&out), [AuditKind::ChatSent { seq: 1, text: None }]);
    f.s.handle_chat(t, Side::Sharer, "مرحبا").unwrap();
    let out = drain(&mut f.s);
    assert!(matches!(
        &sends(&out)[0].1,
        ServerMessage::ChatMessage { seq: 2, from: Side::Sharer, name, .. } if name == "Sam"
    ));
    let before = f.s.clone();
    let err = f.s.handle_chat(t, Side::Sharer, "bell\u{7}").unwrap_err();
    assert_eq!(
        err,
        SessionError::Chat(ChatError::ControlCharacter { code_point: 7 })
    );
    assert_eq!(err.code(), ErrorCode::ChatInvalid);
    assert_eq!(f.s, before);

    // Transcripts on: the audit event carries the text as relayed (NFC).
    let mut kept = fixture_with(SessionPolicy {
        chat: true,
        keep_chat_transcripts: true,
        ..SessionPolicy::default()
    });
    kept.join(Client::Agent);
    kept.s
        .handle_chat(t, Side::Sharer, "مرحبا 👋 cafe\u{301}")
        .unwrap();
    assert_eq!(
        audits(&drain(&mut kept.s)),
        [AuditKind::ChatSent {
            seq: 1,
            text: Some("مرحبا 👋 caf\u{e9}".into())
        }]
    );
    // A refused line is not kept either.
    assert!(kept.s.handle_chat(t, Side::Sharer, "bell\u{7}").is_err());
    assert!(drain(&mut kept.s).is_empty());
    // A reload turns keeping off: the next line keeps no text; chat off refuses lines.
    kept.s.set_policy(SessionPolicy {
        chat: true,
        keep_chat_transcripts: false,
        ..SessionPolicy::default()
    });
    kept.s.handle_chat(t, Side::Helper, "ok").unwrap();
    assert_eq!(
        audits(&drain(&mut kept.s)),
        [AuditKind::ChatSent { seq: 2, text: None }]
    );
    // Turned on again mid-session: not for this session (nobody in it joined under it).
    kept.s.set_policy(SessionPolicy {
        chat: true,
        keep_chat_transcripts: true,
        ..SessionPolicy::default()
    });
    kept.s
        .handle_chat(t, Side::Helper, "still not kept")
        .unwrap();
    assert_eq!(
        audits(&drain(&mut kept.s)),
        [AuditKind::ChatSent { seq: 3, text: None }]
    );
    kept.s.set_policy(SessionPolicy {
        chat: false,
        keep_chat_transcripts: false,
        ..SessionPolicy::default()
    });
    assert_eq!(
        kept.s.handle_chat(t, Side::Helper, "ok"),
        Err(SessionError::ChatDisabled)
    );

    let mut off = fixture_with(SessionPolicy {
        chat: false,
        keep_chat_transcripts: true,
        ..SessionPolicy::default()
    });
    off.join(Client::Agent);
    assert_eq!(
        off.s.handle_chat(t, Side::Helper, "hi"),
        Err(SessionError::ChatDisabled)
    );
    assert_eq!(SessionError::ChatDisabled.code(), ErrorCode::ChatDisabled);
    assert!(drain(&mut off.s).is_empty());
}

#[test]
fn both_sides_are_told_when_chat_is_kept() {
    for (chat, keep, told) in [
        (true, true, true),
        (true, false, false),
        (false, true, false),
    ] {
        let mut f = fixture_with(SessionPolicy {
            chat,
            keep_chat_transcripts: keep,
            ..SessionPolicy::default()
        });
        f.s.handle_sharer_joined(f.t0, UserId::new("sam"), card("Sam"), Client::Agent)
            .unwrap();
        let out = drain(&mut f.s);
        let kept: Vec<bool> = sends(&out)
            .iter()
            .filter_map(|(_, m)| match m {
                ServerMessage::Joined { chat_kept, .. }
                | ServerMessage::SharerJoined { chat_kept, .. } => Some(*chat_kept),
                _ => None,
            })
            .collect();
        assert_eq!(kept, [told, told], "chat {chat}, keep {keep}");
    }
}

#[test]
fn code_expiry_ends_a_waiting_session() {
    let mut f = fixture();
    f.s.handle_timeout(f.t0 + TTL - Duration::from_millis(1));
    assert!(drain(&mut f.s).is_empty());
    assert!(
        f.s.handle_sharer_joined(f.t0 + TTL, UserId::new("x"), card("X"), Client::Agent)
            .is_err(),
        "joining at the expiry instant is too late"
    );
    f.s.handle_timeout(f.t0 + TTL);
    let out = drain(&mut f.s);
    assert_eq!(
        sends(&out),
        [(
            Side::Helper,
            ServerMessage::Ended {
                reason: EndReason::Expired
            }
        )]
    );
    assert_eq!(out.last(), Some(&Output::End));
}

#[test]
fn link_lost_and_stop() {
    let mut f = fixture();
    f.join(Client::Agent);
    f.s.handle_link_lost(f.t0, Side::Sharer).unwrap();
    let lost = EndReason::Lost;
    assert_eq!(
        sends(&drain(&mut f.s)),
        [
            (Side::Helper, ServerMessage::PeerLeft { reason: lost }),
            (Side::Helper, ServerMessage::Ended { reason: lost }),
        ]
    );

    let mut f = fixture();
    f.join(Client::Agent);
    f.s.handle_stop(f.t0).unwrap();
    let stopped = EndReason::Stopped;
    let out = drain(&mut f.s);
    assert_eq!(
        sends(&out),
        [
            (Side::Helper, ServerMessage::Ended { reason: stopped }),
            (Side::Sharer, ServerMessage::Ended { reason: stopped }),
        ]
    );

    // A helper alone: leaving ends it, with one `ended`.
    let mut f = fixture();
    f.s.handle_leave(f.t0, Side::Helper).unwrap();
    assert_eq!(
        sends(&drain(&mut f.s)),
        [(
            Side::Helper,
            ServerMessage::Ended {
                reason: EndReason::Left
            }
        )]
    );
}

#[test]
fn signal_too_large_to_relay() {
    let mut f = fixture();
    f.join(Client::Agent);
    f.grant(Level::View);
    let big = Signal::Sdp(SessionDescription {
        kind: SdpType::Offer,
        sdp: "a".repeat(glass_protocol::MAX_FRAME_BYTES),
    });
    let before = f.s.clone();
    assert_eq!(
        f.s.handle_signal(f.t0, Side::Helper, big),
        Err(SessionError::TooLarge)
    );
    assert_eq!(f.s, before);
}

#[test]
fn config_is_validated() {
    let key = SessionKey {
        id: SessionId(1),
        helper: UserId::new("h"),
    };
    let t0 = Instant::now();
    let config = SessionConfig {
        consent_timeout: Duration::ZERO,
        ..SessionConfig::default()
    };
    let err = Session::new(key, card("A"), t0, WallClock::new(t0, 0), config).unwrap_err();
    assert_eq!(err.field, "consent_timeout");
}

#[test]
fn a_policy_limit_lowers_control_cancels_what_it_forbids_and_never_raises() {
    // Full control in force: lowered to view, both sides told, audited as the broker's doing.
    let mut f = fixture();
    f.join(Client::Agent);
    f.grant(Level::Full);
    f.s.handle_limit(f.t0, Some(Level::View)).unwrap();
    let out = drain(&mut f.s);
    assert_eq!(f.s.level(), Some(Level::View));
    assert_eq!(
        sends(&out),
        [
            (
                Side::Helper,
                ServerMessage::LevelLimited { level: Level::View }
            ),
            (
                Side::Sharer,
                ServerMessage::LevelLimited { level: Level::View }
            ),
        ]
    );
    assert_eq!(
        audits(&out),
        [AuditKind::LevelChanged {
            from: Some(Level::Full),
            to: Level::View
        }]
    );
    // Asking for full again is refused by the machine too.
    assert_eq!(
        f.s.handle_request(f.t0, Level::Full),
        Err(SessionError::Forbidden)
    );
    // Allowing more again grants nothing by itself.
    f.s.handle_limit(f.t0, Some(Level::Full)).unwrap();
    assert!(drain(&mut f.s).is_empty());
    assert_eq!(f.s.level(), Some(Level::View));

    // A pending escalation to full is answered `forbidden` to both, view stays.
    let mut f = fixture();
    f.join(Client::Agent);
    f.grant(Level::View);
    f.s.handle_request(f.t0, Level::Full).unwrap();
    drain(&mut f.s);
    f.s.handle_limit(f.t0, Some(Level::View)).unwrap();
    let out = drain(&mut f.s);
    let forbidden = ServerMessage::ConsentResult {
        id: 2,
        level: Level::Full,
        allow: false,
        reason: Some(ConsentReason::Forbidden),
    };
    assert_eq!(
        sends(&out),
        [(Side::Helper, forbidden.clone()), (Side::Sharer, forbidden)]
    );
    assert_eq!(f.s.level(), Some(Level::View));
    // The sharer's late allow of the cancelled request grants nothing.
    assert!(f.s.handle_consent(f.t0, 2, true).is_err());
    assert_eq!(f.s.level(), Some(Level::View));

    // A first request for full waiting for the sharer: back to joined.
    let mut f = fixture();
    f.join(Client::Agent);
    f.s.handle_request(f.t0, Level::Full).unwrap();
    drain(&mut f.s);
    f.s.handle_limit(f.t0, Some(Level::View)).unwrap();
    drain(&mut f.s);
    assert_eq!(f.s.state().kind(), StateKind::SharerJoined);
    assert!(f.s.handle_consent(f.t0, 1, true).is_err());

    // Nothing allowed any more: the session ends, `revoked`, for both.
    let mut f = fixture();
    f.join(Client::Agent);
    f.grant(Level::Full);
    f.s.handle_limit(f.t0, None).unwrap();
    let out = drain(&mut f.s);
    let ended = ServerMessage::Ended {
        reason: EndReason::Revoked,
    };
    assert_eq!(
        sends(&out),
        [(Side::Helper, ended.clone()), (Side::Sharer, ended)]
    );
    assert!(f.s.is_ended());
    assert_eq!(out.last(), Some(&Output::End));
}

#[test]
fn join_with_warnings_tells_the_helper_and_caps_requests() {
    let mut f = fixture();
    f.s.handle_sharer_joined_with(
        f.t0,
        UserId::new("local:sam"),
        card("Sam"),
        Client::Agent,
        vec![DeviceWarning::DeviceNotEnrolled],
        Level::View,
    )
    .unwrap();
    let out = drain(&mut f.s);
    assert!(sends(&out).contains(&(
        Side::Helper,
        ServerMessage::SharerJoined {
            sharer: card("Sam"),
            client: Client::Agent,
            warnings: vec![DeviceWarning::DeviceNotEnrolled],
            max_level: Level::View,
            chat_kept: false,
            clipboard: glass_protocol::ClipboardRule {
                to_helper: true,
                to_sharer: true,
            },
        }
    )));
    assert_eq!(
        f.s.handle_request(f.t0, Level::Full),
        Err(SessionError::Forbidden)
    );
    assert!(
        drain(&mut f.s).is_empty(),
        "a refused request sends nothing"
    );
    f.s.handle_request(f.t0, Level::View).unwrap();
}

// ---------------------------------------------------------------------------------------------
// The table: every (state, event) pair, legal or not.
// ---------------------------------------------------------------------------------------------

/// A named state to start from.
fn states() -> Vec<(&'static str, Session)> {
    let mut out = Vec::new();
    let f = fixture();
    out.push(("waiting", f.s.clone()));
    let mut agent = fixture();
    agent.join(Client::Agent);
    out.push(("joined_agent", agent.s.clone()));
    let mut web = fixture();
    web.join(Client::Web);
    out.push(("joined_web", web.s.clone()));
    let mut awaiting = fixture();
    awaiting.join(Client::Agent);
    awaiting.s.handle_request(awaiting.t0, Level::View).unwrap();
    drain(&mut awaiting.s);
    out.push(("awaiting", awaiting.s.clone()));
    let mut view = fixture();
    view.join(Client::Agent);
    view.grant(Level::View);
    out.push(("active_view", view.s.clone()));
    let mut full = fixture();
    full.join(Client::Agent);
    full.grant(Level::Full);
    out.push(("active_full", full.s.clone()));
    let mut paused = view.s.clone();
    paused
        .handle_sharer_state(view.t0, Level::View, true)
        .unwrap();
    drain(&mut paused);
    out.push(("active_paused", paused));
    let mut pending = view.s.clone();
    pending.handle_request(view.t0, Level::Full).unwrap();
    drain(&mut pending);
    out.push(("active_pending", pending));
    let mut web_view = fixture();
    web_view.join(Client::Web);
    web_view.grant(Level::View);
    out.push(("active_web", web_view.s.clone()));
    let mut ended = agent.s.clone();
    ended.handle_stop(agent.t0).unwrap();
    drain(&mut ended);
    out.push(("ended", ended));
    out
}

type Event = fn(&mut Session, Instant) -> Result<(), SessionError>;

/// The id of whatever request is pending (1 if none).
fn pending_id(s: &Session) -> u64 {
    match s.state() {
        State::AwaitingConsent { id, .. } => *id,
        State::Active {
            pending: Some(p), ..
        } => p.id,
        _ => 1,
    }
}

fn events() -> Vec<(&'static str, EventKind, Event)> {
    use ClientMessage as C;
    fn ev(name: &'static str, kind: EventKind, f: Event) -> (&'static str, EventKind, Event) {
        (name, kind, f)
    }
    vec![
        ev("joined", EventKind::SharerJoined, |s, t| {
            s.handle_sharer_joined(t, UserId::new("u"), card("U"), Client::Agent)
        }),
        ev("request_view", EventKind::Request, |s, t| {
            s.handle_message(t, Side::Helper, C::Request { level: Level::View })
        }),
        ev("request_full", EventKind::Request, |s, t| {
            s.handle_message(t, Side::Helper, C::Request { level: Level::Full })
        }),
        ev("request_by_sharer", EventKind::Request, |s, t| {
            s.handle_message(t, Side::Sharer, C::Request { level: Level::View })
        }),
        ev("consent_yes", EventKind::Consent, |s, t| {
            let id = pending_id(s);
            s.handle_message(
                t,
                Side::Sharer,
                C::Consent {
                    id,
                    allow: true,
                    reason: None,
                },
            )
        }),
        ev("consent_no", EventKind::Consent, |s, t| {
            let id = pending_id(s);
            s.handle_message(
                t,
                Side::Sharer,
                C::Consent {
                    id,
                    allow: false,
                    reason: None,
                },
            )
        }),
        ev("consent_stale", EventKind::Consent, |s, t| {
            s.handle_message(
                t,
                Side::Sharer,
                C::Consent {
                    id: 99,
                    allow: true,
                    reason: None,
                },
            )
        }),
        ev("consent_by_helper", EventKind::Consent, |s, t| {
            let id = pending_id(s);
            s.handle_message(
                t,
                Side::Helper,
                C::Consent {
                    id,
                    allow: true,
                    reason: None,
                },
            )
        }),
        ev("state_view", EventKind::State, |s, t| {
            s.handle_message(
                t,
                Side::Sharer,
                C::State {
                    level: Level::View,
                    paused: false,
                },
            )
        }),
        ev("state_paused", EventKind::State, |s, t| {
            s.handle_message(
                t,
                Side::Sharer,
                C::State {
                    level: Level::View,
                    paused: true,
                },
            )
        }),
        ev("state_full", EventKind::State, |s, t| {
            s.handle_message(
                t,
                Side::Sharer,
                C::State {
                    level: Level::Full,
                    paused: false,
                },
            )
        }),
        ev("state_by_helper", EventKind::State, |s, t| {
            s.handle_message(
                t,
                Side::Helper,
                C::State {
                    level: Level::View,
                    paused: false,
                },
            )
        }),
        ev("signal_helper", EventKind::Signal, |s, t| {
            s.handle_message(t, Side::Helper, C::Signal(offer()))
        }),
        ev("signal_sharer", EventKind::Signal, |s, t| {
            s.handle_message(t, Side::Sharer, C::Signal(offer()))
        }),
        ev("chat_helper", EventKind::Chat, |s, t| {
            s.handle_message(t, Side::Helper, C::Chat { text: "hi".into() })
        }),
        ev("chat_sharer", EventKind::Chat, |s, t| {
            s.handle_message(t, Side::Sharer, C::Chat { text: "hi".into() })
        }),
        ev("leave_helper", EventKind::Leave, |s, t| {
            s.handle_message(t, Side::Helper, C::Leave)
        }),
        ev("leave_sharer", EventKind::Leave, |s, t| {
            s.handle_message(t, Side::Sharer, C::Leave)
        }),
        ev("lost_helper", EventKind::LinkLost, |s, t| {
            s.handle_link_lost(t, Side::Helper)
        }),
        ev("lost_sharer", EventKind::LinkLost, |s, t| {
            s.handle_link_lost(t, Side::Sharer)
        }),
        ev("stop", EventKind::Stop, |s, t| s.handle_stop(t)),
        ev("limit_view", EventKind::Limit, |s, t| {
            s.handle_limit(t, Some(Level::View))
        }),
        ev("limit_none", EventKind::Limit, |s, t| {
            s.handle_limit(t, None)
        }),
        ev("ping", EventKind::Ping, |s, t| {
            s.handle_message(t, Side::Helper, C::Ping { t: 1 })
        }),
        ev("create_code", EventKind::CreateCode, |s, t| {
            s.handle_message(t, Side::Helper, C::CreateCode)
        }),
        ev("redeem", EventKind::Redeem, |s, t| {
            s.handle_message(
                t,
                Side::Sharer,
                C::Redeem {
                    code: "4060R0GX".into(),
                    client: Client::Agent,
                    device: None,
                },
            )
        }),
        ev(
            "timeout_early",
            EventKind::Stop, /* never refused */
            |s, t| {
                s.handle_timeout(t);
                Ok(())
            },
        ),
    ]
}

/// The legal events of each state; every other pair must be refused.
fn legal(state: &str) -> &'static [&'static str] {
    match state {
        "waiting" => &[
            "joined",
            "leave_helper",
            "lost_helper",
            "stop",
            "limit_view",
            "limit_none",
            "timeout_early",
        ],
        "joined_agent" | "joined_web" => &[
            "request_view",
            "request_full",
            "chat_helper",
            "chat_sharer",
            "leave_helper",
            "leave_sharer",
            "lost_helper",
            "lost_sharer",
            "stop",
            "limit_view",
            "limit_none",
            "timeout_early",
        ],
        "awaiting" => &[
            "consent_yes",
            "consent_no",
            "chat_helper",
            "chat_sharer",
            "leave_helper",
            "leave_sharer",
            "lost_helper",
            "lost_sharer",
            "stop",
            "limit_view",
            "limit_none",
            "timeout_early",
        ],
        "active_view" | "active_paused" | "active_web" => &[
            "request_full",
            "state_view",
            "state_paused",
            "signal_helper",
            "signal_sharer",
            "chat_helper",
            "chat_sharer",
            "leave_helper",
            "leave_sharer",
            "lost_helper",
            "lost_sharer",
            "stop",
            "limit_view",
            "limit_none",
            "timeout_early",
        ],
        "active_full" => &[
            "state_view",
            "state_paused",
            "state_full",
            "signal_helper",
            "signal_sharer",
            "chat_helper",
            "chat_sharer",
            "leave_helper",
            "leave_sharer",
            "lost_helper",
            "lost_sharer",
            "stop",
            "limit_view",
            "limit_none",
            "timeout_early",
        ],
        "active_pending" => &[
            "consent_yes",
            "consent_no",
            "state_view",
            "state_paused",
            "signal_helper",
            "signal_sharer",
            "chat_helper",
            "chat_sharer",
            "leave_helper",
            "leave_sharer",
            "lost_helper",
            "lost_sharer",
            "stop",
            "limit_view",
            "limit_none",
            "timeout_early",
        ],
        "ended" => &["timeout_early"],
        other => panic!("no row for {other}"),
    }
}

#[test]
fn table_every_state_and_event() {
    let states = states();
    let events = events();
    let mut checked = 0;
    for (state_name, start) in &states {
        let legal = legal(state_name);
        for (event_name, kind, event) in &events {
            let mut s = start.clone();
            assert_eq!(s.poll_output(), None, "{state_name}: fixture not drained");
            // Early enough that no deadline has passed.
            let t = match s.poll_timeout() {
                Some(deadline) => deadline - Duration::from_secs(1),
                None => Instant::now(),
            };
            let result = event(&mut s, t);
            let outputs = drain(&mut s);
            if legal.contains(event_name) {
                assert_eq!(
                    result,
                    Ok(()),
                    "{state_name} + {event_name} should be legal"
                );
            } else {
                assert_eq!(
                    result,
                    Err(SessionError::NotAllowed {
                        state: start.state().kind(),
                        event: *kind
                    }),
                    "{state_name} + {event_name} should be refused"
                );
                assert_eq!(&s, start, "{state_name} + {event_name} changed the session");
                assert!(outputs.is_empty(), "{state_name} + {event_name} emitted");
            }
            checked += 1;
        }
        // Every name in the row is a real event.
        for name in legal {
            assert!(
                events.iter().any(|(n, _, _)| n == name),
                "unknown event {name}"
            );
        }
    }
    assert_eq!(checked, states.len() * events.len());
}
