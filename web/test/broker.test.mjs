import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  BrokerClient, BrokerError, CHECK_MS, PING_MS, SILENCE_MS,
} from '../lib/broker.js';

class FakeSocket {
  static last = null;
  constructor(url) {
    this.url = url;
    this.readyState = 0;
    this.sent = [];
    FakeSocket.last = this;
  }
  send(data) { this.sent.push(JSON.parse(data)); }
  close() { this.readyState = 3; }
  open() { this.readyState = 1; this.onopen?.(); }
  receive(obj) { this.onmessage?.({ data: typeof obj === 'string' ? obj : JSON.stringify(obj) }); }
  drop(code = 1006) { this.readyState = 3; this.onclose?.({ code, reason: '' }); }
}

function client({ fetch } = {}) {
  const clock = { now: 1000 };
  const timers = [];
  const c = new BrokerClient({
    base: 'https://glass.example',
    fetch,
    WebSocket: FakeSocket,
    now: () => clock.now,
    setInterval: (fn, ms) => { timers.push({ fn, ms }); return timers.length; },
    clearInterval: (id) => { if (timers[id - 1]) timers[id - 1].fn = null; },
  });
  const advance = (ms) => {
    for (let t = 0; t < ms; t += CHECK_MS) {
      clock.now += CHECK_MS;
      for (const timer of timers) timer.fn?.();
    }
  };
  return { c, clock, advance };
}

function events(target, ...types) {
  const seen = [];
  for (const type of types) target.addEventListener(type, (e) => seen.push([type, e.detail]));
  return seen;
}

test('socket URL, v:1 on every message, ping on open and every 500 ms', async () => {
  const { c, advance } = client();
  assert.equal(c.socketUrl, 'wss://glass.example/api/ws');
  const opened = c.connect();
  const ws = FakeSocket.last;
  ws.open();
  await opened;
  assert.deepEqual(ws.sent[0], { v: 1, type: 'ping', t: 1000 });
  ws.receive({ v: 1, type: 'pong', t: 1000 });
  advance(PING_MS);
  assert.equal(ws.sent.filter((m) => m.type === 'ping').length, 2);
  assert.ok(c.createCode());
  assert.ok(c.redeem('4060R0GX'));
  assert.ok(c.request('full'));
  assert.ok(c.consent(3, true));
  assert.ok(c.state('view', true));
  assert.ok(c.signal({ sdp: { type: 'offer', sdp: 'v=0' } }));
  assert.ok(c.chat('hi'));
  assert.ok(c.leave());
  assert.deepEqual(ws.sent.slice(2), [
    { v: 1, type: 'create_code' },
    { v: 1, type: 'redeem', code: '4060R0GX', client: 'web' },
    { v: 1, type: 'request', level: 'full' },
    { v: 1, type: 'consent', id: 3, allow: true },
    { v: 1, type: 'state', level: 'view', paused: true },
    { v: 1, type: 'signal', sdp: { type: 'offer', sdp: 'v=0' } },
    { v: 1, type: 'chat', text: 'hi' },
    { v: 1, type: 'leave' },
  ]);
});

test('one CustomEvent per server message type; bad frames are counted, not emitted', async () => {
  const { c } = client();
  const seen = events(c, 'code', 'sharer_joined', 'error', 'chat_message');
  const opened = c.connect();
  FakeSocket.last.open();
  await opened;
  const ws = FakeSocket.last;
  ws.receive({ v: 1, type: 'code', code: '4060R0GX', display: '4060 R0GX', expires_at: 5 });
  ws.receive({ v: 1, type: 'sharer_joined', sharer: { name: 'Bob' }, client: 'web' });
  ws.receive({ v: 1, type: 'error', code: 'code_invalid', message: 'no' });
  ws.receive({ v: 2, type: 'code' });
  ws.receive({ v: 1, type: 'surprise' });
  ws.receive('not json');
  assert.deepEqual(seen.map(([t]) => t), ['code', 'sharer_joined', 'error']);
  assert.equal(seen[0][1].display, '4060 R0GX');
  assert.equal(c.rejected, 3);
});

test('the policy messages reach the UI: level_limited, forbidden with its sentence', async () => {
  const { c } = client();
  const seen = events(c, 'level_limited', 'error', 'sharer_joined');
  const opened = c.connect();
  FakeSocket.last.open();
  await opened;
  const ws = FakeSocket.last;
  ws.receive({
    v: 1, type: 'sharer_joined', sharer: { name: 'Bob' }, client: 'agent',
    warnings: [{ kind: 'device_not_enrolled' }], max_level: 'view',
  });
  ws.receive({ v: 1, type: 'level_limited', level: 'view' });
  ws.receive({ v: 1, type: 'error', code: 'forbidden', message: 'Offer help from the office network.' });
  assert.deepEqual(seen.map(([t]) => t), ['sharer_joined', 'level_limited', 'error']);
  assert.equal(seen[0][1].max_level, 'view');
  assert.equal(seen[1][1].level, 'view');
  assert.equal(seen[2][1].message, 'Offer help from the office network.');
  assert.equal(c.rejected, 0);
});

test('a dropped socket is reported once as lost; no reconnect', async () => {
  const { c } = client();
  const seen = events(c, 'lost');
  const opened = c.connect();
  const ws = FakeSocket.last;
  ws.open();
  await opened;
  ws.drop(1006);
  assert.deepEqual(seen, [['lost', { code: 1006, reason: '' }]]);
  assert.equal(c.connected, false);
  assert.equal(FakeSocket.last, ws, 'no new socket');
  assert.equal(c.send({ type: 'leave' }), false);
});

test('silence is reported as lost within 1.5 s of the last frame', async () => {
  const { c, advance } = client();
  const seen = events(c, 'lost');
  const opened = c.connect();
  FakeSocket.last.open();
  await opened;
  advance(1000);
  FakeSocket.last.receive({ v: 1, type: 'pong', t: 0 }); // heard at 2000
  advance(1250);
  assert.equal(seen.length, 0, 'not before SILENCE_MS');
  advance(250);
  assert.equal(seen.length, 1);
  assert.equal(seen[0][1].reason, 'silent');
  const pings = FakeSocket.last.sent.filter((m) => m.type === 'ping').length;
  assert.equal(pings, 5, 'one ping on open, then one every 500 ms (1500, 2000, 2500, 3000)');
});

test('closing on purpose is not a loss', async () => {
  const { c } = client();
  const seen = events(c, 'lost');
  const opened = c.connect();
  FakeSocket.last.open();
  await opened;
  c.close();
  assert.equal(seen.length, 0);
});

test('a refused socket rejects connect and reports lost', async () => {
  const { c } = client();
  const seen = events(c, 'lost');
  const opened = c.connect();
  FakeSocket.last.drop(1006);
  await assert.rejects(opened, BrokerError);
  assert.equal(seen.length, 1);
});

function fakeFetch(routes) {
  const calls = [];
  const fn = async (url, init) => {
    calls.push({ url, init });
    const answer = routes[`${init.method} ${new URL(url).pathname}`];
    if (!answer) throw new TypeError('network');
    return {
      status: answer.status,
      ok: answer.status >= 200 && answer.status < 300,
      json: async () => answer.body,
    };
  };
  return { fn, calls };
}

test('login keeps the CSRF token and sends it on logout; me() is null on 401', async () => {
  const card = { name: 'Ada' };
  const { fn, calls } = fakeFetch({
    'POST /api/login': { status: 200, body: { card, csrf: 'tok' } },
    'POST /api/logout': { status: 204 },
    'GET /api/me': { status: 401, body: { error: 'unauthorized', message: 'no' } },
  });
  const { c } = client({ fetch: fn });
  assert.deepEqual(await c.login('ada', 'pw'), card);
  assert.equal(calls[0].url, 'https://glass.example/api/login');
  assert.deepEqual(JSON.parse(calls[0].init.body), { username: 'ada', password: 'pw' });
  assert.equal(calls[0].init.credentials, 'same-origin');
  await c.logout();
  assert.equal(calls[1].init.headers['X-CSRF-Token'], 'tok');
  assert.equal(await c.me(), null);
});

test('mayViewReports follows /api/me and /api/login, only for a literal true, and goes at sign-out', async () => {
  const card = { name: 'Eve' };
  let me = { card, csrf: 't', may_view_reports: true };
  const fn = async (url, init) => {
    const path = `${init.method} ${new URL(url).pathname}`;
    const body = path === 'GET /api/me' ? me : path === 'POST /api/login' ? { card, csrf: 't', may_view_reports: 'yes' } : null;
    return { status: body ? 200 : 204, ok: true, json: async () => body };
  };
  const { c } = client({ fetch: fn });
  assert.equal(c.mayViewReports, false);
  await c.me();
  assert.equal(c.mayViewReports, true);
  await c.logout();
  assert.equal(c.mayViewReports, false);
  await c.login('eve', 'pw');
  assert.equal(c.mayViewReports, false, 'not a boolean true');
  me = { card, csrf: 't' };
  await c.me();
  assert.equal(c.mayViewReports, false);
});

test('HTTP errors carry status and code; no answer is status 0', async () => {
  const { fn } = fakeFetch({
    'POST /api/login': { status: 429, body: { error: 'rate_limited', message: 'slow down' } },
  });
  const { c } = client({ fetch: fn });
  await assert.rejects(c.login('a', 'b'), (e) => e instanceof BrokerError && e.status === 429 && e.code === 'rate_limited');
  await assert.rejects(c.me(), (e) => e.status === 0 && e.code === 'network');
});

test('silence is noticed within the 2 s the protocol promises', () => {
  assert.ok(SILENCE_MS + CHECK_MS <= 1500);
  assert.equal(PING_MS, 500);
});

test('providers: OIDC issuers with a start URL per app; junk ids dropped; failure → local only', async () => {
  const answers = [
    { local: false, providers: [{ id: 'entra', name: 'Contoso' }, { id: '../x', name: 'Evil' }, { id: 'k' }] },
  ];
  const fetch = async (url) => {
    assert.equal(url, 'https://glass.example/api/auth/providers');
    const body = answers.shift();
    if (!body) throw new Error('offline');
    return { ok: true, status: 200, json: async () => body };
  };
  const { c } = client({ fetch });
  assert.deepEqual(await c.providers(), { local: false, providers: [{ id: 'entra', name: 'Contoso' }] });
  assert.equal(c.startUrl('entra', 'sharer'), 'https://glass.example/auth/oidc/entra/start?app=sharer');
  assert.equal(c.startUrl('entra', 'other'), 'https://glass.example/auth/oidc/entra/start?app=helper');
  assert.deepEqual(await c.providers(), { local: true, providers: [] });
});

test('the helper binds its certificate in the start URL; the sharer never does', () => {
  const { c } = client();
  const fp = 'sha-256 AB:CD:EF';
  const url = new URL(c.startUrl('entra', 'helper', fp));
  assert.equal(url.pathname, '/auth/oidc/entra/start');
  assert.equal(url.searchParams.get('app'), 'helper');
  assert.equal(url.searchParams.get('dtls'), fp, 'decodes back to the SDP form');
  assert.ok(!url.search.includes(':'), 'colons and the space are encoded');
  assert.equal(c.startUrl('entra', 'sharer', fp), 'https://glass.example/auth/oidc/entra/start?app=sharer');
  assert.equal(c.startUrl('entra', 'helper', null), 'https://glass.example/auth/oidc/entra/start?app=helper');
});

test('what the sign-in bound follows /api/me, and goes at sign-out', async () => {
  let me = { card: { name: 'Ada' }, csrf: 't', dtls_fingerprint: 'sha-256 AB', identity_expires_at: 1700000000 };
  const fn = async (url, init) => {
    const body = init.method === 'GET' ? me : null;
    return { status: body ? 200 : 204, ok: true, json: async () => body };
  };
  const { c } = client({ fetch: fn });
  assert.equal(c.dtlsFingerprint, null);
  await c.me();
  assert.equal(c.dtlsFingerprint, 'sha-256 AB');
  assert.equal(c.identityExpiresAt, 1700000000);
  await c.logout();
  assert.equal(c.dtlsFingerprint, null);
  assert.equal(c.identityExpiresAt, null);
  me = { card: { name: 'Ada' }, csrf: 't', identity_expires_at: 'soon' };
  await c.me();
  assert.equal(c.dtlsFingerprint, null, 'a local account binds nothing');
  assert.equal(c.identityExpiresAt, null, 'not a number');
});
