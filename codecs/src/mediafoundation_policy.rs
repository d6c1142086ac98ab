//! The platform-independent decisions of the Media Foundation encoder
//! ([`crate::mediafoundation`]): which MFTs to try in which order, the I420 → NV12 copy into
//! the encoder's input buffer, the media-type numbers, what an encoder error leads to, and how
//! an MFT's output becomes an access unit the way [`crate::openh264`] emits them (Annex-B, SPS
//! and PPS in front of every IDR). No `windows` types, so the unit tests run on every OS
//! (`cargo test -p glass-codecs mediafoundation_policy`).

// On other systems only the tests below use this module.
#![cfg_attr(not(windows), allow(dead_code))]
#![forbid(unsafe_code)]

use std::time::Duration;

use bytes::BytesMut;

use crate::error::{Error, Result};
use crate::h264::{self, nal_type};

/// One encoder MFT as `MFTEnumEx` listed it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Candidate {
    /// Its index in `MFTEnumEx`'s answer (sorted by merit with `MFT_ENUM_FLAG_SORTANDFILTER`).
    pub index: usize,
    /// `MFT_FRIENDLY_NAME_Attribute`, for logs.
    pub name: String,
    /// `MFT_ENUM_FLAG_HARDWARE` in `MF_TRANSFORM_FLAGS_Attribute`.
    pub hardware: bool,
}

/// The MFTs to try, in order: hardware ones first, each group in `MFTEnumEx`'s (merit) order.
/// Software MFTs (Microsoft's "H264 Encoder MFT") only when `allow_software`: openh264 is the
/// software path, tuned for screen content and calibrated per machine; the Microsoft encoder
/// is worth trying only to exercise the synchronous path on a machine without a GPU encoder.
pub fn order_candidates(mut found: Vec<Candidate>, allow_software: bool) -> Vec<Candidate> {
    found.retain(|c| c.hardware || allow_software);
    // A stable sort keeps MFTEnumEx's order within each group.
    found.sort_by_key(|c| (!c.hardware, c.index));
    found
}

/// The NV12 layout of the encoder's input buffer for a `width` × `height` frame: the luma
/// plane with `stride` = `width` bytes per row, the interleaved CbCr plane right after it
/// (`MF_MT_DEFAULT_STRIDE` = width, as `MFCreateMemoryBuffer` buffers are laid out).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Nv12Layout {
    /// Bytes per row of both planes.
    pub stride: usize,
    /// Where the CbCr plane starts.
    pub uv_offset: usize,
    /// The whole buffer.
    pub len: usize,
}

impl Nv12Layout {
    /// The layout for an even `width` × `height` (the encoder config is validated even).
    pub fn new(width: u32, height: u32) -> Self {
        let (w, h) = (width as usize, height as usize);
        Self {
            stride: w,
            uv_offset: w * h,
            len: w * h + w * h.div_ceil(2),
        }
    }
}

/// One I420 source plane: its bytes (from the plane's first row) and its stride.
#[derive(Debug, Clone, Copy)]
pub struct SrcPlane<'a> {
    /// The plane's bytes.
    pub data: &'a [u8],
    /// Bytes per row.
    pub stride: usize,
}

/// Copies an I420 frame (`y`, `u`, `v`) of `width` × `height` into `dst` laid out as `layout`
/// (NV12: Cb and Cr interleaved). An error, not a panic, when a plane or `dst` is too short.
pub fn i420_to_nv12(
    y: SrcPlane<'_>,
    u: SrcPlane<'_>,
    v: SrcPlane<'_>,
    width: u32,
    height: u32,
    layout: Nv12Layout,
    dst: &mut [u8],
) -> Result<()> {
    let (w, h) = (width as usize, height as usize);
    let (cw, ch) = (w.div_ceil(2), h.div_ceil(2));
    let short = |what: &str| Error::InvalidInput(format!("NV12 conversion: {what} too short"));
    let need = |stride: usize, rows: usize, row: usize| {
        if rows == 0 {
            0
        } else {
            stride * (rows - 1) + row
        }
    };
    if y.stride < w || y.data.len() < need(y.stride, h, w) {
        return Err(short("luma plane"));
    }
    for (name, p) in [("Cb plane", u), ("Cr plane", v)] {
        if p.stride < cw || p.data.len() < need(p.stride, ch, cw) {
            return Err(short(name));
        }
    }
    if layout.stride < w
        || dst.len() < layout.len
        || layout.uv_offset + need(layout.stride, ch, 2 * cw) > dst.len()
    {
        return Err(short("NV12 buffer"));
    }
    for row in 0..h {
        let d = row * layout.stride;
        dst[d..d + w].copy_from_slice(&y.data[row * y.stride..][..w]);
    }
    for row in 0..ch {
        let d = &mut dst[layout.uv_offset + row * layout.stride..][..2 * cw];
        let (cb, cr) = (
            &u.data[row * u.stride..][..cw],
            &v.data[row * v.stride..][..cw],
        );
        for ((pair, &b), &r) in d.chunks_exact_mut(2).zip(cb).zip(cr) {
            pair[0] = b;
            pair[1] = r;
        }
    }
    Ok(())
}

/// Two 32-bit values packed as `MFSetAttributeSize` / `MFSetAttributeRatio` do
/// (`MF_MT_FRAME_SIZE`: width high, height low; `MF_MT_FRAME_RATE`: numerator high).
pub fn pack_u32_pair(high: u32, low: u32) -> u64 {
    u64::from(high) << 32 | u64::from(low)
}

/// `MF_MT_FRAME_RATE` for `fps` as numerator / denominator: whole rates over 1, the NTSC
/// rates (29.97, 59.94) over 1001, anything else in thousandths.
pub fn frame_rate_ratio(fps: f32) -> (u32, u32) {
    let fps = f64::from(fps.clamp(1.0, 240.0));
    if (fps - fps.round()).abs() < 1e-3 {
        return (fps.round() as u32, 1);
    }
    let ntsc = (fps * 1001.0 / 1000.0).round();
    if (ntsc * 1000.0 / 1001.0 - fps).abs() < 1e-2 {
        return (ntsc as u32 * 1000, 1001);
    }
    ((fps * 1000.0).round() as u32, 1000)
}

/// A duration in Media Foundation's 100-nanosecond units (sample times and durations).
pub fn hns(d: Duration) -> i64 {
    i64::try_from(d.as_nanos() / 100).unwrap_or(i64::MAX)
}

/// `CODECAPI_AVEncMPVGOPSize` for a keyframe every `interval` at `fps`: the engine forces
/// keyframes itself (on request and on its refresh), so the GOP is only a backstop. `None`
/// (keyframes on request only) gives a GOP of ten minutes.
pub fn gop_size(interval: Option<Duration>, fps: f32) -> u32 {
    let interval = interval.unwrap_or(Duration::from_secs(600));
    let frames = (interval.as_secs_f64() * f64::from(fps.clamp(1.0, 240.0))).round();
    frames.clamp(1.0, f64::from(u32::MAX)) as u32
}

/// Marks a Baseline-profile SPS (`profile_idc` 66) as Constrained Baseline
/// (`constraint_set0_flag` and `constraint_set1_flag`), what WebRTC browsers negotiate
/// (`42e0..`). Media Foundation encoders asked for Baseline use none of the tools
/// Constrained Baseline excludes (FMO, ASO, redundant slices), but not all of them set the flag,
/// and `eAVEncH264VProfile_ConstrainedBase` is refused by several. `sps` is the NAL unit
/// without its start code; the flags byte follows `profile_idc` (0x42), so no emulation
/// prevention byte can be involved. Returns whether it changed anything.
pub fn mark_constrained_baseline(sps: &mut [u8]) -> bool {
    match sps {
        [header, 66, flags, ..] if *header & 0x1f == nal_type::SPS && *flags & 0xc0 != 0xc0 => {
            *flags |= 0xc0;
            true
        }
        _ => false,
    }
}

/// The parameter sets last seen, and how an MFT's output sample becomes a packet.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ParameterSets {
    sps: Vec<u8>,
    pps: Vec<u8>,
}

impl ParameterSets {
    /// Remembers the SPS and PPS of `annexb` (`MF_MT_MPEG_SEQUENCE_HEADER` of the output type,
    /// or an access unit).
    pub fn handle_header(&mut self, annexb: &[u8]) {
        for nal in h264::annexb_nals(annexb) {
            match h264::nal_unit_type(nal) {
                Ok(nal_type::SPS) => {
                    self.sps.clear();
                    self.sps.extend_from_slice(nal);
                    mark_constrained_baseline(&mut self.sps);
                }
                Ok(nal_type::PPS) => {
                    self.pps.clear();
                    self.pps.extend_from_slice(nal);
                }
                _ => {}
            }
        }
    }

    /// Whether both are known.
    pub fn known(&self) -> bool {
        !self.sps.is_empty() && !self.pps.is_empty()
    }

    /// One output sample's bytes as an access unit in `out` (cleared first): Annex-B (an
    /// AVCC sample with 4-byte lengths is converted), SPS marked Constrained Baseline, and an
    /// IDR without its own SPS and PPS given the last ones seen. Returns whether it is a
    /// keyframe; an IDR with no parameter set ever seen is an error (a receiver could not
    /// decode it).
    pub fn access_unit(&mut self, sample: &[u8], out: &mut BytesMut) -> Result<bool> {
        out.clear();
        let starts_annexb = sample.starts_with(&[0, 0, 1]) || sample.starts_with(&[0, 0, 0, 1]);
        let mut converted = Vec::new();
        let annexb = if starts_annexb {
            sample
        } else {
            h264::avcc_to_annexb(sample, 4, &mut converted)?;
            &converted[..]
        };
        let (mut has_sps, mut has_pps, mut idr) = (false, false, false);
        for nal in h264::annexb_nals(annexb) {
            match h264::nal_unit_type(nal)? {
                nal_type::SPS => has_sps = true,
                nal_type::PPS => has_pps = true,
                nal_type::IDR => idr = true,
                _ => {}
            }
        }
        if has_sps || has_pps {
            self.handle_header(annexb);
        }
        if idr && !self.known() {
            return Err(Error::Malformed("IDR without SPS/PPS from the encoder"));
        }
        let prepend = idr && !(has_sps && has_pps);
        if prepend {
            for nal in [&self.sps, &self.pps] {
                out.extend_from_slice(&[0, 0, 0, 1]);
                out.extend_from_slice(nal);
            }
        }
        for nal in h264::annexb_nals(annexb) {
            // Parameter sets come from the table (marked), in front of the slices.
            let t = h264::nal_unit_type(nal)?;
            if t == nal_type::SPS || t == nal_type::PPS {
                if !prepend {
                    let table = if t == nal_type::SPS {
                        &self.sps
                    } else {
                        &self.pps
                    };
                    out.extend_from_slice(&[0, 0, 0, 1]);
                    out.extend_from_slice(table);
                }
                continue;
            }
            out.extend_from_slice(&[0, 0, 0, 1]);
            out.extend_from_slice(nal);
        }
        Ok(idr)
    }
}

/// Failures in a row (no packet in between) before giving up on the MFT.
pub const MAX_FAILURES: u32 = 5;

/// What to do about an encoder error mid-stream.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Recovery {
    /// Drop this frame and make the next one a keyframe.
    Retry,
    /// The MFT keeps failing: hand over to openh264 (`Error::Unavailable`, which the pipeline
    /// answers by reopening with `EncoderPreference::Software`).
    FallBack,
    /// The MFT keeps failing and hardware was required: end with the error.
    Fatal,
}

/// Counts failures since the last packet: a hardware MFT that lost its device (driver update,
/// GPU reset, a remote session taking over the display) fails on every call, while a single
/// refused frame should not cost the hardware encoder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ErrorPolicy {
    allow_fallback: bool,
    failures: u32,
}

impl ErrorPolicy {
    /// A policy for `EncoderPreference::Auto` (`allow_fallback`) or `Hardware`.
    pub fn new(allow_fallback: bool) -> Self {
        Self {
            allow_fallback,
            failures: 0,
        }
    }

    /// A packet came out: the history starts again.
    pub fn handle_packet(&mut self) {
        self.failures = 0;
    }

    /// `ProcessInput`, `ProcessOutput` or an event failed; `device_lost` for
    /// `DXGI_ERROR_DEVICE_REMOVED` / `MF_E_HW_MFT_FAILED_START_STREAMING` and the like, after
    /// which no later call will work.
    pub fn handle_error(&mut self, device_lost: bool) -> Recovery {
        self.failures += 1;
        if !device_lost && self.failures < MAX_FAILURES {
            Recovery::Retry
        } else if self.allow_fallback {
            Recovery::FallBack
        } else {
            Recovery::Fatal
        }
    }
}

/// How long `receive_packet` waits for a frame inside an asynchronous (hardware) MFT while it
/// keeps up (see [`OutputWait`](crate::output_wait::OutputWait)).
pub const OUTPUT_WAIT: Duration = Duration::from_millis(500);
/// How often an asynchronous MFT's event queue is polled while a frame is inside it
/// (`IMFMediaEventGenerator::GetEvent` with `MF_EVENT_FLAG_NO_WAIT`; the blocking form has
/// no timeout).
pub const EVENT_POLL: Duration = Duration::from_millis(1);

#[cfg(test)]
mod tests {
    use super::*;

    fn c(index: usize, hardware: bool) -> Candidate {
        Candidate {
            index,
            name: format!("mft{index}"),
            hardware,
        }
    }

    #[test]
    fn hardware_first_in_merit_order_software_only_when_allowed() {
        let found = vec![c(0, false), c(1, true), c(2, false), c(3, true)];
        let order = |allow| {
            order_candidates(found.clone(), allow)
                .iter()
                .map(|c| c.index)
                .collect::<Vec<_>>()
        };
        assert_eq!(order(false), [1, 3]);
        assert_eq!(order(true), [1, 3, 0, 2]);
        assert!(order_candidates(vec![c(0, false)], false).is_empty());
    }

    #[test]
    fn i420_becomes_nv12_with_interleaved_chroma() {
        // 4×2 luma with a padded stride of 6; 2×1 chroma with stride 3.
        let y = [1, 2, 3, 4, 99, 99, 5, 6, 7, 8, 99, 99];
        let u = [10, 11, 99];
        let v = [20, 21, 99];
        let layout = Nv12Layout::new(4, 2);
        assert_eq!(
            layout,
            Nv12Layout {
                stride: 4,
                uv_offset: 8,
                len: 12
            }
        );
        let mut dst = vec![0; layout.len];
        fn p(data: &[u8], stride: usize) -> SrcPlane<'_> {
            SrcPlane { data, stride }
        }
        i420_to_nv12(p(&y, 6), p(&u, 3), p(&v, 3), 4, 2, layout, &mut dst).unwrap();
        assert_eq!(dst, [1, 2, 3, 4, 5, 6, 7, 8, 10, 20, 11, 21]);
        // Short planes and buffers are errors naming the part.
        let e = i420_to_nv12(p(&y[..9], 6), p(&u, 3), p(&v, 3), 4, 2, layout, &mut dst);
        assert!(e.unwrap_err().to_string().contains("luma"));
        let e = i420_to_nv12(p(&y, 6), p(&u, 3), p(&v[..1], 3), 4, 2, layout, &mut dst);
        assert!(e.unwrap_err().to_string().contains("Cr"));
        let e = i420_to_nv12(p(&y, 6), p(&u, 3), p(&v, 3), 4, 2, layout, &mut dst[..11]);
        assert!(e.unwrap_err().to_string().contains("NV12 buffer"));
    }

    #[test]
    fn odd_heights_round_the_chroma_rows_up() {
        let layout = Nv12Layout::new(2, 3);
        assert_eq!((layout.uv_offset, layout.len), (6, 10));
        let mut dst = vec![0; layout.len];
        fn p(data: &[u8]) -> SrcPlane<'_> {
            SrcPlane { data, stride: 2 }
        }
        i420_to_nv12(
            p(&[1, 2, 3, 4, 5, 6]),
            SrcPlane {
                data: &[7, 8],
                stride: 1,
            },
            SrcPlane {
                data: &[9, 10],
                stride: 1,
            },
            2,
            3,
            layout,
            &mut dst,
        )
        .unwrap();
        assert_eq!(dst, [1, 2, 3, 4, 5, 6, 7, 9, 8, 10]);
    }

    #[test]
    fn media_type_numbers() {
        assert_eq!(pack_u32_pair(1920, 1080), 0x0000_0780_0000_0438);
        assert_eq!(frame_rate_ratio(30.0), (30, 1));
        assert_eq!(frame_rate_ratio(29.97), (30000, 1001));
        assert_eq!(frame_rate_ratio(59.94), (60000, 1001));
        assert_eq!(frame_rate_ratio(12.5), (12500, 1000));
        assert_eq!(frame_rate_ratio(0.0), (1, 1));
        assert_eq!(hns(Duration::from_millis(33)), 330_000);
        assert_eq!(hns(Duration::MAX), i64::MAX);
        assert_eq!(gop_size(Some(Duration::from_secs(10)), 30.0), 300);
        assert_eq!(gop_size(None, 30.0), 18_000);
        assert_eq!(gop_size(Some(Duration::from_millis(10)), 30.0), 1);
    }

    const SPS_BASELINE: [u8; 5] = [0x67, 66, 0x00, 31, 0xaa];
    const PPS: [u8; 3] = [0x68, 0xce, 0x3c];
    const IDR: [u8; 3] = [0x65, 0x88, 0x84];
    const SLICE: [u8; 3] = [0x41, 0x9a, 0x02];

    fn annexb(nals: &[&[u8]]) -> Vec<u8> {
        let mut v = Vec::new();
        for n in nals {
            v.extend_from_slice(&[0, 0, 0, 1]);
            v.extend_from_slice(n);
        }
        v
    }

    #[test]
    fn baseline_sps_is_marked_constrained() {
        let mut sps = SPS_BASELINE;
        assert!(mark_constrained_baseline(&mut sps));
        assert_eq!(sps[2], 0xc0);
        assert!(!mark_constrained_baseline(&mut sps), "already marked");
        let mut main = [0x67, 77, 0x00, 31];
        assert!(!mark_constrained_baseline(&mut main), "Main is left alone");
        let mut pps = [0x68, 66, 0x00];
        assert!(!mark_constrained_baseline(&mut pps), "not an SPS");
        assert!(!mark_constrained_baseline(&mut [0x67]));
    }

    #[test]
    fn every_idr_carries_parameter_sets() {
        let mut ps = ParameterSets::default();
        let mut out = BytesMut::new();
        // The first IDR carries its own (3-byte start codes here): kept, SPS marked.
        let mut first = vec![0, 0, 1];
        first.extend_from_slice(&SPS_BASELINE);
        first.extend_from_slice(&[0, 0, 1]);
        first.extend_from_slice(&PPS);
        first.extend_from_slice(&[0, 0, 1]);
        first.extend_from_slice(&IDR);
        assert!(ps.access_unit(&first, &mut out).unwrap());
        let mut marked = SPS_BASELINE;
        marked[2] = 0xc0;
        assert_eq!(out[..], annexb(&[&marked, &PPS, &IDR]));
        // A P frame passes as it is.
        assert!(!ps.access_unit(&annexb(&[&SLICE]), &mut out).unwrap());
        assert_eq!(out[..], annexb(&[&SLICE]));
        // A later IDR without them gets the last ones.
        assert!(ps.access_unit(&annexb(&[&IDR]), &mut out).unwrap());
        assert_eq!(out[..], annexb(&[&marked, &PPS, &IDR]));
        // AVCC output (4-byte lengths) is converted.
        let avcc = [0, 0, 0, 3, 0x41, 0x9a, 0x02];
        assert!(!ps.access_unit(&avcc, &mut out).unwrap());
        assert_eq!(out[..], annexb(&[&SLICE]));
    }

    #[test]
    fn an_idr_before_any_parameter_set_is_an_error_unless_the_header_gave_them() {
        let mut ps = ParameterSets::default();
        let mut out = BytesMut::new();
        assert!(ps.access_unit(&annexb(&[&IDR]), &mut out).is_err());
        // MF_MT_MPEG_SEQUENCE_HEADER of the output type.
        ps.handle_header(&annexb(&[&SPS_BASELINE, &PPS]));
        assert!(ps.known());
        assert!(ps.access_unit(&annexb(&[&IDR]), &mut out).unwrap());
        assert_eq!(out[4..9], [0x67, 66, 0xc0, 31, 0xaa]);
    }

    #[test]
    fn failures_retry_then_fall_back_and_a_lost_device_falls_back_at_once() {
        let mut p = ErrorPolicy::new(true);
        for _ in 1..MAX_FAILURES {
            assert_eq!(p.handle_error(false), Recovery::Retry);
        }
        assert_eq!(p.handle_error(false), Recovery::FallBack);
        let mut p = ErrorPolicy::new(true);
        for _ in 0..20 {
            assert_eq!(p.handle_error(false), Recovery::Retry);
            p.handle_packet();
        }
        assert_eq!(p.handle_error(true), Recovery::FallBack);
        let mut p = ErrorPolicy::new(false);
        assert_eq!(p.handle_error(true), Recovery::Fatal);
    }
}
