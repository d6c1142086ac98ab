//! Entry points for the fuzz targets in `fuzz/`. Not a stable API.

/// Parses `data` as a capture source description (user input from the CLI or an app).
pub fn source_spec(data: &[u8]) {
    if let Ok(s) = std::str::from_utf8(data) {
        let _ = s.parse::<crate::capture::SourceSpec>();
    }
}

/// Parses `data` as the metadata a PipeWire screen-cast buffer carries (damage regions, the
/// pointer and its image: compositor input): no panic, damage inside the frame.
pub fn pipewire_meta(data: &[u8]) {
    #[cfg(target_os = "linux")]
    {
        let (w, h) = (640, 480);
        if let Some(d) = crate::wayland::pw::parse_damage(data, w, h) {
            for r in d.as_slice() {
                assert!(r.right() <= w && r.bottom() <= h, "{r:?} outside the frame");
            }
        }
        if let Some(c) = crate::wayland::pw::parse_cursor(data)
            && let Some(b) = c.shape
        {
            assert_eq!(b.argb.len(), (b.width * b.height) as usize);
        }
    }
    #[cfg(not(target_os = "linux"))]
    let _ = data;
}

/// Decodes `data` as one input-channel message, then replays it as a stream of messages
/// (each prefixed by a one-byte length) through an [`InputGate`] with full control: no
/// panic, nothing injected from a rejected message, nothing held after `release_all`.
pub fn input_messages(data: &[u8]) {
    use crate::input::gate::{ControlLevel, InputGate, Outcome};
    use crate::input::recording::RecordingInjector;
    use crate::input::wire::InputMessage;

    let _ = InputMessage::decode(data);
    let mut gate = InputGate::new(ControlLevel::Full);
    let mut inj = RecordingInjector::new();
    let now = std::time::Instant::now();
    let mut rest = data;
    while let Some((&len, tail)) = rest.split_first() {
        let n = usize::from(len).min(tail.len());
        let (msg, next) = tail.split_at(n);
        let before = inj.total();
        let outcome = gate.handle_message(now, msg, &mut inj);
        if matches!(outcome, Outcome::Rejected(_)) {
            assert_eq!(inj.total(), before, "a rejected message injected something");
        }
        rest = next;
    }
    gate.release_all(&mut inj);
    assert!(!gate.holds_anything());
    let s = gate.stats();
    assert_eq!(
        s.received,
        s.injected + s.rejected + s.dropped_stale + s.rate_limited + s.inject_failed
    );
}

/// Reads a latency probe from `data` as decoded pixels (what a receiver decoded from the
/// network): the first bytes choose the probe's place, block size and the row stride. Never
/// panics; a code read back is one a probe can show (its CRC held), and a code drawn into a
/// buffer that fits reads back unchanged.
pub fn probe_pixels(data: &[u8]) {
    use crate::probe::{Probe, Timecode};

    let [x, y, block, s, rest @ ..] = data else {
        return;
    };
    let probe = Probe::new(u32::from(*x), u32::from(*y), u32::from(*block));
    let stride = usize::from(*s) * 8;
    let _ = probe.read_bgra(rest, stride);
    let _ = probe.read_rgba(rest, stride);
    let _ = probe.read_luma(rest, stride / 4);
    let code = Timecode(u32::from_le_bytes([*x, *y, *block, *s]));
    let mut buf = rest.to_vec();
    if probe.draw_bgra(&mut buf, stride, code) && probe.block >= crate::probe::MIN_BLOCK {
        assert_eq!(probe.read_bgra(&buf, stride), Some(code));
    }
}
