// Localisation core: language choice, Fluent catalogues, formatting. No DOM: the caller passes
// navigator.languages, the stored choice and a way to fetch text (lib/ui/l10n.js applies the
// result to a document: `lang`, `dir`, `data-l10n-id` elements).
//
// Catalogues are `/i18n/<lang>.ftl` (Fluent), one per language below; `en` is the reference
// and the fallback for any message missing elsewhere.

import { FluentBundle, FluentResource } from '../vendor/fluent-bundle/index.js';

/** Languages with a catalogue (BCP 47, as the file names). */
export const LANGUAGES = Object.freeze([
  'ar', 'bg', 'zh-Hans', 'zh-Hant', 'hr', 'cs', 'da', 'nl', 'en', 'et', 'fi', 'fr', 'de', 'el',
  'he', 'hu', 'it', 'ja', 'ko', 'lv', 'lt', 'nb', 'pl', 'pt', 'ro', 'ru', 'sr', 'sk', 'sl', 'es',
  'sv', 'th', 'tr', 'uk',
]);
export const DEFAULT_LANGUAGE = 'en';
/** Written right to left. */
export const RTL_LANGUAGES = Object.freeze(['ar', 'he']);
/** localStorage key of the picker's choice. */
export const STORAGE_KEY = 'glass.language';

// Old or macro-language codes → the catalogue that serves them. Norwegian (`no`) and Nynorsk
// readers get Bokmål; Serbo-Croatian (`sh`) gets Serbian; `iw` is the old code for Hebrew.
const ALIASES = { iw: 'he', no: 'nb', nn: 'nb', sh: 'sr' };
// Chinese regions written in Traditional characters when no script is given.
const HANT_REGIONS = new Set(['TW', 'HK', 'MO']);

/**
 * The catalogue for one BCP 47 tag, or null: `zh-TW` → `zh-Hant`, `zh-CN`/`zh` → `zh-Hans`,
 * `pt-BR` → `pt`, `nb-NO`/`no` → `nb`, `iw` → `he`; otherwise the primary language subtag.
 */
export function matchLanguage(tag, available = LANGUAGES) {
  if (typeof tag !== 'string' || !tag) return null;
  const parts = tag.trim().replace(/_/g, '-').split('-');
  let lang = parts[0].toLowerCase();
  lang = ALIASES[lang] || lang;
  let candidate = lang;
  if (lang === 'zh') {
    let script = parts.slice(1).find((p) => p.length === 4);
    const region = parts.slice(1).find((p) => p.length === 2)?.toUpperCase();
    script = script ? script[0].toUpperCase() + script.slice(1).toLowerCase()
      : HANT_REGIONS.has(region) ? 'Hant' : 'Hans';
    candidate = `zh-${script}`;
  }
  const found = available.find((a) => a.toLowerCase() === candidate.toLowerCase());
  return found || null;
}

/** The best catalogue for a list of preferred tags (navigator.languages), else English. */
export function negotiateLanguage(requested, available = LANGUAGES) {
  for (const tag of requested || []) {
    const found = matchLanguage(tag, available);
    if (found) return found;
  }
  return DEFAULT_LANGUAGE;
}

/** The stored picker choice when it is a catalogue we have, else the negotiated language. */
export function chooseLanguage({ stored = null, requested = [] } = {}) {
  if (stored && LANGUAGES.includes(stored)) return stored;
  return negotiateLanguage(requested);
}

/** `rtl` for Arabic and Hebrew, `ltr` otherwise. */
export function directionOf(lang) {
  return RTL_LANGUAGES.includes(lang) ? 'rtl' : 'ltr';
}

/** A FluentBundle for `lang` from catalogue text; parse errors are returned, not thrown. */
export function makeBundle(lang, text) {
  // useIsolating (the default): placeables are wrapped in FSI…PDI, so a Hebrew name in an
  // English sentence (or the reverse) keeps its own direction.
  const bundle = new FluentBundle(lang, { useIsolating: true });
  const errors = bundle.addResource(new FluentResource(text));
  return { bundle, errors };
}

export class Localizer {
  /**
   * @param {object} o
   * @param {(url: string) => Promise<string>} o.fetchText fetches a catalogue
   * @param {string} [o.base] where the catalogues are (default `/i18n/`)
   */
  constructor({ fetchText, base = '/i18n/' }) {
    this.fetchText = fetchText;
    this.base = base;
    this.lang = DEFAULT_LANGUAGE;
    this.bundles = new Map(); // lang → FluentBundle
  }

  async bundleFor(lang) {
    if (!this.bundles.has(lang)) {
      const text = await this.fetchText(`${this.base}${lang}.ftl`);
      this.bundles.set(lang, makeBundle(lang, text).bundle);
    }
    return this.bundles.get(lang);
  }

  /** Loads `lang` (and English, the fallback) and makes it current. */
  async setLanguage(lang) {
    const chosen = LANGUAGES.includes(lang) ? lang : DEFAULT_LANGUAGE;
    await this.bundleFor(DEFAULT_LANGUAGE);
    try {
      await this.bundleFor(chosen);
      this.lang = chosen;
    } catch {
      this.lang = DEFAULT_LANGUAGE; // the catalogue did not load: English rather than nothing
    }
    return this.lang;
  }

  get dir() {
    return directionOf(this.lang);
  }

  message(id) {
    for (const lang of [this.lang, DEFAULT_LANGUAGE]) {
      const bundle = this.bundles.get(lang);
      const msg = bundle?.getMessage(id);
      if (msg) return { bundle, msg };
    }
    return null;
  }

  /** Whether a message exists (in the current language or English). */
  has(id) {
    return this.message(id) !== null;
  }

  /** The message `id` formatted with `args`; the id itself when no catalogue has it. */
  format(id, args = {}) {
    const found = this.message(id);
    if (!found || !found.msg.value) return id;
    return found.bundle.formatPattern(found.msg.value, args, []);
  }

  /** The message's attributes (`.placeholder`, `.aria-label`, ...) formatted with `args`. */
  attributes(id, args = {}) {
    const found = this.message(id);
    const out = {};
    if (!found) return out;
    for (const [name, pattern] of Object.entries(found.msg.attributes)) {
      out[name] = found.bundle.formatPattern(pattern, args, []);
    }
    return out;
  }
}
