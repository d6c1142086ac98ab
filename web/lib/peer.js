// The WebRTC connection between helper and sharer, signalled through the broker
// (docs/session-protocol.md: the helper offers, the sharer answers) and speaking the control
// protocol of docs/protocol.md on the `control` data channel. No DOM: the UI gives it the
// video track (sharer) or an input module (helper) and listens to CustomEvents:
//
//   signal   detail {sdp} or {candidate}: send it to the broker as `signal`
//   track    detail MediaStream (helper): show it
//   state    detail RTCPeerConnection.connectionState
//   control  detail 'view' | 'full' (helper): the sharer's word on what this helper may do
//   bye      detail reason: the other side closed the session on the control channel
//   stats    detail the sharer's `stats` message (helper)
//   displays detail the sharer's screens and the one shown (helper; `displaysFrom`)
//   clipboard detail text the sharer copied (helper; only with full control, if allowed)

import { decodeClipboardMessage, encodeClipboardText } from './clipboard.js';

export const CONTROL_VERSION = 1;
export const PING_MS = 500;

/** Codec capabilities with H.264 first (packetization-mode=1, constrained baseline first). */
export function h264First(codecs) {
  const score = (c) => {
    const mime = (c.mimeType || '').toLowerCase();
    if (mime !== 'video/h264') return 0;
    const fmtp = c.sdpFmtpLine || '';
    let s = 10;
    if (/packetization-mode=1/.test(fmtp)) s += 4;
    if (/profile-level-id=42e0/i.test(fmtp)) s += 2;
    else if (/profile-level-id=4200/i.test(fmtp)) s += 1;
    return s;
  };
  // Stable: everything else (VP8, VP9, AV1, rtx, red, ulpfec) keeps its order after H.264.
  return codecs.map((c, i) => [c, i]).sort((a, b) => score(b[0]) - score(a[0]) || a[1] - b[1])
    .map(([c]) => c);
}

/** Prefers H.264 on a transceiver where the browser allows it; silently does nothing elsewhere. */
export function preferH264(transceiver, Capabilities) {
  try {
    if (!transceiver.setCodecPreferences || !Capabilities?.getCapabilities) return false;
    const caps = Capabilities.getCapabilities('video');
    if (!caps?.codecs?.some((c) => c.mimeType.toLowerCase() === 'video/h264')) return false;
    transceiver.setCodecPreferences(h264First(caps.codecs));
    return true;
  } catch {
    return false;
  }
}

function tuneReceiver(receiver) {
  // Lowest latency: render each frame at once (as web/viewer.js does).
  try { if ('jitterBufferTarget' in receiver) receiver.jitterBufferTarget = 0; } catch { /* old browser */ }
  try { receiver.playoutDelayHint = 0; } catch { /* not Chromium */ }
}

/**
 * The relays of an `ice_servers` message as `RTCPeerConnection` takes them: only `stun:`,
 * `turn:` and `turns:` URLs, string credentials, at most 8 servers of 8 URLs; `relay_only`
 * becomes `iceTransportPolicy: 'relay'`. Anything else is dropped, never thrown.
 */
export function iceConfigFrom(msg) {
  const servers = Array.isArray(msg?.ice_servers) ? msg.ice_servers.slice(0, 8) : [];
  const iceServers = [];
  for (const s of servers) {
    const urls = (Array.isArray(s?.urls) ? s.urls : [])
      .filter((u) => typeof u === 'string' && /^(stun|turns?):[^\s]{1,255}$/.test(u))
      .slice(0, 8);
    if (!urls.length) continue;
    const server = { urls };
    if (typeof s.username === 'string' && typeof s.credential === 'string') {
      server.username = s.username;
      server.credential = s.credential;
    }
    iceServers.push(server);
  }
  const relay = msg?.relay_only === true && iceServers.some((s) => s.urls.some((u) => u.startsWith('turn')));
  return { iceServers, iceTransportPolicy: relay ? 'relay' : 'all' };
}

/**
 * The candidate pair in use, from `getStats()`: the local candidate's type (`host`, `srflx`,
 * `relay`, …), the relay's URL and protocol for a relayed one, and the bytes received on it.
 */
export async function selectedPair(pc) {
  if (!pc) return null;
  const stats = await pc.getStats();
  let pair = null;
  stats.forEach((r) => {
    if (r.type === 'transport' && r.selectedCandidatePairId) pair = stats.get(r.selectedCandidatePairId);
  });
  if (!pair) stats.forEach((r) => { if (r.type === 'candidate-pair' && r.nominated && r.state === 'succeeded') pair = r; });
  const local = pair && stats.get(pair.localCandidateId);
  if (!local) return null;
  return {
    type: local.candidateType,
    url: local.url ?? null,
    relayProtocol: local.relayProtocol ?? null,
    bytesReceived: pair.bytesReceived ?? 0,
  };
}

class Peer extends EventTarget {
  /**
   * `certificates`: the helper's bound RTCCertificate (lib/binding.js), so the offer's
   * `a=fingerprint` is the one its sign-in vouches for; empty: the browser makes one.
   */
  constructor({
    RTCPeerConnection = globalThis.RTCPeerConnection, iceServers = [], iceTransportPolicy = 'all',
    certificates = [],
  } = {}) {
    super();
    this.RTCPeerConnectionImpl = RTCPeerConnection;
    this.iceServers = iceServers;
    this.iceTransportPolicy = iceTransportPolicy === 'relay' ? 'relay' : 'all';
    this.certificates = certificates;
    this.pc = null;
    this.control = null;
    this.pendingCandidates = [];
    this.closed = false;
  }

  emit(type, detail) {
    this.dispatchEvent(new CustomEvent(type, { detail }));
  }

  createPc() {
    const config = {
      bundlePolicy: 'max-bundle', iceServers: this.iceServers, iceTransportPolicy: this.iceTransportPolicy,
    };
    if (this.certificates.length) config.certificates = this.certificates;
    const pc = new this.RTCPeerConnectionImpl(config);
    this.pc = pc;
    pc.onicecandidate = (e) => {
      if (e.candidate && !this.closed) this.emit('signal', { candidate: e.candidate.toJSON() });
    };
    pc.onconnectionstatechange = () => { if (!this.closed) this.emit('state', pc.connectionState); };
    return pc;
  }

  async addRemoteCandidates() {
    const queued = this.pendingCandidates;
    this.pendingCandidates = [];
    for (const c of queued) {
      try { await this.pc.addIceCandidate(c); } catch { /* a stale or bad candidate */ }
    }
  }

  async handleCandidate(candidate) {
    if (!this.pc || !this.pc.remoteDescription) {
      this.pendingCandidates.push(candidate);
      return;
    }
    try { await this.pc.addIceCandidate(candidate); } catch { /* a stale or bad candidate */ }
  }

  sendControl(message) {
    if (this.control && this.control.readyState === 'open') {
      this.control.send(JSON.stringify(message));
      return true;
    }
    return false;
  }

  /** Says `bye` on the control channel and closes the connection. */
  close(reason = 'closed') {
    if (this.closed) return;
    try { this.sendControl({ type: 'bye', reason }); } catch { /* closing anyway */ }
    this.closed = true;
    clearInterval(this.pingTimer);
    if (this.control) this.control.onmessage = this.control.onclose = null;
    if (this.pc) {
      this.pc.onicecandidate = this.pc.onconnectionstatechange = this.pc.ontrack = null;
      this.pc.ondatachannel = null;
      this.pc.close();
    }
  }
}

/**
 * The helper's side: creates the offer with a recvonly video transceiver and the `control`,
 * `input` and `pointer` channels (the latter two by `attachInput(pc)`, web/input.js's
 * `attach`, so they exist before the offer as docs/protocol.md asks).
 */
/** Most displays a `displays` message lists, and the longest id or name (docs/protocol.md). */
export const MAX_DISPLAYS = 16;
export const MAX_DISPLAY_NAME = 64;

/**
 * A `displays` control message, checked: `{displays: [{id, name, width, height, primary}],
 * current, switchable}`, or null when anything is off (never throws). `current` is always one
 * of the listed ids.
 */
export function displaysFrom(msg) {
  if (!msg || typeof msg !== 'object' || !Array.isArray(msg.displays)) return null;
  if (msg.displays.length > MAX_DISPLAYS || typeof msg.switchable !== 'boolean') return null;
  const text = (v) => typeof v === 'string' && v.length > 0 && v.length <= MAX_DISPLAY_NAME;
  const size = (v) => Number.isInteger(v) && v >= 0 && v <= 65535;
  const displays = [];
  for (const d of msg.displays) {
    if (!d || !text(d.id) || !text(d.name) || !size(d.width) || !size(d.height)) return null;
    displays.push({ id: d.id, name: d.name, width: d.width, height: d.height, primary: d.primary === true });
  }
  if (!displays.some((d) => d.id === msg.current)) return null;
  return { displays, current: msg.current, switchable: msg.switchable };
}

export class HelperPeer extends Peer {
  constructor({ attachInput = null, Capabilities = globalThis.RTCRtpReceiver, ...rest } = {}) {
    super(rest);
    this.attachInput = attachInput;
    this.Capabilities = Capabilities;
    this.level = null;
  }

  /** Creates the connection and the offer (sent through the `signal` event). */
  async start() {
    const pc = this.createPc();
    const transceiver = pc.addTransceiver('video', { direction: 'recvonly' });
    tuneReceiver(transceiver.receiver);
    preferH264(transceiver, this.Capabilities);
    this.control = pc.createDataChannel('control', { ordered: true });
    // Copy and paste (docs/protocol.md, "Clipboard channel"): the sharer's agent decides.
    this.clipboard = pc.createDataChannel('clipboard', { ordered: true });
    this.clipboard.binaryType = 'arraybuffer';
    this.clipboard.onmessage = (e) => {
      const text = decodeClipboardMessage(e.data);
      if (text !== null) this.emit('clipboard', text);
    };
    this.control.onopen = () => this.sendControl({ type: 'hello', version: CONTROL_VERSION });
    this.control.onmessage = (e) => this.onControl(e.data);
    this.control.onclose = () => { if (!this.closed) this.emit('bye', 'closed'); };
    if (this.attachInput) this.attachInput(pc); // `pointer` (unordered, no retransmits), `input`
    pc.ontrack = (e) => {
      tuneReceiver(e.receiver);
      this.emit('track', e.streams[0] || new MediaStream([e.track]));
    };
    const offer = await pc.createOffer();
    await pc.setLocalDescription(offer);
    this.emit('signal', { sdp: { type: pc.localDescription.type, sdp: pc.localDescription.sdp } });
  }

  /** A `signal` message from the broker: the sharer's answer or a candidate. */
  async handleSignal(msg) {
    if (this.closed || !this.pc) return;
    if (msg.sdp && msg.sdp.type === 'answer') {
      await this.pc.setRemoteDescription(msg.sdp);
      await this.addRemoteCandidates();
    } else if (msg.candidate) {
      await this.handleCandidate(msg.candidate);
    }
  }

  onControl(data) {
    if (typeof data !== 'string' || data.length > 4096) return;
    let msg;
    try { msg = JSON.parse(data); } catch { return; }
    switch (msg?.type) {
      case 'ping': {
        // `t` is an opaque u64: echo its digits, a JS number would round above 2^53.
        const t = /"t"\s*:\s*(\d+)/.exec(data)?.[1] ?? '0';
        const clock = Math.round((performance.timeOrigin + performance.now()) * 1000);
        if (this.control?.readyState === 'open') this.control.send(`{"type":"pong","t":${t},"clock":${clock}}`);
        break;
      }
      case 'control':
        if (msg.level === 'view' || msg.level === 'full') {
          this.level = msg.level;
          this.emit('control', msg.level);
        }
        break;
      case 'bye':
        this.emit('bye', typeof msg.reason === 'string' ? msg.reason : 'closed');
        break;
      case 'displays': {
        const d = displaysFrom(msg);
        if (d) this.emit('displays', d);
        break;
      }
      case 'input':
        this.emit('input', msg);
        break;
      case 'stats':
        this.emit('stats', msg);
        break;
      default:
        break; // hello, pong and anything newer
    }
  }

  /** The negotiated video codec's MIME type (`video/H264`), or null before media flows. */
  async codec() {
    if (!this.pc) return null;
    let mime = null;
    const report = await this.pc.getStats();
    report.forEach((s) => {
      if (s.type === 'inbound-rtp' && s.kind === 'video' && s.codecId) mime = report.get(s.codecId)?.mimeType ?? null;
    });
    return mime;
  }

  /** Sends text the helper copied; false when it is too long or the channel is not open. */
  sendClipboard(text) {
    const message = encodeClipboardText(text);
    if (!message || this.clipboard?.readyState !== 'open') return false;
    this.clipboard.send(message);
    return true;
  }

  /** "Select monitor": asks the sharer to show display `id` (from the `displays` event). */
  selectDisplay(id) {
    return this.sendControl({ type: 'select_display', id: String(id) });
  }

  /** Gives control back (docs/protocol.md: a viewer may lower its own level). */
  releaseControl() {
    this.level = 'view';
    return this.sendControl({ type: 'control', level: 'view' });
  }
}

/**
 * The web sharer's side: answers the helper's offer with the screen track. View only: it
 * announces `control` `view` and ignores whatever arrives on `input` and `pointer` (a browser
 * cannot inject input).
 */
export class SharerPeer extends Peer {
  constructor({ track, Capabilities = globalThis.RTCRtpSender, ...rest }) {
    super(rest);
    this.track = track;
    this.Capabilities = Capabilities;
    this.sender = null;
    this.paused = false;
    this.pingTimer = null;
  }

  async handleSignal(msg) {
    if (this.closed) return;
    if (msg.sdp && msg.sdp.type === 'offer') {
      if (this.pc) return; // one offer per session: the channels exist from the start
      await this.answer(msg.sdp);
    } else if (msg.candidate) {
      await this.handleCandidate(msg.candidate);
    }
  }

  async answer(offer) {
    const pc = this.createPc();
    pc.ondatachannel = (e) => this.onChannel(e.channel);
    await pc.setRemoteDescription(offer);
    const transceiver = pc.getTransceivers().find((t) => t.receiver.track?.kind === 'video');
    if (!transceiver) throw new Error('the offer has no video');
    transceiver.direction = 'sendonly';
    this.sender = transceiver.sender;
    if ('contentHint' in this.track) this.track.contentHint = 'detail'; // text stays sharp
    await this.sender.replaceTrack(this.paused ? null : this.track);
    preferH264(transceiver, this.Capabilities);
    const answer = await pc.createAnswer();
    await pc.setLocalDescription(answer);
    // Screen content: lower the frame rate under pressure, keep the resolution readable.
    try {
      const params = this.sender.getParameters();
      params.degradationPreference = 'maintain-resolution';
      await this.sender.setParameters(params);
    } catch { /* not supported: the browser's default */ }
    this.emit('signal', { sdp: { type: pc.localDescription.type, sdp: pc.localDescription.sdp } });
    await this.addRemoteCandidates();
  }

  onChannel(channel) {
    if (channel.label !== 'control') {
      channel.onmessage = null; // `input`, `pointer`: a web sharer cannot inject, so it ignores them
      return;
    }
    this.control = channel;
    channel.onopen = () => {
      this.sendControl({ type: 'hello', version: CONTROL_VERSION });
      this.sendControl({ type: 'control', level: 'view' });
      this.pingTimer = setInterval(() => this.sendControl({ type: 'ping', t: Date.now() }), PING_MS);
    };
    channel.onmessage = (e) => {
      let msg;
      try { msg = JSON.parse(e.data); } catch { return; }
      if (msg?.type === 'ping') this.sendControl({ type: 'pong', t: msg.t });
      else if (msg?.type === 'bye') this.emit('bye', typeof msg.reason === 'string' ? msg.reason : 'closed');
      else if (msg?.type === 'keyframe') { /* the browser's encoder answers PLI on its own */ }
    };
    channel.onclose = () => { if (!this.closed) this.emit('bye', 'closed'); };
    if (channel.readyState === 'open') channel.onopen();
  }

  /** Pause: no pixels leave this machine (the track is disabled and detached from the sender). */
  async setPaused(paused) {
    this.paused = paused;
    this.track.enabled = !paused;
    if (this.sender) await this.sender.replaceTrack(paused ? null : this.track);
  }
}
