//! The `"v":1` envelope: text frame → message and back, with the size and version checks.

use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::{Map, Value};

use crate::message::{ClientMessage, ConsentReason, ErrorCode, ServerMessage};

/// The protocol version this crate speaks (`"v":1`).
pub const VERSION: u64 = 1;

/// Largest text frame (and HTTP body) accepted: 64 KiB. Larger input is refused before it is
/// parsed.
pub const MAX_FRAME_BYTES: usize = 64 * 1024;

/// Why a frame or body was refused. Every variant is the sender's fault (malformed input from
/// the network); none carries any of the input, so it is safe to log and to answer with.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum DecodeError {
    /// Over [`MAX_FRAME_BYTES`]; not parsed at all.
    #[error("frame too large: {len} bytes (at most {MAX_FRAME_BYTES})")]
    TooLarge {
        /// The frame's length in bytes.
        len: usize,
    },
    /// JSON object whose `v` is missing or not `1`.
    #[error("unsupported protocol version")]
    UnsupportedVersion,
    /// Anything else: not JSON, not an object, unknown `type`, missing, extra or mistyped
    /// fields. `reason` is one of a fixed set of short phrases.
    #[error("malformed message: {reason}")]
    Malformed {
        /// A short fixed phrase ("unknown type", "missing field", …), never input.
        reason: &'static str,
    },
}

impl DecodeError {
    /// The `error` code to answer with.
    pub fn code(self) -> ErrorCode {
        match self {
            DecodeError::TooLarge { .. } => ErrorCode::TooLarge,
            DecodeError::UnsupportedVersion => ErrorCode::UnsupportedVersion,
            DecodeError::Malformed { .. } => ErrorCode::Malformed,
        }
    }
}

fn malformed(reason: &'static str) -> DecodeError {
    DecodeError::Malformed { reason }
}

/// Maps a serde error to a fixed phrase. serde's own text quotes the input ("unknown variant
/// `…`"), so it is classified and dropped, never passed on.
fn reason_of(e: &serde_json::Error) -> &'static str {
    if !e.is_data() {
        return "not JSON";
    }
    let text = e.to_string();
    const KINDS: [(&str, &str); 7] = [
        ("unknown field", "unknown field"),
        ("missing field", "missing field"),
        ("duplicate field", "duplicate field"),
        ("unknown variant", "unknown value"),
        ("invalid type", "wrong field type"),
        ("invalid value", "invalid field value"),
        ("invalid length", "invalid field value"),
    ];
    KINDS
        .iter()
        .find(|(prefix, _)| text.starts_with(prefix))
        .map_or("invalid message", |(_, reason)| reason)
}

/// A message type of one direction: the `type` values it accepts and those without fields.
trait Direction: DeserializeOwned {
    const TYPES: &'static [&'static str];
    const UNIT_TYPES: &'static [&'static str];
    fn check(&self) -> Result<(), DecodeError> {
        Ok(())
    }
}

impl Direction for ClientMessage {
    const TYPES: &'static [&'static str] = &[
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
    ];
    const UNIT_TYPES: &'static [&'static str] = &["leave", "create_code"];
    fn check(&self) -> Result<(), DecodeError> {
        match self {
            ClientMessage::Consent {
                allow: true,
                reason: Some(_),
                ..
            } => Err(malformed("reason only when allow is false")),
            ClientMessage::Consent {
                reason: Some(ConsentReason::Timeout | ConsentReason::Forbidden),
                ..
            } => Err(malformed("a sharer's reason is declined or not_supported")),
            _ => Ok(()),
        }
    }
}

impl Direction for ServerMessage {
    const TYPES: &'static [&'static str] = &[
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
        "signal",
        "chat_message",
        "resumable",
        "resumed",
        "peer_away",
        "peer_back",
        "peer_left",
        "ended",
    ];
    const UNIT_TYPES: &'static [&'static str] = &["peer_away", "peer_back"];
    fn check(&self) -> Result<(), DecodeError> {
        match self {
            ServerMessage::ConsentResult { allow, reason, .. } if *allow == reason.is_some() => {
                Err(malformed(
                    "reason must be present exactly when allow is false",
                ))
            }
            _ => Ok(()),
        }
    }
}

fn parse_object(text: &str) -> Result<Map<String, Value>, DecodeError> {
    if text.len() > MAX_FRAME_BYTES {
        return Err(DecodeError::TooLarge { len: text.len() });
    }
    match serde_json::from_str::<Value>(text) {
        Ok(Value::Object(map)) => Ok(map),
        Ok(_) => Err(malformed("not an object")),
        Err(_) => Err(malformed("not JSON")),
    }
}

fn decode<M: Direction>(text: &str) -> Result<M, DecodeError> {
    let mut map = parse_object(text)?;
    match map.remove("v") {
        Some(Value::Number(n)) if n.as_u64() == Some(VERSION) => {}
        _ => return Err(DecodeError::UnsupportedVersion),
    }
    let ty = match map.get("type") {
        None => return Err(malformed("missing type")),
        Some(Value::String(ty)) => ty.as_str(),
        Some(_) => return Err(malformed("type is not a string")),
    };
    if !M::TYPES.contains(&ty) {
        return Err(malformed("unknown type"));
    }
    // serde ignores extra keys on field-less variants of an internally tagged enum.
    if M::UNIT_TYPES.contains(&ty) && map.len() != 1 {
        return Err(malformed("unknown field"));
    }
    let message: M =
        serde_json::from_value(Value::Object(map)).map_err(|e| malformed(reason_of(&e)))?;
    message.check()?;
    Ok(message)
}

/// Decodes a text frame from a helper or a sharer (what the broker receives).
///
/// Refuses frames over [`MAX_FRAME_BYTES`] before parsing them ([`DecodeError::TooLarge`]),
/// a missing or wrong `v` ([`DecodeError::UnsupportedVersion`]) and everything else that is
/// not exactly a message of `docs/session-protocol.md` ([`DecodeError::Malformed`]). Never
/// panics.
pub fn decode_client(text: &str) -> Result<ClientMessage, DecodeError> {
    decode(text)
}

/// Decodes a text frame from the broker (what the agent and browsers receive). Same checks as
/// [`decode_client`]; also refuses a `consent_result` whose `reason` does not match `allow`.
pub fn decode_server(text: &str) -> Result<ServerMessage, DecodeError> {
    decode(text)
}

/// A message of either direction, for [`encode`]. Sealed: implemented for [`ClientMessage`]
/// and [`ServerMessage`] only.
pub trait Message: Serialize + sealed::Sealed {}
impl Message for ClientMessage {}
impl Message for ServerMessage {}

mod sealed {
    pub trait Sealed {}
    impl Sealed for crate::ClientMessage {}
    impl Sealed for crate::ServerMessage {}
}

/// Encodes a message as one text frame: `{"v":1,"type":…,…}`.
pub fn encode<M: Message>(message: &M) -> String {
    // Both message enums are internally tagged, so they always serialise as a non-empty JSON
    // object: splice `"v":1,` in after its `{`.
    let body = to_json(message);
    let fields = body.strip_prefix('{').unwrap_or(&body);
    format!("{{\"v\":{VERSION},{fields}")
}

/// [`encode`] for a client message.
pub fn encode_client(message: &ClientMessage) -> String {
    encode(message)
}

/// [`encode`] for a server message.
pub fn encode_server(message: &ServerMessage) -> String {
    encode(message)
}

/// Decodes an HTTP JSON body ([`crate::http`] types): the same size limit and input-free
/// errors as the WebSocket messages, no `v`.
pub fn decode_body<T: DeserializeOwned>(text: &str) -> Result<T, DecodeError> {
    let map = parse_object(text)?;
    serde_json::from_value(Value::Object(map)).map_err(|e| malformed(reason_of(&e)))
}

/// Encodes an HTTP JSON body.
pub fn encode_body<T: Serialize>(body: &T) -> String {
    to_json(body)
}

fn to_json<T: Serialize + ?Sized>(value: &T) -> String {
    // Our types hold only strings, integers, booleans, options, structs and string-keyed
    // maps: serde_json cannot fail on them. A failure would be a bug in this crate.
    serde_json::to_string(value).expect("protocol types always serialise")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::message::*;

    #[test]
    fn too_large_is_refused_before_parsing() {
        let pad = "x".repeat(MAX_FRAME_BYTES);
        let text = format!(r#"{{"v":1,"type":"chat","text":"{pad}"}}"#);
        assert_eq!(
            decode_client(&text),
            Err(DecodeError::TooLarge { len: text.len() })
        );
        // Not even JSON: still TooLarge, so nothing was parsed.
        let junk = "{".repeat(MAX_FRAME_BYTES + 1);
        assert!(matches!(
            decode_client(&junk),
            Err(DecodeError::TooLarge { .. })
        ));
        // Exactly at the limit is fine.
        let head = r#"{"v":1,"type":"chat","text":""#;
        let fill = "y".repeat(MAX_FRAME_BYTES - head.len() - 2);
        let text = format!("{head}{fill}\"}}");
        assert_eq!(text.len(), MAX_FRAME_BYTES);
        assert!(decode_client(&text).is_ok());
    }

    #[test]
    fn version_is_checked() {
        for text in [
            r#"{"type":"ping","t":1}"#,
            r#"{"v":2,"type":"ping","t":1}"#,
            r#"{"v":0,"type":"ping","t":1}"#,
            r#"{"v":"1","type":"ping","t":1}"#,
            r#"{"v":1.0,"type":"ping","t":1}"#,
            r#"{"v":null,"type":"ping","t":1}"#,
            r#"{"v":-1,"type":"ping","t":1}"#,
        ] {
            assert_eq!(
                decode_client(text),
                Err(DecodeError::UnsupportedVersion),
                "{text}"
            );
            assert_eq!(decode_server(text), Err(DecodeError::UnsupportedVersion));
        }
    }

    fn reason(r: Result<impl std::fmt::Debug, DecodeError>) -> &'static str {
        match r {
            Err(DecodeError::Malformed { reason }) => reason,
            other => panic!("expected Malformed, got {other:?}"),
        }
    }

    #[test]
    fn malformed_reasons() {
        let cases = [
            ("", "not JSON"),
            ("nope", "not JSON"),
            ("[1]", "not an object"),
            ("\"v\"", "not an object"),
            (r#"{"v":1}"#, "missing type"),
            (r#"{"v":1,"type":7}"#, "type is not a string"),
            (r#"{"v":1,"type":"pong","t":1}"#, "unknown type"),
            (r#"{"v":1,"type":"PING","t":1}"#, "unknown type"),
            (r#"{"v":1,"type":"ping"}"#, "missing field"),
            (r#"{"v":1,"type":"ping","t":1,"x":2}"#, "unknown field"),
            (r#"{"v":1,"type":"leave","x":2}"#, "unknown field"),
            (
                r#"{"v":1,"type":"create_code","code":"x"}"#,
                "unknown field",
            ),
            (r#"{"v":1,"type":"ping","t":"1"}"#, "wrong field type"),
            (r#"{"v":1,"type":"ping","t":-1}"#, "invalid field value"),
            (r#"{"v":1,"type":"ping","t":1.5}"#, "wrong field type"),
            (
                r#"{"v":1,"type":"request","level":"admin"}"#,
                "unknown value",
            ),
            (r#"{"v":1,"type":"signal"}"#, "invalid field value"),
            (
                r#"{"v":1,"type":"signal","sdp":{"type":"offer","sdp":""},"candidate":{"candidate":""}}"#,
                "invalid field value",
            ),
            (
                r#"{"v":1,"type":"signal","sdp":{"type":"offer","sdp":"","x":1}}"#,
                "unknown field",
            ),
        ];
        for (text, want) in cases {
            assert_eq!(reason(decode_client(text)), want, "{text}");
        }
    }

    #[test]
    fn reasons_never_echo_input() {
        let secret = "SECRETSECRET";
        for text in [
            format!(r#"{{"v":1,"type":"{secret}"}}"#),
            format!(r#"{{"v":1,"type":"request","level":"{secret}"}}"#),
            format!(r#"{{"v":1,"type":"ping","t":1,"{secret}":1}}"#),
            format!(r#"{{"v":1,"type":"ping","t":"{secret}"}}"#),
            format!(r#"{{"v":1,"type":"redeem","code":"x","client":"{secret}"}}"#),
            format!(r#"{{"v":1,"{secret}"#),
        ] {
            let e = decode_client(&text).unwrap_err();
            assert!(!format!("{e} {e:?}").contains(secret), "{text}");
            let e = decode_server(&text).unwrap_err();
            assert!(!format!("{e} {e:?}").contains(secret), "{text}");
        }
    }

    #[test]
    fn directions_do_not_mix() {
        assert!(decode_server(r#"{"v":1,"type":"ping","t":1}"#).is_err());
        assert!(decode_client(r#"{"v":1,"type":"pong","t":1}"#).is_err());
        assert!(decode_client(r#"{"v":1,"type":"ended","reason":"left"}"#).is_err());
    }

    #[test]
    fn consent_result_reason_matches_allow() {
        let ok_yes = r#"{"v":1,"type":"consent_result","id":1,"level":"view","allow":true}"#;
        let ok_no = r#"{"v":1,"type":"consent_result","id":1,"level":"view","allow":false,"reason":"timeout"}"#;
        let bad_yes = r#"{"v":1,"type":"consent_result","id":1,"level":"view","allow":true,"reason":"declined"}"#;
        let bad_no = r#"{"v":1,"type":"consent_result","id":1,"level":"view","allow":false}"#;
        assert!(decode_server(ok_yes).is_ok());
        assert!(decode_server(ok_no).is_ok());
        assert!(decode_server(bad_yes).is_err());
        assert!(decode_server(bad_no).is_err());
    }

    #[test]
    fn a_sharers_consent_reason_is_checked() {
        let plain = r#"{"v":1,"type":"consent","id":1,"allow":false}"#;
        let unsupported =
            r#"{"v":1,"type":"consent","id":1,"allow":false,"reason":"not_supported"}"#;
        let allowed_with_reason =
            r#"{"v":1,"type":"consent","id":1,"allow":true,"reason":"declined"}"#;
        let brokers_reason = r#"{"v":1,"type":"consent","id":1,"allow":false,"reason":"timeout"}"#;
        assert!(decode_client(plain).is_ok());
        assert_eq!(
            decode_client(unsupported).ok(),
            Some(ClientMessage::Consent {
                id: 1,
                allow: false,
                reason: Some(ConsentReason::NotSupported)
            })
        );
        assert!(decode_client(allowed_with_reason).is_err());
        assert!(decode_client(brokers_reason).is_err());
        // An old agent's answer has no reason, and one without a reason encodes as before.
        assert_eq!(
            encode_client(&ClientMessage::Consent {
                id: 1,
                allow: false,
                reason: None
            }),
            plain
        );
    }

    #[test]
    fn encode_puts_version_first() {
        assert_eq!(encode(&ClientMessage::Leave), r#"{"v":1,"type":"leave"}"#);
        assert_eq!(
            encode_server(&ServerMessage::Pong { t: 123 }),
            r#"{"v":1,"type":"pong","t":123}"#
        );
        assert_eq!(
            encode_client(&ClientMessage::Request { level: Level::Full }),
            r#"{"v":1,"type":"request","level":"full"}"#
        );
    }

    #[test]
    fn picture_is_validated_on_decode() {
        let card = |pic: &str| {
            format!(
                r#"{{"v":1,"type":"sharer_joined","client":"web","sharer":{{"name":"A","title":"","company":"","picture":{pic},"domain":"a.b","domain_verified":false}}}}"#
            )
        };
        assert!(decode_server(&card("null")).is_ok());
        assert!(decode_server(&card(r#""https://a.b/p.png""#)).is_ok());
        assert_eq!(
            reason(decode_server(&card(r#""javascript:alert(1)""#))),
            "invalid field value"
        );
    }

    #[test]
    fn deep_nesting_does_not_overflow() {
        let text = format!("{}{}", "[".repeat(30_000), "]".repeat(30_000));
        assert!(decode_client(&text).is_err());
        let text = format!(r#"{{"v":1,"type":"chat","text":{}}}"#, "[".repeat(5000));
        assert!(decode_client(&text).is_err());
    }

    #[test]
    fn http_bodies() {
        use crate::http::*;
        let c: Credentials = decode_body(r#"{"username":"ada","password":"pw"}"#).unwrap();
        assert_eq!(c.username, "ada");
        assert!(decode_body::<Credentials>(r#"{"username":"ada"}"#).is_err());
        assert!(decode_body::<Credentials>(r#"{"username":"a","password":"p","x":1}"#).is_err());
        assert_eq!(encode_body(&c), r#"{"username":"ada","password":"pw"}"#);
        let big = format!(
            r#"{{"username":"{}","password":""}}"#,
            "a".repeat(MAX_FRAME_BYTES)
        );
        assert!(matches!(
            decode_body::<Credentials>(&big),
            Err(DecodeError::TooLarge { .. })
        ));
    }
}
