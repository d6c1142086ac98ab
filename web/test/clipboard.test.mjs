// The helper's side of the clipboard channel against the documented layout (the Rust encoder
// is transport/src/clipboard.rs; its unit test checks the same bytes).

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { MAX_CLIPBOARD_TEXT, decodeClipboardMessage, encodeClipboardText } from '../lib/clipboard.js';

test('text in any script round-trips with the documented header', () => {
  const bytes = encodeClipboardText('héllo');
  assert.deepEqual([...bytes], [1, 1, 0x68, 0xc3, 0xa9, 0x6c, 0x6c, 0x6f]);
  for (const text of ['', 'héllo ✓ 日本 مرحبا 👩‍💻', 'x'.repeat(MAX_CLIPBOARD_TEXT)]) {
    assert.equal(decodeClipboardMessage(encodeClipboardText(text).buffer), text);
  }
});

test('too much text is not sent, and malformed messages are dropped, never thrown', () => {
  assert.equal(encodeClipboardText('x'.repeat(MAX_CLIPBOARD_TEXT + 1)), null);
  assert.equal(encodeClipboardText('é'.repeat(MAX_CLIPBOARD_TEXT / 2 + 1)), null, 'bytes, not characters');
  for (const bad of [null, 'text', new Uint8Array([]), new Uint8Array([1]), new Uint8Array([2, 1, 65]),
    new Uint8Array([1, 2, 65]), new Uint8Array([1, 1, 0xff, 0xfe]), new Uint8Array(MAX_CLIPBOARD_TEXT + 3).fill(1)]) {
    assert.equal(decodeClipboardMessage(bad), null);
  }
});
