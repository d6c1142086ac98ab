//! H.264 byte-stream helpers: Annex-B NAL iteration, AVCC (length-prefixed) to Annex-B, and
//! the few header fields Glass reads. Every function here takes untrusted bytes: it returns an
//! error or skips, and never panics.

use crate::error::{Error, Result};

/// NAL unit types Glass cares about.
pub mod nal_type {
    /// Coded slice of a non-IDR picture.
    pub const SLICE: u8 = 1;
    /// Coded slice of an IDR picture.
    pub const IDR: u8 = 5;
    /// Supplemental enhancement information.
    pub const SEI: u8 = 6;
    /// Sequence parameter set.
    pub const SPS: u8 = 7;
    /// Picture parameter set.
    pub const PPS: u8 = 8;
    /// Access unit delimiter.
    pub const AUD: u8 = 9;
}

/// Iterates over the NAL units of an Annex-B byte stream (3- or 4-byte start codes), yielding
/// each NAL unit without its start code. Bytes before the first start code are skipped.
pub fn annexb_nals(data: &[u8]) -> impl Iterator<Item = &[u8]> {
    let mut pos = find_start_code(data, 0).map(|(_, end)| end);
    std::iter::from_fn(move || {
        let start = pos?;
        match find_start_code(data, start) {
            Some((sc, end)) => {
                pos = Some(end);
                Some(trim_trailing_zeros(&data[start..sc]))
            }
            None => {
                pos = None;
                Some(&data[start..])
            }
        }
    })
    .filter(|n| !n.is_empty())
}

fn trim_trailing_zeros(n: &[u8]) -> &[u8] {
    let mut end = n.len();
    while end > 0 && n[end - 1] == 0 {
        end -= 1;
    }
    &n[..end]
}

/// Finds the next `00 00 01` at or after `from`; returns (index of the first zero, index after
/// the `01`).
fn find_start_code(data: &[u8], from: usize) -> Option<(usize, usize)> {
    let mut i = from;
    while i + 3 <= data.len() {
        if data[i + 2] > 1 {
            i += 3;
        } else if data[i] == 0 && data[i + 1] == 0 && data[i + 2] == 1 {
            return Some((i, i + 3));
        } else {
            i += 1;
        }
    }
    None
}

/// The type of a NAL unit (its first byte's low five bits), or an error for an empty one or
/// one with the forbidden bit set.
pub fn nal_unit_type(nal: &[u8]) -> Result<u8> {
    let b = *nal.first().ok_or(Error::Malformed("empty NAL unit"))?;
    if b & 0x80 != 0 {
        return Err(Error::Malformed("forbidden_zero_bit set"));
    }
    Ok(b & 0x1f)
}

/// Whether an Annex-B access unit holds an IDR slice.
pub fn is_keyframe(annexb: &[u8]) -> bool {
    annexb_nals(annexb).any(|n| matches!(nal_unit_type(n), Ok(nal_type::IDR)))
}

/// Appends the NAL units of an AVCC buffer (each prefixed by a big-endian length of
/// `length_size` bytes, 1, 2 or 4) to `out` as Annex-B. Rejects truncated or zero-length units.
pub fn avcc_to_annexb(mut avcc: &[u8], length_size: usize, out: &mut Vec<u8>) -> Result<()> {
    if !matches!(length_size, 1 | 2 | 4) {
        return Err(Error::Malformed("AVCC length size must be 1, 2 or 4"));
    }
    while !avcc.is_empty() {
        if avcc.len() < length_size {
            return Err(Error::Malformed("truncated AVCC length"));
        }
        let n = avcc[..length_size]
            .iter()
            .fold(0usize, |a, &b| (a << 8) | b as usize);
        avcc = &avcc[length_size..];
        if n == 0 {
            return Err(Error::Malformed("zero-length NAL unit"));
        }
        if n > avcc.len() {
            return Err(Error::Malformed("AVCC NAL unit longer than the buffer"));
        }
        out.extend_from_slice(&[0, 0, 0, 1]);
        out.extend_from_slice(&avcc[..n]);
        avcc = &avcc[n..];
    }
    Ok(())
}

/// The fields of a sequence parameter set that matter for negotiation and checks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SpsInfo {
    /// profile_idc (66 baseline, 77 main, 100 high).
    pub profile_idc: u8,
    /// The constraint flags byte.
    pub constraint_flags: u8,
    /// level_idc (e.g. 31 for 3.1, 51 for 5.1).
    pub level_idc: u8,
    /// Coded width in pixels after cropping.
    pub width: u32,
    /// Coded height in pixels after cropping.
    pub height: u32,
    /// Whether the VUI signals video_full_range_flag.
    pub full_range: Option<bool>,
    /// (colour_primaries, transfer_characteristics, matrix_coefficients) from the VUI.
    pub colour: Option<(u8, u8, u8)>,
}

/// Exp-Golomb bit reader over RBSP bytes (emulation prevention removed on the fly).
struct BitReader<'a> {
    data: &'a [u8],
    byte: usize,
    bit: u8,
    zeros: u8,
    cur: u8,
}

impl<'a> BitReader<'a> {
    fn new(data: &'a [u8]) -> Self {
        let mut r = Self {
            data,
            byte: 0,
            bit: 8,
            zeros: 0,
            cur: 0,
        };
        r.cur = r.next_byte().unwrap_or(0);
        r.bit = 0;
        r
    }

    fn next_byte(&mut self) -> Option<u8> {
        loop {
            let b = *self.data.get(self.byte)?;
            self.byte += 1;
            if self.zeros >= 2 && b == 3 {
                self.zeros = 0;
                continue;
            }
            self.zeros = if b == 0 {
                self.zeros.saturating_add(1)
            } else {
                0
            };
            return Some(b);
        }
    }

    fn bit(&mut self) -> Result<u32> {
        if self.bit == 8 {
            self.cur = self.next_byte().ok_or(Error::Malformed("SPS truncated"))?;
            self.bit = 0;
        }
        let v = (self.cur >> (7 - self.bit)) & 1;
        self.bit += 1;
        Ok(v as u32)
    }

    fn bits(&mut self, n: u32) -> Result<u32> {
        let mut v = 0;
        for _ in 0..n {
            v = (v << 1) | self.bit()?;
        }
        Ok(v)
    }

    fn ue(&mut self) -> Result<u32> {
        let mut zeros = 0;
        while self.bit()? == 0 {
            zeros += 1;
            if zeros > 31 {
                return Err(Error::Malformed("Exp-Golomb code too long"));
            }
        }
        Ok(((1u64 << zeros) - 1 + self.bits(zeros)? as u64).min(u32::MAX as u64) as u32)
    }

    fn se(&mut self) -> Result<i32> {
        let k = self.ue()? as i64;
        Ok(if k % 2 == 1 { (k + 1) / 2 } else { -(k / 2) } as i32)
    }
}

/// Parses an SPS NAL unit (with its one-byte header).
pub fn parse_sps(nal: &[u8]) -> Result<SpsInfo> {
    if nal_unit_type(nal)? != nal_type::SPS {
        return Err(Error::Malformed("not an SPS"));
    }
    let mut r = BitReader::new(&nal[1..]);
    let profile_idc = r.bits(8)? as u8;
    let constraint_flags = r.bits(8)? as u8;
    let level_idc = r.bits(8)? as u8;
    let _sps_id = r.ue()?;
    let mut chroma_format_idc = 1;
    if matches!(
        profile_idc,
        100 | 110 | 122 | 244 | 44 | 83 | 86 | 118 | 128 | 138 | 139 | 134 | 135
    ) {
        chroma_format_idc = r.ue()?;
        if chroma_format_idc > 3 {
            return Err(Error::Malformed("chroma_format_idc out of range"));
        }
        if chroma_format_idc == 3 {
            r.bit()?;
        }
        r.ue()?; // bit_depth_luma
        r.ue()?; // bit_depth_chroma
        r.bit()?; // qpprime_y_zero_transform_bypass
        if r.bit()? == 1 {
            let lists = if chroma_format_idc == 3 { 12 } else { 8 };
            for i in 0..lists {
                if r.bit()? == 1 {
                    let size = if i < 6 { 16 } else { 64 };
                    let (mut last, mut next) = (8i32, 8i32);
                    for _ in 0..size {
                        if next != 0 {
                            // delta_scale is -128..=127 (H.264 7.4.2.1.1.1); a crafted SPS
                            // can code any value, which must not overflow the sum.
                            let delta = r.se()?;
                            if !(-128..=127).contains(&delta) {
                                return Err(Error::Malformed("delta_scale out of range"));
                            }
                            next = (last + delta).rem_euclid(256);
                        }
                        last = if next == 0 { last } else { next };
                    }
                }
            }
        }
    }
    r.ue()?; // log2_max_frame_num_minus4
    let poc_type = r.ue()?;
    match poc_type {
        0 => {
            r.ue()?;
        }
        1 => {
            r.bit()?;
            r.se()?;
            r.se()?;
            let n = r.ue()?;
            if n > 255 {
                return Err(Error::Malformed("too many ref frames in POC cycle"));
            }
            for _ in 0..n {
                r.se()?;
            }
        }
        2 => {}
        _ => return Err(Error::Malformed("pic_order_cnt_type out of range")),
    }
    r.ue()?; // max_num_ref_frames
    r.bit()?; // gaps_in_frame_num_allowed
    let mbs_w = r.ue()? as u64 + 1;
    let map_h = r.ue()? as u64 + 1;
    let frame_mbs_only = r.bit()?;
    if frame_mbs_only == 0 {
        r.bit()?;
    }
    r.bit()?; // direct_8x8_inference
    let mut w = mbs_w * 16;
    let mut h = map_h * 16 * (2 - frame_mbs_only as u64);
    if r.bit()? == 1 {
        let (l, rt, t, b) = (
            r.ue()? as u64,
            r.ue()? as u64,
            r.ue()? as u64,
            r.ue()? as u64,
        );
        let (cx, cy) = match chroma_format_idc {
            0 | 3 => (1, 2 - frame_mbs_only as u64),
            1 => (2, 2 * (2 - frame_mbs_only as u64)),
            _ => (2, 2 - frame_mbs_only as u64),
        };
        w = w
            .checked_sub((l + rt) * cx)
            .ok_or(Error::Malformed("crop wider than frame"))?;
        h = h
            .checked_sub((t + b) * cy)
            .ok_or(Error::Malformed("crop taller than frame"))?;
    }
    if w == 0 || h == 0 || w > 16384 || h > 16384 {
        return Err(Error::Malformed("SPS size out of range"));
    }
    let (mut full_range, mut colour) = (None, None);
    if r.bit().unwrap_or(0) == 1 {
        // VUI
        if r.bit()? == 1 {
            let idc = r.bits(8)?;
            if idc == 255 {
                r.bits(32)?;
            }
        }
        if r.bit()? == 1 {
            r.bit()?;
        }
        if r.bit()? == 1 {
            r.bits(3)?; // video_format
            full_range = Some(r.bit()? == 1);
            if r.bit()? == 1 {
                colour = Some((r.bits(8)? as u8, r.bits(8)? as u8, r.bits(8)? as u8));
            }
        }
    }
    Ok(SpsInfo {
        profile_idc,
        constraint_flags,
        level_idc,
        width: w as u32,
        height: h as u32,
        full_range,
        colour,
    })
}

#[cfg(test)]
mod tests {
    /// A crafted SPS whose scaling-list delta overflowed `i32` (found by the fuzz smoke run;
    /// also `fuzz/seeds/sps-scaling-overflow`): rejected, no panic.
    #[test]
    fn sps_scaling_delta_out_of_range_is_malformed() {
        let data = [
            0x01, 0x00, 0x00, 0x11, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x10, 0x68,
            0xce, 0x23, 0x3c, 0x80, 0x00, 0x00, 0x00, 0x01, 0x65, 0xb2, 0x00, 0x00, 0x01, 0x67,
            0x7a, 0xff, 0xff, 0xff, 0x00, 0x00, 0xff, 0x01, 0x00, 0x00, 0x00, 0x00, 0xff, 0xff,
            0xff, 0x00,
        ];
        crate::fuzzing::h264_parsers(&data);
        let sps = annexb_nals(&data)
            .find(|n| nal_unit_type(n).ok() == Some(nal_type::SPS))
            .expect("the input holds an SPS");
        assert!(matches!(parse_sps(sps), Err(Error::Malformed(_))));
    }

    use super::*;
    use proptest::prelude::*;

    #[test]
    fn splits_mixed_start_codes() {
        let s = [
            0, 0, 0, 1, 0x67, 1, 2, 0, 0, 1, 0x68, 3, 0, 0, 0, 1, 0x65, 4, 5,
        ];
        let nals: Vec<&[u8]> = annexb_nals(&s).collect();
        assert_eq!(
            nals,
            vec![&[0x67, 1, 2][..], &[0x68, 3][..], &[0x65, 4, 5][..]]
        );
        assert!(is_keyframe(&s));
    }

    #[test]
    fn avcc_rejects_truncation() {
        let mut out = Vec::new();
        assert!(avcc_to_annexb(&[0, 0, 0, 5, 1, 2], 4, &mut out).is_err());
        out.clear();
        avcc_to_annexb(&[0, 2, 0x65, 1, 0, 1, 0x41], 2, &mut out).unwrap();
        assert_eq!(out, [0, 0, 0, 1, 0x65, 1, 0, 0, 0, 1, 0x41]);
    }

    proptest! {
        #[test]
        fn avcc_round_trips_through_annexb(nals in proptest::collection::vec(
            proptest::collection::vec(1u8..=255, 1..50), 1..8)) {
            // NAL payloads without zero bytes cannot contain start codes, so the split is exact.
            let mut avcc = Vec::new();
            for n in &nals {
                avcc.extend_from_slice(&(n.len() as u32).to_be_bytes());
                avcc.extend_from_slice(n);
            }
            let mut annexb = Vec::new();
            avcc_to_annexb(&avcc, 4, &mut annexb).unwrap();
            let back: Vec<Vec<u8>> = annexb_nals(&annexb).map(|n| n.to_vec()).collect();
            prop_assert_eq!(back, nals);
        }

        #[test]
        fn parsers_never_panic(data in proptest::collection::vec(any::<u8>(), 0..300)) {
            let _ = annexb_nals(&data).count();
            let mut out = Vec::new();
            let _ = avcc_to_annexb(&data, 4, &mut out);
            let _ = parse_sps(&data);
        }
    }
}
