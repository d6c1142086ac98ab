// The `clipboard` data channel, helper side, without the DOM (docs/protocol.md, "Clipboard
// channel"; the Rust side is transport/src/clipboard.rs). Binary: version u8 = 1, type u8 = 1
// (text), then UTF-8, at most MAX_CLIPBOARD_TEXT bytes. The sharer's agent decides whether
// text goes either way (full control, the organisation's setting); this only encodes.

export const CLIPBOARD_VERSION = 1;
export const TEXT_TYPE = 1;
/** Largest text, bytes of UTF-8 (the message stays within 64 KiB). */
export const MAX_CLIPBOARD_TEXT = 60 * 1024;

/** The message for `text`, or null when its UTF-8 is over the limit. */
export function encodeClipboardText(text) {
  const body = new TextEncoder().encode(String(text));
  if (body.length > MAX_CLIPBOARD_TEXT) return null;
  const out = new Uint8Array(2 + body.length);
  out[0] = CLIPBOARD_VERSION;
  out[1] = TEXT_TYPE;
  out.set(body, 2);
  return out;
}

/** The text of a message (ArrayBuffer or typed array), or null for anything malformed. */
export function decodeClipboardMessage(data) {
  let bytes;
  if (data instanceof ArrayBuffer) bytes = new Uint8Array(data);
  else if (ArrayBuffer.isView(data)) bytes = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  else return null;
  if (bytes.length < 2 || bytes[0] !== CLIPBOARD_VERSION || bytes[1] !== TEXT_TYPE) return null;
  if (bytes.length - 2 > MAX_CLIPBOARD_TEXT) return null;
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(2));
  } catch {
    return null;
  }
}
