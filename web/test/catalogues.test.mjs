// Every catalogue has exactly the messages of en.ftl, each with the same attributes and the
// same placeables ({ $name }, ...), and parses without errors. Parsed with @fluent/bundle's
// own FluentResource (the parser the browser uses).

import assert from 'node:assert/strict';
import { readFile, readdir } from 'node:fs/promises';
import { test } from 'node:test';
import { FluentResource } from '../vendor/fluent-bundle/index.js';
import { LANGUAGES } from '../lib/i18n.js';

const dir = new URL('../i18n/', import.meta.url);

/** Variables referenced anywhere in a pattern (selectors and every variant included). */
function variables(node, out = new Set()) {
  if (node === null || typeof node !== 'object') return out;
  if (Array.isArray(node)) {
    for (const n of node) variables(n, out);
    return out;
  }
  if (node.type === 'var') out.add(node.name);
  for (const key of ['selector', 'variants', 'value', 'args', 'positional', 'named']) {
    if (key in node) variables(node[key], out);
  }
  return out;
}

/**
 * id → {value: bool, vars: [sorted], attrs: {name: [sorted vars]}}, and the ids of entries the
 * parser skipped (the runtime parser drops a broken entry silently: compare with what the text
 * declares).
 */
export function describeCatalogue(text) {
  const resource = new FluentResource(text);
  const messages = new Map();
  for (const entry of resource.body) {
    const attrs = {};
    for (const [name, pattern] of Object.entries(entry.attributes || {})) {
      attrs[name] = [...variables(pattern)].sort();
    }
    messages.set(entry.id, {
      value: entry.value !== null,
      vars: [...variables(entry.value)].sort(),
      attrs,
    });
  }
  const declared = [...text.matchAll(/^(-?[a-zA-Z][\w-]*)[ \t]*=/gm)].map((m) => m[1]);
  const broken = declared.filter((id) => !messages.has(id.replace(/^-/, '')) && !messages.has(id));
  const duplicates = declared.filter((id, i) => declared.indexOf(id) !== i);
  return { messages, broken, duplicates };
}

/** Differences between a catalogue and the reference, as readable lines (empty: none). */
export function compareCatalogues(reference, other) {
  const problems = [];
  for (const id of other.broken) problems.push(`${id}: does not parse`);
  for (const id of other.duplicates) problems.push(`${id}: defined twice`);
  for (const [id, ref] of reference.messages) {
    const msg = other.messages.get(id);
    if (!msg) {
      problems.push(`${id}: missing`);
      continue;
    }
    if (msg.value !== ref.value) problems.push(`${id}: value ${msg.value ? 'present' : 'missing'}`);
    if (msg.vars.join() !== ref.vars.join()) {
      problems.push(`${id}: placeables {${msg.vars.join(', ')}}, expected {${ref.vars.join(', ')}}`);
    }
    const names = (o) => Object.keys(o).sort().join();
    if (names(msg.attrs) !== names(ref.attrs)) {
      problems.push(`${id}: attributes .${names(msg.attrs)}, expected .${names(ref.attrs)}`);
    }
    for (const [name, vars] of Object.entries(ref.attrs)) {
      if (msg.attrs[name] && msg.attrs[name].join() !== vars.join()) {
        problems.push(`${id}.${name}: placeables {${msg.attrs[name].join(', ')}}, expected {${vars.join(', ')}}`);
      }
    }
  }
  for (const id of other.messages.keys()) {
    if (!reference.messages.has(id)) problems.push(`${id}: not in en.ftl`);
  }
  return problems;
}

const read = (lang) => readFile(new URL(`${lang}.ftl`, dir), 'utf8');
const reference = describeCatalogue(await read('en'));

test('en.ftl parses cleanly', () => {
  assert.deepEqual(reference.broken, []);
  assert.deepEqual(reference.duplicates, []);
  assert.ok(reference.messages.size > 100);
});

for (const lang of LANGUAGES.filter((l) => l !== 'en')) {
  test(`${lang}.ftl has the messages and placeables of en.ftl`, async () => {
    const problems = compareCatalogues(reference, describeCatalogue(await read(lang)));
    assert.deepEqual(problems, [], `${lang}.ftl:\n  ${problems.join('\n  ')}`);
  });
}

test('the check fails on a missing message, a missing or renamed placeable, a broken entry', () => {
  const en = describeCatalogue('a = Hello { $name }\nb = Bye\nc =\n    .alt = Picture of { $name }\n');
  const ok = describeCatalogue('a = Hallo { $name }\nb = Tschüss\nc =\n    .alt = Bild von { $name }\n');
  assert.deepEqual(compareCatalogues(en, ok), []);
  const missingKey = describeCatalogue('a = Hallo { $name }\nc =\n    .alt = Bild von { $name }\n');
  assert.deepEqual(compareCatalogues(en, missingKey), ['b: missing']);
  const missingVar = describeCatalogue('a = Hallo\nb = Tschüss\nc =\n    .alt = Bild von { $name }\n');
  assert.match(compareCatalogues(en, missingVar)[0], /^a: placeables/);
  const renamedVar = describeCatalogue('a = Hallo { $nom }\nb = Tschüss\nc =\n    .alt = Bild von { $name }\n');
  assert.match(compareCatalogues(en, renamedVar)[0], /^a: placeables/);
  const attrVar = describeCatalogue('a = Hallo { $name }\nb = Tschüss\nc =\n    .alt = Bild\n');
  assert.match(compareCatalogues(en, attrVar)[0], /^c\.alt: placeables/);
  const broken = describeCatalogue('a = Hallo { $name\nb = Tschüss\nc =\n    .alt = Bild von { $name }\n');
  assert.ok(compareCatalogues(en, broken).some((p) => p.startsWith('a:')));
  const extra = describeCatalogue('a = Hallo { $name }\nb = Tschüss\nc =\n    .alt = Bild von { $name }\nd = Extra\n');
  assert.deepEqual(compareCatalogues(en, extra), ['d: not in en.ftl']);
  // Plurals: variables in any variant count.
  const plural = describeCatalogue('a = { $n ->\n    [one] Hallo { $name }\n   *[other] Hallo\n}\nb = x\nc =\n    .alt = { $name }\n');
  assert.deepEqual(compareCatalogues(describeCatalogue('a = Hello { $name } { $n }\nb = x\nc =\n    .alt = { $name }\n'), plural), []);
});

test('one catalogue per language, and an endonym for each in languages.json', async () => {
  const files = (await readdir(dir)).filter((f) => f.endsWith('.ftl')).map((f) => f.slice(0, -4)).sort();
  assert.deepEqual(files, [...LANGUAGES].sort());
  const names = JSON.parse(await readFile(new URL('languages.json', dir), 'utf8'));
  assert.deepEqual(Object.keys(names).sort(), [...LANGUAGES].sort());
  for (const [code, name] of Object.entries(names)) assert.ok(name.trim(), code);
});
