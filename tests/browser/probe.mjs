// The latency probe's reader, in JavaScript: a line-for-line port of the reading rule in
// engine/src/probe.rs (see its module docs), for the Chromium receiver of `glass bench`.
//
// bench-viewer.mjs injects this file's source into the viewer page, so it must stay
// self-contained: no imports, no Node or DOM APIs, only top-level `export function`s and
// `export const`s (the injector strips the `export` keywords and wraps the rest in a function).
// probe-decode.test.mjs checks it in plain Node.
//
// Layout (from probe.rs): 40 square blocks of `block` px, 2 rows of 20, top-left at (x, y).
// Block i, counted row by row from the top-left, shows bit 39 - i of the 40-bit codeword: the
// 32-bit payload MSB first, then CRC-8/AUTOSAR of the payload's 4 big-endian bytes. White is 1,
// black is 0. The payload counts 100 µs ticks since the probe epoch, modulo 2^32.

/** Columns of blocks. */
export const COLUMNS = 20;
/** Rows of blocks. */
export const ROWS = 2;
/** Bits in a codeword (one per block): 32 of payload, 8 of CRC. */
export const BITS = COLUMNS * ROWS;
/** One tick of a timecode, in microseconds. */
export const TICK_US = 100;
/** Every block's mean must be at least this far from mid-grey, in percent of the distance
 * from mid-grey to black or white (probe.rs MIN_MARGIN_PERCENT). */
export const MIN_MARGIN_PERCENT = 50;

/** CRC-8/AUTOSAR: polynomial 0x2F, init 0xFF, final XOR 0xFF, not reflected. Check value 0xDF
 * for the bytes of "123456789". `bytes`: any iterable of byte values. */
export function crc8(bytes) {
  let crc = 0xff;
  for (const b of bytes) {
    crc ^= b & 0xff;
    for (let k = 0; k < 8; k++) {
      crc = crc & 0x80 ? ((crc << 1) ^ 0x2f) & 0xff : (crc << 1) & 0xff;
    }
  }
  return crc ^ 0xff;
}

/** CRC-8 of a payload (a u32) as its four big-endian bytes, as probe.rs checks it. */
export function payloadCrc(value) {
  return crc8([(value >>> 24) & 0xff, (value >>> 16) & 0xff, (value >>> 8) & 0xff, value & 0xff]);
}

/** Full-range BT.709 luma of an RGB pixel, in integers exactly as probe.rs `luma` computes
 * it: (54 R + 183 G + 19 B + 128) >> 8. */
export function luma(r, g, b) {
  return (54 * r + 183 * g + 19 * b + 128) >> 8;
}

/**
 * Reads the probe's code from RGBA pixels (full range, e.g. a canvas's ImageData.data) whose
 * rows are `stride` bytes apart, like probe.rs `Probe::read_rgba`. `probe` = {x, y, block} is
 * where the strip is in `data`'s coordinates. Returns the payload (an unsigned 32-bit integer)
 * or null when the strip does not fit, any block is too near mid-grey (margin under
 * MIN_MARGIN_PERCENT) or the CRC does not match.
 */
export function readProbeRgba(data, stride, probe) {
  const sampled = sampleProbeRgba(data, stride, probe);
  if (!sampled || sampled.margin < MIN_MARGIN_PERCENT) return null;
  return sampled.crc === payloadCrc(sampled.payload) ? sampled.payload : null;
}

/**
 * The blocks' bits and the smallest margin of any block from mid-grey (probe.rs `sample`):
 * {payload, crc, margin}, or null if the strip does not fit in `data`. Exported for tests and
 * diagnostics; readProbeRgba is the reader.
 */
export function sampleProbeRgba(data, stride, probe) {
  const { x, y, block: b } = probe;
  const bpp = 4;
  // Same fit check as probe.rs `span`: the strip's right edge within a row, its last row
  // within the buffer.
  if (![x, y, b, stride].every(Number.isSafeInteger) || x < 0 || y < 0 || b <= 0) return null;
  const right = (x + b * COLUMNS) * bpp;
  if (right > stride) return null;
  if ((y + b * ROWS - 1) * stride + right > data.length) return null;

  // Full range: black 0, white 255.
  const black = 0;
  const white = 255;
  // Only the central half of each block is averaged (8x8 of 16, at least 1 px), away from the
  // edges where blocking and ringing mix in the neighbours.
  const inner = Math.max(Math.floor(b / 2), 1);
  const offset = Math.floor((b - inner) / 2);
  const n = inner * inner;
  // The 40 bits do not fit a JS integer's bit operations: payload (32) and CRC (8) apart.
  let payload = 0;
  let crc = 0;
  let margin = Infinity;
  for (let i = 0; i < BITS; i++) {
    const x0 = x + (i % COLUMNS) * b + offset;
    const y0 = y + Math.floor(i / COLUMNS) * b + offset;
    let sum = 0;
    for (let yy = y0; yy < y0 + inner; yy++) {
      let p = yy * stride + x0 * bpp;
      for (let xx = 0; xx < inner; xx++, p += bpp) sum += luma(data[p], data[p + 1], data[p + 2]);
    }
    // Twice the distance of the mean from mid-grey, times n, to stay in integers (as Rust).
    const distance = 2 * sum - (black + white) * n;
    const bit = distance >= 0 ? 1 : 0;
    if (i < 32) payload = payload * 2 + bit; // MSB first; multiply, not <<, to stay unsigned
    else crc = (crc << 1) | bit;
    // Integer percent, truncated like Rust's integer division of non-negative values.
    const percent = Math.floor((Math.abs(distance) * 100) / (Math.max(white - black, 1) * n));
    margin = Math.min(margin, percent);
  }
  return { payload, crc, margin };
}

/**
 * probe.rs `Timecode::elapsed_near`, in ticks: of all the tick counts `code` could stand for
 * (one per 2^32 wrap), the one nearest to `nowTicks` (the reader's time since the epoch, in
 * whole ticks; negative counts as 0, as Rust's saturating Instant arithmetic does).
 */
export function elapsedNearTicks(code, nowTicks) {
  const now = Math.min(Math.max(Math.floor(nowTicks), 0), 2 ** 52);
  // Signed distance from now to the code within ±2^31: `| 0` is ToInt32, i.e. the difference
  // modulo 2^32 read as an i32 (exact for integers below 2^53), as Rust's
  // `code.wrapping_sub(now as u32) as i32`.
  const delta = (code - now) | 0;
  let ticks = now + delta;
  // Before the epoch: the only meaning left is one wrap later.
  if (ticks < 0) ticks += 2 ** 32;
  return ticks;
}

/**
 * Latency in µs of a frame showing `code`, seen at wallclock `atWallUs`, with the probe epoch
 * at wallclock `epochWallUs`: at − (epoch + elapsed_near(code) × 100 µs). Unlike Rust's
 * `Timecode::latency` this does not clamp at zero, so a negative value shows clocks that
 * disagree.
 */
export function latencyUs(code, atWallUs, epochWallUs) {
  const nowUs = atWallUs - epochWallUs;
  const ticks = elapsedNearTicks(code, Math.floor(nowUs / TICK_US));
  return nowUs - ticks * TICK_US;
}
