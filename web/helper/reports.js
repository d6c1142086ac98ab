// Glass reports page (/reports): help sessions from the audit trail for people the policy
// lets read reports (`view_reports`), filtered by person, device and days; CSV and JSON
// downloads of the same filter; a session's chat transcript where the tenant keeps them.
//
// The logic is in lib/reports.js (DOM-free, node-tested); this file wires the form, the API
// and the page. The API decides who may read: a refusal (403) is shown as such, whatever
// /api/me said. Every text comes from the catalogues; names and chat text from the trail go
// in as text (textContent, <bdi>), never markup.
//
// Test hook: `window.glassReports` = {state: loading|ready|signed_out|forbidden|failed|invalid,
// rows, transcript: {session, lines} | null}.

import { BrokerClient, BrokerError } from '/lib/broker.js';
import {
  buildFilter, endedId, failureId, filterFromSearch, formatTime, isoTime, levelId,
  parseSessions, parseTranscript, searchFromForm, sessionsUrl, transcriptKept, transcriptUrl,
} from '/lib/reports.js';
import { say } from '/lib/ui/common.js';
import { setL10n, startL10n } from '/lib/ui/l10n.js';

const $ = (id) => document.getElementById(id);
const hook = { state: 'loading', rows: 0, transcript: null };
window.glassReports = hook;

const broker = new BrokerClient();
let l10n = null;
let rows = [];
let transcript = null; // {row, data}
let request = 0; // the latest load wins

const FIELDS = ['person', 'device', 'from', 'to'];

function lang() {
  return l10n?.lang || 'en';
}

function setState(state, messageId = null) {
  hook.state = state;
  $('alert').hidden = !messageId;
  if (messageId) say($('alert'), messageId);
  else say($('alert'), null);
}

function formValues() {
  return Object.fromEntries(FIELDS.map((k) => [k, $(k).value]));
}

// ---- Rendering --------------------------------------------------------------------------------

function timeCell(t) {
  const td = document.createElement('td');
  if (t === null) return td;
  const time = document.createElement('time');
  time.dateTime = isoTime(t);
  time.textContent = formatTime(t, lang());
  td.append(time);
  return td;
}

function textCell(text, id = null) {
  const td = document.createElement('td');
  const bdi = document.createElement('bdi');
  bdi.textContent = text;
  td.append(bdi);
  if (id && id !== text) {
    // A block in the page's direction (aligned to its start), the id isolated inside it.
    const small = document.createElement('span');
    small.className = 'id';
    const idText = document.createElement('bdi');
    idText.textContent = id;
    small.append(idText);
    td.append(small);
  }
  return td;
}

function messageCell(id) {
  const td = document.createElement('td');
  const span = document.createElement('span');
  setL10n(span, id);
  td.append(span);
  return td;
}

function renderRows() {
  const body = $('rows');
  body.replaceChildren(...rows.map((r, i) => {
    const tr = document.createElement('tr');
    tr.dataset.session = r.session;
    const helper = textCell(r.helper, r.helperId);
    helper.id = `row-${i}-helper`;
    const sharer = textCell(r.sharer, r.sharerId);
    sharer.id = `row-${i}-sharer`;
    // A transcript to open where something was written (its text where it was kept).
    const chat = document.createElement('td');
    if (r.chatLines > 0) {
      const open = document.createElement('button');
      open.type = 'button';
      open.className = 'quiet';
      open.dataset.session = r.session;
      open.dataset.kept = String(r.chatKept);
      open.setAttribute('aria-describedby', `${helper.id} ${sharer.id}`);
      setL10n(open, 'reports-transcript-button');
      open.addEventListener('click', () => openTranscript(r));
      chat.append(open);
    }
    tr.append(helper, sharer, textCell(r.device), timeCell(r.start), timeCell(r.end),
      messageCell(levelId(r.level)), messageCell(endedId(r)), chat);
    return tr;
  }));
  $('empty').hidden = rows.length > 0;
  hook.rows = rows.length;
}

function renderTranscript() {
  const box = $('transcript');
  box.hidden = !transcript;
  hook.transcript = transcript ? { session: transcript.row.session, lines: transcript.data.lines } : null;
  if (!transcript) return;
  const { row, data } = transcript;
  const who = $('transcript-who');
  who.replaceChildren();
  for (const [i, name] of [row.helper, row.sharer].entries()) {
    if (i) who.append(' · ');
    const bdi = document.createElement('bdi');
    bdi.textContent = name;
    who.append(bdi);
  }
  const note = !data.lines.length ? 'reports-transcript-empty'
    : transcriptKept(data) ? null : 'reports-transcript-not-kept';
  $('transcript-note').hidden = !note;
  if (note) setL10n($('transcript-note'), note);
  $('transcript-lines').replaceChildren(...data.lines.map((l) => {
    const li = document.createElement('li');
    li.dataset.from = l.from;
    const meta = document.createElement('span');
    meta.className = 'meta';
    const name = document.createElement('bdi');
    name.className = 'name';
    name.textContent = l.name;
    const time = document.createElement('time');
    time.dateTime = isoTime(l.at);
    time.textContent = formatTime(l.at, lang());
    meta.append(name, time);
    li.append(meta);
    const text = document.createElement('bdi');
    text.dir = 'auto';
    if (l.text === null) {
      text.className = 'not-kept';
      setL10n(text, 'reports-transcript-not-kept');
    } else {
      text.className = 'text';
      text.textContent = l.text;
    }
    li.append(text);
    return li;
  }));
  $('transcript-csv').href = transcriptUrl(row.session, 'csv');
}

// ---- Loading ----------------------------------------------------------------------------------

async function load() {
  const built = buildFilter(formValues());
  if (built.error) {
    setState('invalid', built.error);
    $('from').focus();
    return;
  }
  const mine = ++request;
  history.replaceState(null, '', `${location.pathname}${searchFromForm(formValues())}`);
  $('download-csv').href = sessionsUrl(built.filter, 'csv');
  $('download-json').href = sessionsUrl(built.filter, 'json');
  hook.state = 'loading';
  say($('status'), 'reports-loading');
  $('sessions').setAttribute('aria-busy', 'true');
  try {
    const data = await broker.http('GET', sessionsUrl(built.filter, 'json'));
    if (mine !== request) return;
    rows = parseSessions(data);
    renderRows();
    $('results').hidden = false;
    setState('ready');
    say($('status'), null);
  } catch (e) {
    if (mine !== request) return;
    const status = e instanceof BrokerError ? e.status : 0;
    rows = [];
    renderRows();
    $('results').hidden = true;
    say($('status'), null);
    // Refused: a filter would change nothing. A failure may pass: the form stays.
    $('filter').hidden = status === 401 || status === 403;
    setState(status === 401 ? 'signed_out' : status === 403 ? 'forbidden' : 'failed', failureId(status));
  } finally {
    if (mine === request) $('sessions').removeAttribute('aria-busy');
  }
}

async function openTranscript(row) {
  const url = transcriptUrl(row.session, 'json');
  if (!url) return;
  try {
    transcript = { row, data: parseTranscript(await broker.http('GET', url)) };
    renderTranscript();
    $('transcript').focus();
  } catch (e) {
    const status = e instanceof BrokerError ? e.status : 0;
    setState(status === 403 ? 'forbidden' : 'failed', failureId(status));
  }
}

$('filter').addEventListener('submit', (event) => {
  event.preventDefault();
  load();
});
$('transcript-close').addEventListener('click', () => {
  const session = transcript?.row.session;
  transcript = null;
  renderTranscript();
  document.querySelector(`#rows button[data-session="${session}"]`)?.focus();
});

// ---- Start ------------------------------------------------------------------------------------

async function main() {
  l10n = await startL10n({
    picker: $('language'),
    onChange: () => {
      renderRows();
      renderTranscript();
    },
  });
  let me = null;
  try {
    me = await broker.me();
  } catch {
    me = null;
  }
  $('who').hidden = !me;
  if (me) say($('who'), 'signed-in-as', { name: me.name || '' });
  if (!me) {
    $('filter').hidden = true;
    setState('signed_out', 'reports-signed-out');
    return;
  }
  const values = filterFromSearch(location.search);
  for (const k of FIELDS) $(k).value = values[k];
  await load();
}

main();
