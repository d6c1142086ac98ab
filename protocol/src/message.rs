//! The WebSocket messages: what clients send ([`ClientMessage`]) and what the broker sends
//! ([`ServerMessage`]), plus the small enums and the [`Card`] they carry.
//!
//! The Rust shapes mirror the JSON in `docs/session-protocol.md` one to one: every message is
//! an object tagged by `"type"`; the `"v":1` envelope is added and checked by
//! [`crate::encode_client`] / [`crate::decode_client`] and friends, not by these types.

use serde::{Deserialize, Deserializer, Serialize};

/// What the helper may do on the sharer's screen. `View < Full`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Level {
    /// See the screen.
    View,
    /// See the screen and send mouse and keyboard input.
    Full,
}

/// Which program the sharer runs.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Client {
    /// The native agent: can grant `view` and `full`.
    Agent,
    /// A browser: `view` only (browsers cannot inject input).
    Web,
}

/// The two ends of a help session.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Side {
    /// The person helping: always a browser.
    Helper,
    /// The person sharing their screen: the agent or a browser.
    Sharer,
}

impl Side {
    /// The other end.
    pub fn other(self) -> Side {
        match self {
            Side::Helper => Side::Sharer,
            Side::Sharer => Side::Helper,
        }
    }
}

fn full() -> Level {
    Level::Full
}

/// Which way clipboard text may go in a session, by the organisation's setting (the sharer's
/// agent enforces it, with its own user's setting, and only while the helper has full
/// control). Absent: neither way.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct ClipboardRule {
    /// What the sharer copies may reach the helper.
    #[serde(default)]
    pub to_helper: bool,
    /// What the helper copies may be pasted on the sharer's machine.
    #[serde(default)]
    pub to_sharer: bool,
}

impl ClipboardRule {
    /// Neither way.
    pub fn is_off(&self) -> bool {
        !self.to_helper && !self.to_sharer
    }
}

/// Why a `consent_result` did not allow the request.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ConsentReason {
    /// The sharer clicked Decline.
    Declined,
    /// Nobody answered within 60 s.
    Timeout,
    /// A web sharer was asked for `full`: browsers cannot be controlled.
    NotSupported,
    /// The organisation's policy stopped allowing this level while the request was pending
    /// (sent to both sides, so the sharer's prompt closes).
    Forbidden,
}

/// Why a session ended (`peer_left.reason`, `ended.reason`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EndReason {
    /// A side sent `leave`.
    Left,
    /// A side's link closed or went silent for 1.5 s.
    Lost,
    /// The broker ended the session (shutdown, an administrator, the helper's code replaced).
    Stopped,
    /// The code expired before a sharer redeemed it.
    Expired,
    /// The organisation's policy no longer lets the helper help this sharer (a role removed,
    /// the tenant switched off, a device record changed).
    Revoked,
}

/// Error codes of the `error` message, also Fluent message ids (`error-<code>`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ErrorCode {
    /// Not JSON, unknown `type`, missing or extra fields, wrong field types, binary frame.
    Malformed,
    /// `v` missing or not `1`.
    UnsupportedVersion,
    /// Frame over 64 KiB.
    TooLarge,
    /// Wrong state or wrong role for this message.
    NotAllowed,
    /// No such code, or expired, or used (one answer: the code space is not probed).
    CodeInvalid,
    /// Too many failed codes from this user or this address: 15 min.
    LockedOut,
    /// The global failure budget is spent; try later.
    Busy,
    /// Chat is switched off for this tenant.
    ChatDisabled,
    /// Chat text refused (empty, too long, control characters).
    ChatInvalid,
    /// Too many messages.
    RateLimited,
    /// The broker failed; nothing the client did.
    Internal,
    /// The organisation's policy does not allow this (role, scope, tenant, device or an
    /// access rule); `message` says which, in words an administrator chose or fixed ones.
    Forbidden,
}

impl ErrorCode {
    /// Every code, in the order of the protocol document.
    pub const ALL: [ErrorCode; 12] = [
        ErrorCode::Malformed,
        ErrorCode::UnsupportedVersion,
        ErrorCode::TooLarge,
        ErrorCode::NotAllowed,
        ErrorCode::CodeInvalid,
        ErrorCode::LockedOut,
        ErrorCode::Busy,
        ErrorCode::ChatDisabled,
        ErrorCode::ChatInvalid,
        ErrorCode::RateLimited,
        ErrorCode::Internal,
        ErrorCode::Forbidden,
    ];

    /// The wire string (`"code_invalid"`); the Fluent id is `error-` followed by it.
    pub fn as_str(self) -> &'static str {
        match self {
            ErrorCode::Malformed => "malformed",
            ErrorCode::UnsupportedVersion => "unsupported_version",
            ErrorCode::TooLarge => "too_large",
            ErrorCode::NotAllowed => "not_allowed",
            ErrorCode::CodeInvalid => "code_invalid",
            ErrorCode::LockedOut => "locked_out",
            ErrorCode::Busy => "busy",
            ErrorCode::ChatDisabled => "chat_disabled",
            ErrorCode::ChatInvalid => "chat_invalid",
            ErrorCode::RateLimited => "rate_limited",
            ErrorCode::Internal => "internal",
            ErrorCode::Forbidden => "forbidden",
        }
    }

    /// The English text for the `message` field. Fixed per code: never internals, never input.
    pub fn english(self) -> &'static str {
        match self {
            ErrorCode::Malformed => "The message could not be understood.",
            ErrorCode::UnsupportedVersion => "This protocol version is not supported.",
            ErrorCode::TooLarge => "The message is too large.",
            ErrorCode::NotAllowed => "That is not allowed now.",
            ErrorCode::CodeInvalid => "That code is not valid. Check it and try again.",
            ErrorCode::LockedOut => "Too many wrong codes. Try again in 15 minutes.",
            ErrorCode::Busy => "The service is busy. Try again in a minute.",
            ErrorCode::ChatDisabled => "Chat is switched off.",
            ErrorCode::ChatInvalid => "That message cannot be sent.",
            ErrorCode::RateLimited => "Too many messages. Slow down.",
            ErrorCode::Internal => "Something went wrong on our side.",
            ErrorCode::Forbidden => "Your organisation's policy does not allow this.",
        }
    }
}

/// Largest `Card.picture` accepted, in bytes, so that a message carrying two cards stays far
/// below the 64 KiB frame limit.
pub const MAX_PICTURE_BYTES: usize = 32 * 1024;

/// Who someone is, as shown to the other side.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Card {
    /// Display name: "Ada Lovelace".
    pub name: String,
    /// Job title: "Support engineer".
    pub title: String,
    /// Organisation: "Contoso".
    pub company: String,
    /// `data:image/{png,jpeg,gif,webp};base64,…` or `https://…`, at most
    /// [`MAX_PICTURE_BYTES`]; `null` for none.
    #[serde(default, deserialize_with = "deserialize_picture")]
    pub picture: Option<String>,
    /// The e-mail domain of the account: "contoso.com".
    pub domain: String,
    /// Whether the broker verified that the account belongs to `domain`.
    pub domain_verified: bool,
    /// Which fields the identity issuer vouched for: they came from claims in a token the
    /// issuer signed and the broker verified. Absent (all false) for local accounts, whose
    /// card the broker's administrator wrote (`docs/identity.md`).
    #[serde(default, skip_serializing_if = "Vouched::is_none")]
    pub vouched: Vouched,
}

/// The fields of a [`Card`] that come from an identity issuer's signed claims.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Vouched {
    /// `name`.
    pub name: bool,
    /// `title`.
    pub title: bool,
    /// `company`.
    pub company: bool,
    /// `picture`.
    pub picture: bool,
    /// `domain` (an e-mail address the issuer marked verified).
    pub domain: bool,
}

impl Vouched {
    /// No field vouched for (a local account).
    pub fn is_none(&self) -> bool {
        *self == Vouched::default()
    }
}

/// Whether `picture` is an acceptable [`Card::picture`]: a raster `data:` URL or an `https:`
/// URL, at most [`MAX_PICTURE_BYTES`]. Anything else (`javascript:`, `http:`, SVG) is refused.
pub fn picture_ok(picture: &str) -> bool {
    const PREFIXES: [&str; 5] = [
        "https://",
        "data:image/png;base64,",
        "data:image/jpeg;base64,",
        "data:image/gif;base64,",
        "data:image/webp;base64,",
    ];
    picture.len() <= MAX_PICTURE_BYTES && PREFIXES.iter().any(|p| picture.starts_with(p))
}

fn deserialize_picture<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    let picture = Option::<String>::deserialize(d)?;
    match picture {
        Some(p) if !picture_ok(&p) => Err(serde::de::Error::custom("invalid value: picture")),
        other => Ok(other),
    }
}

/// The agent proves which device it runs on: its Ed25519 public key and a signature over
/// `"glass-device-proof/1\n" + device_challenge + "\n" + canonical code`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DeviceProof {
    /// The public key, 32 bytes, base64url without padding.
    pub key: String,
    /// The signature, 64 bytes, base64url without padding.
    pub signature: String,
}

/// What the helper is told about the sharer's device before choosing a level. Warnings
/// never block: the helper decides (e.g. not to type administrator credentials there).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum DeviceWarning {
    /// The device is not enrolled by the organisation (every web sharer).
    DeviceNotEnrolled,
    /// The device is enrolled but not compliant.
    DeviceNotCompliant {
        /// Why, as recorded (at most 16, each at most 200 bytes).
        reasons: Vec<String>,
    },
    /// Nobody recorded whether the device is compliant.
    DeviceComplianceUnknown,
}

/// WebRTC signalling, relayed unchanged between the two sides. Field names are the browser's
/// (`RTCSessionDescriptionInit`, `RTCIceCandidateInit`), so `JSON.stringify` of either fits.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub enum Signal {
    /// `{"sdp":{"type":"offer","sdp":"v=0…"}}`
    Sdp(SessionDescription),
    /// `{"candidate":{"candidate":"…","sdpMid":"0","sdpMLineIndex":0}}`
    Candidate(IceCandidate),
}

/// An SDP offer or answer (`RTCSessionDescriptionInit`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SessionDescription {
    /// `offer`, `answer`, `pranswer` or `rollback`.
    #[serde(rename = "type")]
    pub kind: SdpType,
    /// The SDP text.
    pub sdp: String,
}

/// `RTCSdpType`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SdpType {
    /// The helper's offer.
    Offer,
    /// The sharer's answer.
    Answer,
    /// A provisional answer.
    Pranswer,
    /// Back to the last stable state.
    Rollback,
}

/// An ICE candidate (`RTCIceCandidateInit`). An empty `candidate` is the browser's
/// end-of-candidates marker.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IceCandidate {
    /// The `a=candidate:` line without the `a=`.
    pub candidate: String,
    /// The media stream id, or `null`.
    #[serde(rename = "sdpMid")]
    pub sdp_mid: Option<String>,
    /// The m-line index, or `null`.
    #[serde(rename = "sdpMLineIndex")]
    pub sdp_m_line_index: Option<u16>,
    /// The ICE username fragment: browsers include it in `toJSON()`; omitted when absent.
    #[serde(
        rename = "usernameFragment",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub username_fragment: Option<String>,
}

/// What a helper or a sharer sends to the broker.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)]
pub enum ClientMessage {
    /// Heartbeat (every 500 ms); `t` is the sender's choice (e.g. `Date.now()`), echoed.
    Ping {
        /// Echoed in `pong`: an unsigned integer.
        t: u64,
    },
    /// Explicit bye: the broker ends the session.
    Leave,
    /// Helper: make me a code.
    CreateCode,
    /// Sharer: join the session of this code.
    Redeem {
        /// As typed: any case, spaces and hyphens allowed.
        code: String,
        /// Which program the sharer runs.
        client: Client,
        /// The agent's device proof (`docs/session-protocol.md`, Devices); browsers send none.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        device: Option<DeviceProof>,
    },
    /// Helper: ask the sharer for this level.
    Request {
        /// `view` or `full`.
        level: Level,
    },
    /// Sharer: the answer to `consent_request` `id`.
    Consent {
        /// The request's id.
        id: u64,
        /// Whether the sharer's user clicked Allow.
        allow: bool,
        /// Why not, when the agent itself declines: `not_supported` (this machine cannot be
        /// controlled: on macOS, Accessibility is not allowed). Absent: the user declined.
        /// Only with `allow: false`, and only `declined` or `not_supported`.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        reason: Option<ConsentReason>,
    },
    /// Sharer: its own state (pause, take back control). Can only lower the level.
    State {
        /// The level now in force.
        level: Level,
        /// No pixels and no input while paused.
        paused: bool,
    },
    /// Either: WebRTC signalling for the other side.
    Signal(Signal),
    /// Either: a chat line.
    Chat {
        /// The text, normalised by the broker.
        text: String,
    },
    /// Either, as the first message on a new link after the old one was lost (its broker
    /// died, drained, or the network cut it): carry on in the session `token` (from
    /// `resumable`) names. Answered with `resumed`, or `ended` when the session is gone.
    Resume {
        /// The token from `resumable`.
        token: String,
        /// The last chat `seq` this side has seen: later lines are sent again.
        #[serde(default)]
        chat_after: u64,
    },
}

/// What the broker sends to a helper or a sharer.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)]
pub enum ServerMessage {
    /// Answer to `ping`.
    Pong {
        /// The ping's `t`.
        t: u64,
    },
    /// A refusal.
    Error {
        /// What went wrong.
        code: ErrorCode,
        /// English text for people (clients localise by `code`).
        message: String,
    },
    /// To the helper: the code to read to the sharer.
    Code {
        /// Canonical form, 8 characters: `4060R0GX`.
        code: String,
        /// Grouped for reading aloud: `4060 R0GX`.
        display: String,
        /// Expiry, Unix ms.
        expires_at: u64,
    },
    /// To the sharer: you are in the helper's session.
    Joined {
        /// Opaque session id.
        session: String,
        /// Who is helping.
        helper: Card,
        /// The helper's ID token from their issuer, when they signed in with one: the agent
        /// verifies it against the issuer's keys itself, shows only what it verified, and
        /// answers only the media connection whose DTLS fingerprint the token binds
        /// (`docs/identity.md`). The broker cannot forge it.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        helper_token: Option<String>,
        /// The organisation keeps this session's chat text in its audit trail
        /// (`keep_chat_transcripts`): the UI says so before anyone writes.
        #[serde(default, skip_serializing_if = "std::ops::Not::not")]
        chat_kept: bool,
        /// Which way clipboard text may go (the tenant's `clipboard_to_helper` and
        /// `clipboard_to_sharer`).
        #[serde(default, skip_serializing_if = "ClipboardRule::is_off")]
        clipboard: ClipboardRule,
    },
    /// To the helper: the sharer redeemed the code.
    SharerJoined {
        /// Who is sharing.
        sharer: Card,
        /// Which program the sharer runs (`web`: `view` only).
        client: Client,
        /// About the sharer's device; shown before the helper chooses a level.
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        warnings: Vec<DeviceWarning>,
        /// The highest level the policy lets this helper ask this sharer for (`view`: the
        /// helper may not ask for `full`).
        #[serde(default = "full")]
        max_level: Level,
        /// The organisation keeps this session's chat text in its audit trail: the UI says
        /// so before anyone writes.
        #[serde(default, skip_serializing_if = "std::ops::Not::not")]
        chat_kept: bool,
        /// Which way clipboard text may go, as the sharer's side is told.
        #[serde(default, skip_serializing_if = "ClipboardRule::is_off")]
        clipboard: ClipboardRule,
    },
    /// To the sharer: the helper asks for `level`; the UI asks its user.
    ConsentRequest {
        /// Answer with this id.
        id: u64,
        /// What the helper asks for.
        level: Level,
        /// Who asks.
        helper: Card,
    },
    /// The outcome of request `id`. To the helper always; to the sharer only on a timeout, so
    /// its prompt closes.
    ConsentResult {
        /// The request's id.
        id: u64,
        /// The level asked for.
        level: Level,
        /// Whether it was allowed.
        allow: bool,
        /// Present exactly when `allow` is false.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        reason: Option<ConsentReason>,
    },
    /// To the helper: the sharer's own state changed.
    SharerState {
        /// The level now in force.
        level: Level,
        /// No pixels and no input while paused.
        paused: bool,
    },
    /// To both, once the sharer joined: the relays this session may use (short-lived TURN
    /// credentials scoped to the session), in `RTCIceServer` form.
    IceServers {
        /// The servers, for `RTCPeerConnection`'s `iceServers`.
        ice_servers: Vec<IceServer>,
        /// Use relayed candidates only (`iceTransportPolicy: "relay"`): neither side's
        /// addresses reach the other.
        #[serde(default, skip_serializing_if = "std::ops::Not::not")]
        relay_only: bool,
    },
    /// To both: the organisation's policy now allows at most `level` (a role changed); the
    /// level in force is lowered to it. The sharer's agent lowers its own gate.
    LevelLimited {
        /// The highest level allowed now, and the level in force from now on.
        level: Level,
    },
    /// Signalling relayed from the other side.
    Signal(Signal),
    /// To both: a chat line, in `seq` order.
    ChatMessage {
        /// 1, 2, 3… per session.
        seq: u64,
        /// Who wrote it.
        from: Side,
        /// The writer's card name.
        name: String,
        /// NFC-normalised text.
        text: String,
        /// When the broker received it, Unix ms.
        at: u64,
    },
    /// To both, once both sides are in (several brokers only): keep this to `resume` the
    /// session from another link if this one is lost. A secret: whoever holds it and is
    /// signed in as this side's user may carry on as this side.
    Resumable {
        /// Opaque.
        token: String,
    },
    /// The session carries on on this link: the level in force (none yet), whether the
    /// sharer paused, whether the other side is connected now. Missed chat lines follow.
    Resumed {
        /// The level in force, if any.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        level: Option<Level>,
        /// Paused by the sharer.
        paused: bool,
        /// The other side is connected (else `peer_back` follows when it returns).
        peer_present: bool,
    },
    /// The other side's link was lost; the session waits for it to resume (then `peer_back`)
    /// for a few seconds before ending with `lost`.
    PeerAway,
    /// The other side resumed.
    PeerBack,
    /// The other side has gone (`left` or `lost`); `ended` follows.
    PeerLeft {
        /// Why.
        reason: EndReason,
    },
    /// The session is over (always the last message of a session on a link); the link stays.
    Ended {
        /// Why.
        reason: EndReason,
    },
}

impl ServerMessage {
    /// An `error` message with the code's fixed English text.
    pub fn error(code: ErrorCode) -> ServerMessage {
        ServerMessage::Error {
            code,
            message: code.english().to_owned(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn error_code_strings_match_serde() {
        for code in ErrorCode::ALL {
            let json = serde_json::to_string(&code).unwrap();
            assert_eq!(json, format!("\"{}\"", code.as_str()));
            assert!(!code.english().is_empty());
        }
    }

    #[test]
    fn levels_are_ordered() {
        assert!(Level::View < Level::Full);
    }

    #[test]
    fn side_other() {
        assert_eq!(Side::Helper.other(), Side::Sharer);
        assert_eq!(Side::Sharer.other(), Side::Helper);
    }

    #[test]
    fn pictures() {
        assert!(picture_ok("https://example.com/a.png"));
        assert!(picture_ok("data:image/png;base64,iVBORw0KGgo="));
        for bad in [
            "http://example.com/a.png",
            "javascript:alert(1)",
            "data:image/svg+xml;base64,PHN2Zz4=",
            "data:text/html;base64,PGI+",
            "",
        ] {
            assert!(!picture_ok(bad), "{bad}");
        }
        let big = format!("https://{}", "a".repeat(MAX_PICTURE_BYTES));
        assert!(!picture_ok(&big));
    }
}

/// A STUN or TURN server as `RTCIceServer` has it: `{"urls":["turn:…"],"username":"…","credential":"…"}`.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IceServer {
    /// `stun:`, `turn:` or `turns:` URLs (RFC 7064, RFC 7065).
    pub urls: Vec<String>,
    /// The TURN user name (the TURN REST scheme: `expiry:session`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub username: Option<String>,
    /// The TURN password (an HMAC of the user name; valid until the expiry in it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub credential: Option<String>,
}

impl std::fmt::Debug for IceServer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("IceServer")
            .field("urls", &self.urls)
            .field("username", &self.username)
            .field(
                "credential",
                &self.credential.as_ref().map(|_| "<redacted>"),
            )
            .finish()
    }
}
