//! The PipeWire side of Wayland capture: a thread running a PipeWire main loop that consumes
//! Mutter's screen-cast node and hands frames to the capturer.
//!
//! - **Negotiation.** The stream offers BGRx and BGRA raw video of any size without a
//!   modifier, and asks for shared-memory buffers (MemFd or MemPtr, mapped by PipeWire), so
//!   Mutter never sends DMA-BUF. It asks for `SPA_META_VideoDamage` (up to
//!   [`DAMAGE_REGIONS`] rectangles), `SPA_META_Cursor` and `SPA_META_Header`.
//! - **Buffers.** `process` dequeues every queued buffer and keeps the newest (older ones go
//!   straight back), copies its pixels row by row into a [`FramePool`] buffer (no allocation
//!   once the pool is warm) and hands the frame over through [`Handoff`] (one slot, the
//!   newest wins, damage of a replaced frame carried over).
//! - **Outside input.** Everything in a buffer comes from the compositor: its layout is
//!   checked against the mapped size before a byte is read, metadata is parsed from byte
//!   slices by [`parse_damage`] / [`parse_cursor`], and anything odd is counted and skipped.
//!
//! This is the only module of the Wayland backend with `unsafe`: reading `spa_buffer`s that
//! `pw_stream_dequeue_buffer` hands out.

use std::os::fd::OwnedFd;
use std::sync::Arc;
use std::sync::mpsc;
use std::thread::JoinHandle;
use std::time::Instant;

use glass_codecs::{DamageList, FramePool, PixelFormat, Rect};
use pipewire as pw;
use pw::spa;
use pw::spa::pod::{ChoiceValue, Object, Pod, Property, Value};
use pw::spa::utils::{Choice, ChoiceEnum, ChoiceFlags, Id, SpaTypes};

use super::capture::Handoff;
use super::{WaylandSession, WaylandStats};
use crate::error::CaptureError;

/// Damage rectangles asked for per buffer (Mutter offers up to 16; more merge into fewer).
pub(crate) const DAMAGE_REGIONS: i32 = 16;
/// Frames the pool keeps for reuse while the pipeline holds them.
const POOL_BUFFERS: usize = 6;
/// Bytes of one `spa_meta_region`: x, y (i32), width, height (u32).
const REGION_BYTES: usize = 16;
/// Bytes of the `spa_meta_cursor` fields read: id, flags, position x/y, hotspot x/y, bitmap
/// offset.
const CURSOR_BYTES: usize = 28;
/// `SPA_META_HEADER_FLAG_CORRUPTED` / `SPA_CHUNK_FLAG_CORRUPTED`.
const CORRUPTED: u32 = 1;

fn u32_at(b: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_ne_bytes(b.get(at..at + 4)?.try_into().ok()?))
}

fn i32_at(b: &[u8], at: usize) -> Option<i32> {
    Some(i32::from_ne_bytes(b.get(at..at + 4)?.try_into().ok()?))
}

/// The damage of a `SPA_META_VideoDamage` meta (an array of `spa_meta_region`, ending at the
/// first empty one), clipped to `width`×`height`. `None` when it names no rectangle at all:
/// then the damage is unknown rather than "nothing".
pub fn parse_damage(meta: &[u8], width: u32, height: u32) -> Option<DamageList> {
    let frame = Rect::new(0, 0, width, height);
    let mut list = DamageList::new();
    let mut any = false;
    for r in meta.chunks_exact(REGION_BYTES) {
        let (Some(x), Some(y), Some(w), Some(h)) =
            (i32_at(r, 0), i32_at(r, 4), u32_at(r, 8), u32_at(r, 12))
        else {
            break;
        };
        if w == 0 || h == 0 {
            break;
        }
        any = true;
        // Clip in i64: a negative origin or a size past the frame is the compositor's
        // business, not a reason to overflow.
        let (x0, y0) = (i64::from(x).max(0), i64::from(y).max(0));
        let x1 = (i64::from(x) + i64::from(w)).min(i64::from(width));
        let y1 = (i64::from(y) + i64::from(h)).min(i64::from(height));
        if x1 > x0 && y1 > y0 {
            // In range: 0 ≤ x0 < x1 ≤ width, likewise for y.
            let r = Rect::new(x0 as u32, y0 as u32, (x1 - x0) as u32, (y1 - y0) as u32);
            list.push(r.intersect(&frame));
        }
    }
    any.then_some(list)
}

/// What a `SPA_META_Cursor` meta says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CursorMeta {
    /// Pointer (hotspot) position in stream pixels; `None`: no pointer on this stream.
    pub position: Option<(i32, i32)>,
    /// A new pointer image, when the meta carries one.
    pub shape: Option<CursorBitmap>,
}

/// A pointer image from a cursor meta, as premultiplied `0xAARRGGBB`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CursorBitmap {
    /// Width in pixels.
    pub width: u32,
    /// Height in pixels.
    pub height: u32,
    /// Hotspot within the image.
    pub hot_x: u32,
    /// See `hot_x`.
    pub hot_y: u32,
    /// `width * height` pixels, row by row.
    pub argb: Vec<u32>,
}

/// Bytes of a `spa_meta_bitmap`: format, width, height, stride, offset.
const BITMAP_BYTES: usize = 20;
/// Largest pointer image taken (Mutter offers up to 384×384).
const MAX_BITMAP_SIDE: u32 = 1024;

/// Parses a `SPA_META_Cursor` meta (`spa_meta_cursor`, then optionally a `spa_meta_bitmap`
/// at `bitmap_offset` with its pixels at the bitmap's `offset`). `None` when it is too short
/// to say anything; a bitmap that does not fit or has an unknown format is left out.
pub fn parse_cursor(meta: &[u8]) -> Option<CursorMeta> {
    if meta.len() < CURSOR_BYTES {
        return None;
    }
    if u32_at(meta, 0)? == 0 {
        return Some(CursorMeta {
            position: None,
            shape: None,
        });
    }
    let position = Some((i32_at(meta, 8)?, i32_at(meta, 12)?));
    let (hot_x, hot_y) = (i32_at(meta, 16)?, i32_at(meta, 20)?);
    let bitmap_offset = u32_at(meta, 24)? as usize;
    let shape = (bitmap_offset >= CURSOR_BYTES)
        .then(|| parse_bitmap(meta.get(bitmap_offset..)?, hot_x, hot_y))
        .flatten();
    Some(CursorMeta { position, shape })
}

fn parse_bitmap(b: &[u8], hot_x: i32, hot_y: i32) -> Option<CursorBitmap> {
    if b.len() < BITMAP_BYTES {
        return None;
    }
    let (format, width, height) = (u32_at(b, 0)?, u32_at(b, 4)?, u32_at(b, 8)?);
    let stride = usize::try_from(i32_at(b, 12)?).ok()?;
    let offset = u32_at(b, 16)? as usize;
    if width == 0 || height == 0 || width > MAX_BITMAP_SIDE || height > MAX_BITMAP_SIDE {
        return None;
    }
    // Byte positions of R, G, B, A in a pixel.
    let (r, g, bl, a) = match format {
        spa::sys::SPA_VIDEO_FORMAT_RGBA => (0, 1, 2, 3),
        spa::sys::SPA_VIDEO_FORMAT_BGRA => (2, 1, 0, 3),
        spa::sys::SPA_VIDEO_FORMAT_ARGB => (1, 2, 3, 0),
        spa::sys::SPA_VIDEO_FORMAT_ABGR => (3, 2, 1, 0),
        _ => return None,
    };
    let row_bytes = width as usize * 4;
    if stride < row_bytes {
        return None;
    }
    let end = offset.checked_add((height as usize - 1) * stride + row_bytes)?;
    let pixels = b.get(offset..end)?;
    let mut argb = Vec::with_capacity(width as usize * height as usize);
    for row in pixels.chunks(stride).take(height as usize) {
        for p in row[..row_bytes].chunks_exact(4) {
            argb.push(
                u32::from(p[a]) << 24
                    | u32::from(p[r]) << 16
                    | u32::from(p[g]) << 8
                    | u32::from(p[bl]),
            );
        }
    }
    Some(CursorBitmap {
        width,
        height,
        hot_x: hot_x.clamp(0, width as i32 - 1) as u32,
        hot_y: hot_y.clamp(0, height as i32 - 1) as u32,
        argb,
    })
}

/// Where the pixels of a buffer are, as its chunk says.
#[derive(Debug, Clone, Copy)]
struct Chunk {
    offset: u32,
    size: u32,
    stride: i32,
    flags: u32,
}

/// What one dequeued buffer holds, borrowed for the duration of `process`.
struct BufferView<'a> {
    /// The mapped memory of the first data plane (`None`: not mapped).
    memory: Option<&'a [u8]>,
    chunk: Chunk,
    header_flags: Option<u32>,
    damage: Option<&'a [u8]>,
    cursor: Option<&'a [u8]>,
}

/// Reads the parts of `raw` this module uses.
///
/// # Safety
/// `raw` must be a buffer `pw_stream_dequeue_buffer` returned and not yet queued back; the
/// view must be dropped before it is queued.
unsafe fn view<'a>(raw: *mut pw::sys::pw_buffer) -> Option<BufferView<'a>> {
    // SAFETY: the caller passes a dequeued buffer; PipeWire keeps it and everything it
    // points to (datas, chunks, metas, mapped memory) valid until it is queued back. Sizes
    // come from the same structures (`maxsize`, `meta.size`), so every slice stays inside
    // memory PipeWire allocated or mapped for this buffer.
    unsafe {
        let buf = raw.as_ref()?.buffer.as_ref()?;
        if buf.n_datas < 1 || buf.datas.is_null() {
            return None;
        }
        let data = &*buf.datas;
        let chunk = data.chunk.as_ref()?;
        let chunk = Chunk {
            offset: chunk.offset,
            size: chunk.size,
            stride: chunk.stride,
            flags: chunk.flags as u32,
        };
        let memory = (!data.data.is_null() && data.maxsize > 0)
            .then(|| std::slice::from_raw_parts(data.data as *const u8, data.maxsize as usize));
        let mut header_flags = None;
        let mut damage = None;
        let mut cursor = None;
        if !buf.metas.is_null() {
            for i in 0..buf.n_metas as usize {
                let m = &*buf.metas.add(i);
                if m.data.is_null() || m.size == 0 {
                    continue;
                }
                let bytes = std::slice::from_raw_parts(m.data as *const u8, m.size as usize);
                match m.type_ {
                    spa::sys::SPA_META_Header => header_flags = u32_at(bytes, 0),
                    spa::sys::SPA_META_VideoDamage => damage = Some(bytes),
                    spa::sys::SPA_META_Cursor => cursor = Some(bytes),
                    _ => {}
                }
            }
        }
        Some(BufferView {
            memory,
            chunk,
            header_flags,
            damage,
            cursor,
        })
    }
}

/// Copies `height` rows of `row_bytes` from `src` (rows `stride` apart from `offset`) into
/// `dst` (rows `dst_stride` apart). `false`, copying nothing, when the layout does not fit.
fn copy_rows(
    src: &[u8],
    offset: usize,
    stride: usize,
    dst: &mut [u8],
    dst_stride: usize,
    row_bytes: usize,
    height: usize,
) -> bool {
    if height == 0 || stride < row_bytes || dst_stride < row_bytes {
        return false;
    }
    let src_end = (height - 1)
        .checked_mul(stride)
        .and_then(|v| v.checked_add(offset))
        .and_then(|v| v.checked_add(row_bytes));
    let dst_end = (height - 1)
        .checked_mul(dst_stride)
        .and_then(|v| v.checked_add(row_bytes));
    match (src_end, dst_end) {
        (Some(s), Some(d)) if s <= src.len() && d <= dst.len() => {}
        _ => return false,
    }
    for row in 0..height {
        let s = offset + row * stride;
        let d = row * dst_stride;
        dst[d..d + row_bytes].copy_from_slice(&src[s..s + row_bytes]);
    }
    true
}

/// The stream's state between callbacks (lives on the PipeWire thread).
struct StreamData {
    handoff: Arc<Handoff>,
    session: Arc<WaylandSession>,
    /// Negotiated format and size, and the pool for it.
    format: Option<(PixelFormat, u32, u32)>,
    pool: Option<FramePool>,
    next_id: u64,
    /// The next frame follows a format change: its damage is unknown.
    fresh: bool,
}

impl StreamData {
    fn stats(&self) -> &WaylandStats {
        self.session.stats()
    }

    /// Takes the format Mutter fixed; `false` if it is not one the capturer can use.
    fn set_format(&mut self, param: &Pod) -> bool {
        let mut info = spa::param::video::VideoInfoRaw::new();
        if info.parse(param).is_err() {
            WaylandStats::count(&self.stats().bad_formats);
            return false;
        }
        let format = match info.format() {
            spa::param::video::VideoFormat::BGRx => PixelFormat::Bgrx,
            spa::param::video::VideoFormat::BGRA => PixelFormat::Bgra,
            other => {
                tracing::warn!(
                    ?other,
                    "PipeWire offered a format the capturer does not take"
                );
                WaylandStats::count(&self.stats().bad_formats);
                return false;
            }
        };
        let size = info.size();
        if size.width == 0 || size.height == 0 || size.width > 16384 || size.height > 16384 {
            WaylandStats::count(&self.stats().bad_formats);
            return false;
        }
        tracing::info!(
            ?format,
            width = size.width,
            height = size.height,
            "PipeWire stream format"
        );
        self.format = Some((format, size.width, size.height));
        self.pool = Some(FramePool::new(
            format,
            size.width,
            size.height,
            POOL_BUFFERS,
        ));
        self.fresh = true;
        true
    }

    /// Takes a buffer's pointer metadata.
    fn pointer(&self, b: &BufferView<'_>) {
        if let Some(c) = b.cursor.and_then(parse_cursor) {
            self.session.pointer_update(c);
        }
    }

    /// Turns one buffer into a frame for the capturer (and takes its pointer metadata).
    fn handle(&mut self, b: &BufferView<'_>) {
        self.pointer(b);
        if b.header_flags.is_some_and(|f| f & CORRUPTED != 0) || b.chunk.flags & CORRUPTED != 0 {
            WaylandStats::count(&self.stats().corrupted_buffers);
            return;
        }
        if b.chunk.size == 0 {
            // Mutter sends these when only the pointer moved.
            WaylandStats::count(&self.stats().cursor_only_buffers);
            return;
        }
        let (Some((_, width, height)), Some(pool), Some(memory)) =
            (self.format, &self.pool, b.memory)
        else {
            WaylandStats::count(&self.stats().bad_buffers);
            return;
        };
        let Ok(stride) = usize::try_from(b.chunk.stride) else {
            WaylandStats::count(&self.stats().bad_buffers);
            return;
        };
        let offset = b.chunk.offset as usize % memory.len().max(1);
        let damage = if self.fresh {
            None
        } else {
            b.damage.and_then(|d| parse_damage(d, width, height))
        };
        let id = self.next_id;
        let now = Instant::now();
        // The pending frame's buffer goes back to the pool first, so a slow consumer costs
        // no allocation; its damage is carried into this frame.
        let (pending, replaced) = self.handoff.take_pending_damage();
        let (mut frame, copied) = pool.get_with(id, now, |p, _| {
            copy_rows(
                memory,
                offset,
                stride,
                p.bytes,
                p.planes[0].stride,
                width as usize * 4,
                height as usize,
            )
        });
        if !copied {
            WaylandStats::count(&self.stats().bad_buffers);
            // A replaced frame's damage is lost with it: compare the next one in full.
            self.fresh = true;
            return;
        }
        self.fresh = false;
        self.next_id += 1;
        frame.damage = match (replaced, pending, damage) {
            (false, _, d) => d,
            (true, Some(mut old), Some(new)) => {
                old.extend(&new);
                Some(old)
            }
            (true, _, _) => None,
        };
        if replaced {
            WaylandStats::count(&self.stats().replaced_frames);
        }
        frame.stages.captured = Some(now);
        self.handoff.put(frame, now);
    }
}

fn param_pod(object: Object) -> Option<Vec<u8>> {
    spa::pod::serialize::PodSerializer::serialize(
        std::io::Cursor::new(Vec::new()),
        &Value::Object(object),
    )
    .ok()
    .map(|(c, _)| c.into_inner())
}

fn int_range(default: i32, min: i32, max: i32) -> Value {
    Value::Choice(ChoiceValue::Int(Choice(
        ChoiceFlags::empty(),
        ChoiceEnum::Range { default, min, max },
    )))
}

/// `EnumFormat`: BGRx or BGRA, any size and rate, no modifier (so no DMA-BUF).
fn format_param() -> Option<Vec<u8>> {
    use spa::param::format::{FormatProperties, MediaSubtype, MediaType};
    use spa::param::video::VideoFormat;
    let rect = |width, height| spa::utils::Rectangle { width, height };
    let frac = |num, denom| spa::utils::Fraction { num, denom };
    param_pod(Object {
        type_: SpaTypes::ObjectParamFormat.as_raw(),
        id: spa::param::ParamType::EnumFormat.as_raw(),
        properties: vec![
            Property::new(
                FormatProperties::MediaType.as_raw(),
                Value::Id(Id(MediaType::Video.as_raw())),
            ),
            Property::new(
                FormatProperties::MediaSubtype.as_raw(),
                Value::Id(Id(MediaSubtype::Raw.as_raw())),
            ),
            Property::new(
                FormatProperties::VideoFormat.as_raw(),
                Value::Choice(ChoiceValue::Id(Choice(
                    ChoiceFlags::empty(),
                    ChoiceEnum::Enum {
                        default: Id(VideoFormat::BGRx.as_raw()),
                        alternatives: vec![
                            Id(VideoFormat::BGRx.as_raw()),
                            Id(VideoFormat::BGRA.as_raw()),
                        ],
                    },
                ))),
            ),
            Property::new(
                FormatProperties::VideoSize.as_raw(),
                Value::Choice(ChoiceValue::Rectangle(Choice(
                    ChoiceFlags::empty(),
                    ChoiceEnum::Range {
                        default: rect(1280, 720),
                        min: rect(1, 1),
                        max: rect(16384, 16384),
                    },
                ))),
            ),
            Property::new(
                FormatProperties::VideoFramerate.as_raw(),
                Value::Choice(ChoiceValue::Fraction(Choice(
                    ChoiceFlags::empty(),
                    ChoiceEnum::Range {
                        default: frac(60, 1),
                        min: frac(0, 1),
                        max: frac(1000, 1),
                    },
                ))),
            ),
        ],
    })
}

/// `Buffers` (shared memory only) and `Meta` (header, damage, cursor) params.
fn buffer_params() -> Vec<Vec<u8>> {
    let shm = (1i32 << spa::sys::SPA_DATA_MemPtr) | (1i32 << spa::sys::SPA_DATA_MemFd);
    let meta = |kind: u32, size: Value| Object {
        type_: SpaTypes::ObjectParamMeta.as_raw(),
        id: spa::param::ParamType::Meta.as_raw(),
        properties: vec![
            Property::new(spa::sys::SPA_PARAM_META_type, Value::Id(Id(kind))),
            Property::new(spa::sys::SPA_PARAM_META_size, size),
        ],
    };
    // Mutter's own range for pointer metadata: a bitmap of up to 384×384 follows the meta.
    let cursor_size = |side: i32| {
        (std::mem::size_of::<spa::sys::spa_meta_cursor>()
            + std::mem::size_of::<spa::sys::spa_meta_bitmap>()) as i32
            + side * side * 4
    };
    let region = REGION_BYTES as i32;
    [
        Object {
            type_: SpaTypes::ObjectParamBuffers.as_raw(),
            id: spa::param::ParamType::Buffers.as_raw(),
            properties: vec![
                Property::new(spa::sys::SPA_PARAM_BUFFERS_buffers, int_range(8, 2, 16)),
                Property::new(
                    spa::sys::SPA_PARAM_BUFFERS_dataType,
                    Value::Choice(ChoiceValue::Int(Choice(
                        ChoiceFlags::empty(),
                        ChoiceEnum::Flags {
                            default: shm,
                            flags: vec![],
                        },
                    ))),
                ),
            ],
        },
        meta(
            spa::sys::SPA_META_Header,
            Value::Int(std::mem::size_of::<spa::sys::spa_meta_header>() as i32),
        ),
        meta(
            spa::sys::SPA_META_VideoDamage,
            int_range(region * DAMAGE_REGIONS, region, region * DAMAGE_REGIONS),
        ),
        meta(
            spa::sys::SPA_META_Cursor,
            int_range(cursor_size(64), cursor_size(1), cursor_size(384)),
        ),
    ]
    .into_iter()
    .filter_map(param_pod)
    .collect()
}

/// The PipeWire thread of one capturer; dropping it stops the stream.
pub(crate) struct PwThread {
    stop: pw::channel::Sender<()>,
    join: Option<JoinHandle<()>>,
}

impl Drop for PwThread {
    fn drop(&mut self) {
        let _ = self.stop.send(());
        if let Some(j) = self.join.take() {
            let _ = j.join();
        }
    }
}

/// Starts consuming `session`'s node on a thread of its own, frames going to `handoff`.
/// Returns once the stream is connecting (its errors later arrive through `handoff`).
pub(crate) fn start(
    session: Arc<WaylandSession>,
    handoff: Arc<Handoff>,
) -> Result<PwThread, CaptureError> {
    let fd = session.pipewire_fd()?;
    let (stop_tx, stop_rx) = pw::channel::channel::<()>();
    let (ready_tx, ready_rx) = mpsc::sync_channel(1);
    let join = std::thread::Builder::new()
        .name("glass-pipewire".into())
        .spawn(move || {
            let h = handoff.clone();
            if let Err(e) = run(session, handoff, fd, stop_rx, &ready_tx) {
                let _ = ready_tx.try_send(Err(e.clone()));
                h.fail(e);
            }
        })
        .map_err(|e| CaptureError::Backend(format!("cannot spawn the PipeWire thread: {e}")))?;
    let thread = PwThread {
        stop: stop_tx,
        join: Some(join),
    };
    match ready_rx.recv() {
        Ok(Ok(())) => Ok(thread),
        Ok(Err(e)) => Err(CaptureError::Backend(e)),
        Err(_) => Err(CaptureError::Backend(
            "the PipeWire thread ended during start-up".into(),
        )),
    }
}

fn run(
    session: Arc<WaylandSession>,
    handoff: Arc<Handoff>,
    socket: OwnedFd,
    stop: pw::channel::Receiver<()>,
    ready: &mpsc::SyncSender<Result<(), String>>,
) -> Result<(), String> {
    let node = session.node_id();
    let mainloop =
        pw::main_loop::MainLoopRc::new(None).map_err(|e| format!("PipeWire loop: {e}"))?;
    let context = pw::context::ContextBox::new(mainloop.loop_(), None)
        .map_err(|e| format!("PipeWire context: {e}"))?;
    let core = context
        .connect_fd(socket, None)
        .map_err(|e| format!("PipeWire connect: {e}"))?;
    let stream = pw::stream::StreamBox::new(
        &core,
        "glass-capture",
        pw::properties::properties! {
            *pw::keys::MEDIA_TYPE => "Video",
            *pw::keys::MEDIA_CATEGORY => "Capture",
            *pw::keys::MEDIA_ROLE => "Screen",
        },
    )
    .map_err(|e| format!("PipeWire stream: {e}"))?;

    let data = StreamData {
        handoff: handoff.clone(),
        session,
        format: None,
        pool: None,
        next_id: 0,
        fresh: true,
    };
    let failed = handoff.clone();
    let _listener = stream
        .add_local_listener_with_user_data(data)
        .state_changed(move |_, data, old, new| {
            tracing::debug!(?old, ?new, "PipeWire stream state");
            let why = match new {
                pw::stream::StreamState::Error(e) => format!("PipeWire stream failed: {e}"),
                pw::stream::StreamState::Unconnected => {
                    "PipeWire stream ended (the session was closed)".into()
                }
                _ => return,
            };
            data.session.mark_ended();
            failed.fail(why);
        })
        .param_changed(|stream, data, id, param| {
            let Some(param) = param else { return };
            if id != spa::param::ParamType::Format.as_raw() || !data.set_format(param) {
                return;
            }
            let params = buffer_params();
            let mut pods: Vec<&Pod> = params.iter().filter_map(|p| Pod::from_bytes(p)).collect();
            if let Err(e) = stream.update_params(&mut pods) {
                tracing::warn!("PipeWire update_params: {e}");
            }
        })
        .process(|stream, data| {
            // SAFETY: dequeue hands out buffers owned by the stream until queued back; every
            // buffer dequeued here is queued back before this callback returns, and no view
            // of one outlives that.
            unsafe {
                let mut newest = stream.dequeue_raw_buffer();
                if newest.is_null() {
                    return;
                }
                // Keep the newest picture; older buffers go straight back, after their
                // pointer metadata (a new pointer image comes once, on whichever buffer).
                loop {
                    let next = stream.dequeue_raw_buffer();
                    if next.is_null() {
                        break;
                    }
                    if let Some(v) = view(newest) {
                        data.pointer(&v);
                    }
                    stream.queue_raw_buffer(newest);
                    newest = next;
                }
                match view(newest) {
                    Some(v) => data.handle(&v),
                    None => WaylandStats::count(&data.stats().bad_buffers),
                }
                stream.queue_raw_buffer(newest);
            }
        })
        .register()
        .map_err(|e| format!("PipeWire listener: {e}"))?;

    let format = format_param().ok_or("cannot build the PipeWire format")?;
    let format = Pod::from_bytes(&format).ok_or("cannot build the PipeWire format")?;
    stream
        .connect(
            spa::utils::Direction::Input,
            Some(node),
            pw::stream::StreamFlags::AUTOCONNECT | pw::stream::StreamFlags::MAP_BUFFERS,
            &mut [format],
        )
        .map_err(|e| format!("PipeWire stream connect to node {node}: {e}"))?;

    let quit = mainloop.clone();
    let _stop = stop.attach(mainloop.loop_(), move |()| quit.quit());
    let _ = ready.try_send(Ok(()));
    mainloop.run();
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn region(x: i32, y: i32, w: u32, h: u32) -> Vec<u8> {
        [
            x.to_ne_bytes(),
            y.to_ne_bytes(),
            w.to_ne_bytes(),
            h.to_ne_bytes(),
        ]
        .concat()
    }

    #[test]
    fn damage_regions_are_clipped_and_end_at_the_first_empty_one() {
        let mut meta = region(10, 20, 30, 40);
        meta.extend(region(-5, -5, 10, 10));
        meta.extend(region(600, 470, 100, 100));
        meta.extend(region(0, 0, 0, 0));
        meta.extend(region(1, 1, 1, 1)); // after the terminator: ignored
        let d = parse_damage(&meta, 640, 480).unwrap();
        assert_eq!(
            d.as_slice(),
            &[
                Rect::new(10, 20, 30, 40),
                Rect::new(0, 0, 5, 5),
                Rect::new(600, 470, 40, 10)
            ]
        );
        assert!(
            parse_damage(&region(0, 0, 0, 0), 640, 480).is_none(),
            "unknown, not empty"
        );
        assert!(parse_damage(&[], 640, 480).is_none());
        // Entirely outside: known, and empty.
        assert!(
            parse_damage(&region(700, 0, 10, 10), 640, 480)
                .unwrap()
                .is_empty()
        );
        // Extremes do not overflow.
        let d = parse_damage(&region(i32::MAX, i32::MIN, u32::MAX, u32::MAX), 640, 480).unwrap();
        assert!(d.is_empty());
        let d = parse_damage(&region(i32::MIN, i32::MIN, u32::MAX, u32::MAX), 640, 480).unwrap();
        assert_eq!(d.as_slice(), &[Rect::new(0, 0, 640, 480)]);
        // A truncated trailing region is ignored.
        let mut meta = region(1, 2, 3, 4);
        meta.extend([1, 2, 3]);
        assert_eq!(parse_damage(&meta, 640, 480).unwrap().len(), 1);
    }

    fn cursor(id: u32, x: i32, y: i32, bitmap: Option<(u32, u32, u32, &[u8])>) -> Vec<u8> {
        let mut m = Vec::new();
        let offset = if bitmap.is_some() {
            CURSOR_BYTES as u32
        } else {
            0
        };
        for v in [id, 0, x as u32, y as u32, 1, 2, offset] {
            m.extend(v.to_ne_bytes());
        }
        if let Some((format, w, h, px)) = bitmap {
            for v in [format, w, h, w * 4, BITMAP_BYTES as u32] {
                m.extend(v.to_ne_bytes());
            }
            m.extend(px);
        }
        m
    }

    #[test]
    fn cursor_meta() {
        let m = parse_cursor(&cursor(7, 100, 200, None)).unwrap();
        assert_eq!(m.position, Some((100, 200)));
        assert_eq!(m.shape, None);
        assert_eq!(parse_cursor(&cursor(0, 5, 5, None)).unwrap().position, None);
        assert_eq!(parse_cursor(&cursor(7, 1, 1, None)[..27]), None);
        // A 2×1 RGBA bitmap: red, then half-transparent blue (premultiplied).
        let px = [255, 0, 0, 255, 0, 0, 128, 128];
        let rgba = spa::sys::SPA_VIDEO_FORMAT_RGBA;
        let m = parse_cursor(&cursor(7, 3, 4, Some((rgba, 2, 1, &px)))).unwrap();
        let shape = m.shape.unwrap();
        assert_eq!(
            (shape.width, shape.height, shape.hot_x, shape.hot_y),
            (2, 1, 1, 0)
        );
        assert_eq!(shape.argb, vec![0xffff_0000, 0x8000_0080]);
        // Truncated pixels, a zero size, an unknown format: no shape, still a position.
        let m = parse_cursor(&cursor(7, 3, 4, Some((rgba, 2, 1, &px[..7])))).unwrap();
        assert_eq!((m.position, m.shape), (Some((3, 4)), None));
        assert!(
            parse_cursor(&cursor(7, 3, 4, Some((rgba, 0, 1, &px))))
                .unwrap()
                .shape
                .is_none()
        );
        assert!(
            parse_cursor(&cursor(7, 3, 4, Some((9999, 2, 1, &px))))
                .unwrap()
                .shape
                .is_none()
        );
    }

    #[test]
    fn rows_are_copied_only_when_the_layout_fits() {
        let src: Vec<u8> = (0..64).collect();
        let mut dst = vec![0u8; 16];
        assert!(copy_rows(&src, 4, 16, &mut dst, 8, 8, 2));
        assert_eq!(&dst[..8], &src[4..12]);
        assert_eq!(&dst[8..16], &src[20..28]);
        assert!(
            !copy_rows(&src, 60, 16, &mut dst, 8, 8, 2),
            "past the source"
        );
        assert!(
            !copy_rows(&src, 0, 4, &mut dst, 8, 8, 2),
            "stride below a row"
        );
        assert!(
            !copy_rows(&src, 0, 16, &mut dst, 8, 8, 3),
            "past the destination"
        );
        assert!(
            !copy_rows(&src, usize::MAX, 16, &mut dst, 8, 8, 2),
            "overflow"
        );
        assert!(!copy_rows(&src, 0, 16, &mut dst, 8, 8, 0));
    }

    proptest::proptest! {
        #[test]
        fn metadata_from_the_compositor_never_panics(data in proptest::collection::vec(proptest::prelude::any::<u8>(), 0..600)) {
            crate::fuzzing::pipewire_meta(&data);
        }
    }

    #[test]
    fn params_serialise() {
        assert!(format_param().is_some());
        assert_eq!(buffer_params().len(), 4);
    }
}
