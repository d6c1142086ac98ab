// Encodes the six "Examples (hex)" of docs/protocol.md ("Input channels") with the viewer's
// encoder (web/wire.js) and prints them as one JSON line, in the doc's table order:
//
//   node wire-vectors.mjs   →   {"vectors":["0101…","0102…",…]}
//
// Lowercase hex, no spaces. The Rust side (tests) compares them with its own encoder, so the
// browser and the sharer agree byte for byte.
import {
  InputEncoder, MOD_SHIFT, WHEEL_LINES, toHex,
} from '../../web/wire.js';

const t = 1700000000000000n;
// One encoder, as in a viewer session: the examples' seq 1..6 come from its shared counter.
const enc = new InputEncoder();
const vectors = [
  enc.move(32768, 16384, t), // seq 1
  enc.button(100, 200, 0, true, MOD_SHIFT, t), // seq 2: left down, Shift
  enc.wheel(0, 65535, WHEEL_LINES, 0, 0, 3, t), // seq 3
  enc.key('KeyA', true, 0, t), // seq 4
  enc.text('é✓', t), // seq 5
  enc.releaseAll(t), // seq 6
].map(toHex);

process.stdout.write(`${JSON.stringify({ vectors })}\n`);
