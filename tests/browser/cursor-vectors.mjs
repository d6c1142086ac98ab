// Decodes cursor-channel messages made by the Rust encoder (transport/src/cursor.rs) with the
// viewer's decoder (web/lib/cursor.js) and prints what it read, one JSON line:
//
//   node cursor-vectors.mjs <hex> <hex> …   →   {"decoded":[{…}|null, …]}
//
// Shapes: {type, serial, width, height, hotX, hotY, png (hex)}; positions: {type, serial, x,
// y, timeUs (decimal string: a u64)}; null for what the decoder refuses.
import { decodeCursorMessage } from '../../web/lib/cursor.js';

const hex = (h) => Uint8Array.from(h.match(/../g) || [], (b) => parseInt(b, 16));
const toHex = (b) => Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');

const decoded = process.argv.slice(2).map((h) => {
  const m = decodeCursorMessage(hex(h).buffer);
  if (!m) return null;
  if (m.type === 'shape') return { ...m, png: toHex(m.png) };
  return { ...m, timeUs: m.timeUs.toString() };
});
process.stdout.write(`${JSON.stringify({ decoded })}\n`);
