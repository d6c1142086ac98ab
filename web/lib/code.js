// Help-session codes (docs/session-protocol.md, "Codes"): 8 characters of Crockford base32,
// shown grouped `4060 R0GX`. Accepted in any case, spaces and hyphens ignored, O→0, I/L→1.
// Pure module: no DOM, so node's test runner imports it as it is.

/** The 32 characters a code is made of (Crockford base32: no I, L, O, U). */
export const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
/** Characters in a code. */
export const CODE_LENGTH = 8;
/** Characters per group when shown. */
export const GROUP = 4;

const SEPARATORS = /[\s\u00a0\u2000-\u200b\u202f\u205f\u3000_\-\u2010-\u2015\u2212]/g;

/**
 * The canonical form of what a person typed: upper case, separators (spaces, hyphens, dashes)
 * removed, O→0 and I/L→1. Other characters are kept, so `isCode` can refuse them.
 * Full-width forms (typed with a CJK input method) become their ASCII twins.
 */
export function normalizeCode(input) {
  return String(input ?? '')
    .normalize('NFKC')
    .replace(SEPARATORS, '')
    .toUpperCase()
    .replace(/O/g, '0')
    .replace(/[IL]/g, '1');
}

/** Whether `input` normalises to a complete, well-formed code. */
export function isCode(input) {
  const code = normalizeCode(input);
  return code.length === CODE_LENGTH && [...code].every((c) => ALPHABET.includes(c));
}

/** The code in groups of four (`['4060', 'R0GX']`), normalised first. */
export function codeGroups(input) {
  const code = normalizeCode(input);
  const groups = [];
  for (let i = 0; i < code.length; i += GROUP) groups.push(code.slice(i, i + GROUP));
  return groups;
}

/** The code as shown: `4060 R0GX` (also for a partial code while it is typed). */
export function formatCode(input) {
  return codeGroups(input).join(' ');
}
