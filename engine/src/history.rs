//! Which rectangles changed since a given frame: lets pooled buffers that are a few frames old
//! be brought up to date by copying or converting only what changed since they were written.

use glass_codecs::{DamageList, Rect};

/// How many recent frames' damage is remembered. A buffer older than this is redone in full.
pub const HISTORY: usize = 8;

/// A ring of the damage of the last [`HISTORY`] frames, by frame id.
#[derive(Debug, Clone, Default)]
pub struct DamageHistory {
    ring: [(u64, DamageList); HISTORY],
    len: usize,
    next: usize,
    width: u32,
    height: u32,
}

impl DamageHistory {
    /// An empty history for frames of `width`×`height`.
    pub fn new(width: u32, height: u32) -> Self {
        Self {
            width,
            height,
            ..Self::default()
        }
    }

    /// Records that frame `id` changed `damage`. Ids must increase.
    pub fn record(&mut self, id: u64, damage: &DamageList) {
        self.ring[self.next] = (id, *damage);
        self.next = (self.next + 1) % HISTORY;
        self.len = (self.len + 1).min(HISTORY);
    }

    /// Forgets everything (after a size change).
    pub fn reset(&mut self, width: u32, height: u32) {
        *self = Self::new(width, height);
    }

    /// What a buffer that last held frame `since` (`None`: never written) must update to
    /// reach the newest recorded frame: the union of the damage of every later frame, or the
    /// whole frame when `since` is unknown or older than the history.
    pub fn since(&self, since: Option<u64>) -> DamageList {
        let full = DamageList::full(self.width, self.height);
        let Some(since) = since else { return full };
        // The ring holds a contiguous run of the most recent recorded frames; it explains
        // everything after `since` when it has not wrapped yet or still holds `since` or older.
        let oldest = self.ring[if self.len < HISTORY { 0 } else { self.next }].0;
        if self.len == HISTORY && oldest > since {
            return full;
        }
        let mut out = DamageList::new();
        for (id, d) in self.ring[..self.len].iter() {
            if *id > since {
                out.extend(d);
            }
        }
        out
    }

    /// The newest recorded frame id.
    pub fn newest(&self) -> Option<u64> {
        if self.len == 0 {
            None
        } else {
            Some(self.ring[(self.next + HISTORY - 1) % HISTORY].0)
        }
    }

    /// Frame size.
    pub fn size(&self) -> (u32, u32) {
        (self.width, self.height)
    }
}

/// Copies rectangle `r` of a packed 4-byte-per-pixel image between buffers with their strides.
pub fn copy_rect_bgra(src: &[u8], src_stride: usize, dst: &mut [u8], dst_stride: usize, r: &Rect) {
    let (x0, w) = (r.x as usize * 4, r.width as usize * 4);
    for y in r.y as usize..r.bottom() as usize {
        let s = y * src_stride + x0;
        let d = y * dst_stride + x0;
        dst[d..d + w].copy_from_slice(&src[s..s + w]);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn since_unions_later_frames_only() {
        let mut h = DamageHistory::new(100, 100);
        for id in 1..=5u64 {
            let mut d = DamageList::new();
            d.push(Rect::new(id as u32 * 10, 0, 5, 5));
            h.record(id, &d);
        }
        let d = h.since(Some(3));
        assert_eq!(d.len(), 2);
        assert!(d.as_slice().iter().any(|r| r.x == 40) && d.as_slice().iter().any(|r| r.x == 50));
        assert!(h.since(Some(5)).is_empty());
        assert_eq!(h.since(None), DamageList::full(100, 100));
    }

    #[test]
    fn too_old_means_full() {
        let mut h = DamageHistory::new(64, 64);
        for id in 1..=(HISTORY as u64 + 5) {
            let mut d = DamageList::new();
            d.push(Rect::new(0, 0, 1, 1));
            h.record(id, &d);
        }
        assert_eq!(h.since(Some(1)), DamageList::full(64, 64));
        assert_eq!(h.since(Some(HISTORY as u64 + 2)).len(), 3);
        // Ids with gaps (unchanged frames are never recorded) are fine.
        let mut h = DamageHistory::new(64, 64);
        let mut d = DamageList::new();
        d.push(Rect::new(0, 0, 2, 2));
        h.record(10, &d);
        h.record(20, &d);
        assert_eq!(h.since(Some(15)).len(), 1);
    }
}
