//! Wire-shape tests: every example in `docs/session-protocol.md` is a test vector, and every
//! message round-trips (proptest).

use proptest::prelude::*;
use serde_json::Value;

use crate::http::{Credentials, LoginResponse, TokenResponse};
use crate::*;

const DOC: &str = include_str!("../../docs/session-protocol.md");

/// The card substituted for the doc's `Card` placeholder.
const CARD: &str = r#"{"name":"Ada Lovelace","title":"Support engineer","company":"Contoso","picture":"data:image/png;base64,iVBORw0KGgo=","domain":"contoso.com","domain_verified":true}"#;

/// `(first table column, JSON)` for every backticked `{…}` in a table row of the doc, with
/// `Card` replaced by [`CARD`].
fn doc_examples() -> Vec<(String, String)> {
    let mut out = Vec::new();
    for line in DOC.lines().filter(|l| l.starts_with('|')) {
        let from = line.split('|').nth(1).unwrap_or("").trim().to_owned();
        for (i, part) in line.split('`').enumerate() {
            // HTTP answers read `200 {…}`: drop the status.
            let part = part.trim_start_matches(|c: char| c.is_ascii_digit() || c == ' ');
            if i % 2 == 1 && part.starts_with("{\"") {
                out.push((from.clone(), part.replace(":Card", &format!(":{CARD}"))));
            }
        }
    }
    out
}

fn same_json(a: &str, b: &str) -> bool {
    serde_json::from_str::<Value>(a).unwrap() == serde_json::from_str::<Value>(b).unwrap()
}

#[test]
fn every_websocket_example_in_the_doc_decodes_and_reencodes_exactly() {
    let examples: Vec<_> = doc_examples()
        .into_iter()
        .filter(|(_, json)| json.starts_with(r#"{"v":1,"type":"#))
        .collect();
    // 4 link messages and 24 session messages; a doc edit that breaks extraction shows here.
    assert_eq!(examples.len(), 28, "{examples:#?}");
    let mut seen_types = std::collections::BTreeSet::new();
    for (from, json) in &examples {
        let value: Value = serde_json::from_str(json).unwrap_or_else(|e| panic!("{json}: {e}"));
        seen_types.insert(value["type"].as_str().unwrap().to_owned());
        let broker = from.starts_with("broker");
        if broker || value["type"] == "signal" {
            let m = decode_server(json).unwrap_or_else(|e| panic!("{json}: {e}"));
            assert!(same_json(&encode(&m), json), "{json} -> {}", encode(&m));
        }
        if !broker {
            let m = decode_client(json).unwrap_or_else(|e| panic!("{json}: {e}"));
            assert!(same_json(&encode(&m), json), "{json} -> {}", encode(&m));
        }
    }
    // Every message type of both directions has an example.
    let mut all: Vec<_> = [
        "ping",
        "leave",
        "create_code",
        "redeem",
        "request",
        "consent",
        "state",
        "signal",
        "chat",
        "resume",
        "pong",
        "error",
        "code",
        "joined",
        "sharer_joined",
        "consent_request",
        "consent_result",
        "sharer_state",
        "level_limited",
        "ice_servers",
        "chat_message",
        "resumable",
        "resumed",
        "peer_away",
        "peer_back",
        "peer_left",
        "ended",
    ]
    .map(String::from)
    .to_vec();
    all.sort();
    assert_eq!(seen_types.into_iter().collect::<Vec<_>>(), all);
}

#[test]
fn every_http_example_in_the_doc_decodes_and_reencodes_exactly() {
    let mut n = 0;
    for (_, json) in doc_examples() {
        let again = if json.starts_with(r#"{"username""#) {
            encode_body(&decode_body::<Credentials>(&json).unwrap())
        } else if json.starts_with(r#"{"card""#) {
            encode_body(&decode_body::<LoginResponse>(&json).unwrap())
        } else if json.starts_with(r#"{"token""#) {
            encode_body(&decode_body::<TokenResponse>(&json).unwrap())
        } else {
            continue;
        };
        assert!(same_json(&again, &json), "{json}");
        n += 1;
    }
    // login request and answer, me answer, token request and answer, the agent's OIDC token
    // answer.
    assert_eq!(n, 6);
}

#[test]
fn every_error_code_in_the_doc_is_an_error_code() {
    let section = DOC
        .split("### Error codes")
        .nth(1)
        .and_then(|s| s.split("\n\n").next())
        .unwrap();
    let listed: Vec<&str> = section
        .split('`')
        .enumerate()
        .filter(|(i, _)| i % 2 == 1)
        .map(|(_, s)| s)
        .collect();
    let ours: Vec<&str> = ErrorCode::ALL.iter().map(|c| c.as_str()).collect();
    assert_eq!(listed, ours);
}

fn arb_text() -> impl Strategy<Value = String> {
    prop_oneof![any::<String>(), "[a-zA-Z0-9 …=:.-]{0,40}"]
}

fn arb_level() -> impl Strategy<Value = Level> {
    prop_oneof![Just(Level::View), Just(Level::Full)]
}

fn arb_client() -> impl Strategy<Value = Client> {
    prop_oneof![Just(Client::Agent), Just(Client::Web)]
}

fn arb_reason() -> impl Strategy<Value = EndReason> {
    prop_oneof![
        Just(EndReason::Left),
        Just(EndReason::Lost),
        Just(EndReason::Stopped),
        Just(EndReason::Expired),
        Just(EndReason::Revoked)
    ]
}

fn arb_warnings() -> impl Strategy<Value = Vec<DeviceWarning>> {
    proptest::collection::vec(
        prop_oneof![
            Just(DeviceWarning::DeviceNotEnrolled),
            Just(DeviceWarning::DeviceComplianceUnknown),
            proptest::collection::vec(arb_text(), 0..3)
                .prop_map(|reasons| DeviceWarning::DeviceNotCompliant { reasons }),
        ],
        0..3,
    )
}

fn arb_card() -> impl Strategy<Value = Card> {
    let picture = prop_oneof![
        Just(None),
        "https://[a-z./]{1,30}".prop_map(Some),
        "data:image/(png|jpeg|gif|webp);base64,[A-Za-z0-9+/=]{0,40}".prop_map(Some),
    ];
    (
        arb_text(),
        arb_text(),
        arb_text(),
        picture,
        arb_text(),
        any::<bool>(),
        any::<[bool; 5]>(),
    )
        .prop_map(
            |(name, title, company, picture, domain, domain_verified, v)| Card {
                name,
                title,
                company,
                picture,
                domain,
                domain_verified,
                vouched: glass_protocol_vouched(v),
            },
        )
}

fn glass_protocol_vouched([name, title, company, picture, domain]: [bool; 5]) -> crate::Vouched {
    crate::Vouched {
        name,
        title,
        company,
        picture,
        domain,
    }
}

fn arb_signal() -> impl Strategy<Value = Signal> {
    let kind = prop_oneof![
        Just(SdpType::Offer),
        Just(SdpType::Answer),
        Just(SdpType::Pranswer),
        Just(SdpType::Rollback)
    ];
    prop_oneof![
        (kind, arb_text()).prop_map(|(kind, sdp)| Signal::Sdp(SessionDescription { kind, sdp })),
        (
            arb_text(),
            proptest::option::of(arb_text()),
            proptest::option::of(any::<u16>()),
            proptest::option::of(arb_text())
        )
            .prop_map(
                |(candidate, sdp_mid, sdp_m_line_index, username_fragment)| {
                    Signal::Candidate(IceCandidate {
                        candidate,
                        sdp_mid,
                        sdp_m_line_index,
                        username_fragment,
                    })
                }
            ),
    ]
}

fn arb_client_message() -> impl Strategy<Value = ClientMessage> {
    prop_oneof![
        any::<u64>().prop_map(|t| ClientMessage::Ping { t }),
        Just(ClientMessage::Leave),
        Just(ClientMessage::CreateCode),
        (arb_text(), arb_client()).prop_map(|(code, client)| ClientMessage::Redeem {
            code,
            client,
            device: None
        }),
        arb_level().prop_map(|level| ClientMessage::Request { level }),
        (any::<u64>(), any::<bool>(), any::<bool>()).prop_map(|(id, allow, unsupported)| {
            ClientMessage::Consent {
                id,
                allow,
                reason: (!allow && unsupported).then_some(ConsentReason::NotSupported),
            }
        }),
        (arb_level(), any::<bool>())
            .prop_map(|(level, paused)| ClientMessage::State { level, paused }),
        arb_signal().prop_map(ClientMessage::Signal),
        arb_text().prop_map(|text| ClientMessage::Chat { text }),
        (arb_text(), any::<u64>())
            .prop_map(|(token, chat_after)| ClientMessage::Resume { token, chat_after }),
    ]
}

fn arb_server_message() -> impl Strategy<Value = ServerMessage> {
    let error = proptest::sample::select(ErrorCode::ALL.to_vec());
    let consent = prop_oneof![
        Just(None),
        Just(Some(ConsentReason::Declined)),
        Just(Some(ConsentReason::Timeout)),
        Just(Some(ConsentReason::NotSupported)),
        Just(Some(ConsentReason::Forbidden)),
    ];
    let side = prop_oneof![Just(Side::Helper), Just(Side::Sharer)];
    prop_oneof![
        any::<u64>().prop_map(|t| ServerMessage::Pong { t }),
        (error, arb_text()).prop_map(|(code, message)| ServerMessage::Error { code, message }),
        (arb_text(), arb_text(), any::<u64>()).prop_map(|(code, display, expires_at)| {
            ServerMessage::Code {
                code,
                display,
                expires_at,
            }
        }),
        (
            arb_text(),
            arb_card(),
            proptest::option::of(arb_text()),
            any::<bool>(),
            any::<(bool, bool)>()
        )
            .prop_map(
                |(session, helper, helper_token, chat_kept, (to_helper, to_sharer))| {
                    ServerMessage::Joined {
                        session,
                        helper,
                        helper_token,
                        chat_kept,
                        clipboard: crate::ClipboardRule {
                            to_helper,
                            to_sharer,
                        },
                    }
                }
            ),
        (
            arb_card(),
            arb_client(),
            arb_warnings(),
            arb_level(),
            any::<bool>(),
            any::<(bool, bool)>()
        )
            .prop_map(
                |(sharer, client, warnings, max_level, chat_kept, (to_helper, to_sharer))| {
                    ServerMessage::SharerJoined {
                        sharer,
                        client,
                        warnings,
                        max_level,
                        chat_kept,
                        clipboard: crate::ClipboardRule {
                            to_helper,
                            to_sharer,
                        },
                    }
                }
            ),
        arb_level().prop_map(|level| ServerMessage::LevelLimited { level }),
        arb_text().prop_map(|token| ServerMessage::Resumable { token }),
        (
            proptest::option::of(arb_level()),
            any::<bool>(),
            any::<bool>()
        )
            .prop_map(|(level, paused, peer_present)| ServerMessage::Resumed {
                level,
                paused,
                peer_present
            }),
        Just(ServerMessage::PeerAway),
        Just(ServerMessage::PeerBack),
        (
            proptest::collection::vec(
                (
                    proptest::collection::vec(arb_text(), 0..3),
                    proptest::option::of(arb_text()),
                    proptest::option::of(arb_text())
                ),
                0..3
            ),
            any::<bool>()
        )
            .prop_map(|(servers, relay_only)| ServerMessage::IceServers {
                ice_servers: servers
                    .into_iter()
                    .map(|(urls, username, credential)| crate::IceServer {
                        urls,
                        username,
                        credential
                    })
                    .collect(),
                relay_only,
            }),
        (any::<u64>(), arb_level(), arb_card()).prop_map(|(id, level, helper)| {
            ServerMessage::ConsentRequest { id, level, helper }
        }),
        (any::<u64>(), arb_level(), consent).prop_map(|(id, level, reason)| {
            ServerMessage::ConsentResult {
                id,
                level,
                allow: reason.is_none(),
                reason,
            }
        }),
        (arb_level(), any::<bool>())
            .prop_map(|(level, paused)| ServerMessage::SharerState { level, paused }),
        arb_signal().prop_map(ServerMessage::Signal),
        (any::<u64>(), side, arb_text(), arb_text(), any::<u64>()).prop_map(
            |(seq, from, name, text, at)| ServerMessage::ChatMessage {
                seq,
                from,
                name,
                text,
                at,
            }
        ),
        arb_reason().prop_map(|reason| ServerMessage::PeerLeft { reason }),
        arb_reason().prop_map(|reason| ServerMessage::Ended { reason }),
    ]
}

proptest! {
    #[test]
    fn client_messages_round_trip(m in arb_client_message()) {
        let text = encode(&m);
        prop_assert!(text.starts_with(r#"{"v":1,"type":""#), "{}", text);
        prop_assert_eq!(decode_client(&text), Ok(m));
    }

    #[test]
    fn server_messages_round_trip(m in arb_server_message()) {
        let text = encode(&m);
        prop_assert!(text.starts_with(r#"{"v":1,"type":""#), "{}", text);
        prop_assert_eq!(decode_server(&text), Ok(m));
    }

    #[test]
    fn decoders_never_panic_on_text(text in any::<String>()) {
        crate::fuzzing::decode(text.as_bytes());
    }

    #[test]
    fn decoders_never_panic_on_mutated_messages(
        m in arb_client_message(),
        cut in any::<prop::sample::Index>(),
        byte in any::<u8>(),
    ) {
        let mut bytes = encode(&m).into_bytes();
        let i = cut.index(bytes.len());
        bytes[i] = byte;
        crate::fuzzing::decode(&bytes);
        crate::fuzzing::decode(&bytes[..i]);
    }
}
