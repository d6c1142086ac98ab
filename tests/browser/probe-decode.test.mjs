// Self-check of the JavaScript latency-probe reader (probe.mjs) against the layout and reading
// rule of engine/src/probe.rs, in plain Node (no browser, no Rust):
//
//   node probe-decode.test.mjs        → prints "ok", or throws
//
// drawProbe below mirrors Probe::draw_bgra (for RGBA). The cases follow probe.rs's own tests,
// plus the exact margin thresholds and luma weights, and the page script bench-viewer.mjs
// injects (run in a VM context, so the page decodes with this very code).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import vm from 'node:vm';
import {
  BITS, COLUMNS, crc8, elapsedNearTicks, latencyUs, luma, payloadCrc, readProbeRgba, sampleProbeRgba,
} from './probe.mjs';
import { probePageScript, withStatsOff } from './bench-viewer.mjs';

const HERE = dirname(fileURLToPath(import.meta.url));

// xorshift64, like probe.rs's `noise`, on BigInt (seeded, so failures reproduce).
function rng(seed) {
  let s = BigInt(seed) | 1n;
  const mask = (1n << 64n) - 1n;
  return () => {
    s ^= (s << 13n) & mask;
    s ^= s >> 7n;
    s ^= (s << 17n) & mask;
    return Number(s & 0xffffffffn);
  };
}
const random = rng(0x9e3779b97f4a7c15n);

/** A w×h RGBA buffer (rows `stride` bytes apart) of pseudo-random bytes. */
function noise(stride, h, next = random) {
  const data = new Uint8ClampedArray(stride * h);
  for (let i = 0; i < data.length; i++) data[i] = next() & 0xff;
  return data;
}

/** The 40 bits of a codeword, block order: payload MSB first, then the CRC MSB first. */
function codewordBits(code) {
  const crc = payloadCrc(code);
  const bits = [];
  for (let k = 31; k >= 0; k--) bits.push(Math.floor(code / 2 ** k) % 2);
  for (let k = 7; k >= 0; k--) bits.push((crc >> k) & 1);
  return bits;
}

/** Paints block i of `probe` with an RGBA colour. */
function paintBlock(data, stride, probe, i, rgba) {
  const b = probe.block;
  const x0 = probe.x + (i % COLUMNS) * b;
  const y0 = probe.y + Math.floor(i / COLUMNS) * b;
  for (let y = y0; y < y0 + b; y++) {
    for (let x = x0; x < x0 + b; x++) data.set(rgba, y * stride + x * 4);
  }
}

const WHITE = [0xff, 0xff, 0xff, 0xff];
const BLACK = [0x00, 0x00, 0x00, 0xff];

/** Probe::draw_bgra for RGBA (white and black are the same either way round): block i shows
 * bit 39 - i of the codeword, white 1, black 0. Draws the given bits if `bits` is set. */
function drawProbe(data, stride, probe, code, bits = codewordBits(code)) {
  assert.equal(bits.length, BITS);
  bits.forEach((bit, i) => paintBlock(data, stride, probe, i, bit ? WHITE : BLACK));
}

/** A fresh noisy picture with `code` drawn at `probe`. */
function picture(probe, code, { pad = 0, extraW = 3, extraH = 2 } = {}) {
  const w = probe.x + 20 * probe.block + extraW;
  const h = probe.y + 2 * probe.block + extraH;
  const stride = (w + pad) * 4;
  const data = noise(stride, h);
  drawProbe(data, stride, probe, code);
  return { data, stride, w, h };
}

// --- CRC-8/AUTOSAR ---------------------------------------------------------------------------
assert.equal(crc8(Buffer.from('123456789')), 0xdf, 'CRC-8/AUTOSAR check value');
// A second, table-driven implementation of the same parameters agrees on random payloads.
{
  const table = Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 0x80 ? ((c << 1) ^ 0x2f) & 0xff : (c << 1) & 0xff;
    return c;
  });
  const tableCrc = (bytes) => bytes.reduce((c, b) => table[c ^ b], 0xff) ^ 0xff;
  assert.equal(tableCrc([...Buffer.from('123456789')]), 0xdf);
  for (let n = 0; n < 1000; n++) {
    const v = random() >>> 0;
    const bytes = [v >>> 24, (v >>> 16) & 0xff, (v >>> 8) & 0xff, v & 0xff];
    assert.equal(payloadCrc(v), tableCrc(bytes), `crc of ${v}`);
  }
}

// --- Luma: probe.rs `luma`, integer BT.709 full range ----------------------------------------
assert.equal(luma(255, 255, 255), 255);
assert.equal(luma(0, 0, 0), 0);
for (let v = 0; v < 256; v++) assert.equal(luma(v, v, v), v, 'grey keeps its level');
assert.equal(luma(255, 0, 0), 54);
assert.equal(luma(0, 255, 0), 182);
assert.equal(luma(0, 0, 255), 19);

// --- Layout and bit order --------------------------------------------------------------------
{
  // Independent of drawProbe: payload 0x80000001 has bit 31 (block 0) and bit 0 (block 31)
  // set; the CRC's MSB is block 32, its LSB block 39 (bottom-right).
  const probe = { x: 5, y: 3, block: 8 };
  const { data, stride } = picture(probe, 0x80000001);
  const level = (i) => {
    const x = probe.x + (i % COLUMNS) * 8 + 4;
    const y = probe.y + Math.floor(i / COLUMNS) * 8 + 4;
    return data[y * stride + x * 4];
  };
  assert.equal(level(0), 255, 'block 0 is the payload MSB');
  for (let i = 1; i < 31; i++) assert.equal(level(i), 0, `block ${i}`);
  assert.equal(level(31), 255, 'block 31 (bottom row, 12th) is the payload LSB');
  const crc = payloadCrc(0x80000001);
  for (let k = 0; k < 8; k++) assert.equal(level(32 + k), (crc >> (7 - k)) & 1 ? 255 : 0, `CRC block ${32 + k}`);
  assert.equal(readProbeRgba(data, stride, probe), 0x80000001);
}

// --- Round trips: random codes, block sizes, places, strides (probe.rs draw_then_read) ------
const edgeCodes = [0, 1, 0x7fffffff, 0x80000000, 0xffffffff, 0x12345678, 0xdeadbeef, 0xa5c30ff0];
for (let n = 0; n < 400; n++) {
  const code = n < edgeCodes.length ? edgeCodes[n] : random() >>> 0;
  const probe = { x: random() % 40, y: random() % 40, block: 1 + (random() % 23) };
  const { data, stride } = picture(probe, code, { pad: random() % 16 });
  assert.equal(readProbeRgba(data, stride, probe), code, `code ${code} at ${JSON.stringify(probe)}`);
  assert.equal(sampleProbeRgba(data, stride, probe).margin, 100, 'pure black and white: margin 100%');
}

// How bench-viewer reads: getImageData of just the strip, then the strip at (0, 0).
{
  const probe = { x: 304, y: 328, block: 16 }; // Probe::default_for(640, 360)
  const w = 640;
  const h = 360;
  const data = noise(w * 4, h);
  const code = 0xc0ffee42;
  drawProbe(data, w * 4, probe, code);
  assert.equal(readProbeRgba(data, w * 4, probe), code);
  const sw = 20 * probe.block;
  const strip = new Uint8ClampedArray(sw * 2 * probe.block * 4);
  for (let y = 0; y < 2 * probe.block; y++) {
    const src = (probe.y + y) * w * 4 + probe.x * 4;
    strip.set(data.subarray(src, src + sw * 4), y * sw * 4);
  }
  assert.equal(readProbeRgba(strip, sw * 4, { x: 0, y: 0, block: probe.block }), code);
}

// --- Only the centre of each block counts (probe.rs only_the_centre_of_each_block_matters) --
{
  const probe = { x: 0, y: 0, block: 16 };
  const w = 336;
  const code = 0xa5c30ff0;
  const data = noise(w * 4, 32);
  drawProbe(data, w * 4, probe, code);
  for (let y = 0; y < 32; y++) {
    for (let x = 0; x < w; x++) {
      if (!(x % 16 >= 4 && x % 16 < 12) || !(y % 16 >= 4 && y % 16 < 12)) data.set([128, 128, 128], (y * w + x) * 4);
    }
  }
  assert.equal(readProbeRgba(data, w * 4, probe), code);
  // ... and the centre does: one inner pixel of block 0 flipped to mid-grey moves its mean.
  // (8x8 inner of 16; a 17x17 block has inner 8 at offset 4 too.)
  const odd = { x: 1, y: 1, block: 17 };
  const p2 = picture(odd, code);
  assert.equal(readProbeRgba(p2.data, p2.stride, odd), code);
  // Outside the inner square of 17 (offset 4, size 8 → pixels 4..11): paint 0..3 and 12..16.
  for (let i = 0; i < BITS; i++) {
    const x0 = odd.x + (i % COLUMNS) * 17;
    const y0 = odd.y + Math.floor(i / COLUMNS) * 17;
    for (let y = 0; y < 17; y++) {
      for (let x = 0; x < 17; x++) {
        if (x < 4 || x >= 12 || y < 4 || y >= 12) p2.data.set([128, 128, 128], (y0 + y) * p2.stride + (x0 + x) * 4);
      }
    }
  }
  assert.equal(readProbeRgba(p2.data, p2.stride, odd), code, 'odd block: only the inner half counts');
  // Exactly the inner square, for every block size: draw the code only there and the
  // opposite level everywhere else in the block; any pixel outside it would lower the margin.
  for (let b = 1; b <= 33; b++) {
    const pr = { x: 3, y: 2, block: b };
    const inner = Math.max(Math.floor(b / 2), 1);
    const offset = Math.floor((b - inner) / 2);
    const w = pr.x + 20 * b + 2;
    const stride = w * 4;
    const data = new Uint8ClampedArray(stride * (pr.y + 2 * b + 1));
    const bits = codewordBits(code);
    for (let i = 0; i < BITS; i++) {
      const x0 = pr.x + (i % COLUMNS) * b;
      const y0 = pr.y + Math.floor(i / COLUMNS) * b;
      for (let y = 0; y < b; y++) {
        for (let x = 0; x < b; x++) {
          const inside = x >= offset && x < offset + inner && y >= offset && y < offset + inner;
          data.set(bits[i] === (inside ? 1 : 0) ? WHITE : BLACK, (y0 + y) * stride + (x0 + x) * 4);
        }
      }
    }
    const s = sampleProbeRgba(data, stride, pr);
    assert.equal(s.margin, 100, `block ${b}: inner ${inner} at offset ${offset}`);
    assert.equal(readProbeRgba(data, stride, pr), code, `block ${b}`);
  }
}

// --- A wrong or grey block reads nothing (probe.rs a_wrong_or_grey_block_reads_nothing) -----
{
  const probe = { x: 8, y: 8, block: 16 };
  const code = 0x12345678;
  const { data, stride } = picture(probe, code);
  assert.equal(readProbeRgba(data, stride, probe), code);
  const bits = codewordBits(code);
  for (let i = 0; i < BITS; i++) {
    const flipped = data.slice();
    paintBlock(flipped, stride, probe, i, bits[i] ? BLACK : WHITE);
    assert.equal(readProbeRgba(flipped, stride, probe), null, `block ${i} flipped`);
    const grey = data.slice();
    paintBlock(grey, stride, probe, i, [128, 128, 128, 255]);
    assert.equal(readProbeRgba(grey, stride, probe), null, `block ${i} grey`);
  }
}

// --- Every error of up to three blocks is caught (CRC Hamming distance 4, through the reader)
{
  const probe = { x: 0, y: 0, block: 2 };
  const stride = 40 * 4;
  for (const code of [0, 0xdeadbeef]) {
    const bits = codewordBits(code);
    const data = new Uint8ClampedArray(stride * 4);
    const read = (flips) => {
      drawProbe(data, stride, probe, code, bits.map((b, i) => (flips.includes(i) ? 1 - b : b)));
      return readProbeRgba(data, stride, probe);
    };
    assert.equal(read([]), code);
    for (let a = 0; a < BITS; a++) {
      assert.equal(read([a]), null);
      for (let b = a + 1; b < BITS; b++) {
        assert.equal(read([a, b]), null);
        for (let c = b + 1; c < BITS; c++) assert.equal(read([a, b, c]), null, `flips ${a} ${b} ${c}`);
      }
    }
  }
}

// --- Uniform areas do not read as codes -------------------------------------------------------
for (const v of [0, 16, 128, 235, 255]) {
  const probe = { x: 304, y: 328, block: 16 };
  const data = new Uint8ClampedArray(640 * 360 * 4).fill(v);
  assert.equal(readProbeRgba(data, 640 * 4, probe), null, `uniform ${v}`);
}

// --- The margin rule: 50% of the way from mid-grey, integer percent, truncated ---------------
// Full range: percent = floor(|2·mean − 255| · 100 / 255). White side: 192 → 50 (reads),
// 191 → 49 (fails). Black side: 63 → 50 (reads), 64 → 49 (fails).
{
  const probe = { x: 0, y: 0, block: 16 };
  const stride = 320 * 4;
  const code = 0x0f0f0f0f;
  const bits = codewordBits(code);
  const withBlock = (i, rgb) => {
    const data = new Uint8ClampedArray(stride * 32);
    drawProbe(data, stride, probe, code);
    paintBlock(data, stride, probe, i, [...rgb, 255]);
    return readProbeRgba(data, stride, probe);
  };
  const one = bits.indexOf(1);
  const zero = bits.indexOf(0);
  assert.equal(withBlock(one, [192, 192, 192]), code, 'white side: 192 is far enough');
  assert.equal(withBlock(one, [191, 191, 191]), null, 'white side: 191 is too grey');
  assert.equal(withBlock(zero, [63, 63, 63]), code, 'black side: 63 is far enough');
  assert.equal(withBlock(zero, [64, 64, 64]), null, 'black side: 64 is too grey');
  // A mean exactly at the threshold: half the inner pixels 255, half 129 → mean 192.
  const data = new Uint8ClampedArray(stride * 32);
  drawProbe(data, stride, probe, code);
  for (let y = 4; y < 12; y++) for (let x = 4; x < 12; x++) data.set(x < 8 ? [255, 255, 255] : [129, 129, 129], (y * 320 + one * 16 + x) * 4);
  assert.equal(sampleProbeRgba(data, stride, probe).margin, 50);
  assert.equal(readProbeRgba(data, stride, probe), code, 'a mean of 192 reads');
  // The bit decision is at mid-grey, >= 255/2 is white: 128 vs 127 (both fail the margin).
  const greyBits = (v) => {
    const d = new Uint8ClampedArray(stride * 32).fill(v);
    return sampleProbeRgba(d, stride, probe);
  };
  assert.deepEqual(greyBits(128), { payload: 0xffffffff, crc: 0xff, margin: 0 });
  assert.deepEqual(greyBits(127), { payload: 0, crc: 0, margin: 0 });
  // A mean of exactly 127.5 (half the inner pixels 127, half 128) is on the white side.
  const half = new Uint8ClampedArray(stride * 32);
  for (let y = 0; y < 32; y++) for (let x = 0; x < 320; x++) half.fill(x % 2 ? 128 : 127, (y * 320 + x) * 4, (y * 320 + x) * 4 + 3);
  assert.deepEqual(sampleProbeRgba(half, stride, probe), { payload: 0xffffffff, crc: 0xff, margin: 0 });
}

// --- Colours go through BT.709 luma, RGBA order ----------------------------------------------
{
  const probe = { x: 0, y: 0, block: 8 };
  const stride = 160 * 4;
  const code = 0x5555aaaa;
  const bits = codewordBits(code);
  const withBlock = (i, rgb) => {
    const data = new Uint8ClampedArray(stride * 16);
    drawProbe(data, stride, probe, code);
    paintBlock(data, stride, probe, i, [...rgb, 255]);
    return readProbeRgba(data, stride, probe);
  };
  const one = bits.indexOf(1);
  const zero = bits.indexOf(0);
  // Red: BT.709 luma 54 (black enough); BT.601 would give 76 (too grey).
  assert.equal(withBlock(zero, [255, 0, 0]), code);
  // Cyan: BT.709 201 (white enough); BT.601 179 (too grey).
  assert.equal(withBlock(one, [0, 255, 255]), code);
  // R first: (255, 200, 0) is luma 197, white; read as BGRA it would be 162, too grey.
  assert.equal(withBlock(one, [255, 200, 0]), code);
  assert.equal(withBlock(one, [0, 200, 255]), null);
  // Alpha is ignored.
  const data = new Uint8ClampedArray(stride * 16);
  drawProbe(data, stride, probe, code);
  for (let i = 3; i < data.length; i += 4) data[i] = 0;
  assert.equal(readProbeRgba(data, stride, probe), code);
}

// --- Geometry that does not fit reads nothing (never throws) ---------------------------------
{
  const probe = { x: 4, y: 2, block: 4 };
  const { data, stride, w, h } = picture(probe, 77, { extraW: 0, extraH: 0 });
  assert.equal(readProbeRgba(data, stride, probe), 77, 'flush with the right and bottom edges');
  assert.equal(readProbeRgba(data, stride, { ...probe, x: probe.x + 1 }), null, 'one px too far right');
  // Too far right even where the buffer has rows to spare (a read would wrap into the next row).
  const tall = picture(probe, 77, { extraW: 0, extraH: 10 });
  assert.equal(readProbeRgba(tall.data, tall.stride, probe), 77);
  assert.equal(readProbeRgba(tall.data, tall.stride, { ...probe, x: probe.x + 1 }), null, 'past the row end');
  assert.equal(readProbeRgba(data, stride, { ...probe, y: probe.y + 1 }), null, 'one px too low');
  assert.equal(readProbeRgba(data.subarray(0, data.length - 1), stride, probe), null, 'buffer one byte short');
  assert.equal(readProbeRgba(data, stride, { ...probe, block: 0 }), null, 'block 0');
  assert.equal(readProbeRgba(data, stride, { ...probe, x: -1 }), null, 'negative x');
  assert.equal(readProbeRgba(new Uint8ClampedArray(0), 0, probe), null, 'empty');
  assert.ok(w > 0 && h > 0);
}

// --- Timecode unwrap: probe.rs elapsed_near_unwraps and latency --------------------------------
{
  const wrapTicks = 2 ** 32;
  const tTicks = wrapTicks - 50; // 5 ms before the wrap
  const code = tTicks % wrapTicks;
  const nowTicks = tTicks + 300; // 30 ms later, after the counter wrapped
  assert.ok(nowTicks % wrapTicks < code);
  assert.equal(elapsedNearTicks(code, nowTicks), tTicks);
  assert.equal(elapsedNearTicks(50, 0), 50, 'a code from the future');
  assert.equal(elapsedNearTicks(0xffffffff, 0), wrapTicks - 1, 'before the epoch: one wrap later');
  // The drawn time, for codes up to 2^31 ticks (≈ 2.5 days) old, around several wraps.
  for (let n = 0; n < 2000; n++) {
    const drawnTicks = Math.floor((random() / 2 ** 32) * 2 ** 44);
    const ageTicks = Math.floor((random() / 2 ** 32) * 2 ** 31);
    assert.equal(elapsedNearTicks(drawnTicks % wrapTicks, drawnTicks + ageTicks), drawnTicks);
  }
  // latency(): drawn at 123_456_789 µs, shown 16_789 µs later → 16_789 + 89 (rounded down
  // to the tick when drawn), as in probe.rs.
  const epochWallUs = 1_700_000_000_000_000;
  const drawnUs = 123_456_789;
  const drawnCode = Math.floor(drawnUs / 100) % wrapTicks;
  assert.equal(latencyUs(drawnCode, epochWallUs + drawnUs + 16_789, epochWallUs), 16_789 + 89);
  // Not clamped: a code from the reader's future gives a negative latency.
  assert.equal(latencyUs(drawnCode + 10, epochWallUs + drawnUs, epochWallUs), -911);
}

// --- The page script bench-viewer.mjs injects decodes the same --------------------------------
{
  const script = probePageScript(readFileSync(join(HERE, 'probe.mjs'), 'utf8'));
  const sandbox = { window: {} };
  vm.runInNewContext(script, sandbox);
  const page = sandbox.window.__glassProbe;
  assert.equal(typeof page.readProbeRgba, 'function');
  assert.equal(typeof page.crc8, 'function');
  assert.equal(page.crc8([...Buffer.from('123456789')]), 0xdf);
  for (let n = 0; n < 50; n++) {
    const code = random() >>> 0;
    const probe = { x: random() % 20, y: random() % 20, block: 1 + (random() % 20) };
    const { data, stride } = picture(probe, code, { pad: random() % 4 });
    assert.equal(page.readProbeRgba(data, stride, probe), code);
    const bad = data.slice();
    paintBlock(bad, stride, probe, random() % BITS, [128, 128, 128, 255]);
    assert.equal(page.readProbeRgba(bad, stride, probe), null);
  }
}

// --- bench-viewer.mjs opens the viewer with ?stats=0, keeping the rest of the URL ----------------
assert.equal(withStatsOff('http://127.0.0.1:8080/'), 'http://127.0.0.1:8080/?stats=0');
assert.equal(withStatsOff('http://h:1/?token=a%2Bb'), 'http://h:1/?token=a%2Bb&stats=0');
assert.equal(withStatsOff('http://h:1/index.html?token=x#frag'), 'http://h:1/index.html?token=x&stats=0#frag');
assert.equal(withStatsOff('http://h:1/?'), 'http://h:1/?stats=0');
assert.equal(withStatsOff('http://h:1/?stats=1&token=x'), 'http://h:1/?stats=0&token=x');

console.log('ok');
