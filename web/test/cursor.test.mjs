import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  CACHED_SHAPES, MAX_SHAPE_PNG, OwnMoves, ShapeCache, cssCursor, decodeCursorMessage, overlayBox,
  pngDataUrl, wirePixel,
} from '../lib/cursor.js';

const hex = (h) => Uint8Array.from(h.match(/../g), (b) => parseInt(b, 16));

// The examples of docs/protocol.md ("Cursor channel"); transport/src/cursor.rs asserts that
// the Rust encoder writes exactly these bytes.
const SHAPE_EXAMPLE = '010107000000100018000300140089504e47';
const POSITION_EXAMPLE = '010209000000feffffff2c01000000401e18240a0600';

test('decodes the documented shape example', () => {
  const m = decodeCursorMessage(hex(SHAPE_EXAMPLE).buffer);
  assert.deepEqual({ ...m, png: [...m.png] }, {
    type: 'shape', serial: 7, width: 16, height: 24, hotX: 3, hotY: 20, png: [0x89, 0x50, 0x4e, 0x47],
  });
});

test('decodes the documented position example', () => {
  assert.deepEqual(decodeCursorMessage(hex(POSITION_EXAMPLE)), {
    type: 'position', serial: 9, x: -2, y: 300, timeUs: 1700000000000000n,
  });
});

test('decodes from a view into a larger buffer', () => {
  const big = new Uint8Array(64);
  big.set(hex(POSITION_EXAMPLE), 10);
  assert.equal(decodeCursorMessage(big.subarray(10, 32)).y, 300);
});

test('malformed messages are null, never exceptions', () => {
  const shape = hex(SHAPE_EXAMPLE);
  const position = hex(POSITION_EXAMPLE);
  const edit = (bytes, i, v) => { const b = bytes.slice(); b[i] = v; return b; };
  const cases = [
    new Uint8Array(0), hex('01'), hex('0201'), hex('0103'), shape.slice(0, 14),
    edit(shape, 0, 2), // version
    edit(shape, 6, 129), // width 129
    edit(shape, 6, 0), // width 0
    edit(shape, 10, 16), // hot x == width
    edit(shape, 12, 24), // hot y == height
    position.slice(0, 21), Uint8Array.from([...position, 0]),
    'text', null, undefined, 42, {},
  ];
  const tooLong = new Uint8Array(14 + MAX_SHAPE_PNG + 1);
  tooLong.set(shape.slice(0, 14));
  cases.push(tooLong);
  for (const c of cases) assert.equal(decodeCursorMessage(c), null, `${c}`);
  for (let n = 0; n < 300; n++) {
    const junk = Uint8Array.from({ length: n % 40 }, (_, i) => (i * 131 + n * 17) & 0xff);
    decodeCursorMessage(junk);
  }
});

test('the cache keeps the last CACHED_SHAPES received, like the sharer assumes', () => {
  const cache = new ShapeCache();
  for (let s = 0; s <= CACHED_SHAPES; s++) cache.add({ serial: s });
  assert.equal(cache.size, CACHED_SHAPES);
  assert.equal(cache.get(0), null);
  assert.equal(cache.get(1).serial, 1);
  assert.equal(cache.get(CACHED_SHAPES).serial, CACHED_SHAPES);
});

test('css cursor: PNG data URL with the hotspot, default fallback', () => {
  const shape = { serial: 1, width: 2, height: 2, hotX: 1, hotY: 0, png: hex('89504e470d0a1a0a') };
  assert.equal(pngDataUrl(shape.png), 'data:image/png;base64,iVBORw0KGgo=');
  assert.equal(cssCursor(shape), 'url("data:image/png;base64,iVBORw0KGgo=") 1 0, auto');
  const large = new Uint8Array(100000).fill(65);
  assert.equal(atob(pngDataUrl(large).split(',')[1]).length, 100000, 'no argument-count limit');
});

test('wire coordinates map to pixels as the sharer maps them', () => {
  assert.equal(wirePixel(0, 800), 0);
  assert.equal(wirePixel(65535, 800), 799);
  assert.equal(wirePixel(32768, 800), 400);
  // The centre of pixel 123 (web/wire.js toCoordinate of (123.5 / 800)).
  assert.equal(wirePixel(Math.floor((123.5 / 800) * 65536), 800), 123);
});

test('the overlay puts the hotspot on the position, scaled with the picture', () => {
  const shape = { width: 16, height: 24, hotX: 4, hotY: 8 };
  const pic = { left: 10, top: 20, width: 400, height: 300 }; // an 800x600 video at half size
  assert.deepEqual(overlayBox({ x: 100, y: 50 }, shape, pic, 800, 600), {
    left: 10 + (100.5 - 4) / 2, top: 20 + (50.5 - 8) / 2, width: 8, height: 12,
  });
  assert.equal(overlayBox({ x: -1, y: 50 }, shape, pic, 800, 600), null);
  assert.equal(overlayBox({ x: 800, y: 50 }, shape, pic, 800, 600), null);
  assert.equal(overlayBox({ x: 1, y: 1 }, shape, null, 800, 600), null);
});

test('own moves: recent positions we sent, within a pixel', () => {
  const own = new OwnMoves({ windowMs: 1000 });
  own.note(100, 50, 0);
  own.note(120, 60, 10);
  assert.ok(own.isOwn(100, 50, 20));
  assert.ok(own.isOwn(121, 59, 20));
  assert.ok(!own.isOwn(300, 300, 20), 'someone else moved it');
  assert.ok(!own.isOwn(120, 60, 2000), 'too long ago');
});
