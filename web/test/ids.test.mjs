// Every message id the pages and scripts use exists in en.ftl (so a typo cannot show a raw id),
// and the protocol's error codes all have an `error-<code>` message.

import assert from 'node:assert/strict';
import { readFile, readdir } from 'node:fs/promises';
import { test } from 'node:test';
import { ERROR_CODES } from '../lib/broker.js';
import { FluentResource } from '../vendor/fluent-bundle/index.js';
import { HELPER_PHASES, SHARER_PHASES, WARNING_KINDS } from '../lib/session.js';
import { END_REASONS, LEVELS } from '../lib/reports.js';

const web = new URL('../', import.meta.url);
const text = (path) => readFile(new URL(path, web), 'utf8');
const en = new Set(new FluentResource(await text('i18n/en.ftl')).body.map((m) => m.id));

const pages = ['helper/index.html', 'helper/reports.html', 'sharer/index.html', 'agent/index.html'];
const scripts = [
  'helper/app.js', 'helper/reports.js', 'sharer/app.js', 'agent/app.js', 'lib/reports.js',
  ...(await readdir(new URL('lib/ui/', web))).filter((f) => f.endsWith('.js')).map((f) => `lib/ui/${f}`),
];
const styles = ['lib/ui/base.css', 'helper/style.css', 'helper/reports.css', 'sharer/style.css', 'agent/style.css'];

test('every data-l10n-id in the pages is in en.ftl', async () => {
  for (const page of pages) {
    for (const [, id] of (await text(page)).matchAll(/data-l10n-id="([^"]+)"/g)) {
      assert.ok(en.has(id), `${page}: ${id}`);
    }
  }
});

test('every message id in the scripts is in en.ftl', async () => {
  // String literals shaped like message ids, minus element ids, class names and DOM/WebRTC
  // keywords (which share the shape).
  const notMessages = new Set(['no-referrer', 'same-origin', 'max-bundle', 'maintain-resolution',
    '2-digit', 'aria-describedby', 'aria-labelledby', 'aria-live', 'aria-invalid', 'aria-label',
    'aria-hidden', 'aria-pressed', 'aria-description', 'aria-busy', 'X-CSRF-Token', 'Content-Type', 'no-store',
    'X-Glass-Ui']);
  for (const file of [...pages, ...styles]) {
    const src = await text(file);
    for (const [, id] of src.matchAll(/\bid="([^"]+)"/g)) notMessages.add(id);
    for (const [, cls] of src.matchAll(/class="([^"]+)"/g)) cls.split(/\s+/).forEach((c) => notMessages.add(c));
    for (const [, cls] of src.matchAll(/\.([a-z][\w-]*)/g)) notMessages.add(cls);
  }
  let checked = 0;
  for (const file of scripts) {
    const src = await text(file);
    for (const [, literal] of src.matchAll(/'([a-z][a-z0-9]*(?:-[a-z0-9_]+)+)'/g)) {
      if (notMessages.has(literal) || literal.startsWith('view-')) continue;
      assert.ok(en.has(literal), `${file}: '${literal}'`);
      checked++;
    }
  }
  assert.ok(checked > 40, `only ${checked} ids found: is the pattern still right?`);
});

test('ids built at run time exist for every value they are built from', () => {
  const want = [
    ...HELPER_PHASES.map((p) => `helper-state-${p}`),
    ...SHARER_PHASES.map((p) => `sharer-state-${p}`),
    ...ERROR_CODES.map((c) => `error-${c}`),
    // The sharer's agent's own refusals (agent/src/help.rs), on its approval page.
    ...['fingerprint_mismatch', 'helper_unverified'].map((c) => `error-${c}`),
    ...['declined', 'timeout', 'not_supported', 'forbidden'].flatMap((r) => [`declined-${r}`, `escalation-${r}`]),
    ...['left', 'lost', 'stopped', 'expired', 'revoked'].flatMap((r) => [`left-${r}`, `helper-left-${r}`]),
    ...['left', 'lost', 'stopped', 'expired', 'broker_lost', 'revoked'].map((r) => `agent-ended-${r}`),
    ...[...WARNING_KINDS, 'other'].map((k) => `warning-${k}`),
    ...[...LEVELS, 'none'].map((l) => `reports-level-${l}`),
    ...[...END_REASONS, 'other'].map((r) => `reports-ended-${r}`),
  ];
  for (const id of want) assert.ok(en.has(id), id);
});

test('ERROR_CODES are the error codes of docs/session-protocol.md', async (t) => {
  let doc;
  try {
    doc = await readFile(new URL('../docs/session-protocol.md', web), 'utf8');
  } catch {
    t.skip('docs/session-protocol.md not beside web/');
    return;
  }
  const section = doc.split('### Error codes')[1].split('\n## ')[0];
  const codes = [...section.matchAll(/`([a-z_]+)`/g)].map((m) => m[1]);
  assert.deepEqual([...new Set(codes)].sort(), [...ERROR_CODES].sort());
});
