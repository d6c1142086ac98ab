//! The input channels' binary format (`docs/protocol.md`, "Input channels").
//!
//! [`InputMessage::decode`] borrows from the datagram (text is a `&str` into it): no
//! allocation per message. It checks everything a hostile viewer could get wrong —
//! version, type, exact length, ranges, UTF-8, known key codes — and never panics.

use super::keys::Key;
use super::{Button, Modifiers, Point, WheelMode};

/// Protocol version in byte 0 of every message.
pub const VERSION: u8 = 1;
/// Header length: version, type, sequence number, timestamp.
pub const HEADER_LEN: usize = 14;
/// Longest key code accepted, bytes.
pub const MAX_CODE_LEN: usize = 32;
/// Longest text accepted, UTF-8 bytes.
pub const MAX_TEXT_LEN: usize = 1024;
/// Longest valid message.
pub const MAX_MESSAGE_LEN: usize = HEADER_LEN + 2 + MAX_TEXT_LEN;
/// Largest wheel delta in pixel mode.
pub const MAX_WHEEL_PIXELS: i16 = 10_000;
/// Largest wheel delta in line mode.
pub const MAX_WHEEL_LINES: i16 = 1_000;

const T_MOVE: u8 = 1;
const T_BUTTON: u8 = 2;
const T_WHEEL: u8 = 3;
const T_KEY: u8 = 4;
const T_TEXT: u8 = 5;
const T_RELEASE_ALL: u8 = 6;

/// What a message asks for.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum InputEvent<'a> {
    /// Pointer to an absolute position (unreliable channel; latest wins).
    PointerMove(Point),
    /// A button pressed or released at a position.
    Button {
        /// Where (the pointer is moved there first).
        at: Point,
        /// Which button.
        button: Button,
        /// Pressed (true) or released.
        down: bool,
        /// Modifiers held on the viewer.
        modifiers: Modifiers,
    },
    /// Scrolling at a position.
    Wheel {
        /// Where.
        at: Point,
        /// Pixels or lines.
        mode: WheelMode,
        /// Modifiers held on the viewer.
        modifiers: Modifiers,
        /// Horizontal delta, positive = right.
        dx: i16,
        /// Vertical delta, positive = down.
        dy: i16,
    },
    /// A physical key pressed or released.
    Key {
        /// The key.
        key: Key,
        /// Pressed (true) or released.
        down: bool,
        /// Modifiers held on the viewer (after this event).
        modifiers: Modifiers,
    },
    /// Characters to type (IME, paste, characters the layout lacks).
    Text(&'a str),
    /// Release every key and button this viewer holds.
    ReleaseAll,
}

/// One decoded message: header plus event.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct InputMessage<'a> {
    /// Per-session sequence number across both input channels (wrapping).
    pub seq: u32,
    /// Sender wallclock, microseconds since the Unix epoch.
    pub timestamp_us: u64,
    /// The event.
    pub event: InputEvent<'a>,
}

/// Why a message was rejected (the viewer's fault). Static reasons: rejecting costs no
/// allocation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("bad input message: {0}")]
pub struct WireError(pub &'static str);

struct Reader<'a> {
    data: &'a [u8],
    pos: usize,
}

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize) -> Result<&'a [u8], WireError> {
        let end = self.pos.checked_add(n).ok_or(WireError("length"))?;
        let s = self.data.get(self.pos..end).ok_or(WireError("truncated"))?;
        self.pos = end;
        Ok(s)
    }
    fn u8(&mut self) -> Result<u8, WireError> {
        Ok(self.take(1)?[0])
    }
    fn u16(&mut self) -> Result<u16, WireError> {
        let b = self.take(2)?;
        Ok(u16::from_le_bytes([b[0], b[1]]))
    }
    fn i16(&mut self) -> Result<i16, WireError> {
        Ok(self.u16()? as i16)
    }
    fn u32(&mut self) -> Result<u32, WireError> {
        let b = self.take(4)?;
        Ok(u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
    }
    fn u64(&mut self) -> Result<u64, WireError> {
        let b = self.take(8)?;
        let mut a = [0u8; 8];
        a.copy_from_slice(b);
        Ok(u64::from_le_bytes(a))
    }
    fn point(&mut self) -> Result<Point, WireError> {
        Ok(Point {
            x: self.u16()?,
            y: self.u16()?,
        })
    }
    fn flag(&mut self) -> Result<bool, WireError> {
        match self.u8()? {
            0 => Ok(false),
            1 => Ok(true),
            _ => Err(WireError("state is neither 0 nor 1")),
        }
    }
    fn modifiers(&mut self) -> Result<Modifiers, WireError> {
        Modifiers::from_bits(self.u8()?).ok_or(WireError("undefined modifier bits"))
    }
    fn end(&self) -> Result<(), WireError> {
        if self.pos == self.data.len() {
            Ok(())
        } else {
            Err(WireError("trailing bytes"))
        }
    }
}

impl<'a> InputMessage<'a> {
    /// Parses one data-channel message.
    pub fn decode(data: &'a [u8]) -> Result<InputMessage<'a>, WireError> {
        if data.len() > MAX_MESSAGE_LEN {
            return Err(WireError("oversized"));
        }
        let mut r = Reader { data, pos: 0 };
        if r.u8()? != VERSION {
            return Err(WireError("unsupported version"));
        }
        let kind = r.u8()?;
        let seq = r.u32()?;
        let timestamp_us = r.u64()?;
        let event = match kind {
            T_MOVE => InputEvent::PointerMove(r.point()?),
            T_BUTTON => {
                let at = r.point()?;
                let button = Button::from_number(r.u8()?).ok_or(WireError("unknown button"))?;
                let down = r.flag()?;
                let modifiers = r.modifiers()?;
                InputEvent::Button {
                    at,
                    button,
                    down,
                    modifiers,
                }
            }
            T_WHEEL => {
                let at = r.point()?;
                let (mode, max) = match r.u8()? {
                    0 => (WheelMode::Pixel, MAX_WHEEL_PIXELS),
                    1 => (WheelMode::Line, MAX_WHEEL_LINES),
                    _ => return Err(WireError("unknown wheel mode")),
                };
                let modifiers = r.modifiers()?;
                let dx = r.i16()?;
                let dy = r.i16()?;
                if dx.unsigned_abs() > max.unsigned_abs() || dy.unsigned_abs() > max.unsigned_abs()
                {
                    return Err(WireError("wheel delta out of range"));
                }
                InputEvent::Wheel {
                    at,
                    mode,
                    modifiers,
                    dx,
                    dy,
                }
            }
            T_KEY => {
                let down = r.flag()?;
                let modifiers = r.modifiers()?;
                let len = usize::from(r.u8()?);
                if len == 0 || len > MAX_CODE_LEN {
                    return Err(WireError("key code length"));
                }
                let code = std::str::from_utf8(r.take(len)?).map_err(|_| WireError("key code"))?;
                let key = Key::from_code(code).ok_or(WireError("unknown key code"))?;
                InputEvent::Key {
                    key,
                    down,
                    modifiers,
                }
            }
            T_TEXT => {
                let len = usize::from(r.u16()?);
                if len == 0 || len > MAX_TEXT_LEN {
                    return Err(WireError("text length"));
                }
                let text = std::str::from_utf8(r.take(len)?)
                    .map_err(|_| WireError("text is not UTF-8"))?;
                if text
                    .chars()
                    .any(|c| c.is_control() && c != '\n' && c != '\t')
                {
                    return Err(WireError("control character in text"));
                }
                InputEvent::Text(text)
            }
            T_RELEASE_ALL => InputEvent::ReleaseAll,
            _ => return Err(WireError("unknown message type")),
        };
        r.end()?;
        Ok(InputMessage {
            seq,
            timestamp_us,
            event,
        })
    }

    /// Appends the wire form to `out` (native viewers, tests, benchmarks). Values the
    /// decoder would reject (text over [`MAX_TEXT_LEN`]) are truncated to the limit.
    pub fn encode(&self, out: &mut Vec<u8>) {
        let kind = match self.event {
            InputEvent::PointerMove(_) => T_MOVE,
            InputEvent::Button { .. } => T_BUTTON,
            InputEvent::Wheel { .. } => T_WHEEL,
            InputEvent::Key { .. } => T_KEY,
            InputEvent::Text(_) => T_TEXT,
            InputEvent::ReleaseAll => T_RELEASE_ALL,
        };
        out.push(VERSION);
        out.push(kind);
        out.extend_from_slice(&self.seq.to_le_bytes());
        out.extend_from_slice(&self.timestamp_us.to_le_bytes());
        let point = |out: &mut Vec<u8>, p: Point| {
            out.extend_from_slice(&p.x.to_le_bytes());
            out.extend_from_slice(&p.y.to_le_bytes());
        };
        match self.event {
            InputEvent::PointerMove(p) => point(out, p),
            InputEvent::Button {
                at,
                button,
                down,
                modifiers,
            } => {
                point(out, at);
                out.extend_from_slice(&[button.number(), u8::from(down), modifiers.bits()]);
            }
            InputEvent::Wheel {
                at,
                mode,
                modifiers,
                dx,
                dy,
            } => {
                point(out, at);
                out.push(match mode {
                    WheelMode::Pixel => 0,
                    WheelMode::Line => 1,
                });
                out.push(modifiers.bits());
                out.extend_from_slice(&dx.to_le_bytes());
                out.extend_from_slice(&dy.to_le_bytes());
            }
            InputEvent::Key {
                key,
                down,
                modifiers,
            } => {
                let code = key.code().as_bytes();
                out.extend_from_slice(&[u8::from(down), modifiers.bits(), code.len() as u8]);
                out.extend_from_slice(code);
            }
            InputEvent::Text(text) => {
                let mut end = text.len().min(MAX_TEXT_LEN);
                while !text.is_char_boundary(end) {
                    end -= 1;
                }
                out.extend_from_slice(&(end as u16).to_le_bytes());
                out.extend_from_slice(&text.as_bytes()[..end]);
            }
            InputEvent::ReleaseAll => {}
        }
    }

    /// Whether this message travels on the unreliable `pointer` channel.
    pub fn is_pointer_move(&self) -> bool {
        matches!(self.event, InputEvent::PointerMove(_))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const T: u64 = 1_700_000_000_000_000;

    fn hex(s: &str) -> Vec<u8> {
        let s: String = s.split_whitespace().collect();
        (0..s.len())
            .step_by(2)
            .map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap())
            .collect()
    }

    fn enc(m: &InputMessage<'_>) -> Vec<u8> {
        let mut v = Vec::new();
        m.encode(&mut v);
        v
    }

    /// The examples in docs/protocol.md, byte for byte (the web viewer's encoder is checked
    /// against the same bytes).
    #[test]
    fn documented_examples() {
        let shift = Modifiers::from_bits(Modifiers::SHIFT).unwrap();
        let cases = [
            (
                InputMessage {
                    seq: 1,
                    timestamp_us: T,
                    event: InputEvent::PointerMove(Point { x: 32768, y: 16384 }),
                },
                "01 01 01000000 00401e18240a0600 0080 0040",
            ),
            (
                InputMessage {
                    seq: 2,
                    timestamp_us: T,
                    event: InputEvent::Button {
                        at: Point { x: 100, y: 200 },
                        button: Button::Left,
                        down: true,
                        modifiers: shift,
                    },
                },
                "01 02 02000000 00401e18240a0600 6400 c800 00 01 01",
            ),
            (
                InputMessage {
                    seq: 3,
                    timestamp_us: T,
                    event: InputEvent::Wheel {
                        at: Point { x: 0, y: 65535 },
                        mode: WheelMode::Line,
                        modifiers: Modifiers::default(),
                        dx: 0,
                        dy: 3,
                    },
                },
                "01 03 03000000 00401e18240a0600 0000 ffff 01 00 0000 0300",
            ),
            (
                InputMessage {
                    seq: 4,
                    timestamp_us: T,
                    event: InputEvent::Key {
                        key: Key::from_code("KeyA").unwrap(),
                        down: true,
                        modifiers: Modifiers::default(),
                    },
                },
                "01 04 04000000 00401e18240a0600 01 00 04 4b657941",
            ),
            (
                InputMessage {
                    seq: 5,
                    timestamp_us: T,
                    event: InputEvent::Text("é✓"),
                },
                "01 05 05000000 00401e18240a0600 0500 c3a9e29c93",
            ),
            (
                InputMessage {
                    seq: 6,
                    timestamp_us: T,
                    event: InputEvent::ReleaseAll,
                },
                "01 06 06000000 00401e18240a0600",
            ),
        ];
        for (msg, bytes) in cases {
            let bytes = hex(bytes);
            assert_eq!(enc(&msg), bytes, "{msg:?}");
            assert_eq!(InputMessage::decode(&bytes), Ok(msg));
        }
    }

    #[test]
    fn rejects_malformed() {
        let good = hex("01 02 02000000 00401e18240a0600 6400 c800 00 01 01");
        assert!(InputMessage::decode(&good).is_ok());
        let with = |i: usize, v: u8| {
            let mut b = good.clone();
            b[i] = v;
            InputMessage::decode(&b).map(|_| ())
        };
        assert_eq!(with(0, 2), Err(WireError("unsupported version")));
        assert_eq!(with(1, 0), Err(WireError("unknown message type")));
        assert_eq!(with(1, 7), Err(WireError("unknown message type")));
        assert_eq!(with(18, 5), Err(WireError("unknown button")));
        assert_eq!(with(19, 2), Err(WireError("state is neither 0 nor 1")));
        assert_eq!(with(20, 0x20), Err(WireError("undefined modifier bits")));
        for n in 0..good.len() {
            assert!(InputMessage::decode(&good[..n]).is_err(), "prefix {n}");
        }
        let mut long = good.clone();
        long.push(0);
        assert_eq!(
            InputMessage::decode(&long),
            Err(WireError("trailing bytes"))
        );

        let key = |code: &[u8]| {
            let mut b = hex("01 04 04000000 00401e18240a0600 01 00");
            b.push(code.len() as u8);
            b.extend_from_slice(code);
            InputMessage::decode(&b).map(|_| ())
        };
        assert!(key(b"KeyA").is_ok());
        assert_eq!(key(b"KeyA1"), Err(WireError("unknown key code")));
        assert_eq!(key(b""), Err(WireError("key code length")));
        assert_eq!(key(&[0xff, 0xfe]), Err(WireError("key code")));
        assert_eq!(key(&[b'A'; 33]), Err(WireError("key code length")));

        let text = |t: &[u8]| {
            let mut b = hex("01 05 05000000 00401e18240a0600");
            b.extend_from_slice(&(t.len() as u16).to_le_bytes());
            b.extend_from_slice(t);
            InputMessage::decode(&b).map(|_| ())
        };
        assert!(text("héllo\n\tworld ✓ 日本".as_bytes()).is_ok());
        assert_eq!(text(b""), Err(WireError("text length")));
        assert_eq!(text(b"a\x1bb"), Err(WireError("control character in text")));
        assert_eq!(text(b"a\x00"), Err(WireError("control character in text")));
        assert_eq!(text(b"\xc3"), Err(WireError("text is not UTF-8")));
        assert!(text(&[b'a'; MAX_TEXT_LEN]).is_ok());
        assert_eq!(text(&[b'a'; MAX_TEXT_LEN + 1]), Err(WireError("oversized")));

        let wheel = |mode: u8, dy: i16| {
            let mut b = hex("01 03 03000000 00401e18240a0600 0000 0000");
            b.extend_from_slice(&[mode, 0, 0, 0]);
            b.extend_from_slice(&dy.to_le_bytes());
            InputMessage::decode(&b).map(|_| ())
        };
        assert!(wheel(0, -10_000).is_ok());
        assert!(wheel(1, 1000).is_ok());
        assert_eq!(wheel(0, 10_001), Err(WireError("wheel delta out of range")));
        assert_eq!(wheel(1, -1001), Err(WireError("wheel delta out of range")));
        assert_eq!(
            wheel(0, i16::MIN),
            Err(WireError("wheel delta out of range"))
        );
        assert_eq!(wheel(2, 0), Err(WireError("unknown wheel mode")));
    }

    #[test]
    fn encode_truncates_long_text_on_a_char_boundary() {
        let long = "é".repeat(MAX_TEXT_LEN); // 2 bytes each
        let m = InputMessage {
            seq: 0,
            timestamp_us: 0,
            event: InputEvent::Text(&long),
        };
        let b = enc(&m);
        match InputMessage::decode(&b).unwrap().event {
            InputEvent::Text(t) => assert_eq!(t.len(), MAX_TEXT_LEN),
            e => panic!("{e:?}"),
        }
    }

    fn point() -> impl Strategy<Value = Point> {
        (any::<u16>(), any::<u16>()).prop_map(|(x, y)| Point { x, y })
    }

    fn mods() -> impl Strategy<Value = Modifiers> {
        (0u8..=Modifiers::ALL).prop_map(|b| Modifiers::from_bits(b).unwrap())
    }

    proptest! {
        #[test]
        fn roundtrip(
            seq in any::<u32>(),
            t in any::<u64>(),
            kind in 0u8..6,
            at in point(),
            b in 0u8..5,
            down in any::<bool>(),
            m in mods(),
            line in any::<bool>(),
            dx in -1000i16..=1000,
            dy in -1000i16..=1000,
            k in 0usize..super::super::keys::KEY_COUNT,
            text in "[^\\p{Cc}]{1,100}|[a-z\\n\\t]{1,50}",
        ) {
            let event = match kind {
                0 => InputEvent::PointerMove(at),
                1 => InputEvent::Button { at, button: Button::from_number(b).unwrap(), down, modifiers: m },
                2 => InputEvent::Wheel {
                    at, mode: if line { WheelMode::Line } else { WheelMode::Pixel }, modifiers: m, dx, dy,
                },
                3 => InputEvent::Key { key: Key::from_index(k).unwrap(), down, modifiers: m },
                4 => InputEvent::Text(&text),
                _ => InputEvent::ReleaseAll,
            };
            let msg = InputMessage { seq, timestamp_us: t, event };
            let bytes = enc(&msg);
            prop_assert!(bytes.len() <= MAX_MESSAGE_LEN);
            prop_assert_eq!(InputMessage::decode(&bytes), Ok(msg));
        }

        #[test]
        fn decode_never_panics(data in proptest::collection::vec(any::<u8>(), 0..1100)) {
            let _ = InputMessage::decode(&data);
        }

        /// Mutating one byte of a valid message either still decodes (to something in
        /// range, so re-encoding gives the same bytes) or is rejected.
        #[test]
        fn mutations_decode_to_valid_messages_or_fail(
            i in 0usize..30, v in any::<u8>(), k in 0usize..super::super::keys::KEY_COUNT,
        ) {
            let msg = InputMessage {
                seq: 9,
                timestamp_us: T,
                event: InputEvent::Key { key: Key::from_index(k).unwrap(), down: true, modifiers: Modifiers::default() },
            };
            let mut bytes = enc(&msg);
            let i = i % bytes.len();
            bytes[i] = v;
            if let Ok(m) = InputMessage::decode(&bytes) {
                prop_assert_eq!(enc(&m), bytes);
            }
        }
    }
}
