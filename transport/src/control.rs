//! Messages on the `control` data channel (reliable, ordered, JSON text).
//!
//! The protocol is described in `docs/protocol.md` ("Control channel"). Decoding never
//! panics: anything malformed or larger than [`MAX_CONTROL_MESSAGE`] is an [`Error::Peer`].

use serde::{Deserialize, Serialize};

use crate::error::Error;

/// Label of the control data channel.
pub const CONTROL_LABEL: &str = "control";
/// Label of the reliable, ordered input channel (buttons, wheel, keys, text).
pub const INPUT_LABEL: &str = "input";
/// Label of the unordered, unreliable pointer-move channel.
pub const POINTER_LABEL: &str = "pointer";
/// Type byte (offset 1 of every input message, docs/protocol.md "Input channels") of a
/// pointer move: the only message [`POINTER_LABEL`] may carry. Anything else there could be
/// lost or reordered (a lost key-up is a stuck key), so the transport refuses it.
pub const POINTER_MOVE_TYPE: u8 = 1;
/// Version sent in `hello`.
pub const PROTOCOL_VERSION: u32 = 1;
/// Largest control message accepted, in bytes. Control messages are tiny; the limit keeps a
/// hostile viewer from making the sharer parse megabytes of JSON.
pub const MAX_CONTROL_MESSAGE: usize = 4096;

/// One message on the control channel, tagged by `"type"`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "lowercase")]
pub enum ControlMessage {
    /// First message in each direction.
    Hello {
        /// Protocol version of the sender.
        version: u32,
    },
    /// Liveness probe, answered with [`ControlMessage::Pong`] carrying the same `t`.
    Ping {
        /// Opaque sender time in milliseconds; echoed back.
        t: u64,
    },
    /// Answer to a ping.
    Pong {
        /// The `t` of the ping being answered.
        t: u64,
        /// The answerer's wallclock, µs since the Unix epoch (optional): lets the sharer
        /// estimate the viewer's clock offset for input latency.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        clock: Option<u64>,
    },
    /// The sender is leaving; the receiver closes the session at once.
    Bye {
        /// Human-readable reason.
        reason: String,
    },
    /// Periodic sharer → viewer statistics.
    Stats {
        /// Frames per second sent.
        fps: f32,
        /// Video bitrate sent, kbit/s.
        kbps: u32,
        /// Round-trip time measured by ping/pong, ms (absent until measured).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        rtt_ms: Option<u32>,
    },
    /// Sharer → viewer: what became of this viewer's input so far, sent when it changed (at
    /// most once a second), so both sides see refusals live.
    Input {
        /// Messages received.
        received: u64,
        /// Injected into the sharer's desktop.
        injected: u64,
        /// Malformed or on the wrong channel: rejected.
        rejected: u64,
        /// Dropped by the rules: view only, stale moves, flood limits, injector failures.
        dropped: u64,
    },
    /// Viewer asks for a keyframe.
    Keyframe,
    /// Sharer → viewer: what this viewer may do. Viewer → sharer: give control back
    /// (only `view` is honoured; a viewer cannot raise its own level).
    Control {
        /// The level.
        level: Level,
    },
    /// Sharer → viewer: the displays of the shared source (at most [`MAX_DISPLAYS`]), which
    /// one is shared, and whether a viewer may ask for another. Sent when the viewer joins
    /// and after every switch.
    Displays {
        /// The displays, in the source's order.
        displays: Vec<DisplayDesc>,
        /// The [`DisplayDesc::id`] of the display shared now.
        current: String,
        /// Whether [`ControlMessage::SelectDisplay`] is honoured.
        switchable: bool,
    },
    /// Viewer → sharer: share display `id` instead (the helper's "Select monitor"). Answered
    /// by [`ControlMessage::Displays`], with the old `current` when refused.
    #[serde(rename = "select_display")]
    SelectDisplay {
        /// A [`DisplayDesc::id`] from the last `displays`.
        id: String,
    },
}

/// Most displays listed in [`ControlMessage::Displays`].
pub const MAX_DISPLAYS: usize = 16;
/// Longest display id or name, in bytes; longer ones are cut (names) or refused (ids).
pub const MAX_DISPLAY_NAME: usize = 64;

/// One display a viewer may pick.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DisplayDesc {
    /// What to send back in [`ControlMessage::SelectDisplay`].
    pub id: String,
    /// Human-readable name.
    pub name: String,
    /// Width, pixels.
    pub width: u32,
    /// Height, pixels.
    pub height: u32,
    /// Whether it is the primary display.
    pub primary: bool,
}

/// Input permission carried by [`ControlMessage::Control`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    /// Input is dropped.
    View,
    /// Mouse and keyboard are injected.
    Full,
}

impl ControlMessage {
    /// Parses one message. Rejects oversized, non-UTF-8, malformed or unknown messages.
    pub fn decode(data: &[u8]) -> Result<ControlMessage, Error> {
        if data.len() > MAX_CONTROL_MESSAGE {
            return Err(Error::Peer(format!(
                "control message of {} bytes exceeds {MAX_CONTROL_MESSAGE}",
                data.len()
            )));
        }
        serde_json::from_slice(data).map_err(|e| Error::Peer(format!("bad control message: {e}")))
    }

    /// Serialises to the JSON text sent on the channel.
    pub fn encode(&self) -> Vec<u8> {
        // Serialising plain enums with string/number fields cannot fail.
        serde_json::to_vec(self).unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn wire_format() {
        assert_eq!(
            ControlMessage::Ping { t: 5 }.encode(),
            br#"{"type":"ping","t":5}"#
        );
        assert_eq!(ControlMessage::Keyframe.encode(), br#"{"type":"keyframe"}"#);
        assert_eq!(
            ControlMessage::Input {
                received: 3,
                injected: 1,
                rejected: 1,
                dropped: 1
            }
            .encode(),
            br#"{"type":"input","received":3,"injected":1,"rejected":1,"dropped":1}"#
        );
        assert_eq!(
            ControlMessage::Control { level: Level::Full }.encode(),
            br#"{"type":"control","level":"full"}"#
        );
        assert_eq!(
            ControlMessage::SelectDisplay {
                id: "HDMI-1".into()
            }
            .encode(),
            br#"{"type":"select_display","id":"HDMI-1"}"#
        );
        assert_eq!(
            ControlMessage::Displays {
                displays: vec![DisplayDesc {
                    id: "DP-1".into(),
                    name: ":0 DP-1".into(),
                    width: 1920,
                    height: 1080,
                    primary: true
                }],
                current: "DP-1".into(),
                switchable: false
            }
            .encode(),
            br#"{"type":"displays","displays":[{"id":"DP-1","name":":0 DP-1","width":1920,"height":1080,"primary":true}],"current":"DP-1","switchable":false}"#
        );
        assert_eq!(
            ControlMessage::decode(br#"{"type":"pong","t":7,"clock":1700000000000000}"#).unwrap(),
            ControlMessage::Pong {
                t: 7,
                clock: Some(1_700_000_000_000_000)
            }
        );
        assert_eq!(
            ControlMessage::Pong { t: 7, clock: None }.encode(),
            br#"{"type":"pong","t":7}"#
        );
        assert_eq!(
            ControlMessage::decode(br#"{"type":"bye","reason":"done"}"#).unwrap(),
            ControlMessage::Bye {
                reason: "done".into()
            }
        );
        assert_eq!(
            ControlMessage::decode(br#"{"type":"stats","fps":30,"kbps":900}"#).unwrap(),
            ControlMessage::Stats {
                fps: 30.0,
                kbps: 900,
                rtt_ms: None
            }
        );
    }

    #[test]
    fn rejects_bad_input() {
        for bad in [
            &b""[..],
            b"{",
            b"null",
            br#"{"type":"nope"}"#,
            br#"{"type":"ping"}"#,
            br#"{"type":"ping","t":-1}"#,
            br#"{"type":"control","level":"admin"}"#,
            br#"{"type":"control"}"#,
            b"\xff\xfe",
        ] {
            assert!(matches!(ControlMessage::decode(bad), Err(Error::Peer(_))));
        }
        let big = format!(
            r#"{{"type":"bye","reason":"{}"}}"#,
            "x".repeat(MAX_CONTROL_MESSAGE)
        );
        assert!(ControlMessage::decode(big.as_bytes()).is_err());
    }

    fn message() -> impl Strategy<Value = ControlMessage> {
        prop_oneof![
            any::<u32>().prop_map(|version| ControlMessage::Hello { version }),
            any::<u64>().prop_map(|t| ControlMessage::Ping { t }),
            (any::<u64>(), proptest::option::of(any::<u64>()))
                .prop_map(|(t, clock)| ControlMessage::Pong { t, clock }),
            prop_oneof![Just(Level::View), Just(Level::Full)]
                .prop_map(|level| ControlMessage::Control { level }),
            ".{0,200}".prop_map(|reason| ControlMessage::Bye { reason }),
            (0u16..1000, any::<u32>(), proptest::option::of(any::<u32>())).prop_map(
                |(fps, kbps, rtt_ms)| ControlMessage::Stats {
                    fps: f32::from(fps),
                    kbps,
                    rtt_ms
                }
            ),
            Just(ControlMessage::Keyframe),
            (any::<u64>(), any::<u64>(), any::<u64>(), any::<u64>()).prop_map(
                |(received, injected, rejected, dropped)| ControlMessage::Input {
                    received,
                    injected,
                    rejected,
                    dropped
                }
            ),
        ]
    }

    proptest! {
        #[test]
        fn encode_decode_roundtrip(m in message()) {
            prop_assert_eq!(ControlMessage::decode(&m.encode()).unwrap(), m);
        }

        #[test]
        fn decode_never_panics(data in proptest::collection::vec(any::<u8>(), 0..600)) {
            let _ = ControlMessage::decode(&data);
        }
    }
}
