// Glass input wire format: the binary messages a viewer sends on the `pointer` and `input`
// data channels (docs/protocol.md, "Input channels"). Pure module: no DOM access, so Node can
// import it too (tests/browser/wire-vectors.mjs checks it against the doc's hex examples).
//
// Every message is one ArrayBuffer, little-endian:
//   header (14 bytes): version u8 = 1, type u8, seq u32, timestamp u64 (µs since the Unix epoch)
//   body: depends on the type (see the encoder methods below).
//
// One InputEncoder per viewer session: its sequence counter is shared by both channels
// (the sharer drops pointer moves older than the newest position it has applied).

/** Protocol version in byte 0 of every message. */
export const VERSION = 1;
/** Header length in bytes. */
export const HEADER_LEN = 14;

/** Message types (byte 1). */
export const MessageType = Object.freeze({
  MOVE: 1,
  BUTTON: 2,
  WHEEL: 3,
  KEY: 4,
  TEXT: 5,
  RELEASE_ALL: 6,
});

/** Modifier bits (`mods`). CAPS_LOCK is the lock's state, not the key being held. */
export const MOD_SHIFT = 1;
export const MOD_CONTROL = 2;
export const MOD_ALT = 4;
export const MOD_META = 8;
export const MOD_CAPS_LOCK = 16;

/** Wheel delta units (`WheelEvent.deltaMode`; pages are sent as lines). */
export const WHEEL_PIXELS = 0;
export const WHEEL_LINES = 1;
/** Largest wheel delta the sharer accepts, per mode. */
export const MAX_WHEEL_PIXELS = 10000;
export const MAX_WHEEL_LINES = 1000;

/** Longest key code (ASCII bytes) and text (UTF-8 bytes) in one message. */
export const MAX_CODE_LEN = 32;
export const MAX_TEXT_LEN = 1024;

const utf8 = new TextEncoder();

/** Modifier bits of a DOM KeyboardEvent / MouseEvent / WheelEvent (or any look-alike). */
export function modifierBits(event) {
  let bits = 0;
  if (event.shiftKey) bits |= MOD_SHIFT;
  if (event.ctrlKey) bits |= MOD_CONTROL;
  if (event.altKey) bits |= MOD_ALT;
  if (event.metaKey) bits |= MOD_META;
  if (typeof event.getModifierState === 'function' && event.getModifierState('CapsLock')) {
    bits |= MOD_CAPS_LOCK;
  }
  return bits;
}

/** A fraction of the picture (0 = left/top edge, 1 = right/bottom edge) → wire coordinate. */
export function toCoordinate(fraction) {
  if (!(fraction > 0)) return 0; // also NaN
  return Math.min(65535, Math.floor(fraction * 65536));
}

/**
 * Sender timestamp in µs since the Unix epoch, as a BigInt. `eventTimeStamp` is a DOM event's
 * `timeStamp` (ms since `performance.timeOrigin`); without it, now.
 */
export function timestampMicros(eventTimeStamp) {
  const perf = globalThis.performance;
  const ms = typeof eventTimeStamp === 'number' && eventTimeStamp > 0
    ? perf.timeOrigin + eventTimeStamp
    : perf.timeOrigin + perf.now();
  return BigInt(Math.round(ms * 1000));
}

/**
 * Text the sharer accepts: line breaks become `\n`, other control characters (Unicode Cc,
 * except `\t` and `\n`) are dropped.
 */
export function sanitizeText(text) {
  return String(text)
    .replace(/\r\n?/g, '\n')
    // eslint-disable-next-line no-control-regex
    .replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g, '');
}

function utf8Length(s) {
  let n = 0;
  for (const ch of s) {
    const cp = ch.codePointAt(0);
    n += cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
  }
  return n;
}

/**
 * Splits text into pieces of at most `maxBytes` UTF-8 bytes (one text message each), on
 * grapheme cluster boundaries where the platform can tell (Intl.Segmenter), never inside a
 * character. Empty text gives no pieces.
 */
export function splitText(text, maxBytes = MAX_TEXT_LEN) {
  const pieces = [];
  let current = '';
  let currentLen = 0;
  const push = (unit) => {
    const len = utf8Length(unit);
    if (currentLen + len > maxBytes && current) {
      pieces.push(current);
      current = '';
      currentLen = 0;
    }
    current += unit;
    currentLen += len;
  };
  const graphemes = typeof Intl !== 'undefined' && Intl.Segmenter
    ? Array.from(new Intl.Segmenter(undefined, { granularity: 'grapheme' }).segment(text), (s) => s.segment)
    : Array.from(text);
  for (const g of graphemes) {
    if (utf8Length(g) <= maxBytes) push(g);
    else for (const ch of g) push(ch); // an absurdly long cluster: split between characters
  }
  if (current) pieces.push(current);
  return pieces;
}

function u16(v) {
  return Math.min(65535, Math.max(0, Math.trunc(Number(v) || 0)));
}

function clampDelta(v, max) {
  return Math.min(max, Math.max(-max, Math.trunc(Number(v) || 0)));
}

/**
 * Encodes input messages for one viewer session. Each method returns a fresh ArrayBuffer and
 * advances the shared sequence number (the first message has seq 1). Positions `x`, `y` are
 * wire coordinates 0..65535 (see `toCoordinate`); `t` is a BigInt timestamp in µs (see
 * `timestampMicros`), default now. Invalid arguments the sharer would reject (unknown button,
 * bad key code, empty or oversized text) throw a RangeError before the counter moves.
 */
export class InputEncoder {
  constructor(lastSeq = 0) {
    this.seq = lastSeq >>> 0; // the last sequence number used
  }

  header(type, bodyLen, t) {
    const buf = new ArrayBuffer(HEADER_LEN + bodyLen);
    const view = new DataView(buf);
    this.seq = (this.seq + 1) >>> 0; // u32, wrapping
    view.setUint8(0, VERSION);
    view.setUint8(1, type);
    view.setUint32(2, this.seq, true);
    view.setBigUint64(6, BigInt.asUintN(64, t ?? timestampMicros()), true);
    return { buf, view };
  }

  /** Type 1, 18 bytes: pointer move (the `pointer` channel). */
  move(x, y, t) {
    const { buf, view } = this.header(MessageType.MOVE, 4, t);
    view.setUint16(14, u16(x), true);
    view.setUint16(16, u16(y), true);
    return buf;
  }

  /** Type 2, 21 bytes: button `button` (0..4, MouseEvent.button) down or up at (x, y). */
  button(x, y, button, down, mods = 0, t) {
    if (!Number.isInteger(button) || button < 0 || button > 4) {
      throw new RangeError(`button ${button} is not 0..4`);
    }
    const { buf, view } = this.header(MessageType.BUTTON, 7, t);
    view.setUint16(14, u16(x), true);
    view.setUint16(16, u16(y), true);
    view.setUint8(18, button);
    view.setUint8(19, down ? 1 : 0);
    view.setUint8(20, mods & 0x1f);
    return buf;
  }

  /**
   * Type 3, 24 bytes (the doc's table says 22, its example and the Rust decoder have 24):
   * wheel at (x, y). `mode` WHEEL_PIXELS or WHEEL_LINES; integer deltas,
   * positive = right / down, clamped to ±10000 pixels or ±1000 lines.
   */
  wheel(x, y, mode, mods, dx, dy, t) {
    if (mode !== WHEEL_PIXELS && mode !== WHEEL_LINES) {
      throw new RangeError(`wheel mode ${mode} is neither pixels (0) nor lines (1)`);
    }
    const max = mode === WHEEL_PIXELS ? MAX_WHEEL_PIXELS : MAX_WHEEL_LINES;
    const { buf, view } = this.header(MessageType.WHEEL, 10, t);
    view.setUint16(14, u16(x), true);
    view.setUint16(16, u16(y), true);
    view.setUint8(18, mode);
    view.setUint8(19, mods & 0x1f);
    view.setInt16(20, clampDelta(dx, max), true);
    view.setInt16(22, clampDelta(dy, max), true);
    return buf;
  }

  /** Type 4, 17 + len bytes: physical key `code` (KeyboardEvent.code, ASCII) down or up. */
  key(code, down, mods = 0, t) {
    if (typeof code !== 'string' || !/^[\x21-\x7e]{1,32}$/.test(code)) {
      throw new RangeError(`key code ${JSON.stringify(code)} is not 1..${MAX_CODE_LEN} ASCII characters`);
    }
    const { buf, view } = this.header(MessageType.KEY, 3 + code.length, t);
    view.setUint8(14, down ? 1 : 0);
    view.setUint8(15, mods & 0x1f);
    view.setUint8(16, code.length);
    for (let i = 0; i < code.length; i++) view.setUint8(17 + i, code.charCodeAt(i));
    return buf;
  }

  /**
   * Type 5, 16 + len bytes: text, 1..1024 UTF-8 bytes (use `splitText` / `sanitizeText` for
   * arbitrary input).
   */
  text(text, t) {
    const bytes = utf8.encode(text);
    if (bytes.length < 1 || bytes.length > MAX_TEXT_LEN) {
      throw new RangeError(`text of ${bytes.length} bytes (allowed 1..${MAX_TEXT_LEN})`);
    }
    const { buf, view } = this.header(MessageType.TEXT, 2 + bytes.length, t);
    view.setUint16(14, bytes.length, true);
    new Uint8Array(buf, 16).set(bytes);
    return buf;
  }

  /** Type 6, 14 bytes: release every key and button this viewer holds. */
  releaseAll(t) {
    return this.header(MessageType.RELEASE_ALL, 0, t).buf;
  }
}

/** Lowercase hex of an ArrayBuffer (tests, debugging). */
export function toHex(buf) {
  return Array.from(new Uint8Array(buf), (b) => b.toString(16).padStart(2, '0')).join('');
}
