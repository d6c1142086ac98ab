//! Deterministic generated screens for tests and benchmarks.
//!
//! Each scene is a function of a tick counter, so two runs produce the same pixels, and the
//! source knows exactly what it changed: its frames carry exact damage, like a capture backend
//! with perfect hints. Scenes:
//!
//! - `static`: a desktop with two windows of text; never changes after the first frame.
//! - `typing`: a terminal where a character appears every third tick (10 characters a second
//!   at 30 fps) and the cursor blinks; lines wrap and the terminal scrolls when full.
//! - `scroll`: a document scrolling by 4 pixels every tick (the whole window changes).
//! - `video`: full-motion colour fields and a bouncing box over the whole screen.
//!
//! Text is drawn with the public-domain `font8x8` glyphs, doubled vertically to 8×16 cells.
//!
//! With [`SyntheticCapturer::with_probe`], every frame also shows the latency probe
//! ([`crate::probe`]): its capture time as a block timecode in the bottom-right corner, reported
//! as damage whenever the code changes, so even the static scene then sends every frame.

use std::time::{Duration, Instant};

use glass_codecs::{DamageList, FramePool, PixelFormat, Rect, VideoFrame};

use super::{CaptureInfo, Capturer, DisplayInfo};
use crate::error::CaptureError;
use crate::history::{DamageHistory, copy_rect_bgra};
use crate::probe::{Probe, Timecode};

/// A synthetic scene.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scene {
    /// Nothing moves.
    Static,
    /// Typing in a terminal.
    Typing,
    /// A scrolling document.
    Scroll,
    /// Full-motion video.
    Video,
}

impl Scene {
    /// Every scene, for tests and benchmarks that cover them all.
    pub const ALL: [Scene; 4] = [Scene::Static, Scene::Typing, Scene::Scroll, Scene::Video];

    /// The scene's name as the CLI spells it.
    pub fn name(self) -> &'static str {
        match self {
            Self::Static => "static",
            Self::Typing => "typing",
            Self::Scroll => "scroll",
            Self::Video => "video",
        }
    }
}

impl std::str::FromStr for Scene {
    type Err = CaptureError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "static" | "idle" | "desktop" => Ok(Self::Static),
            "typing" | "terminal" => Ok(Self::Typing),
            "scroll" | "scrolling" | "document" => Ok(Self::Scroll),
            "video" | "motion" => Ok(Self::Video),
            _ => Err(CaptureError::BadSpec(format!(
                "unknown synthetic scene {s:?}: expected static, typing, scroll or video"
            ))),
        }
    }
}

/// Configuration of the synthetic source.
#[derive(Debug, Clone, PartialEq)]
pub struct SyntheticConfig {
    /// What to draw.
    pub scene: Scene,
    /// Width in pixels (even, 64..=4096).
    pub width: u32,
    /// Height in pixels (even, 64..=4096).
    pub height: u32,
    /// Ticks per second (1..=240).
    pub fps: u32,
}

impl Default for SyntheticConfig {
    fn default() -> Self {
        Self {
            scene: Scene::Typing,
            width: 1920,
            height: 1080,
            fps: 30,
        }
    }
}

impl SyntheticConfig {
    /// Parses `SCENE[:WxH[@FPS]]` (each part optional: `typing`, `video:1280x720`,
    /// `scroll:1920x1080@60`).
    pub fn parse(s: &str) -> Result<Self, CaptureError> {
        let mut c = Self::default();
        let mut parts = s.splitn(2, ':');
        if let Some(scene) = parts.next().filter(|p| !p.is_empty()) {
            c.scene = scene.parse()?;
        }
        if let Some(geom) = parts.next() {
            let (size, fps) = geom
                .split_once('@')
                .map_or((geom, None), |(a, b)| (a, Some(b)));
            let bad = || {
                CaptureError::BadSpec(format!(
                    "bad synthetic size {geom:?}: expected WxH or WxH@FPS, e.g. 1920x1080@30"
                ))
            };
            let (w, h) = size.split_once('x').ok_or_else(bad)?;
            c.width = w.parse().map_err(|_| bad())?;
            c.height = h.parse().map_err(|_| bad())?;
            if let Some(f) = fps {
                c.fps = f.parse().map_err(|_| bad())?;
            }
        }
        c.validate()?;
        Ok(c)
    }

    /// Checks the ranges.
    pub fn validate(&self) -> Result<(), CaptureError> {
        if !(64..=4096).contains(&self.width)
            || !self.width.is_multiple_of(2)
            || !(64..=4096).contains(&self.height)
            || !self.height.is_multiple_of(2)
        {
            return Err(CaptureError::BadSpec(format!(
                "synthetic size {}x{} out of range: width and height must be even, 64 to 4096",
                self.width, self.height
            )));
        }
        if !(1..=240).contains(&self.fps) {
            return Err(CaptureError::BadSpec(format!(
                "synthetic fps {} out of range: 1 to 240",
                self.fps
            )));
        }
        Ok(())
    }
}

/// Colours the scenes use, as (R, G, B). Tests sample decoded pixels against these.
pub mod palette {
    /// Desktop background at the top edge (a vertical gradient darkens it downwards).
    pub const DESKTOP: (u8, u8, u8) = (46, 92, 138);
    /// Taskbar at the bottom.
    pub const TASKBAR: (u8, u8, u8) = (32, 32, 36);
    /// Window title bars.
    pub const TITLE: (u8, u8, u8) = (208, 208, 214);
    /// Terminal background.
    pub const TERMINAL: (u8, u8, u8) = (16, 16, 16);
    /// Terminal text.
    pub const TERMINAL_TEXT: (u8, u8, u8) = (192, 240, 192);
    /// Document and window background.
    pub const PAPER: (u8, u8, u8) = (250, 250, 250);
    /// Document text.
    pub const INK: (u8, u8, u8) = (20, 20, 20);
    /// The bouncing box of the video scene.
    pub const BOX: (u8, u8, u8) = (240, 200, 40);
}

const TEXT: &str = "fn main() { let frames = capture(); for f in frames { encode(f)?; send(f); } } \
// Glass streams the screen with little delay. The quick brown fox jumps over the lazy dog. \
$ cargo test --workspace -- --nocapture   0123456789 !@#$%^&*()[]{}<>?/|\\ ";

const CELL_W: u32 = 8;
const CELL_H: u32 = 16;
const TASKBAR_H: u32 = 32;
const TITLE_H: u32 = 24;

/// A BGRA canvas with drawing primitives; every primitive records what it touched.
struct Canvas {
    px: Vec<u8>,
    width: u32,
    height: u32,
    damage: DamageList,
}

impl Canvas {
    fn stride(&self) -> usize {
        self.width as usize * 4
    }

    fn fill(&mut self, r: Rect, (cr, cg, cb): (u8, u8, u8)) {
        let r = r.intersect(&Rect::new(0, 0, self.width, self.height));
        if r.is_empty() {
            return;
        }
        let stride = self.stride();
        let pixel = [cb, cg, cr, 255];
        for y in r.y..r.bottom() {
            let row = &mut self.px[y as usize * stride + r.x as usize * 4
                ..y as usize * stride + r.right() as usize * 4];
            for p in row.chunks_exact_mut(4) {
                p.copy_from_slice(&pixel);
            }
        }
        self.damage.push(r);
    }

    /// Draws one character cell (background and glyph) with its top-left at (x, y).
    fn glyph(&mut self, x: u32, y: u32, ch: char, fg: (u8, u8, u8), bg: (u8, u8, u8)) {
        let cell =
            Rect::new(x, y, CELL_W, CELL_H).intersect(&Rect::new(0, 0, self.width, self.height));
        if cell.is_empty() {
            return;
        }
        let bits = font8x8::legacy::BASIC_LEGACY
            .get(ch as usize)
            .copied()
            .unwrap_or([0; 8]);
        let stride = self.stride();
        let (f, b) = ([fg.2, fg.1, fg.0, 255], [bg.2, bg.1, bg.0, 255]);
        for dy in 0..cell.height {
            let row_bits = bits[(dy / 2) as usize];
            let base = (y + dy) as usize * stride + x as usize * 4;
            for dx in 0..cell.width {
                let on = row_bits & (1 << dx) != 0;
                self.px[base + dx as usize * 4..base + dx as usize * 4 + 4]
                    .copy_from_slice(if on { &f } else { &b });
            }
        }
        self.damage.push(cell);
    }

    fn text(
        &mut self,
        x: u32,
        y: u32,
        max_w: u32,
        s: impl IntoIterator<Item = char>,
        fg: (u8, u8, u8),
        bg: (u8, u8, u8),
    ) {
        for (i, ch) in s.into_iter().enumerate() {
            let cx = x + i as u32 * CELL_W;
            if cx + CELL_W > x + max_w {
                break;
            }
            self.glyph(cx, y, ch, fg, bg);
        }
    }
}

fn text_char(i: usize) -> char {
    let b = TEXT.as_bytes();
    b[i % b.len()] as char
}

/// The scene's state machine: renders tick after tick into a canvas.
struct SceneState {
    scene: Scene,
    tick: u64,
    /// Terminal geometry (typing) in cells, and what has been typed.
    cols: u32,
    rows: u32,
    typed: usize,
    cursor_on: bool,
    term: Rect,
}

impl SceneState {
    fn new(scene: Scene, width: u32, height: u32) -> Self {
        let term = Rect::new(width / 10, height / 10, width * 8 / 10, height * 8 / 10);
        let cols = (term.width.saturating_sub(16) / CELL_W).max(1);
        let rows = (term.height.saturating_sub(TITLE_H + 16) / CELL_H).max(1);
        Self {
            scene,
            tick: 0,
            cols,
            rows,
            typed: 0,
            cursor_on: false,
            term,
        }
    }

    fn desktop(&self, c: &mut Canvas) {
        let (w, h) = (c.width, c.height);
        let (r0, g0, b0) = palette::DESKTOP;
        let stride = c.stride();
        for y in 0..h.saturating_sub(TASKBAR_H) {
            // A gentle vertical gradient, like a wallpaper.
            let k = 256 - (y * 64 / h.max(1));
            let px = [
                (b0 as u32 * k / 256) as u8,
                (g0 as u32 * k / 256) as u8,
                (r0 as u32 * k / 256) as u8,
                255,
            ];
            for p in c.px[y as usize * stride..(y as usize + 1) * stride].chunks_exact_mut(4) {
                p.copy_from_slice(&px);
            }
        }
        c.damage.push(Rect::new(0, 0, w, h));
        c.fill(Rect::new(0, h - TASKBAR_H, w, TASKBAR_H), palette::TASKBAR);
        c.text(
            8,
            h - TASKBAR_H + 8,
            200,
            "Glass 12:00".chars(),
            palette::TITLE,
            palette::TASKBAR,
        );
    }

    fn window(&self, c: &mut Canvas, r: Rect, title: &str, body: (u8, u8, u8)) {
        c.fill(Rect::new(r.x, r.y, r.width, TITLE_H), palette::TITLE);
        c.text(
            r.x + 8,
            r.y + 4,
            r.width.saturating_sub(16),
            title.chars(),
            palette::INK,
            palette::TITLE,
        );
        c.fill(
            Rect::new(r.x, r.y + TITLE_H, r.width, r.height - TITLE_H),
            body,
        );
    }

    fn cell_pos(&self, index: usize) -> (u32, u32) {
        let col = index as u32 % self.cols;
        let row = (index as u32 / self.cols).min(self.rows - 1);
        (
            self.term.x + 8 + col * CELL_W,
            self.term.y + TITLE_H + 8 + row * CELL_H,
        )
    }

    /// Redraws the terminal's text area from scratch (first frame and after a scroll).
    fn draw_terminal_text(&self, c: &mut Canvas) {
        let capacity = (self.cols * self.rows) as usize;
        let first_line = (self.typed / self.cols as usize).saturating_sub(self.rows as usize - 1);
        let start = first_line * self.cols as usize;
        let area = Rect::new(
            self.term.x,
            self.term.y + TITLE_H,
            self.term.width,
            self.term.height - TITLE_H,
        );
        c.fill(area, palette::TERMINAL);
        for i in start..self.typed.min(start + capacity) {
            let (x, y) = self.cell_pos(i - start);
            c.glyph(
                x,
                y,
                text_char(i),
                palette::TERMINAL_TEXT,
                palette::TERMINAL,
            );
        }
    }

    fn typing_offset(&self) -> usize {
        let first_line = (self.typed / self.cols as usize).saturating_sub(self.rows as usize - 1);
        first_line * self.cols as usize
    }

    fn draw_cursor(&self, c: &mut Canvas) {
        let (x, y) = self.cell_pos(self.typed - self.typing_offset());
        let colour = if self.cursor_on {
            palette::TERMINAL_TEXT
        } else {
            palette::TERMINAL
        };
        c.fill(Rect::new(x, y, CELL_W, CELL_H), colour);
    }

    /// Draws the first frame in full.
    fn first(&mut self, c: &mut Canvas) {
        self.desktop(c);
        let (w, h) = (c.width, c.height);
        match self.scene {
            Scene::Static => {
                self.window(
                    c,
                    Rect::new(w / 12, h / 10, w / 2, h / 2),
                    "Notes",
                    palette::PAPER,
                );
                for line in 0..(h / 2 - TITLE_H - 16) / CELL_H {
                    let s = (0..80).map(|i| text_char(i + line as usize * 53));
                    c.text(
                        w / 12 + 8,
                        h / 10 + TITLE_H + 8 + line * CELL_H,
                        w / 2 - 16,
                        s,
                        palette::INK,
                        palette::PAPER,
                    );
                }
                self.window(
                    c,
                    Rect::new(w / 2, h / 3, w * 2 / 5, h / 2),
                    "Terminal",
                    palette::TERMINAL,
                );
                for line in 0..(h / 2 - TITLE_H - 16) / CELL_H {
                    let s = (0..60).map(|i| text_char(i + line as usize * 31));
                    c.text(
                        w / 2 + 8,
                        h / 3 + TITLE_H + 8 + line * CELL_H,
                        w * 2 / 5 - 16,
                        s,
                        palette::TERMINAL_TEXT,
                        palette::TERMINAL,
                    );
                }
            }
            Scene::Typing => {
                self.window(c, self.term, "Terminal", palette::TERMINAL);
                self.typed = self.cols as usize * 3 + 17;
                self.draw_terminal_text(c);
                self.draw_cursor(c);
            }
            Scene::Scroll => self.scroll(c),
            Scene::Video => self.video(c),
        }
    }

    /// Advances one tick, drawing only what changes.
    fn step(&mut self, c: &mut Canvas) {
        self.tick += 1;
        match self.scene {
            Scene::Static => {}
            Scene::Typing => {
                if self.tick.is_multiple_of(3) {
                    let before = self.typing_offset();
                    self.typed += 1;
                    if self.typing_offset() != before {
                        self.draw_terminal_text(c);
                    } else {
                        let i = self.typed - 1;
                        let (x, y) = self.cell_pos(i - before);
                        c.glyph(
                            x,
                            y,
                            text_char(i),
                            palette::TERMINAL_TEXT,
                            palette::TERMINAL,
                        );
                    }
                    self.cursor_on = true;
                    self.draw_cursor(c);
                } else if self.tick.is_multiple_of(16) {
                    self.cursor_on = !self.cursor_on;
                    self.draw_cursor(c);
                }
            }
            Scene::Scroll => self.scroll(c),
            Scene::Video => self.video(c),
        }
    }

    fn scroll(&self, c: &mut Canvas) {
        let (w, h) = (c.width, c.height);
        let area = Rect::new(w / 16, 0, w * 7 / 8, h - TASKBAR_H);
        c.fill(area, palette::PAPER);
        let offset = (self.tick * 4) as u32;
        let first = offset / CELL_H;
        let lines = area.height / CELL_H + 2;
        for l in first..first + lines {
            let y = (l * CELL_H) as i64 - offset as i64;
            if y < 0 || y as u32 + CELL_H > area.height {
                continue;
            }
            // Paragraphs: every seventh line is blank.
            if l % 7 == 6 {
                continue;
            }
            let s = (0..(area.width / CELL_W - 4) as usize).map(|i| text_char(i + l as usize * 67));
            c.text(
                area.x + 16,
                y as u32,
                area.width - 32,
                s,
                palette::INK,
                palette::PAPER,
            );
        }
    }

    fn video(&self, c: &mut Canvas) {
        let (w, h) = (c.width, c.height);
        let t = self.tick as u32;
        let stride = c.stride();
        // Smooth moving colour fields (cheap integer "plasma"), as camera video is smooth.
        for y in 0..h {
            let gy = tri((y / 2 + t * 3) & 511);
            let row = &mut c.px[y as usize * stride..(y as usize + 1) * stride];
            for (x, p) in row.chunks_exact_mut(4).enumerate() {
                let x = x as u32;
                let r = tri((x / 3 + t * 5) & 511);
                let b = tri(((x + y) / 4 + t * 2) & 511);
                p.copy_from_slice(&[b, gy, r, 255]);
            }
        }
        c.damage.push(Rect::new(0, 0, w, h));
        // A bouncing box.
        let bw = (w / 8).max(8);
        let bh = (h / 8).max(8);
        let bx = bounce(t * 9, w - bw);
        let by = bounce(t * 6, h - bh);
        c.fill(Rect::new(bx, by, bw, bh), palette::BOX);
    }
}

fn tri(v: u32) -> u8 {
    // Triangle wave 0..=255..=0 over 512 steps.
    (if v < 256 { v } else { 511 - v }) as u8
}

fn bounce(v: u32, range: u32) -> u32 {
    if range == 0 {
        return 0;
    }
    let p = v % (2 * range);
    if p < range { p } else { 2 * range - p }
}

/// The synthetic capture source.
pub struct SyntheticCapturer {
    config: SyntheticConfig,
    canvas: Canvas,
    state: SceneState,
    pool: FramePool,
    history: DamageHistory,
    next_id: u64,
    started: bool,
    full_requested: bool,
    next_due: Option<Instant>,
    /// The latency probe's place and epoch, when it is on.
    probe: Option<(Probe, Instant)>,
    /// The code the canvas shows (`None` before the first frame with the probe).
    probe_shown: Option<Timecode>,
}

impl SyntheticCapturer {
    /// A source for `config`.
    pub fn new(config: SyntheticConfig) -> Result<Self, CaptureError> {
        config.validate()?;
        let (w, h) = (config.width, config.height);
        Ok(Self {
            canvas: Canvas {
                px: vec![0; w as usize * h as usize * 4],
                width: w,
                height: h,
                damage: DamageList::new(),
            },
            state: SceneState::new(config.scene, w, h),
            pool: FramePool::new(PixelFormat::Bgra, w, h, 8),
            history: DamageHistory::new(w, h),
            next_id: 0,
            started: false,
            full_requested: false,
            next_due: None,
            probe: None,
            probe_shown: None,
            config,
        })
    }

    /// Draws the latency probe on every frame: the frame's capture time, as a
    /// [`Timecode`] on a clock started at `epoch`, at [`Probe::default_for`] the frame size
    /// (the right end of the taskbar). The probe's rectangle joins the frame's damage whenever
    /// the code changes, which at real frame rates is every frame, even in the static scene.
    ///
    /// The receiver reads the code from decoded pixels with the same [`Probe`]
    /// ([`SyntheticCapturer::probe`]) and `epoch`; [`Timecode::latency`] then gives the
    /// frame's glass-to-glass latency. The epoch is the caller's so that a harness can share
    /// one clock between this source, an X11 probe window and its receivers. Nothing is drawn
    /// if the frame is too narrow for a probe (under 88 px).
    pub fn with_probe(mut self, epoch: Instant) -> Self {
        self.probe = Probe::default_for(self.config.width, self.config.height).map(|p| (p, epoch));
        self.probe_shown = None;
        self
    }

    /// Where the probe is drawn and the epoch of its timecodes, if it is on.
    pub fn probe(&self) -> Option<(Probe, Instant)> {
        self.probe
    }

    /// The configuration.
    pub fn config(&self) -> &SyntheticConfig {
        &self.config
    }

    /// Advances one tick without waiting for the clock and returns the frame if anything
    /// changed (the first call always returns the full first frame). For tests and
    /// benchmarks that need frames as fast as they can take them.
    pub fn step(&mut self, now: Instant) -> Option<VideoFrame> {
        self.step_with(|| now)
    }

    /// [`SyntheticCapturer::step`] with the times read from `clock` as a capture sees them:
    /// the probe's code (and the frame's capture time) once the scene is drawn, as an
    /// application's window is drawn before a capturer can see it, and `stages.captured` once
    /// the frame's buffer holds it, as a grab ends. (Stamping both at the tick's start put
    /// this source's own drawing, 4–5 ms for a 1080p scroll, into the pipeline's damage
    /// stage.)
    fn step_with(&mut self, clock: impl Fn() -> Instant) -> Option<VideoFrame> {
        self.canvas.damage.clear();
        if !self.started {
            self.started = true;
            self.state.first(&mut self.canvas);
        } else {
            self.state.step(&mut self.canvas);
        }
        let drawn = clock();
        if let Some((probe, epoch)) = self.probe {
            // Drawn every tick, on top of whatever the scene repainted; damaged only when it
            // shows a new code, as the scene has already reported what it repainted.
            let code = Timecode::at(epoch, drawn);
            let stride = self.canvas.stride();
            probe.draw_bgra(&mut self.canvas.px, stride, code);
            if self.probe_shown != Some(code) {
                self.probe_shown = Some(code);
                self.canvas.damage.push(probe.rect());
            }
        }
        let full = std::mem::take(&mut self.full_requested);
        if self.canvas.damage.is_empty() && !full {
            return None;
        }
        let mut damage = self.canvas.damage;
        let id = self.next_id;
        self.next_id += 1;
        self.history.record(id, &damage);
        if full {
            damage = DamageList::full(self.canvas.width, self.canvas.height);
        }
        let (canvas, history) = (&self.canvas, &self.history);
        let (mut frame, ()) = self.pool.get_with(id, drawn, |dst, last| {
            // Bring the recycled buffer up to date: only what changed since it was written.
            let stride = canvas.stride();
            for r in history.since(last).as_slice() {
                copy_rect_bgra(&canvas.px, stride, dst.bytes, dst.planes[0].stride, r);
            }
        });
        frame.damage = if full { None } else { Some(damage) };
        frame.stages.captured = Some(clock());
        Some(frame)
    }
}

impl Capturer for SyntheticCapturer {
    fn info(&self) -> CaptureInfo {
        CaptureInfo {
            backend: "synthetic",
            display: display_info(&self.config),
            damage_hints: true,
            zero_copy: false,
        }
    }

    fn capture(&mut self, deadline: Instant) -> Result<Option<VideoFrame>, CaptureError> {
        let period = Duration::from_secs_f64(1.0 / self.config.fps as f64);
        loop {
            let now = Instant::now();
            let due = *self.next_due.get_or_insert(now);
            if due > deadline {
                if deadline > now {
                    std::thread::sleep(deadline - now);
                }
                return Ok(None);
            }
            if due > now {
                std::thread::sleep(due - now);
            }
            // Ticks follow the clock; a late consumer skips ticks rather than slowing time.
            let now = Instant::now();
            let mut next = due + period;
            if next < now {
                next = now + period;
            }
            self.next_due = Some(next);
            if let Some(frame) = self.step_with(Instant::now) {
                return Ok(Some(frame));
            }
        }
    }

    fn request_full_frame(&mut self) {
        self.full_requested = true;
    }
}

fn display_info(c: &SyntheticConfig) -> DisplayInfo {
    DisplayInfo {
        backend: "synthetic",
        id: c.scene.name().to_string(),
        name: format!("synthetic {} scene", c.scene.name()),
        x: 0,
        y: 0,
        width: c.width,
        height: c.height,
        primary: false,
    }
}

/// The synthetic scenes, listed as displays.
pub fn displays() -> Vec<DisplayInfo> {
    Scene::ALL
        .iter()
        .map(|&scene| {
            display_info(&SyntheticConfig {
                scene,
                ..SyntheticConfig::default()
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pixel(f: &VideoFrame, x: u32, y: u32) -> (u8, u8, u8) {
        let o = y as usize * f.planes[0].stride + x as usize * 4;
        let p = &f.plane(0)[o..o + 4];
        (p[2], p[1], p[0])
    }

    #[test]
    fn parses_specs_and_rejects_bad_ones() {
        let c = SyntheticConfig::parse("video:1280x720@60").unwrap();
        assert_eq!(
            (c.scene, c.width, c.height, c.fps),
            (Scene::Video, 1280, 720, 60)
        );
        assert_eq!(
            SyntheticConfig::parse("").unwrap(),
            SyntheticConfig::default()
        );
        assert!(SyntheticConfig::parse("typing:12x12").is_err());
        assert!(SyntheticConfig::parse("typing:1280by720").is_err());
        assert!(SyntheticConfig::parse("dancing").is_err());
        assert!(SyntheticConfig::parse("typing:1281x720").is_err());
    }

    #[test]
    fn static_scene_changes_once() {
        let mut s = SyntheticCapturer::new(SyntheticConfig {
            scene: Scene::Static,
            width: 320,
            height: 240,
            fps: 30,
        })
        .unwrap();
        let now = Instant::now();
        let first = s.step(now).expect("first frame");
        assert_eq!(first.damage.unwrap().bounds(), Rect::new(0, 0, 320, 240));
        for _ in 0..20 {
            assert!(s.step(now).is_none());
        }
        s.request_full_frame();
        let again = s.step(now).expect("requested full frame");
        assert!(again.damage.is_none());
        assert_eq!(pixel(&again, 5, 239), palette::TASKBAR);
    }

    #[test]
    fn frames_carry_exact_damage_and_recycled_buffers_stay_correct() {
        // Render every scene twice: once through the pool (recycled, partially updated
        // buffers) and once by comparing with a fresh full render at the same tick. With the
        // latency probe too, whose code changes every other tick here.
        for (scene, probe) in Scene::ALL.into_iter().flat_map(|s| [(s, false), (s, true)]) {
            let cfg = SyntheticConfig {
                scene,
                width: 256,
                height: 192,
                fps: 30,
            };
            let mut s = SyntheticCapturer::new(cfg.clone()).unwrap();
            let start = Instant::now();
            if probe {
                s = s.with_probe(start);
            }
            let mut prev: Option<VideoFrame> = None;
            let mut held = Vec::new();
            for tick in 0..40 {
                let now = start + Duration::from_millis(tick / 2 * 20);
                let Some(f) = s.step(now) else { continue };
                // Pixels equal the canvas exactly.
                assert_eq!(f.plane(0), &s.canvas.px[..], "{scene:?} tick {tick}");
                if let Some((p, epoch)) = s.probe() {
                    assert_eq!(p.read_frame(&f), Some(Timecode::at(epoch, now)));
                }
                if let (Some(p), Some(d)) = (&prev, &f.damage) {
                    // Every changed pixel lies inside the damage.
                    for y in 0..cfg.height {
                        for x in 0..cfg.width {
                            if pixel(p, x, y) != pixel(&f, x, y) {
                                assert!(
                                    d.as_slice().iter().any(|r| r.contains(x, y)),
                                    "{scene:?} probe {probe} ({x},{y}) outside damage"
                                );
                            }
                        }
                    }
                }
                // Hold some frames so the pool must hand out older buffers.
                if tick % 4 == 0 {
                    held.push(f.clone());
                }
                if held.len() > 3 {
                    held.remove(0);
                }
                prev = Some(f);
            }
        }
    }

    #[test]
    fn typing_scene_has_terminal_colours() {
        let mut s = SyntheticCapturer::new(SyntheticConfig {
            scene: Scene::Typing,
            width: 640,
            height: 480,
            fps: 30,
        })
        .unwrap();
        let f = s.step(Instant::now()).unwrap();
        let t = s.state.term;
        assert_eq!(pixel(&f, t.x + 2, t.y + 2), palette::TITLE);
        assert_eq!(pixel(&f, t.right() - 3, t.bottom() - 3), palette::TERMINAL);
        let mut changed = 0;
        for _ in 0..30 {
            if let Some(f) = s.step(Instant::now()) {
                changed += 1;
                // Typing touches a few cells, not the screen.
                assert!(f.damage.unwrap().area() <= 4 * (CELL_W * CELL_H) as u64);
            }
        }
        assert!(changed >= 10);
    }

    #[test]
    fn probe_shows_the_capture_time_and_damages_only_itself() {
        let cfg = SyntheticConfig {
            scene: Scene::Static,
            width: 640,
            height: 360,
            fps: 30,
        };
        let epoch = Instant::now();
        let mut s = SyntheticCapturer::new(cfg.clone())
            .unwrap()
            .with_probe(epoch);
        let (probe, e) = s.probe().unwrap();
        assert_eq!((probe, e), (Probe::default_for(640, 360).unwrap(), epoch));
        // In the taskbar, right of its text.
        assert!(probe.y >= cfg.height - TASKBAR_H && probe.x > 8 + 11 * CELL_W);
        let first = s.step(epoch).expect("first frame");
        assert_eq!(probe.read_frame(&first), Some(Timecode(0)));
        for i in 1..20u64 {
            let now = epoch + Duration::from_millis(33 * i);
            let f = s.step(now).expect("the probe changes every frame");
            assert_eq!(f.damage.unwrap().as_slice(), &[probe.rect()]);
            assert_eq!(f.capture_time, now);
            let code = probe.read_frame(&f).unwrap();
            assert_eq!(code, Timecode::at(epoch, now));
            assert_eq!(code.latency(epoch, now), Duration::ZERO);
            // The same instant again: nothing changed.
            assert!(s.step(now).is_none());
        }
        // A full frame still carries the probe.
        s.request_full_frame();
        let now = epoch + Duration::from_secs(1);
        let f = s.step(now).unwrap();
        assert!(f.damage.is_none());
        assert_eq!(probe.read_frame(&f), Some(Timecode::at(epoch, now)));
        // Too small for a probe: the source runs without one.
        let tiny = SyntheticCapturer::new(SyntheticConfig {
            width: 64,
            height: 64,
            ..cfg
        })
        .unwrap()
        .with_probe(epoch);
        assert!(tiny.probe().is_none());
    }
}
