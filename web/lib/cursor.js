// The `cursor` data channel, viewer side, without the DOM (docs/protocol.md, "Cursor
// channel"; the Rust encoder is transport/src/cursor.rs). The sharer sends the pointer's shape
// and position beside the video, which is captured without it; web/cursor.js draws them.
//
// Every message is binary, little-endian: version u8 = 1, type u8, then
//   shape    (1): serial u32, width u16, height u16, hot x u16, hot y u16, PNG (the rest)
//   position (2): serial u32, x i32, y i32, time u64 (sharer wallclock, µs since the epoch)
// Shapes are kept by serial, the last CACHED_SHAPES received (the sharer sends a shape again
// only when it is not among the last CACHED_SHAPES it sent us).

export const CURSOR_VERSION = 1;
export const SHAPE_TYPE = 1;
export const POSITION_TYPE = 2;
/** Browsers ignore CSS cursor images above 128×128. */
export const MAX_CURSOR_SIDE = 128;
export const MAX_SHAPE_PNG = 96 * 1024;
export const CACHED_SHAPES = 32;
export const SHAPE_HEADER_LEN = 14;
export const POSITION_LEN = 22;

/**
 * One message from an ArrayBuffer (or a typed array): `{type: 'shape', serial, width,
 * height, hotX, hotY, png}` (png: Uint8Array) or `{type: 'position', serial, x, y, timeUs}`
 * (timeUs: BigInt). Null for anything malformed or outside the limits; never throws.
 */
export function decodeCursorMessage(data) {
  let bytes;
  if (data instanceof ArrayBuffer) bytes = new Uint8Array(data);
  else if (ArrayBuffer.isView(data)) bytes = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  else return null;
  if (bytes.length < 2 || bytes[0] !== CURSOR_VERSION) return null;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (bytes[1] === SHAPE_TYPE) {
    if (bytes.length < SHAPE_HEADER_LEN + 1 || bytes.length > SHAPE_HEADER_LEN + MAX_SHAPE_PNG) return null;
    const shape = {
      type: 'shape',
      serial: view.getUint32(2, true),
      width: view.getUint16(6, true),
      height: view.getUint16(8, true),
      hotX: view.getUint16(10, true),
      hotY: view.getUint16(12, true),
      png: bytes.slice(SHAPE_HEADER_LEN),
    };
    const sideOk = (v) => v >= 1 && v <= MAX_CURSOR_SIDE;
    if (!sideOk(shape.width) || !sideOk(shape.height)) return null;
    if (shape.hotX >= shape.width || shape.hotY >= shape.height) return null;
    return shape;
  }
  if (bytes[1] === POSITION_TYPE) {
    if (bytes.length !== POSITION_LEN) return null;
    return {
      type: 'position',
      serial: view.getUint32(2, true),
      x: view.getInt32(6, true),
      y: view.getInt32(10, true),
      timeUs: view.getBigUint64(14, true),
    };
  }
  return null;
}

/** The last `limit` shapes received, by serial (a serial sent again replaces its entry). */
export class ShapeCache {
  constructor(limit = CACHED_SHAPES) {
    this.limit = limit;
    this.shapes = new Map(); // insertion order = receipt order
  }

  add(shape) {
    // Same rule as the sharer's list: every shape received counts as the newest, and the
    // oldest goes when full.
    this.shapes.delete(shape.serial);
    this.shapes.set(shape.serial, shape);
    while (this.shapes.size > this.limit) this.shapes.delete(this.shapes.keys().next().value);
  }

  get(serial) {
    return this.shapes.get(serial) ?? null;
  }

  clear() {
    this.shapes.clear();
  }

  get size() {
    return this.shapes.size;
  }
}

/** A `data:image/png;base64,…` URL for PNG bytes. */
export function pngDataUrl(png) {
  let binary = '';
  for (let i = 0; i < png.length; i += 0x8000) {
    binary += String.fromCharCode.apply(null, png.subarray(i, i + 0x8000));
  }
  return `data:image/png;base64,${btoa(binary)}`;
}

/**
 * The CSS `cursor` value that shows `shape` as the helper's own pointer: the image at its
 * natural size (a pointer is read at its own size, not the picture's) with its hotspot, and
 * the default pointer where custom images are not allowed. Memoized on the shape.
 */
export function cssCursor(shape) {
  if (!shape.css) shape.css = `url("${shapeUrl(shape)}") ${shape.hotX} ${shape.hotY}, auto`;
  return shape.css;
}

/** The shape's image as a `data:` URL, memoized on the shape. */
export function shapeUrl(shape) {
  if (!shape.url) shape.url = pngDataUrl(shape.png);
  return shape.url;
}

/** The pixel a wire coordinate (0..65535, web/wire.js) falls on in a `size`-pixel axis. */
export function wirePixel(coordinate, size) {
  return Math.min(Math.max(size - 1, 0), Math.floor((coordinate * size) / 65536));
}

/**
 * Where the overlay image goes, in client pixels, to show the remote pointer at `position`
 * in the picture `pic` ({left, top, width, height}, as input.js `pictureRect`) of a
 * `videoWidth`-wide video: scaled with the picture, the hotspot on the position's pixel
 * centre. Null when the position is outside the picture.
 */
export function overlayBox(position, shape, pic, videoWidth, videoHeight) {
  if (!pic || !videoWidth || !videoHeight) return null;
  const { x, y } = position;
  if (x < 0 || y < 0 || x >= videoWidth || y >= videoHeight) return null;
  const scale = pic.width / videoWidth;
  return {
    left: pic.left + (x + 0.5 - shape.hotX) * scale,
    top: pic.top + (y + 0.5 - shape.hotY) * scale,
    width: shape.width * scale,
    height: shape.height * scale,
  };
}

/**
 * The positions this viewer's own input put the pointer at lately, to tell its moves from
 * someone else's (the sharer's own mouse): a remote position within `tolerance` pixels of one
 * of them, sent in the last `windowMs`, is ours.
 */
export class OwnMoves {
  constructor({ windowMs = 1000, tolerance = 1, limit = 128 } = {}) {
    this.windowMs = windowMs;
    this.tolerance = tolerance;
    this.limit = limit;
    this.moves = [];
  }

  note(x, y, now) {
    this.moves.push({ x, y, at: now });
    if (this.moves.length > this.limit) this.moves.shift();
  }

  isOwn(x, y, now) {
    while (this.moves.length && now - this.moves[0].at > this.windowMs) this.moves.shift();
    return this.moves.some((m) => Math.abs(m.x - x) <= this.tolerance
      && Math.abs(m.y - y) <= this.tolerance);
  }

  clear() {
    this.moves = [];
  }
}
