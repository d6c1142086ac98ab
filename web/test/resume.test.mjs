// Resuming a session after the WebSocket is lost (lib/broker.js, docs/session-protocol.md
// "Resuming"): a fake clock runs every timer the client sets, in time order; fake sockets stand
// for the brokers behind the load balancer.

import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { test } from 'node:test';
import {
  ATTEMPT_MS, BrokerClient, CHECK_MS, PING_MS, RESUME_WINDOW_MS, SILENCE_MS,
} from '../lib/broker.js';
import { LANGUAGES, Localizer } from '../lib/i18n.js';
import {
  helperNext, initialHelper, initialSharer, linkStatusId, sharerNext,
} from '../lib/session.js';

const TOKEN = 'rt-5f1c0a9e-secret-token-do-not-show';

class FakeSocket {
  static all = [];
  static get last() { return FakeSocket.all[FakeSocket.all.length - 1]; }
  constructor(url) {
    this.url = url;
    this.readyState = 0;
    this.sent = [];
    this.closed = false;
    FakeSocket.all.push(this);
  }
  send(data) { this.sent.push(JSON.parse(data)); }
  close() { this.readyState = 3; this.closed = true; }
  open() { this.readyState = 1; this.onopen?.(); }
  receive(obj) { this.onmessage?.({ data: typeof obj === 'string' ? obj : JSON.stringify(obj) }); }
  drop(code = 1006) { this.readyState = 3; this.onclose?.({ code, reason: '' }); }
}

/** A client on a fake clock: `advance(ms)` runs the timers due, in order. */
function client() {
  FakeSocket.all = [];
  const clock = { now: 1000 };
  let nextId = 1;
  const timers = new Map(); // id → {at, fn, every}
  const c = new BrokerClient({
    base: 'https://glass.example',
    WebSocket: FakeSocket,
    now: () => clock.now,
    setInterval: (fn, ms) => { timers.set(nextId, { at: clock.now + ms, fn, every: ms }); return nextId++; },
    clearInterval: (id) => timers.delete(id),
    setTimeout: (fn, ms) => { timers.set(nextId, { at: clock.now + ms, fn, every: 0 }); return nextId++; },
    clearTimeout: (id) => timers.delete(id),
  });
  const advance = (ms) => {
    const end = clock.now + ms;
    for (;;) {
      let due = null;
      for (const [id, t] of timers) if (t.at <= end && (!due || t.at < due[1].at)) due = [id, t];
      if (!due) break;
      const [id, t] = due;
      clock.now = Math.max(clock.now, t.at);
      if (t.every) t.at += t.every; else timers.delete(id);
      t.fn();
    }
    clock.now = end;
  };
  return { c, clock, advance };
}

function events(target, ...types) {
  const seen = [];
  for (const type of types) target.addEventListener(type, (e) => seen.push([type, e.detail]));
  return seen;
}

const chat = (seq, text = `line ${seq}`) => ({
  v: 1, type: 'chat_message', seq, from: 'sharer', name: 'Bob', text, at: 1765000000000 + seq,
});

/** A client in a session on broker A that got its token and two chat lines. */
async function inSession({ resumable = true } = {}) {
  const h = client();
  const opened = h.c.connect();
  const a = FakeSocket.last;
  a.open();
  await opened;
  a.receive({ v: 1, type: 'code', code: '4060R0GX', display: '4060 R0GX', expires_at: 9e12 });
  a.receive({ v: 1, type: 'sharer_joined', sharer: { name: 'Bob' }, client: 'agent' });
  if (resumable) a.receive({ v: 1, type: 'resumable', token: TOKEN });
  a.receive(chat(1));
  a.receive(chat(2));
  return { ...h, a };
}

test('a lost socket is resumed: resume goes first with the token and the last chat seq', async () => {
  const { c, a, advance } = await inSession();
  const seen = events(c, 'resuming', 'resumed', 'lost', 'chat_message', 'peer_back');
  a.drop(1006);
  assert.deepEqual(seen, [['resuming', { code: 1006, reason: '' }]]);
  assert.equal(c.resuming, true);
  assert.equal(c.connected, false);
  const b = FakeSocket.last;
  assert.notEqual(b, a, 'a new socket');
  assert.equal(b.url, 'wss://glass.example/api/ws', 'the same URL: any broker');
  b.open();
  assert.deepEqual(b.sent[0], { v: 1, type: 'resume', token: TOKEN, chat_after: 2 }, 'resume is the first message');
  assert.deepEqual(b.sent.slice(1).map((m) => m.type), ['ping'], 'then only pings until resumed');
  b.receive({ v: 1, type: 'resumed', level: 'view', paused: false, peer_present: true });
  assert.equal(c.resuming, false);
  assert.equal(c.connected, true);
  assert.deepEqual(seen.slice(1), [['resumed', { v: 1, type: 'resumed', level: 'view', paused: false, peer_present: true }]]);
  // The heartbeat runs on the new socket, and so does everything else.
  assert.equal(b.sent.at(-1).type, 'ping');
  b.receive(chat(3));
  assert.equal(seen.at(-1)[1].seq, 3);
  advance(SILENCE_MS + 250);
  assert.deepEqual(seen.slice(-1).map(([t, d]) => [t, d.reason]), [['resuming', 'silent']], 'silence is watched on the new socket');
  assert.ok(b.closed);
});

test('chat lines sent again after a resume are shown once', async () => {
  const { c, a } = await inSession();
  const lines = events(c, 'chat_message');
  a.drop();
  const b = FakeSocket.last;
  b.open();
  b.receive({ v: 1, type: 'resumed', level: 'view', paused: false, peer_present: true });
  b.receive(chat(2)); // the broker repeats what it is not sure we saw
  b.receive(chat(3));
  b.receive(chat(3));
  b.receive(chat(4));
  assert.deepEqual(lines.map(([, m]) => m.seq), [3, 4]);
  assert.equal(c.duplicates, 2);
  // Lost again: chat_after moves on.
  b.drop();
  FakeSocket.last.open();
  assert.deepEqual(FakeSocket.last.sent[0], { v: 1, type: 'resume', token: TOKEN, chat_after: 4 });
});

test('a new session starts its chat count over', async () => {
  const { c, a } = await inSession();
  const lines = events(c, 'chat_message');
  a.receive({ v: 1, type: 'ended', reason: 'left' });
  a.receive({ v: 1, type: 'code', code: 'ABCD1234', display: 'ABCD 1234', expires_at: 9e12 });
  a.receive(chat(1, 'a new session'));
  assert.deepEqual(lines.map(([, m]) => m.text), ['a new session']);
});

test('ended during resume gives up and reports the link lost', async () => {
  const { c, a } = await inSession();
  const seen = events(c, 'resuming', 'resumed', 'lost', 'ended');
  a.drop(1001);
  const b = FakeSocket.last;
  b.open();
  b.receive({ v: 1, type: 'ended', reason: 'lost' });
  assert.deepEqual(seen.map(([t]) => t), ['resuming', 'lost']);
  assert.deepEqual(seen[1][1], { code: 1001, reason: '' });
  assert.equal(c.resuming, false);
  assert.equal(c.resumable, false, 'the token is forgotten');
  assert.ok(b.closed);
  assert.equal(FakeSocket.all.length, 2, 'no more attempts');
});

test('busy, a refused socket and no answer are tried again; the window is 9 s, then lost', async () => {
  const { c, a, advance, clock } = await inSession();
  const seen = events(c, 'resuming', 'resumed', 'lost');
  const lostAt = clock.now;
  a.drop();
  // 1: busy.
  FakeSocket.last.open();
  FakeSocket.last.receive({ v: 1, type: 'error', code: 'busy', message: 'Try again later.' });
  assert.ok(FakeSocket.last.closed);
  assert.equal(FakeSocket.all.length, 2, 'a pause before the next attempt');
  advance(299);
  assert.equal(FakeSocket.all.length, 2);
  advance(1);
  assert.equal(FakeSocket.all.length, 3, 'the next attempt after 300 ms');
  // 2: refused.
  FakeSocket.last.drop(1006);
  advance(400);
  assert.equal(FakeSocket.all.length, 4);
  // 3: opens, never answers anything (not even a pong): silent, as a dead link is.
  FakeSocket.last.open();
  advance(SILENCE_MS + CHECK_MS - 1);
  assert.equal(FakeSocket.all.length, 4);
  advance(1 + 500);
  assert.equal(FakeSocket.all.length, 5);
  // 4: never opens.
  advance(ATTEMPT_MS);
  assert.equal(FakeSocket.all.length, 5);
  advance(CHECK_MS + 500);
  assert.equal(FakeSocket.all.length, 6);
  // From now on nothing ever answers: every attempt opens and hangs, or is refused.
  const attempts = new Set(FakeSocket.all);
  while (seen.length < 2 && clock.now - lostAt < 20_000) {
    const s = FakeSocket.last;
    if (!attempts.has(s)) { attempts.add(s); s.drop(); }
    advance(50);
  }
  assert.deepEqual(seen.map(([t]) => t), ['resuming', 'lost']);
  assert.ok(clock.now - lostAt <= RESUME_WINDOW_MS, `gave up after ${clock.now - lostAt} ms`);
  assert.ok(clock.now - lostAt >= RESUME_WINDOW_MS - 500, 'tried for about 9 s');
  const n = FakeSocket.all.length;
  advance(5000);
  assert.equal(FakeSocket.all.length, n, 'no attempt after giving up');
  assert.ok(FakeSocket.all.every((s) => s.closed || s.readyState === 3), 'every attempt closed');
});

test('an attempt the broker keeps alive is waited for: it pings after resume, resumed at 5 s', async () => {
  const { c, a, advance } = await inSession();
  const seen = events(c, 'resuming', 'resumed', 'lost');
  a.drop();
  const b = FakeSocket.last;
  b.open();
  // A sharer whose home died waits for the helper to carry the session on: the broker says
  // nothing but pong meanwhile.
  for (let t = 0; t < 5000; t += PING_MS) {
    advance(PING_MS);
    for (const m of b.sent.filter((x) => x.type === 'ping' && !x.answered)) {
      m.answered = true;
      b.receive({ v: 1, type: 'pong', t: m.t });
    }
  }
  assert.equal(FakeSocket.all.length, 2, 'the same attempt all along');
  assert.equal(b.sent[0].type, 'resume');
  assert.ok(b.sent.filter((m) => m.type === 'ping').length >= 10, 'pinged every 500 ms');
  b.receive({ v: 1, type: 'resumed', level: 'view', paused: false, peer_present: true });
  assert.deepEqual(seen.map(([t]) => t), ['resuming', 'resumed']);
  assert.equal(c.connected, true);
});

test('no token (a single broker): a lost socket is lost at once, no resume attempted', async () => {
  const { c, a, advance } = await inSession({ resumable: false });
  const seen = events(c, 'resuming', 'lost');
  a.drop(1006);
  assert.deepEqual(seen, [['lost', { code: 1006, reason: '' }]]);
  advance(10_000);
  assert.equal(FakeSocket.all.length, 1, 'no new socket');
});

test('silence is a loss too: resumed the same way', async () => {
  const { c, a, advance } = await inSession();
  const seen = events(c, 'resuming', 'lost');
  advance(SILENCE_MS + 250);
  assert.deepEqual(seen.map(([t, d]) => [t, d.reason]), [['resuming', 'silent']]);
  assert.ok(a.closed, 'the silent socket is closed');
  assert.equal(FakeSocket.all.length, 2);
});

test('what is sent while resuming goes out after resumed, in order; nothing if it fails', async () => {
  const { c, a } = await inSession();
  a.drop();
  const b = FakeSocket.last;
  assert.equal(c.signal({ candidate: { candidate: 'c1', sdpMid: '0', sdpMLineIndex: 0 } }), true);
  assert.equal(c.state('view', true), true);
  assert.equal(c.chat('still there?'), true, 'the chat stays open while resuming');
  b.open();
  const types = () => b.sent.map((m) => m.type).filter((t) => t !== 'ping');
  assert.deepEqual(types(), ['resume'], 'nothing but resume (and pings) before resumed');
  b.receive({ v: 1, type: 'resumed', level: 'view', paused: false, peer_present: true });
  assert.deepEqual(types(), ['resume', 'signal', 'state', 'chat']);
  assert.equal(b.sent.at(-1).text, 'still there?');
  // A second loss whose resume fails: the queue is dropped.
  b.drop();
  c.leave();
  const d = FakeSocket.last;
  d.open();
  d.receive({ v: 1, type: 'ended', reason: 'lost' });
  assert.deepEqual(d.sent.map((m) => m.type).filter((t) => t !== 'ping'), ['resume']);
  assert.equal(c.send({ type: 'leave' }), false, 'no link');
});

test('closing on purpose stops a resume; connect() starts a new session without the token', async () => {
  const { c, a, advance } = await inSession();
  const seen = events(c, 'lost', 'resumed');
  a.drop();
  const b = FakeSocket.last;
  c.close();
  assert.ok(b.closed);
  assert.equal(c.resuming, false);
  b.open?.();
  advance(10_000);
  assert.equal(FakeSocket.all.length, 2);
  assert.deepEqual(seen, []);
  const opened = c.connect();
  FakeSocket.last.open();
  await opened;
  FakeSocket.last.drop();
  assert.deepEqual(seen.map(([t]) => t), ['lost'], 'no token any more');
});

test('the token never leaves the client: not in events, storage, the console, or a dump', async () => {
  const leaks = [];
  const watch = (name) => (...args) => {
    if (args.some((a) => String(typeof a === 'object' ? JSON.stringify(a) : a).includes(TOKEN))) leaks.push(name);
  };
  const saved = {};
  for (const m of ['log', 'info', 'warn', 'error', 'debug', 'trace']) {
    saved[m] = console[m];
    console[m] = watch(`console.${m}`);
  }
  const storage = (name) => ({
    setItem: watch(`${name}.setItem`), getItem: () => null, removeItem: () => {}, clear: () => {}, key: () => null, length: 0,
  });
  for (const name of ['localStorage', 'sessionStorage']) {
    Object.defineProperty(globalThis, name, { value: storage(name), configurable: true, writable: true });
  }
  try {
    const h = client();
    const detail = [];
    for (const type of ['message', 'resumable', 'resuming', 'resumed', 'lost', 'chat_message']) {
      h.c.addEventListener(type, (e) => detail.push(JSON.stringify(e.detail)));
    }
    const opened = h.c.connect();
    const a = FakeSocket.last;
    a.open();
    await opened;
    a.receive({ v: 1, type: 'code', code: '4060R0GX', display: '4060 R0GX', expires_at: 9e12 });
    a.receive({ v: 1, type: 'sharer_joined', sharer: { name: 'Bob' }, client: 'agent' });
    a.receive({ v: 1, type: 'resumable', token: TOKEN });
    assert.equal(h.c.resumable, true);
    a.drop();
    FakeSocket.last.open();
    FakeSocket.last.receive({ v: 1, type: 'resumed', paused: false, peer_present: false });
    assert.ok(detail.length >= 4);
    assert.ok(detail.every((d) => !d.includes(TOKEN)), 'no event carries the token');
    // (The fake socket keeps what was sent: the resume message itself.)
    assert.ok(!JSON.stringify({ ...h.c, ws: null }).includes(TOKEN), 'not in a dump of the client');
    assert.ok(!Object.values(h.c).some((v) => String(v).includes(TOKEN)), 'not in a public field');
    assert.deepEqual(leaks, []);
    // It went to the broker, and only there.
    assert.equal(FakeSocket.last.sent[0].token, TOKEN);
  } finally {
    Object.assign(console, saved);
    delete globalThis.localStorage;
    delete globalThis.sessionStorage;
  }
});

test('peer_away and peer_back reach the UI as they are', async () => {
  const { c, a } = await inSession();
  const seen = events(c, 'peer_away', 'peer_back');
  a.receive({ v: 1, type: 'peer_away' });
  a.receive({ v: 1, type: 'peer_back' });
  assert.deepEqual(seen.map(([t]) => t), ['peer_away', 'peer_back']);
});

/**
 * The helper page's wiring, without the page: the broker client's events into the state
 * machine, and the status line's message id as app.js picks it.
 */
function helperPage(c) {
  const page = { state: initialHelper(), lost: false };
  for (const type of ['code', 'sharer_joined', 'consent_result', 'sharer_state', 'peer_left', 'ended',
    'resumed', 'peer_away', 'peer_back']) {
    c.addEventListener(type, (e) => { page.state = helperNext(page.state, e.detail); });
  }
  c.addEventListener('resuming', () => { page.state = helperNext(page.state, { type: 'resuming' }); });
  c.addEventListener('lost', () => { page.lost = true; page.state = helperNext(page.state, { type: 'lost' }); });
  page.status = () => (page.lost ? 'link-lost' : linkStatusId(page.state) || `helper-state-${page.state.phase}`);
  return page;
}

test('what the helper sees: reconnecting, then connected again; the sharer away, then back', async () => {
  const { c, a } = await inSession();
  const page = helperPage(c);
  page.state = helperNext(helperNext(helperNext(page.state, { type: 'code', code: 'X', expires_at: 9e12 }),
    { type: 'sharer_joined', sharer: { name: 'Bob' }, client: 'agent' }), { type: 'request', level: 'view' });
  a.receive({ v: 1, type: 'consent_result', id: 1, level: 'view', allow: true });
  assert.equal(page.status(), 'helper-state-connected');
  a.drop();
  assert.equal(page.status(), 'link-resuming');
  assert.equal(page.state.phase, 'connected', 'the picture stays');
  FakeSocket.last.open();
  FakeSocket.last.receive({ v: 1, type: 'resumed', level: 'view', paused: false, peer_present: true });
  assert.equal(page.status(), 'helper-state-connected');
  FakeSocket.last.receive({ v: 1, type: 'peer_away' });
  assert.equal(page.status(), 'peer-away');
  FakeSocket.last.receive({ v: 1, type: 'peer_back' });
  assert.equal(page.status(), 'helper-state-connected');
  // Away for good: the broker says so after 10 s.
  FakeSocket.last.receive({ v: 1, type: 'peer_away' });
  FakeSocket.last.receive({ v: 1, type: 'peer_left', reason: 'lost' });
  FakeSocket.last.receive({ v: 1, type: 'ended', reason: 'lost' });
  assert.equal(page.status(), 'helper-state-sharer_left');
  assert.equal(page.state.reason, 'lost');
});

test('what the helper sees when resuming fails: the link lost, as before', async () => {
  const { c, a } = await inSession();
  const page = helperPage(c);
  page.state = helperNext(helperNext(page.state, { type: 'code', code: 'X', expires_at: 9e12 }),
    { type: 'sharer_joined', sharer: { name: 'Bob' }, client: 'agent' });
  a.drop();
  assert.equal(page.status(), 'link-resuming');
  FakeSocket.last.open();
  FakeSocket.last.receive({ v: 1, type: 'ended', reason: 'lost' });
  assert.equal(page.status(), 'link-lost');
  assert.equal(page.state.phase, 'ended');
});

test('the sharer sees the same: its link reconnecting, the helper away', () => {
  let s = initialSharer();
  for (const e of [{ type: 'redeem' }, { type: 'joined', helper: { name: 'Ada' } }, { type: 'resuming' }]) s = sharerNext(s, e);
  assert.equal(linkStatusId(s), 'link-resuming');
  s = sharerNext(s, { type: 'resumed', peer_present: false });
  assert.equal(linkStatusId(s), 'peer-away');
  s = sharerNext(s, { type: 'peer_back' });
  assert.equal(linkStatusId(s), null);
});

test('both status lines are sentences in every language, the other side named', async () => {
  const l10n = new Localizer({ base: '', fetchText: (name) => readFile(new URL(`../i18n/${name}`, import.meta.url), 'utf8') });
  await l10n.setLanguage('en');
  assert.equal(l10n.format('link-resuming'), 'The connection to the server was interrupted. Reconnecting…');
  assert.equal(l10n.format('peer-away', { name: 'Bob' }),
    '\u2068Bob\u2069 lost their connection — waiting for them to come back…');
  for (const lang of LANGUAGES) {
    await l10n.setLanguage(lang);
    const resuming = l10n.format('link-resuming');
    const away = l10n.format('peer-away', { name: 'Zoë Ω' });
    assert.ok(resuming && resuming !== 'link-resuming', `${lang}: ${resuming}`);
    assert.ok(away.includes('Zoë Ω') && away !== 'peer-away', `${lang}: ${away}`);
    if (lang !== 'en') {
      assert.notEqual(resuming, 'The connection to the server was interrupted. Reconnecting…', `${lang}: translated`);
    }
  }
});
