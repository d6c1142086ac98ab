import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { test } from 'node:test';
import {
  LANGUAGES, Localizer, chooseLanguage, directionOf, matchLanguage, negotiateLanguage,
} from '../lib/i18n.js';

const i18nDir = new URL('../i18n/', import.meta.url);

test('navigator.languages → catalogue', () => {
  const cases = [
    [['en-US', 'en'], 'en'],
    [['de-AT'], 'de'],
    [['zh-TW'], 'zh-Hant'],
    [['zh-HK'], 'zh-Hant'],
    [['zh-Hant-TW'], 'zh-Hant'],
    [['zh-CN'], 'zh-Hans'],
    [['zh'], 'zh-Hans'],
    [['zh-Hans-SG'], 'zh-Hans'],
    [['pt-BR'], 'pt'],
    [['pt-PT'], 'pt'],
    [['nb-NO'], 'nb'],
    [['no'], 'nb'],
    [['nn-NO'], 'nb'],
    [['he-IL'], 'he'],
    [['iw'], 'he'],
    [['iw-IL'], 'he'],
    [['sr-Cyrl-RS'], 'sr'],
    [['ar-EG'], 'ar'],
    [['fr_CA'], 'fr'],
    [['xx', 'tlh', 'ja-JP'], 'ja'],
    [['xx'], 'en'],
    [[], 'en'],
    [undefined, 'en'],
  ];
  for (const [requested, expected] of cases) {
    assert.equal(negotiateLanguage(requested), expected, JSON.stringify(requested));
  }
  assert.equal(matchLanguage('EN-gb'), 'en');
  assert.equal(matchLanguage(''), null);
});

test('the stored picker choice wins when it is a catalogue', () => {
  assert.equal(chooseLanguage({ stored: 'fi', requested: ['de'] }), 'fi');
  assert.equal(chooseLanguage({ stored: 'xx', requested: ['de'] }), 'de');
  assert.equal(chooseLanguage({ stored: null, requested: ['zh-TW'] }), 'zh-Hant');
});

test('direction: rtl for ar and he only', () => {
  for (const lang of LANGUAGES) {
    assert.equal(directionOf(lang), lang === 'ar' || lang === 'he' ? 'rtl' : 'ltr', lang);
  }
});

function localizer() {
  return new Localizer({
    base: '',
    fetchText: (name) => readFile(new URL(name, i18nDir), 'utf8'),
  });
}

test('Localizer formats, falls back to English, then to the id', async () => {
  const l10n = localizer();
  assert.equal(await l10n.setLanguage('de'), 'de');
  assert.notEqual(l10n.format('signin-button'), 'Sign in');
  // Placeables are isolated (FSI … PDI) so names keep their own direction.
  assert.equal(l10n.format('signed-in-as', { name: 'Ada' }).includes('\u2068Ada\u2069'), true);
  assert.equal(l10n.format('no-such-message'), 'no-such-message');
  assert.equal(l10n.has('error-code_invalid'), true);
  assert.ok(l10n.attributes('keyboard-target')['aria-label']);
  assert.equal(await l10n.setLanguage('xx'), 'en');
  assert.equal(l10n.format('signin-button'), 'Sign in');
});

test('a catalogue that does not load leaves English', async () => {
  const l10n = new Localizer({
    base: '',
    fetchText: async (name) => {
      if (name === 'en.ftl') return readFile(new URL(name, i18nDir), 'utf8');
      throw new Error('404');
    },
  });
  assert.equal(await l10n.setLanguage('fr'), 'en');
  assert.equal(l10n.format('join-button'), 'Join');
});
