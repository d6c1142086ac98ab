//! Messages on the `cursor` data channel: the sharer's pointer shape and position, sent
//! beside the video so the viewer draws the pointer itself (frames are captured without it,
//! so a blink or a move costs no encode). Sharer → viewer only; `docs/protocol.md` ("Cursor
//! channel") has the layout.
//!
//! Every message is binary, little-endian, and starts with a version byte
//! ([`CURSOR_VERSION`]) and a type byte:
//!
//! - **shape** ([`SHAPE_TYPE`]): serial `u32`, width, height, hotspot x, hotspot y (`u16`
//!   each), then the image as a PNG (the rest of the message), so a page can show it as a
//!   `data:image/png` URL without decoding it. At most [`MAX_CURSOR_SIDE`] pixels a side
//!   (browsers ignore larger CSS cursors) and [`MAX_SHAPE_PNG`] bytes of PNG.
//! - **position** ([`POSITION_TYPE`]): the serial of the shape now shown, x and y (`i32`,
//!   pixels of the captured area, where the hotspot is; may lie outside it) and the
//!   sharer's wallclock when the pointer got there (`u64`, µs since the Unix epoch).
//!
//! A shape is sent once per serial per viewer: the viewer keeps the last
//! [`CACHED_SHAPES`] shapes it received, and the sharer sends a shape again only when it is
//! not among the last [`CACHED_SHAPES`] it sent that viewer (the channel is reliable and
//! ordered, so both lists agree).
//!
//! Decoding never panics: anything malformed is an [`Error::Peer`].

use bytes::Bytes;

use crate::error::Error;

/// Label of the cursor data channel (reliable, ordered, created by the viewer).
pub const CURSOR_LABEL: &str = "cursor";
/// First byte of every cursor message.
pub const CURSOR_VERSION: u8 = 1;
/// Type byte of a shape message.
pub const SHAPE_TYPE: u8 = 1;
/// Type byte of a position message.
pub const POSITION_TYPE: u8 = 2;
/// Largest cursor side, pixels: browsers ignore CSS cursor images above 128×128.
pub const MAX_CURSOR_SIDE: u16 = 128;
/// Largest PNG in a shape message. An incompressible 128×128 RGBA image is about 66 KB.
pub const MAX_SHAPE_PNG: usize = 96 * 1024;
/// Shapes both sides remember per viewer (see the module docs).
pub const CACHED_SHAPES: usize = 32;
/// Bytes before the PNG in a shape message.
pub const SHAPE_HEADER_LEN: usize = 14;
/// Bytes of a position message.
pub const POSITION_LEN: usize = 22;

/// One cursor image.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CursorShape {
    /// Changes whenever the image does (the OS's cursor serial where it has one).
    pub serial: u32,
    /// Width, pixels (1..=[`MAX_CURSOR_SIDE`]).
    pub width: u16,
    /// Height, pixels (1..=[`MAX_CURSOR_SIDE`]).
    pub height: u16,
    /// Hotspot x within the image (< width).
    pub hot_x: u16,
    /// Hotspot y within the image (< height).
    pub hot_y: u16,
    /// The image, PNG (at most [`MAX_SHAPE_PNG`] bytes).
    pub png: Bytes,
}

/// Where the pointer is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CursorPosition {
    /// The [`CursorShape::serial`] of the shape shown now.
    pub serial: u32,
    /// Hotspot x in pixels of the captured area (outside it when the pointer is elsewhere).
    pub x: i32,
    /// Hotspot y, see `x`.
    pub y: i32,
    /// Sharer wallclock when the pointer got there, µs since the Unix epoch.
    pub time_us: u64,
}

/// One message on the cursor channel.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CursorMessage {
    /// A shape the viewer caches under its serial.
    Shape(CursorShape),
    /// The pointer's position and current shape.
    Position(CursorPosition),
}

impl CursorShape {
    /// Checks the limits of the module docs; the error names the field, the value and what
    /// is allowed.
    pub fn validate(&self) -> Result<(), Error> {
        let bad = |field: &'static str, value: usize, allowed: &'static str| {
            Err(Error::Config {
                field,
                value: value.to_string(),
                allowed,
            })
        };
        if !(1..=MAX_CURSOR_SIDE).contains(&self.width) {
            return bad("width", self.width.into(), "1 ..= 128");
        }
        if !(1..=MAX_CURSOR_SIDE).contains(&self.height) {
            return bad("height", self.height.into(), "1 ..= 128");
        }
        if self.hot_x >= self.width {
            return bad("hot_x", self.hot_x.into(), "< width");
        }
        if self.hot_y >= self.height {
            return bad("hot_y", self.hot_y.into(), "< height");
        }
        if self.png.is_empty() || self.png.len() > MAX_SHAPE_PNG {
            return bad("png", self.png.len(), "1 ..= 98304 bytes");
        }
        Ok(())
    }
}

impl CursorMessage {
    /// The bytes to send (binary frame). A shape should have passed
    /// [`CursorShape::validate`]; the encoder writes what it is given.
    pub fn encode(&self) -> Vec<u8> {
        match self {
            CursorMessage::Shape(s) => {
                let mut out = Vec::with_capacity(SHAPE_HEADER_LEN + s.png.len());
                out.extend_from_slice(&[CURSOR_VERSION, SHAPE_TYPE]);
                out.extend_from_slice(&s.serial.to_le_bytes());
                for v in [s.width, s.height, s.hot_x, s.hot_y] {
                    out.extend_from_slice(&v.to_le_bytes());
                }
                out.extend_from_slice(&s.png);
                out
            }
            CursorMessage::Position(p) => {
                let mut out = Vec::with_capacity(POSITION_LEN);
                out.extend_from_slice(&[CURSOR_VERSION, POSITION_TYPE]);
                out.extend_from_slice(&p.serial.to_le_bytes());
                out.extend_from_slice(&p.x.to_le_bytes());
                out.extend_from_slice(&p.y.to_le_bytes());
                out.extend_from_slice(&p.time_us.to_le_bytes());
                out
            }
        }
    }

    /// Parses one message. Unknown versions and types, wrong lengths and shapes outside the
    /// limits are [`Error::Peer`]; never panics.
    pub fn decode(data: &[u8]) -> Result<CursorMessage, Error> {
        let bad = |what: &str| Err(Error::Peer(format!("cursor message: {what}")));
        let Some((&[version, kind], rest)) = data.split_first_chunk::<2>() else {
            return bad("shorter than its header");
        };
        if version != CURSOR_VERSION {
            return bad("unknown version");
        }
        match kind {
            SHAPE_TYPE => {
                let Some((head, png)) = rest.split_first_chunk::<12>() else {
                    return bad("shape shorter than its header");
                };
                let u16_at = |i: usize| u16::from_le_bytes([head[i], head[i + 1]]);
                let shape = CursorShape {
                    serial: u32::from_le_bytes([head[0], head[1], head[2], head[3]]),
                    width: u16_at(4),
                    height: u16_at(6),
                    hot_x: u16_at(8),
                    hot_y: u16_at(10),
                    png: Bytes::copy_from_slice(png),
                };
                if shape.validate().is_err() {
                    return bad("shape outside the limits");
                }
                Ok(CursorMessage::Shape(shape))
            }
            POSITION_TYPE => {
                let Ok(b) = <&[u8; POSITION_LEN - 2]>::try_from(rest) else {
                    return bad("position of the wrong length");
                };
                let u32_at = |i: usize| u32::from_le_bytes([b[i], b[i + 1], b[i + 2], b[i + 3]]);
                let mut t = [0u8; 8];
                t.copy_from_slice(&b[12..20]);
                Ok(CursorMessage::Position(CursorPosition {
                    serial: u32_at(0),
                    x: u32_at(4) as i32,
                    y: u32_at(8) as i32,
                    time_us: u64::from_le_bytes(t),
                }))
            }
            _ => bad("unknown type"),
        }
    }
}

/// The serials of the last [`CACHED_SHAPES`] shapes sent to one viewer, oldest first.
#[derive(Debug, Clone, Default)]
pub(crate) struct SentShapes(std::collections::VecDeque<u32>);

impl SentShapes {
    /// Whether the viewer still has `serial`.
    pub(crate) fn has(&self, serial: u32) -> bool {
        self.0.contains(&serial)
    }

    /// Records a shape sent (the viewer evicts its oldest the same way).
    pub(crate) fn sent(&mut self, serial: u32) {
        if self.0.len() == CACHED_SHAPES {
            self.0.pop_front();
        }
        self.0.push_back(serial);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn shape() -> CursorShape {
        CursorShape {
            serial: 7,
            width: 16,
            height: 24,
            hot_x: 3,
            hot_y: 20,
            png: Bytes::from_static(b"\x89PNG fake"),
        }
    }

    fn hex(b: &[u8]) -> String {
        b.iter().map(|b| format!("{b:02x}")).collect()
    }

    /// The examples of docs/protocol.md ("Cursor channel"), which web/test/cursor.test.mjs
    /// decodes with the viewer's decoder.
    #[test]
    fn documented_examples() {
        let shape = CursorShape {
            png: Bytes::from_static(&[0x89, 0x50, 0x4e, 0x47]),
            ..shape()
        };
        let b = CursorMessage::Shape(shape.clone()).encode();
        assert_eq!(hex(&b), "010107000000100018000300140089504e47");
        assert_eq!(
            CursorMessage::decode(&b).unwrap(),
            CursorMessage::Shape(shape)
        );
        let p = CursorMessage::Position(CursorPosition {
            serial: 9,
            x: -2,
            y: 300,
            time_us: 1_700_000_000_000_000,
        });
        assert_eq!(
            hex(&p.encode()),
            "010209000000feffffff2c01000000401e18240a0600"
        );
    }

    #[test]
    fn shape_layout_is_as_documented() {
        let b = CursorMessage::Shape(shape()).encode();
        assert_eq!(&b[..2], &[1, 1]);
        assert_eq!(&b[2..6], &7u32.to_le_bytes());
        assert_eq!(&b[6..14], &[16, 0, 24, 0, 3, 0, 20, 0]);
        assert_eq!(&b[14..], b"\x89PNG fake");
    }

    #[test]
    fn position_layout_is_as_documented() {
        let p = CursorPosition {
            serial: 9,
            x: -2,
            y: 300,
            time_us: 1 << 40,
        };
        let b = CursorMessage::Position(p).encode();
        assert_eq!(b.len(), POSITION_LEN);
        assert_eq!(&b[..6], &[1, 2, 9, 0, 0, 0]);
        assert_eq!(&b[6..10], &(-2i32).to_le_bytes());
        assert_eq!(
            CursorMessage::decode(&b).unwrap(),
            CursorMessage::Position(p)
        );
    }

    #[test]
    fn malformed_messages_are_errors() {
        let good = CursorMessage::Shape(shape()).encode();
        let mut cases: Vec<Vec<u8>> = vec![vec![], vec![1], vec![2, 1], vec![1, 3, 0]];
        cases.push(good[..13].to_vec()); // header cut
        cases.push(good[..14].to_vec()); // no PNG
        let mut big = good.clone();
        big[6] = 129; // width 129
        cases.push(big);
        let mut hot = good.clone();
        hot[10] = 16; // hot_x == width
        cases.push(hot);
        let mut long = good[..14].to_vec();
        long.extend(std::iter::repeat_n(0, MAX_SHAPE_PNG + 1));
        cases.push(long);
        let pos = CursorMessage::Position(CursorPosition {
            serial: 1,
            x: 0,
            y: 0,
            time_us: 0,
        })
        .encode();
        cases.push(pos[..21].to_vec());
        let mut pos_long = pos.clone();
        pos_long.push(0);
        cases.push(pos_long);
        for c in cases {
            assert!(CursorMessage::decode(&c).is_err(), "{c:?} accepted");
        }
        assert!(CursorMessage::decode(&good).is_ok());
    }

    #[test]
    fn sent_shapes_forget_the_oldest() {
        let mut s = SentShapes::default();
        for i in 0..=CACHED_SHAPES as u32 {
            s.sent(i);
        }
        assert!(!s.has(0));
        assert!(s.has(1) && s.has(CACHED_SHAPES as u32));
    }

    proptest! {
        #[test]
        fn shapes_round_trip(serial: u32, w in 1u16..=128, h in 1u16..=128, hx: u16, hy: u16,
                             png in proptest::collection::vec(any::<u8>(), 1..512)) {
            let s = CursorShape { serial, width: w, height: h, hot_x: hx % w, hot_y: hy % h,
                                  png: Bytes::from(png) };
            let m = CursorMessage::Shape(s);
            prop_assert_eq!(CursorMessage::decode(&m.encode()).unwrap(), m);
        }

        #[test]
        fn positions_round_trip(serial: u32, x: i32, y: i32, time_us: u64) {
            let m = CursorMessage::Position(CursorPosition { serial, x, y, time_us });
            prop_assert_eq!(CursorMessage::decode(&m.encode()).unwrap(), m);
        }

        #[test]
        fn decode_never_panics(data in proptest::collection::vec(any::<u8>(), 0..64)) {
            let _ = CursorMessage::decode(&data);
        }
    }
}
