import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { test } from 'node:test';
import { LANGUAGES, Localizer } from '../lib/i18n.js';
import { WARNING_KINDS, cleanWarnings } from '../lib/session.js';
import { formatReasons, warningMessage } from '../lib/ui/warnings.js';

const i18nDir = new URL('../i18n/', import.meta.url);

test('reasons: one list in the UI language, each reason isolated', () => {
  assert.equal(formatReasons(['Disk not encrypted'], 'en'), '\u2068Disk not encrypted\u2069');
  assert.equal(formatReasons(['A', 'B', 'C'], 'en'), '\u2068A\u2069, \u2068B\u2069, and \u2068C\u2069');
  assert.match(formatReasons(['A', 'B'], 'de'), /\u2069 und \u2068/);
  assert.equal(formatReasons([], 'en'), '—');
});

test('every warning kind is a sentence in every language, the reasons in it as text', async () => {
  const l10n = new Localizer({ base: '', fetchText: (name) => readFile(new URL(name, i18nDir), 'utf8') });
  const warnings = cleanWarnings([
    ...WARNING_KINDS.map((kind) => ({ kind, reasons: ['<b>Disk</b> not encrypted', 'אין חומת אש'] })),
    { kind: 'device_from_the_future' },
  ]);
  for (const lang of LANGUAGES) {
    await l10n.setLanguage(lang);
    for (const w of warnings) {
      const { id, args } = warningMessage(w, lang);
      assert.ok(l10n.has(id), `${lang}: ${id}`);
      const text = l10n.format(id, args || {});
      assert.notEqual(text, id, `${lang}: ${id}`);
      if (w.kind === 'device_not_compliant') {
        assert.ok(text.includes('\u2068<b>Disk</b> not encrypted\u2069'), `${lang}: ${text}`);
        assert.ok(text.includes('\u2068אין חומת אש\u2069'), `${lang}: ${text}`);
      }
    }
  }
});
