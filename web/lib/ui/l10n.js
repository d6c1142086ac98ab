// Applies lib/i18n.js to a document: `lang` and `dir` on <html>, text and attributes of every
// element with `data-l10n-id` (arguments in `data-l10n-args`, JSON), and the language picker.
// Text is always set with textContent, never as HTML.

import { LANGUAGES, Localizer, STORAGE_KEY, chooseLanguage } from '../i18n.js';

/** Message attributes that may be copied onto elements. */
const ATTRIBUTES = new Set(['placeholder', 'aria-label', 'title', 'alt', 'label', 'aria-description']);

async function fetchText(url) {
  const response = await fetch(url, { credentials: 'same-origin' });
  if (!response.ok) throw new Error(`${url}: HTTP ${response.status}`);
  return response.text();
}

function storedLanguage() {
  try { return globalThis.localStorage?.getItem(STORAGE_KEY) ?? null; } catch { return null; }
}

function storeLanguage(lang) {
  try { globalThis.localStorage?.setItem(STORAGE_KEY, lang); } catch { /* private mode */ }
}

/** Translates one element from its data-l10n-id / data-l10n-args. */
export function translate(el, l10n) {
  const id = el.dataset.l10nId;
  if (!id) return;
  let args = {};
  if (el.dataset.l10nArgs) {
    try { args = JSON.parse(el.dataset.l10nArgs); } catch { args = {}; }
  }
  const found = l10n.message(id);
  if (!found) return;
  if (found.msg.value) el.textContent = l10n.format(id, args);
  for (const [name, value] of Object.entries(l10n.attributes(id, args))) {
    if (ATTRIBUTES.has(name)) el.setAttribute(name, value);
  }
}

/** Sets an element's message (and arguments) and translates it now. */
export function setL10n(el, id, args = null) {
  el.dataset.l10nId = id;
  if (args) el.dataset.l10nArgs = JSON.stringify(args);
  else delete el.dataset.l10nArgs;
  if (currentL10n) translate(el, currentL10n);
}

/** Translates `root` and everything in it. */
export function translateTree(root, l10n) {
  if (root.dataset?.l10nId) translate(root, l10n);
  for (const el of root.querySelectorAll('[data-l10n-id]')) translate(el, l10n);
}

let currentL10n = null;

function applyDocument(doc, l10n) {
  doc.documentElement.lang = l10n.lang;
  doc.documentElement.dir = l10n.dir;
  translateTree(doc.documentElement, l10n);
}

/**
 * Picks the language (stored choice, else navigator.languages, else English), loads it,
 * translates the document and fills the picker (`<select>`) with endonyms from
 * /i18n/languages.json. `onChange()` runs after the user picked another language and the
 * document was translated, so the app re-renders what it built itself.
 */
export async function startL10n({ doc = document, picker = null, onChange = () => {} } = {}) {
  const l10n = new Localizer({ fetchText });
  currentL10n = l10n;
  await l10n.setLanguage(chooseLanguage({
    stored: storedLanguage(),
    requested: navigator.languages?.length ? navigator.languages : [navigator.language],
  }));
  applyDocument(doc, l10n);
  if (picker) {
    let names = {};
    try { names = JSON.parse(await fetchText('/i18n/languages.json')); } catch { names = {}; }
    const sorted = [...LANGUAGES].sort((a, b) => (names[a] || a).localeCompare(names[b] || b, 'en'));
    for (const code of sorted) {
      const option = doc.createElement('option');
      option.value = code;
      option.lang = code;
      option.textContent = names[code] || code;
      picker.append(option);
    }
    picker.value = l10n.lang;
    picker.addEventListener('change', async () => {
      storeLanguage(picker.value);
      await l10n.setLanguage(picker.value);
      applyDocument(doc, l10n);
      onChange();
    });
  }
  return l10n;
}
