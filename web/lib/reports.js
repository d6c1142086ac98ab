// The reports page without the DOM: the filter (person, device, from, to) turned into the
// reports API's query (docs/audit.md), the API's answers checked into plain rows, and what
// each cell says (catalogue ids, times in the reader's language). Tested by node's runner.
//
// Dates: the form's days are the reader's local days. They go to the API as Unix ms (which it
// accepts besides UTC dates): `from` is the local midnight that starts the first day, `to` the
// one that ends the last day (exclusive), each computed by `Date` for its own day, so a
// daylight-saving change inside the range is right.

/** Levels a session can reach, and how sessions end (`EndReason`), as the API spells them. */
export const LEVELS = Object.freeze(['view', 'full']);
export const END_REASONS = Object.freeze(['left', 'lost', 'stopped', 'expired', 'revoked']);

const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;
const SESSION_ID = /^[0-9a-f]{16}$/;
const MAX_TEXT = 256; // the API's limit for person and device

/** `YYYY-MM-DD` (what <input type="date"> gives) → [y, m, d], or null when it is not a day. */
export function parseDay(s) {
  const m = DAY.exec(String(s ?? '').trim());
  if (!m) return null;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (mo < 1 || mo > 12 || d < 1) return null;
  const days = new Date(Date.UTC(y, mo, 0)).getUTCDate(); // day 0 of next month: the last
  return d <= days ? [y, mo, d] : null;
}

/** Unix ms of the local midnight starting day `s`, or null. */
export function dayStart(s) {
  const p = parseDay(s);
  return p ? new Date(p[0], p[1] - 1, p[2]).getTime() : null;
}

/** Unix ms of the local midnight ending day `s` (the next day's start), or null. */
export function dayEnd(s) {
  const p = parseDay(s);
  return p ? new Date(p[0], p[1] - 1, p[2] + 1).getTime() : null;
}

function cleanText(v) {
  // The API refuses control characters and more than 256 characters: say nothing rather
  // than send what it would refuse.
  const s = String(v ?? '').trim();
  // eslint-disable-next-line no-control-regex
  return s.replace(/[\u0000-\u001f\u007f-\u009f]/g, '').slice(0, MAX_TEXT);
}

/**
 * The filter from the form's values: `{filter}` with person, device, from and to (ms or
 * null), or `{error}`: a catalogue id (`reports-bad-dates`: a day that is not one, or an end
 * before the start).
 */
export function buildFilter({ person = '', device = '', from = '', to = '' } = {}) {
  const f = { person: cleanText(person), device: cleanText(device), from: null, to: null };
  if (String(from).trim()) {
    f.from = dayStart(from);
    if (f.from === null) return { error: 'reports-bad-dates' };
  }
  if (String(to).trim()) {
    f.to = dayEnd(to);
    if (f.to === null) return { error: 'reports-bad-dates' };
  }
  if (f.from !== null && f.to !== null && f.from >= f.to) return { error: 'reports-bad-dates' };
  return { filter: f };
}

/** The sessions report's address (path and query) for `filter` in `format` (json, csv). */
export function sessionsUrl(filter, format = 'json') {
  const q = new URLSearchParams({ format: format === 'csv' ? 'csv' : 'json' });
  if (filter?.person) q.set('user', filter.person);
  if (filter?.device) q.set('device', filter.device);
  if (Number.isFinite(filter?.from)) q.set('from', String(Math.max(0, filter.from)));
  if (Number.isFinite(filter?.to)) q.set('to', String(Math.max(0, filter.to)));
  return `/api/reports/sessions?${q}`;
}

/** A session's transcript address, or null for anything that is not a session id. */
export function transcriptUrl(session, format = 'json') {
  if (!SESSION_ID.test(String(session ?? ''))) return null;
  return `/api/reports/sessions/${session}/transcript?format=${format === 'csv' ? 'csv' : 'json'}`;
}

const str = (v) => (typeof v === 'string' ? v : '');
const ms = (v) => (Number.isSafeInteger(v) ? v : null);

/** The sessions report's JSON as clean rows (unknown or malformed entries dropped). */
export function parseSessions(data) {
  if (!Array.isArray(data)) return [];
  return data.filter((r) => r && typeof r === 'object' && SESSION_ID.test(str(r.session))
    && ms(r.start) !== null).map((r) => ({
    session: r.session,
    helper: str(r.helper),
    helperId: str(r.helper_id),
    sharer: str(r.sharer),
    sharerId: str(r.sharer_id),
    client: str(r.client),
    device: str(r.device) || str(r.device_id),
    start: r.start,
    end: ms(r.end),
    level: LEVELS.includes(r.level) ? r.level : '',
    endReason: str(r.end_reason),
    endedBy: str(r.ended_by),
    chatLines: Number.isSafeInteger(r.chat_lines) && r.chat_lines > 0 ? r.chat_lines : 0,
    chatKept: r.chat_kept === true,
  }));
}

/** A transcript's JSON as `{session, lines: [{seq, at, from, name, text}]}` (text null: not kept). */
export function parseTranscript(data) {
  const lines = Array.isArray(data?.lines) ? data.lines : [];
  return {
    session: str(data?.session),
    lines: lines.filter((l) => l && typeof l === 'object' && ms(l.at) !== null).map((l) => ({
      seq: Number.isSafeInteger(l.seq) ? l.seq : 0,
      at: l.at,
      from: l.from === 'sharer' ? 'sharer' : 'helper',
      name: str(l.name) || str(l.user_id),
      text: typeof l.text === 'string' ? l.text : null,
    })),
  };
}

/** Whether any line of a transcript kept its text. */
export function transcriptKept(t) {
  return (t?.lines || []).some((l) => l.text !== null);
}

/** The level cell's catalogue id. */
export function levelId(level) {
  return LEVELS.includes(level) ? `reports-level-${level}` : 'reports-level-none';
}

/** The "how it ended" cell's catalogue id (a session without an end is still running). */
export function endedId(row) {
  if (row?.end === null || row?.end === undefined) return 'reports-running';
  return END_REASONS.includes(row.endReason) ? `reports-ended-${row.endReason}` : 'reports-ended-other';
}

/**
 * Unix ms as a date and time in `lang` (and `timeZone`, default the reader's), e.g.
 * "6 Dec 2026, 16:05"; '' for no time. Its own `datetime` value: {@link isoTime}.
 */
export function formatTime(t, lang, timeZone = undefined) {
  if (!Number.isFinite(t)) return '';
  try {
    return new Intl.DateTimeFormat(lang, { dateStyle: 'medium', timeStyle: 'short', timeZone }).format(t);
  } catch {
    return new Date(t).toISOString();
  }
}

/** Unix ms as ISO 8601 (UTC), for a <time datetime>. */
export function isoTime(t) {
  return Number.isFinite(t) ? new Date(t).toISOString() : '';
}

/** What a failed API call means for the page: a catalogue id. */
export function failureId(status) {
  if (status === 401) return 'reports-signed-out';
  if (status === 403) return 'reports-forbidden';
  return 'reports-failed';
}

/** The form's values back from a page address (`?person=&device=&from=&to=`), for reloads. */
export function filterFromSearch(search) {
  const q = new URLSearchParams(search || '');
  const day = (k) => (parseDay(q.get(k)) ? q.get(k) : '');
  return { person: cleanText(q.get('person')), device: cleanText(q.get('device')), from: day('from'), to: day('to') };
}

/** The page address's query for the form's values (empty values left out). */
export function searchFromForm(values) {
  const q = new URLSearchParams();
  for (const k of ['person', 'device', 'from', 'to']) {
    const v = String(values?.[k] ?? '').trim();
    if (v) q.set(k, v);
  }
  const s = q.toString();
  return s ? `?${s}` : '';
}
