// BrokerClient: the browser's side of the help-session protocol (docs/session-protocol.md):
// HTTP sign-in (`/api/login`, `/api/logout`, `/api/me`) and the one WebSocket (`/api/ws`) that
// carries JSON messages with `"v":1`.
//
// No DOM: the UI listens to CustomEvents on the client, one per server message type, named as
// the type (`code`, `joined`, `sharer_joined`, `consent_request`, `consent_result`,
// `sharer_state`, `level_limited`, `signal`, `chat_message`, `peer_left`, `ended`, `error`,
// `pong`), with the message as `detail`; plus `open` when the socket is up and `lost` when it
// goes away without our asking (detail `{code, reason}`). There is no automatic reconnect: the
// broker ends the session when the link drops, so a lost socket is reported and the UI decides.
//
// Liveness: a `ping` every 500 ms; the broker answers `pong` and closes a link silent for
// 1.5 s. We watch the other way: nothing heard for SILENCE_MS (two pongs missed and a half),
// checked every CHECK_MS, closes the socket and reports `lost`, so a dead network is noticed
// within 1.5 s of the last frame, not when TCP gives up.
//
// Everything the client touches outside itself (fetch, WebSocket, clock, timers) can be passed
// in, so node's test runner drives it with fakes.

export const PROTOCOL_VERSION = 1;
export const PING_MS = 500;
export const CHECK_MS = 250;
export const SILENCE_MS = 1250;

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
   */
  constructor({
    base = globalThis.location?.origin,
    fetch = globalThis.fetch?.bind(globalThis),
    WebSocket = globalThis.WebSocket,
    now = () => Date.now(),
    setInterval = globalThis.setInterval.bind(globalThis),
    clearInterval = globalThis.clearInterval.bind(globalThis),
  } = {}) {
    super();
    this.base = base;
    this.fetchImpl = fetch;
    this.WebSocketImpl = WebSocket;
    this.now = now;
    this.timers = { setInterval, clearInterval };
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

  /** Whether the socket is open. */
  get connected() {
    return this.ws !== null && this.ws.readyState === 1;
  }

  /** Opens the socket; resolves when it is open, rejects if it closes first. */
  connect() {
    this.close();
    const ws = new this.WebSocketImpl(this.socketUrl);
    this.ws = ws;
    return new Promise((resolve, reject) => {
      let opened = false;
      ws.onopen = () => {
        if (ws !== this.ws) return;
        opened = true;
        this.lastHeard = this.now();
        this.timer = this.timers.setInterval(() => this.tick(), CHECK_MS);
        this.ping();
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

  /** Closes the socket on purpose (no `lost` event). */
  close() {
    const ws = this.ws;
    this.stopTimer();
    this.ws = null;
    if (ws) {
      ws.onopen = ws.onmessage = ws.onclose = ws.onerror = null;
      try { ws.close(1000); } catch { /* already closed */ }
    }
  }

  stopTimer() {
    if (this.timer !== null) this.timers.clearInterval(this.timer);
    this.timer = null;
  }

  dropped(detail) {
    const ws = this.ws;
    this.close();
    if (ws) this.emit('lost', detail);
  }

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
    let msg;
    try {
      msg = typeof data === 'string' ? JSON.parse(data) : null;
    } catch {
      msg = null;
    }
    if (!msg || typeof msg !== 'object' || msg.v !== PROTOCOL_VERSION
      || typeof msg.type !== 'string' || !SERVER_TYPES.includes(msg.type)) {
      this.rejected++;
      return;
    }
    if (msg.type === 'pong' && typeof msg.t === 'number') this.rttMs = this.now() - msg.t;
    this.emit('message', msg);
    this.emit(msg.type, msg);
  }

  emit(type, detail) {
    this.dispatchEvent(new CustomEvent(type, { detail }));
  }

  /** Sends one message (`v` added). False when the socket is not open. */
  send(message) {
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
