// What the organisation says about the sharer's device (`sharer_joined.warnings`, checked by
// lib/session.js cleanWarnings): one list item per warning, each a catalogue message
// (`warning-<kind>`). The reasons of `device_not_compliant` are an administrator's or an MDM's
// words: they go in as a placeable (text, never markup), each one isolated (FSI…PDI) so a
// reason in another script keeps its own direction inside the sentence.

import { setL10n } from './l10n.js';

const FSI = '\u2068';
const PDI = '\u2069';

/** The reasons as one list in the UI language ("A, B and C"), each isolated. */
export function formatReasons(reasons, lang) {
  const isolated = (reasons || []).map((r) => `${FSI}${r}${PDI}`);
  if (!isolated.length) return '—';
  try {
    return new Intl.ListFormat(lang, { style: 'long', type: 'conjunction' }).format(isolated);
  } catch {
    return isolated.join(', ');
  }
}

/** The catalogue message and its arguments for one warning. */
export function warningMessage(warning, lang) {
  const args = warning.kind === 'device_not_compliant' ? { reasons: formatReasons(warning.reasons, lang) } : null;
  return { id: `warning-${warning.kind}`, args };
}

/** Fills `list` (a <ul>) with the warnings; does nothing when they and the language are unchanged. */
export function renderWarnings(list, warnings, lang, doc = document) {
  const key = JSON.stringify([lang, warnings]);
  if (list.dataset.warnings === key) return;
  list.dataset.warnings = key;
  list.replaceChildren(...warnings.map((w) => {
    const item = doc.createElement('li');
    item.dataset.kind = w.kind;
    const { id, args } = warningMessage(w, lang);
    setL10n(item, id, args);
    return item;
  }));
}
