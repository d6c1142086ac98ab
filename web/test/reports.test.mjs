import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  buildFilter, dayEnd, dayStart, endedId, failureId, filterFromSearch, formatTime, isoTime,
  levelId, parseDay, parseSessions, parseTranscript, searchFromForm, sessionsUrl,
  transcriptKept, transcriptUrl,
} from '../lib/reports.js';

test('days: real calendar days only', () => {
  assert.deepEqual(parseDay('2024-02-29'), [2024, 2, 29]);
  for (const bad of ['2023-02-29', '2024-13-01', '2024-00-10', '2024-04-31', '24-01-01', 'yesterday',
    '', null, '٢٠٢٤-٠١-٠١', '2024-1-01']) {
    assert.equal(parseDay(bad), null, String(bad));
  }
});

test('days are the reader\'s local days, the end exclusive, across a DST change', () => {
  assert.equal(dayStart('2026-03-29'), new Date(2026, 2, 29).getTime());
  assert.equal(dayEnd('2026-03-29'), new Date(2026, 2, 30).getTime());
  assert.equal(dayEnd('2026-12-31'), new Date(2027, 0, 1).getTime());
  // Whatever the zone, one day is 23 to 25 hours.
  const len = dayEnd('2026-03-29') - dayStart('2026-03-29');
  assert.ok(len >= 23 * 3600e3 && len <= 25 * 3600e3, String(len));
});

test('the filter becomes the API query', () => {
  const { filter } = buildFilter({ person: '  Sam Taylor ', device: '', from: '2026-12-01', to: '2026-12-06' });
  assert.equal(filter.person, 'Sam Taylor');
  const url = new URL(sessionsUrl(filter, 'csv'), 'http://x');
  assert.equal(url.pathname, '/api/reports/sessions');
  assert.equal(url.searchParams.get('format'), 'csv');
  assert.equal(url.searchParams.get('user'), 'Sam Taylor');
  assert.equal(url.searchParams.has('device'), false);
  assert.equal(url.searchParams.get('from'), String(new Date(2026, 11, 1).getTime()));
  assert.equal(url.searchParams.get('to'), String(new Date(2026, 11, 7).getTime()));
  // Names in any script, and characters that mean something in a query, travel as text.
  const { filter: f2 } = buildFilter({ person: 'سامي & co=1?#' });
  assert.equal(new URL(sessionsUrl(f2), 'http://x').searchParams.get('user'), 'سامي & co=1?#');
  assert.equal(sessionsUrl(buildFilter({}).filter), '/api/reports/sessions?format=json');
  // Control characters go, and length is the API's limit.
  assert.equal(buildFilter({ person: 'a\u0007b' }).filter.person, 'ab');
  assert.equal(buildFilter({ device: 'x'.repeat(300) }).filter.device.length, 256);
});

test('bad dates are refused before asking', () => {
  assert.deepEqual(buildFilter({ from: '2026-12-06', to: '2026-12-01' }), { error: 'reports-bad-dates' });
  assert.deepEqual(buildFilter({ from: '2026-02-30' }), { error: 'reports-bad-dates' });
  assert.ok(buildFilter({ from: '2026-12-06', to: '2026-12-06' }).filter, 'one day');
});

test('transcript addresses only for session ids', () => {
  assert.equal(transcriptUrl('00000000000000ab'), '/api/reports/sessions/00000000000000ab/transcript?format=json');
  assert.equal(transcriptUrl('00000000000000ab', 'csv'), '/api/reports/sessions/00000000000000ab/transcript?format=csv');
  for (const bad of ['../../api/me', '00000000000000AB', 'ab', null, '00000000000000ab/../x']) {
    assert.equal(transcriptUrl(bad), null, String(bad));
  }
});

test('report rows are checked, not trusted', () => {
  const rows = parseSessions([
    {
      session: '00000000000000ab', tenant: 'local', helper_id: 'local:ada', helper: 'Ada Lovelace',
      sharer_id: 'local:sam', sharer: 'Sam Taylor', client: 'web', device_id: '', device: '',
      start: 1765000000000, end: 1765000060000, level: 'full', end_reason: 'left', ended_by: 'sharer',
      chat_lines: 3, chat_kept: true,
    },
    { session: '00000000000000cd', helper: { html: '<b>' }, start: 5, end: null, level: 'root' },
    { session: 'nope', start: 1 },
    null,
    'x',
  ]);
  assert.equal(rows.length, 2);
  assert.equal(rows[0].helper, 'Ada Lovelace');
  assert.equal(rows[1].helper, '');
  assert.equal(rows[1].level, '');
  assert.deepEqual([rows[0].chatLines, rows[0].chatKept], [3, true]);
  assert.deepEqual([rows[1].chatLines, rows[1].chatKept], [0, false]);
  assert.deepEqual(parseSessions({ error: 'forbidden' }), []);
  assert.equal(levelId(rows[0].level), 'reports-level-full');
  assert.equal(levelId(rows[1].level), 'reports-level-none');
  assert.equal(endedId(rows[0]), 'reports-ended-left');
  assert.equal(endedId(rows[1]), 'reports-running');
  assert.equal(endedId({ end: 1, endReason: 'exploded' }), 'reports-ended-other');
});

test('transcripts: kept text, or null when not kept', () => {
  const t = parseTranscript({
    session: '00000000000000ab',
    lines: [
      { seq: 1, at: 10, from: 'helper', user_id: 'local:ada', name: 'Ada Lovelace', text: 'مرحبا 👋' },
      { seq: 2, at: 11, from: 'sharer', user_id: 'local:sam', name: '', text: null },
      { seq: 3, at: 'soon' },
    ],
  });
  assert.deepEqual(t.lines, [
    { seq: 1, at: 10, from: 'helper', name: 'Ada Lovelace', text: 'مرحبا 👋' },
    { seq: 2, at: 11, from: 'sharer', name: 'local:sam', text: null },
  ]);
  assert.equal(transcriptKept(t), true);
  assert.equal(transcriptKept(parseTranscript({ lines: [{ at: 1, text: null }] })), false);
  assert.deepEqual(parseTranscript(null).lines, []);
});

test('times in the reader\'s language', () => {
  const t = Date.UTC(2026, 11, 6, 16, 5);
  assert.match(formatTime(t, 'en', 'UTC'), /Dec 6, 2026.*4:05/);
  assert.match(formatTime(t, 'de', 'UTC'), /06\.12\.2026.*16:05/);
  assert.match(formatTime(t, 'ar', 'UTC'), /[٠-٩]|2026/);
  assert.equal(formatTime(null, 'en'), '');
  assert.equal(isoTime(t), '2026-12-06T16:05:00.000Z');
});

test('failures and the page address', () => {
  assert.equal(failureId(403), 'reports-forbidden');
  assert.equal(failureId(401), 'reports-signed-out');
  assert.equal(failureId(500), 'reports-failed');
  assert.equal(failureId(0), 'reports-failed');
  const values = { person: 'Sam Taylor', device: '', from: '2026-12-01', to: 'garbage' };
  assert.equal(searchFromForm(values), '?person=Sam+Taylor&from=2026-12-01&to=garbage');
  assert.deepEqual(filterFromSearch('?person=Sam+Taylor&from=2026-12-01&to=garbage'),
    { person: 'Sam Taylor', device: '', from: '2026-12-01', to: '' });
});
