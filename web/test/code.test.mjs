import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ALPHABET, codeGroups, formatCode, isCode, normalizeCode } from '../lib/code.js';

test('the alphabet is Crockford base32', () => {
  assert.equal(ALPHABET.length, 32);
  for (const c of 'ILOU') assert.ok(!ALPHABET.includes(c), c);
});

test('normalisation: case, spaces and hyphens, O→0, I/L→1', () => {
  assert.equal(normalizeCode('4060 r0gx'), '4060R0GX');
  assert.equal(normalizeCode('4060-R0GX'), '4060R0GX');
  assert.equal(normalizeCode('  40 60-r0 gx '), '4060R0GX');
  assert.equal(normalizeCode('4o6O rOgx'), '4060R0GX');
  assert.equal(normalizeCode('iIlL'), '1111');
  assert.equal(normalizeCode('１２３４　ＡＢＣＤ'), '1234ABCD', 'full-width input from an IME');
  assert.equal(normalizeCode('4060\u2013R0GX'), '4060R0GX', 'en dash');
  assert.equal(normalizeCode(null), '');
});

test('validity', () => {
  assert.ok(isCode('4060 R0GX'));
  assert.ok(isCode('4060-r0gx'));
  assert.ok(isCode('4o6o rogx'));
  assert.ok(!isCode('4060 R0G'), 'too short');
  assert.ok(!isCode('4060 R0GXX'), 'too long');
  assert.ok(!isCode('4060 R0GU'), 'U is not in the alphabet');
  assert.ok(!isCode('4060 R0G!'));
  assert.ok(!isCode(''));
});

test('grouping', () => {
  assert.deepEqual(codeGroups('4060r0gx'), ['4060', 'R0GX']);
  assert.equal(formatCode('4060r0gx'), '4060 R0GX');
  assert.equal(formatCode('406'), '406');
  assert.equal(formatCode('4060r'), '4060 R');
});
