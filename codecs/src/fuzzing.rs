//! Entry points for the fuzz targets in `fuzz/`. Not a stable API.

/// Runs every H.264 bitstream parser over `data`.
pub fn h264_parsers(data: &[u8]) {
    let _ = crate::h264::annexb_nals(data).count();
    let mut out = Vec::new();
    if let Some((&size, rest)) = data.split_first() {
        let _ = crate::h264::avcc_to_annexb(rest, (size % 5) as usize, &mut out);
    }
    for nal in crate::h264::annexb_nals(data) {
        let _ = crate::h264::parse_sps(nal);
    }
}

/// Feeds `data` to the openh264 decoder as one access unit.
pub fn decode(data: &[u8]) {
    if let Ok(mut d) = crate::open_decoder() {
        let _ = d.decode(data);
    }
}
