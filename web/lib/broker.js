// BrokerClient: the browser's side of the help-session protocol (docs/session-protocol.md):
// HTTP sign-in (`/api/login`, `/api/logout`, `/api/me`) and the one WebSocket (`/api/ws`) that
// carries JSON messages with `"v":1`.
//
// No DOM: the UI listens to CustomEvents on the client, one per server message type, named as
// the type (`code`, `joined`, `sharer_joined`, `consent_request`, `consent_result`,
// `sharer_state`, `level_limited`, `signal`, `chat_message`, `resumable`, `resumed`,
// `peer_away`, `peer_back`, `peer_left`, `ended`, `error`, `pong`), with the message as
// `detail`; plus `open` when the socket is up, and for a socket that goes away without our
// asking (closed, or silent: see Liveness), detail `{code, reason}`:
//   - `resuming`: the session can be resumed (the broker sent `resumable`: several brokers),
//     and the client is on it (below). The UI keeps everything (the WebRTC peer is peer to
//     peer and carries on) and says it is reconnecting.
//   - `resumed` (detail: the broker's `resumed`, `{level, paused, peer_present}`): the session
//     goes on on a new socket. The missed chat lines follow as `chat_message`s.
//   - `lost`: the link is gone for good — there was nothing to resume (one broker, or no
//     session), or resuming failed (the session ended meanwhile, or 9 s passed). As before
//     resuming existed: the broker has ended the session; the UI decides what next.
//
// Resuming: `resumable` carries a secret token. It is kept in a private field, for this page's
// memory only: never stored, logged, or passed on in an event (`resumable` and `message` are
// emitted without it). A lost socket is followed by a new one to the same URL (the load
// balancer picks any broker; the sign-in cookie works on all of them), whose first message is
// `{"type":"resume","token":…,"chat_after":N}` (N: the last chat `seq` seen). `resumed`: that
// socket is the link now. `ended` (the session is gone): give up, `lost`. Anything else —
// `error` `busy`, a socket refused or closed, not open within ATTEMPT_MS, or open but silent
// for SILENCE_MS (it pings after `resume`, as the link does: the broker may take a while, e.g.
// a sharer waiting for the helper to carry the session on) — another attempt after RETRY_MS
// (300, 400, then every 500 ms), until RESUME_WINDOW_MS after the loss (the broker waits 10 s
// for a lost side). Messages sent meanwhile (`signal`, `state`, `leave`, …)
// are queued and go out, in order, right after `resumed`; they are dropped if it fails.
// Chat lines are counted by `seq`: one seen already (sent again after a resume) is dropped.
//
// Liveness: a `ping` every 500 ms; the broker answers `pong` and closes a link silent for
// 1.5 s. We watch the other way: nothing heard for SILENCE_MS (two pongs missed and a half),
// checked every CHECK_MS, closes the socket and counts as lost (resumed if it can be), so a
// dead network is noticed within 1.5 s of the last frame, not when TCP gives up.
//
// Everything the client touches outside itself (fetch, WebSocket, clock, timers) can be passed
// in, so node's test runner drives it with fakes.

export const PROTOCOL_VERSION = 1;
export const PING_MS = 500;
export const CHECK_MS = 250;
export const SILENCE_MS = 1250;
/** How long after a loss the session is tried again (the broker waits 10 s for it). */
export const RESUME_WINDOW_MS = 9000;
/** Pauses between resume attempts: the last one repeats. */
export const RETRY_MS = Object.freeze([300, 400, 500]);
/** An attempt whose socket is not open within this long is given up. */
export const ATTEMPT_MS = 2000;
/** Messages sent while resuming are queued, up to this many. */
export const MAX_QUEUED = 256;

/** Error codes of the protocol (each has an `error-<code>` message in the catalogues). */
export const ERROR_CODES = Object.freeze([
  'malformed', 'unsupported_version', 'too_large', 'not_allowed', 'code_invalid',
  'locked_out', 'busy', 'chat_disabled', 'chat_invalid', 'rate_limited', 'internal', 'forbidden',
]);

/** Message types the broker sends; each is emitted as an event of the same name. */
export const SERVER_TYPES = Object.freeze([
  'pong', 'error', 'code', 'joined', 'sharer_joined', 'consent_request', 'consent_result',
  'sharer_state', 'level_limited', 'ice_servers', 'signal', 'chat_message', 'resumable',
  'resumed', 'peer_away', 'peer_back', 'peer_left', 'ended',
]);

/** An HTTP call that failed: `status` (0: no answer at all) and the broker's `code`. */
export class BrokerError extends Error {
  constructor(status, code, message) {
    super(message || code || `HTTP ${status}`);
    this.name = 'BrokerError';
    this.status = status;
    this.code = code || (status === 0 ? 'network' : status === 401 ? 'unauthorized'
      : status === 403 ? 'forbidden' : status === 429 ? 'rate_limited' : 'internal');
  }
}

export class BrokerClient extends EventTarget {
  /**
   * @param {object} [o]
   * @param {string} [o.base] the broker's origin (default: the page's)
   * @param {Function} [o.fetch] @param {Function} [o.WebSocket]
   * @param {() => number} [o.now] wallclock in ms
   * @param {Function} [o.setInterval] @param {Function} [o.clearInterval]
   * @param {Function} [o.setTimeout] @param {Function} [o.clearTimeout]
   */
  constructor({
    base = globalThis.location?.origin,
    fetch = globalThis.fetch?.bind(globalThis),
    WebSocket = globalThis.WebSocket,
    now = () => Date.now(),
    setInterval = globalThis.setInterval.bind(globalThis),
    clearInterval = globalThis.clearInterval.bind(globalThis),
    setTimeout = globalThis.setTimeout.bind(globalThis),
    clearTimeout = globalThis.clearTimeout.bind(globalThis),
  } = {}) {
    super();
    this.base = base;
    this.fetchImpl = fetch;
    this.WebSocketImpl = WebSocket;
    this.now = now;
    this.timers = { setInterval, clearInterval, setTimeout, clearTimeout };
    this.csrf = null;
    this.card = null;
    this.mayViewReports = false; // `/api/me` says so: show the reports link (the API checks)
    // What an OIDC sign-in bound (lib/binding.js): the WebRTC certificate's fingerprint (SDP
    // form) and when the issuer's token expires (Unix s); null for local accounts.
    this.dtlsFingerprint = null;
    this.identityExpiresAt = null;
    this.ws = null;
    this.timer = null;
    this.lastHeard = 0;
    this.lastPing = 0;
    this.rttMs = null;
    this.rejected = 0; // frames from the broker we could not use
    this.resume = null; // while resuming: {since, detail, attempts, ws, watch, timer}
    this.chatSeen = new Set(); // the chat `seq`s of this session
    this.lastChatSeq = 0;
    this.duplicates = 0; // chat lines dropped as seen already
  }

  // The `resumable` token (a secret: memory only) and what is sent while resuming.
  #token = null;
  #queue = [];

  /** Whether a lost socket would be resumed (the broker sent `resumable` for this session). */
  get resumable() {
    return this.#token !== null;
  }

  /** Whether the client is resuming the session on a new socket. */
  get resuming() {
    return this.resume !== null;
  }

  /** URL of the WebSocket: `ws(s)://<broker>/api/ws`. */
  get socketUrl() {
    const url = new URL('/api/ws', this.base);
    url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
    return url.href;
  }

  // ---- HTTP ------------------------------------------------------------------------------

  async http(method, path, body, headers = {}) {
    let response;
    try {
      response = await this.fetchImpl(new URL(path, this.base).href, {
        method,
        credentials: 'same-origin',
        headers: body === undefined ? headers : { ...headers, 'Content-Type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    } catch (e) {
      throw new BrokerError(0, 'network', String(e?.message || e));
    }
    let data = null;
    if (response.status !== 204) {
      try { data = await response.json(); } catch { data = null; }
    }
    if (!response.ok) throw new BrokerError(response.status, data?.error, data?.message);
    return data;
  }

  /** Signs in; resolves to the user's card. Rejects with a BrokerError (401: bad credentials). */
  async login(username, password) {
    const data = await this.http('POST', '/api/login', { username, password });
    this.signedIn(data);
    return this.card;
  }

  /** Keeps what a sign-in answer (`/api/login`, `/api/me`) says. */
  signedIn(data) {
    this.csrf = data?.csrf ?? null;
    this.card = data?.card ?? null;
    this.mayViewReports = data?.may_view_reports === true;
    this.dtlsFingerprint = typeof data?.dtls_fingerprint === 'string' ? data.dtls_fingerprint : null;
    this.identityExpiresAt = Number.isFinite(data?.identity_expires_at) ? data.identity_expires_at : null;
  }

  /**
   * How one may sign in: `{local, providers: [{id, name}]}` (OIDC issuers). A provider's
   * sign-in is a navigation to `startUrl(id, app)`: the broker, the issuer and back, ending
   * with the session cookie; no token ever reaches this page.
   */
  async providers() {
    try {
      const data = await this.http('GET', '/api/auth/providers');
      const providers = Array.isArray(data?.providers) ? data.providers.filter(
        (p) => typeof p?.id === 'string' && /^[a-z0-9-]{1,32}$/.test(p.id) && typeof p?.name === 'string',
      ) : [];
      return { local: data?.local !== false, providers };
    } catch {
      return { local: true, providers: [] };
    }
  }

  /**
   * Where a provider's sign-in starts, for app `helper` or `sharer`. The helper binds its
   * WebRTC certificate: `dtls` is its fingerprint in SDP form (`sha-256 AB:…`).
   */
  startUrl(id, app, dtls = null) {
    const url = new URL(`/auth/oidc/${encodeURIComponent(id)}/start`, this.base);
    const helper = app !== 'sharer';
    url.searchParams.set('app', helper ? 'helper' : 'sharer');
    if (helper && dtls) url.searchParams.set('dtls', dtls);
    return url.href;
  }

  /** The signed-in user's card, or null when not signed in. */
  async me() {
    try {
      const data = await this.http('GET', '/api/me');
      this.signedIn(data);
      return this.card;
    } catch (e) {
      if (e instanceof BrokerError && e.status === 401) return null;
      throw e;
    }
  }

  /** Signs out (and closes the socket first: the session ends with it). */
  async logout() {
    this.close();
    const headers = this.csrf ? { 'X-CSRF-Token': this.csrf } : {};
    try {
      await this.http('POST', '/api/logout', undefined, headers);
    } finally {
      this.signedIn(null);
    }
  }

  // ---- WebSocket -------------------------------------------------------------------------

  /** Whether the socket is open (not while resuming). */
  get connected() {
    return this.ws !== null && this.ws.readyState === 1;
  }

  /**
   * Opens a socket for a new session (any other is closed, a resume given up); resolves when
   * it is open, rejects if it closes first.
   */
  connect() {
    this.close();
    const ws = new this.WebSocketImpl(this.socketUrl);
    this.ws = ws;
    return new Promise((resolve, reject) => {
      let opened = false;
      ws.onopen = () => {
        if (ws !== this.ws) return;
        opened = true;
        this.live(ws);
        this.emit('open', {});
        resolve();
      };
      ws.onmessage = (event) => { if (ws === this.ws) this.receive(event.data); };
      ws.onclose = (event) => {
        if (ws !== this.ws) return;
        this.dropped({ code: event?.code ?? 1006, reason: event?.reason || '' });
        if (!opened) reject(new BrokerError(0, 'network', 'the connection was refused'));
      };
      ws.onerror = () => {}; // a close follows
    });
  }

  /** `ws` (open) is the link: heartbeat from now on. */
  live(ws) {
    this.ws = ws;
    this.lastHeard = this.now();
    this.timer = this.timers.setInterval(() => this.tick(), CHECK_MS);
    this.ping();
  }

  /**
   * Closes the socket on purpose (no `lost` event): the session, as far as this client goes,
   * is over: a resume under way stops, the token is forgotten.
   */
  close() {
    this.stopResume();
    this.forget();
    this.detach();
  }

  /** Forgets this session: its token, what was queued, its chat lines. */
  forget() {
    this.#token = null;
    this.#queue = [];
    this.chatSeen.clear();
    this.lastChatSeq = 0;
  }

  /** Closes the socket, quietly. */
  detach() {
    const ws = this.ws;
    this.stopTimer();
    this.ws = null;
    if (ws) shut(ws);
  }

  stopTimer() {
    if (this.timer !== null) this.timers.clearInterval(this.timer);
    this.timer = null;
  }

  /** The socket went away without our asking: resume the session if it can be, else `lost`. */
  dropped(detail) {
    const ws = this.ws;
    this.detach();
    if (!ws) return;
    if (this.#token === null) {
      this.emit('lost', detail);
      return;
    }
    this.resume = { since: this.now(), detail, attempts: 0, ws: null, watch: null, timer: null };
    this.emit('resuming', detail);
    this.attempt();
  }

  // ---- Resuming ----------------------------------------------------------------------------

  /** One attempt: a new socket whose first message is `resume`. */
  attempt() {
    const r = this.resume;
    if (!r) return;
    r.timer = null;
    if (this.now() - r.since >= RESUME_WINDOW_MS) {
      this.giveUp();
      return;
    }
    r.attempts++;
    let ws;
    try {
      ws = new this.WebSocketImpl(this.socketUrl);
    } catch {
      this.retry();
      return;
    }
    const at = { ws, started: this.now(), open: false, heard: 0, pinged: 0 };
    r.ws = ws;
    r.watch = this.timers.setInterval(() => this.watchAttempt(r, at), CHECK_MS);
    ws.onopen = () => {
      if (r.ws !== ws || this.resume !== r) return;
      at.open = true;
      at.heard = this.now();
      ws.send(JSON.stringify({
        v: PROTOCOL_VERSION, type: 'resume', token: this.#token, chat_after: this.lastChatSeq,
      }));
      this.attemptPing(at);
    };
    ws.onmessage = (event) => {
      if (r.ws !== ws || this.resume !== r) return;
      at.heard = this.now();
      this.answer(ws, event.data);
    };
    ws.onclose = () => { if (r.ws === ws && this.resume === r) this.retry(); };
    ws.onerror = () => {}; // a close follows
  }

  /** An attempt's clock: the window, a socket that does not open, silence; pings. */
  watchAttempt(r, at) {
    if (this.resume !== r || r.ws !== at.ws) return;
    const now = this.now();
    if (now - r.since >= RESUME_WINDOW_MS) {
      this.giveUp();
    } else if (at.open ? now - at.heard > SILENCE_MS : now - at.started > ATTEMPT_MS) {
      this.retry();
    } else if (at.open && now - at.pinged >= PING_MS) {
      this.attemptPing(at);
    }
  }

  attemptPing(at) {
    at.pinged = this.now();
    at.ws.send(JSON.stringify({ v: PROTOCOL_VERSION, type: 'ping', t: at.pinged }));
  }

  /** A frame on a socket that sent `resume`. */
  answer(ws, data) {
    const msg = parse(data);
    if (!msg) {
      this.rejected++;
      return;
    }
    if (msg.type === 'resumed') {
      this.stopResume(false);
      ws.onmessage = (event) => { if (ws === this.ws) this.receive(event.data); };
      ws.onclose = (event) => {
        if (ws === this.ws) this.dropped({ code: event?.code ?? 1006, reason: event?.reason || '' });
      };
      this.live(ws);
      const queued = this.#queue;
      this.#queue = [];
      for (const m of queued) this.send(m);
      this.emit('message', msg);
      this.emit('resumed', msg);
    } else if (msg.type === 'ended') {
      this.giveUp(); // the session is gone
    } else if (msg.type === 'error') {
      this.retry(); // `busy`: the shared store is away; anything else: a fresh try
    }
    // `pong` and the like: still waiting for the answer.
  }

  /** This attempt failed: another after a pause, if the window allows. */
  retry() {
    const r = this.resume;
    if (!r) return;
    this.clearAttempt(r);
    const delay = RETRY_MS[Math.min(r.attempts - 1, RETRY_MS.length - 1)];
    if (this.now() - r.since + delay >= RESUME_WINDOW_MS) {
      this.giveUp();
      return;
    }
    r.timer = this.timers.setTimeout(() => { if (this.resume === r) this.attempt(); }, delay);
  }

  clearAttempt(r) {
    if (r.watch !== null) this.timers.clearInterval(r.watch);
    if (r.timer !== null) this.timers.clearTimeout(r.timer);
    r.watch = r.timer = null;
    if (r.ws) shut(r.ws);
    r.ws = null;
  }

  /**
   * Stops resuming; `closeSocket` false keeps the attempt's socket (it resumed: it is the link
   * now).
   */
  stopResume(closeSocket = true) {
    const r = this.resume;
    if (!r) return;
    this.resume = null;
    if (r.watch !== null) this.timers.clearInterval(r.watch);
    if (r.timer !== null) this.timers.clearTimeout(r.timer);
    r.watch = r.timer = null;
    if (closeSocket && r.ws) shut(r.ws);
    r.ws = null;
  }

  /** Resuming failed: the link is lost, as without a token. */
  giveUp() {
    const r = this.resume;
    if (!r) return;
    this.stopResume();
    this.forget();
    this.emit('lost', r.detail);
  }

  // ---- Frames ------------------------------------------------------------------------------

  tick() {
    if (this.now() - this.lastHeard > SILENCE_MS) {
      this.dropped({ code: 4000, reason: 'silent' });
      return;
    }
    if (this.now() - this.lastPing >= PING_MS) this.ping();
  }

  ping() {
    this.lastPing = this.now();
    this.send({ type: 'ping', t: this.lastPing });
  }

  receive(data) {
    this.lastHeard = this.now();
    let msg = parse(data);
    if (!msg) {
      this.rejected++;
      return;
    }
    switch (msg.type) {
      case 'pong':
        if (typeof msg.t === 'number') this.rttMs = this.now() - msg.t;
        break;
      case 'resumable':
        // The secret stays here: the UI only learns that the session can be resumed.
        if (typeof msg.token !== 'string' || !msg.token) {
          this.rejected++;
          return;
        }
        this.#token = msg.token;
        msg = { v: msg.v, type: 'resumable' };
        break;
      case 'chat_message':
        if (typeof msg.seq === 'number') {
          if (this.chatSeen.has(msg.seq)) {
            this.duplicates++;
            return;
          }
          this.chatSeen.add(msg.seq);
          this.lastChatSeq = Math.max(this.lastChatSeq, msg.seq);
        }
        break;
      case 'code':
      case 'joined':
        this.forget(); // a new session
        break;
      case 'ended':
        this.forget(); // nothing about that session follows
        break;
      default:
    }
    this.emit('message', msg);
    this.emit(msg.type, msg);
  }

  emit(type, detail) {
    this.dispatchEvent(new CustomEvent(type, { detail }));
  }

  /**
   * Sends one message (`v` added). While resuming it is queued for the new socket (true);
   * false when there is no link (or the queue is full).
   */
  send(message) {
    if (this.resume) {
      if (message.type === 'ping' || this.#queue.length >= MAX_QUEUED) return false;
      this.#queue.push(message);
      return true;
    }
    if (!this.connected) return false;
    this.ws.send(JSON.stringify({ v: PROTOCOL_VERSION, ...message }));
    return true;
  }

  // ---- Messages (docs/session-protocol.md, "Session") -------------------------------------

  createCode() { return this.send({ type: 'create_code' }); }

  redeem(code, client = 'web') { return this.send({ type: 'redeem', code, client }); }

  request(level) { return this.send({ type: 'request', level }); }

  consent(id, allow) { return this.send({ type: 'consent', id, allow: Boolean(allow) }); }

  state(level, paused) { return this.send({ type: 'state', level, paused: Boolean(paused) }); }

  /** `{sdp: {type, sdp}}` or `{candidate: {candidate, sdpMid, sdpMLineIndex}}`. */
  signal(payload) { return this.send({ type: 'signal', ...payload }); }

  chat(text) { return this.send({ type: 'chat', text }); }

  leave() { return this.send({ type: 'leave' }); }
}

/** A server frame, checked: the message, or null when it is not one we can use. */
function parse(data) {
  let msg;
  try {
    msg = typeof data === 'string' ? JSON.parse(data) : null;
  } catch {
    return null;
  }
  if (!msg || typeof msg !== 'object' || msg.v !== PROTOCOL_VERSION
    || typeof msg.type !== 'string' || !SERVER_TYPES.includes(msg.type)) return null;
  return msg;
}

/** Closes a socket without hearing from it again. */
function shut(ws) {
  ws.onopen = ws.onmessage = ws.onclose = ws.onerror = null;
  try { ws.close(1000); } catch { /* already closed */ }
}
