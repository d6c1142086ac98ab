// Glass viewer: receives one screen over WHEP and plays it with the least delay the browser
// allows. Plain ES module, no build step; served by the sharer itself (`glass share`).
//
// Flow: RTCPeerConnection with a recvonly video transceiver and the `control` data channel
// (created before createOffer so both are in the offer) → POST the offer to /whep at once,
// without waiting for ICE gathering (the server learns our address from our ICE checks) →
// apply the answer. The control channel carries JSON messages with a "type" (docs/protocol.md).
// The `pointer` and `input` channels (input.js) carry the helper's mouse and keyboard once
// the sharer grants full control (`{"type":"control","level":"full"}`). The sharer's pointer
// comes back on the `cursor` channel (cursor.js, created by input.js): shown as our own CSS
// cursor while in control, as an overlay where it is otherwise.
//
// Test hook: `window.glassViewer` mirrors the state ({state, message, framesDecoded, width,
// height, control, inputSent, pointerOpen, inputOpen, ...}) so a headless browser can assert
// on it. `?input=always` makes the page send input even without control (a misbehaving viewer,
// for the sharer's view-only test).

import { createInput } from './input.js';

const params = new URLSearchParams(location.search);
const token = params.get('token');
const endpoint = new URL(params.get('whep') || 'whep', location.href).href;
const showStats = params.get('stats') !== '0';
const inputAlways = params.get('input') === 'always';

const video = document.getElementById('video');
const banner = document.getElementById('banner');
const messageEl = document.getElementById('message');
const retryButton = document.getElementById('retry');
const stateEl = document.getElementById('state');
const statsEl = document.getElementById('stats');
const controlEl = document.getElementById('control');
const releaseButton = document.getElementById('release');
if (!showStats) document.getElementById('hud').hidden = true;

const PROTOCOL_VERSION = 1;
const HEARTBEAT_MS = 250; // ping and check this often (the sharer pings every 500 ms)
const SILENCE_MS = 1200; // over two missed sharer pings: noticed in 1.2-1.45 s, within 2 s
const DISCONNECTED_GRACE_MS = 2000; // ICE "disconnected" often heals by itself
const BACKOFF_MS = [250, 500, 1000, 2000, 4000, 8000];

const viewer = {
  state: 'connecting',
  message: 'Connecting…',
  framesDecoded: 0,
  framesDropped: 0,
  codec: null, // the negotiated video codec's MIME type ('video/H264', 'video/VP8')
  width: 0,
  height: 0,
  fps: 0,
  bitrateKbps: 0,
  rttMs: null,
  latencyMs: null,
  jitterBufferMs: null,
  attempts: 0,
  sessionUrl: null,
  lastMessage: null,
  control: null, // what the sharer lets us do: 'view', 'full' or null (not told yet)
  // input.js adds: inputSent {move, button, wheel, key, text, release} (counts since the page
  // loaded), pointerOpen, inputOpen, inputBuffered (bytes queued on both channels).
};
window.glassViewer = viewer;

const input = createInput({
  video,
  keyboard: document.getElementById('keys'),
  hook: viewer,
  always: inputAlways,
  fullscreenButton: document.getElementById('fullscreen'),
  fullscreenElement: document.getElementById('stage'),
});

let pc = null;
let channel = null;
let generation = 0; // bumps on every (re)connect; stale callbacks compare and bail out
let reconnectTimer = null;
let disconnectedTimer = null;
let heartbeatTimer = null;
let everConnected = false;
let lastHeard = 0; // performance.now() of the last control message

function setState(state, message) {
  viewer.state = state;
  viewer.message = message;
  stateEl.textContent = state;
  stateEl.dataset.state = state;
  messageEl.textContent = message;
  banner.hidden = state === 'connected';
  retryButton.hidden = !(state === 'left' || state === 'error');
  document.title = state === 'connected' ? 'Glass viewer' : `Glass viewer (${state})`;
}

// The sharer's `control` message (or ours when giving control back), null when not connected.
function setControl(level) {
  viewer.control = level;
  input.setLevel(level);
  controlEl.hidden = level === null;
  controlEl.dataset.level = level || '';
  controlEl.textContent = level === 'full' ? 'You have control' : 'View only';
  controlEl.title = level === 'full'
    ? 'Your mouse and keyboard control the shared screen'
    : 'You can watch; the sharer has not given you control';
  releaseButton.hidden = level !== 'full';
}

function authHeaders(extra = {}) {
  return token ? { ...extra, Authorization: `Bearer ${token}` } : extra;
}

function teardown({ sendDelete }) {
  clearTimeout(disconnectedTimer);
  clearInterval(heartbeatTimer);
  disconnectedTimer = heartbeatTimer = null;
  if (sendDelete && viewer.sessionUrl) {
    // keepalive lets the DELETE outlive a closing tab.
    fetch(viewer.sessionUrl, { method: 'DELETE', headers: authHeaders(), keepalive: true })
      .catch(() => {});
  }
  viewer.sessionUrl = null;
  if (channel) channel.onclose = channel.onmessage = null;
  input.detach();
  setControl(null);
  if (pc) {
    pc.onconnectionstatechange = pc.oniceconnectionstatechange = pc.ontrack = null;
    pc.close();
  }
  pc = channel = null;
}

// Final: the sharer said bye or closed our session. No automatic reconnect.
function sharerLeft(reason) {
  generation++;
  clearTimeout(reconnectTimer);
  teardown({ sendDelete: false });
  video.srcObject = null;
  setState('left', reason ? `The sharer has left (${reason}).` : 'The sharer has left.');
}

function fatal(message) {
  generation++;
  clearTimeout(reconnectTimer);
  teardown({ sendDelete: false });
  setState('error', message);
}

function scheduleReconnect(why) {
  const gen = ++generation;
  teardown({ sendDelete: true });
  const delay = BACKOFF_MS[Math.min(viewer.attempts, BACKOFF_MS.length - 1)];
  viewer.attempts++;
  setState('reconnecting', `Connection lost (${why}). Reconnecting in ${Math.round(delay / 100) / 10} s…`);
  clearTimeout(reconnectTimer);
  reconnectTimer = setTimeout(() => { if (gen === generation) connect(); }, delay);
}

function send(message) {
  if (channel && channel.readyState === 'open') channel.send(JSON.stringify(message));
}

function onControl(event, gen) {
  if (gen !== generation) return;
  let msg;
  try {
    msg = JSON.parse(event.data);
  } catch {
    return; // not ours; ignore rather than break the session
  }
  viewer.lastMessage = msg;
  lastHeard = performance.now();
  switch (msg.type) {
    case 'hello':
      viewer.hello = msg;
      break;
    case 'ping': {
      // `t` is an opaque u64 to echo: copy its digits, since a JS Number rounds above 2^53.
      // `clock` (our wallclock, µs since the epoch) lets the sharer estimate our clock offset
      // for its input latency figures (docs/protocol.md, "Clock offset").
      const t = /"t"\s*:\s*(\d+)/.exec(event.data)?.[1] ?? JSON.stringify(msg.t ?? 0);
      const clock = Math.round((performance.timeOrigin + performance.now()) * 1000);
      if (channel && channel.readyState === 'open') {
        channel.send(`{"type":"pong","t":${t},"clock":${clock}}`);
      }
      break;
    }
    case 'pong':
      if (typeof msg.t === 'number') viewer.controlRttMs = performance.now() - msg.t;
      break;
    case 'bye':
      sharerLeft(msg.reason);
      break;
    case 'stats':
      viewer.serverStats = msg;
      break;
    case 'input':
      viewer.input = msg;
      break;
    case 'control':
      if (msg.level === 'view' || msg.level === 'full') setControl(msg.level);
      break;
    default:
      break;
  }
}

function tuneReceiver(receiver) {
  // Lowest latency: ask the jitter buffer to hold nothing beyond what decoding needs.
  try { if ('jitterBufferTarget' in receiver) receiver.jitterBufferTarget = 0; } catch {}
  try { receiver.playoutDelayHint = 0; } catch {}
}

// abs-capture-time lets the browser report each frame's capture time (latency in the
// overlay); Chromium implements it but leaves it out of offers unless asked.
function enableExtensions(transceiver) {
  if (!transceiver.getHeaderExtensionsToNegotiate || !transceiver.setHeaderExtensionsToNegotiate) return;
  try {
    const wanted = ['http://www.webrtc.org/experiments/rtp-hdrext/abs-capture-time',
      'http://www.webrtc.org/experiments/rtp-hdrext/playout-delay'];
    const exts = transceiver.getHeaderExtensionsToNegotiate().map((e) => (
      wanted.includes(e.uri) && e.direction === 'stopped' ? { ...e, direction: 'recvonly' } : e));
    transceiver.setHeaderExtensionsToNegotiate(exts);
  } catch {
    // Older browsers: play without the extension.
  }
}

async function connect() {
  const gen = ++generation;
  setState(everConnected ? 'reconnecting' : 'connecting',
    everConnected ? 'Reconnecting…' : 'Connecting…');
  let local;
  try {
    pc = new RTCPeerConnection({ bundlePolicy: 'max-bundle' });
    const transceiver = pc.addTransceiver('video', { direction: 'recvonly' });
    tuneReceiver(transceiver.receiver);
    enableExtensions(transceiver);
    channel = pc.createDataChannel('control');
    input.attach(pc); // `pointer` and `input`, also before the offer
    const ch = channel;
    ch.onopen = () => {
      if (gen !== generation) return;
      send({ type: 'hello', version: PROTOCOL_VERSION });
      lastHeard = performance.now();
      heartbeatTimer = setInterval(() => {
        send({ type: 'ping', t: Math.round(performance.now()) });
        // The sharer pings every 500 ms (docs/protocol.md): silence means a crash or a
        // network cut, well before ICE gives up.
        if (gen === generation && performance.now() - lastHeard > SILENCE_MS) {
          scheduleReconnect('the sharer stopped answering');
        }
      }, HEARTBEAT_MS);
    };
    ch.onmessage = (e) => onControl(e, gen);
    ch.onclose = () => {
      if (gen !== generation) return;
      // The sharer ended our session (or stopped) while the network was fine: that is a
      // leave, not a blip. A blip shows up as ICE trouble first and reconnects instead.
      const ice = pc ? pc.iceConnectionState : 'closed';
      if (ice === 'connected' || ice === 'completed' || ice === 'closed') sharerLeft();
      else scheduleReconnect('control channel closed');
    };
    pc.ontrack = (e) => {
      if (gen !== generation) return;
      tuneReceiver(e.receiver);
      video.srcObject = e.streams[0] || new MediaStream([e.track]);
      video.play().catch(() => {});
    };
    pc.oniceconnectionstatechange = () => {
      if (gen !== generation) return;
      const s = pc.iceConnectionState;
      if (s === 'failed') {
        scheduleReconnect('ICE failed');
      } else if (s === 'disconnected') {
        clearTimeout(disconnectedTimer);
        disconnectedTimer = setTimeout(() => {
          if (gen === generation && pc && pc.iceConnectionState === 'disconnected') {
            scheduleReconnect('network interrupted');
          }
        }, DISCONNECTED_GRACE_MS);
      } else if (s === 'connected' || s === 'completed') {
        clearTimeout(disconnectedTimer);
      }
    };
    pc.onconnectionstatechange = () => {
      if (gen !== generation) return;
      const s = pc.connectionState;
      if (s === 'connected') {
        everConnected = true;
        viewer.attempts = 0;
        setState('connected', 'Connected');
      } else if (s === 'failed') {
        scheduleReconnect('connection failed');
      } else if (s === 'closed') {
        // Remote DTLS close_notify: the sharer ended the session.
        sharerLeft();
      }
    };
    const offer = await pc.createOffer();
    await pc.setLocalDescription(offer);
    local = pc.localDescription.sdp;
  } catch (e) {
    fatal(`This browser cannot receive WebRTC video: ${e.message || e}`);
    return;
  }

  let response;
  try {
    response = await fetch(endpoint, {
      method: 'POST',
      headers: authHeaders({ 'Content-Type': 'application/sdp' }),
      body: local,
    });
  } catch (e) {
    if (gen === generation) {
      // Server unreachable: after a session it usually means the sharer stopped.
      if (everConnected && viewer.attempts >= 3) sharerLeft('not reachable');
      else scheduleReconnect('server unreachable');
    }
    return;
  }
  if (gen !== generation) return;
  if (response.status !== 201) {
    const reason = (await response.text().catch(() => '')).trim();
    if (response.status === 401 || response.status === 403) {
      fatal(token ? 'The link\'s token was refused.' : 'This share needs a token: open the full link you were given.');
    } else if (response.status === 400 || response.status === 415) {
      fatal(`The sharer refused this browser: ${reason || response.status}`);
    } else {
      scheduleReconnect(`server answered ${response.status}${reason ? `: ${reason}` : ''}`);
    }
    return;
  }
  const location = response.headers.get('Location');
  viewer.sessionUrl = location ? new URL(location, endpoint).href : null;
  const answer = await response.text();
  try {
    await pc.setRemoteDescription({ type: 'answer', sdp: answer });
  } catch (e) {
    if (gen === generation) fatal(`The sharer's answer was not usable: ${e.message || e}`);
  }
}

// Stats overlay and test hook, once a second.
let last = null;
async function pollStats() {
  if (!pc || viewer.state === 'left') return;
  let report;
  try { report = await pc.getStats(); } catch { return; }
  let inbound = null;
  let pair = null;
  report.forEach((s) => {
    if (s.type === 'inbound-rtp' && s.kind === 'video') inbound = s;
    if (s.type === 'candidate-pair' && s.nominated && s.state === 'succeeded') pair = s;
  });
  if (inbound) {
    viewer.framesDecoded = inbound.framesDecoded || 0;
    viewer.codec = (inbound.codecId && report.get(inbound.codecId)?.mimeType) || viewer.codec;
    viewer.framesDropped = inbound.framesDropped || 0;
    viewer.fps = inbound.framesPerSecond || 0;
    if (last && inbound.timestamp > last.timestamp) {
      viewer.bitrateKbps = Math.round(((inbound.bytesReceived - last.bytesReceived) * 8)
        / (inbound.timestamp - last.timestamp));
    }
    if (inbound.jitterBufferEmittedCount) {
      viewer.jitterBufferMs = (1000 * inbound.jitterBufferDelay) / inbound.jitterBufferEmittedCount;
    }
    last = inbound;
  }
  if (pair && typeof pair.currentRoundTripTime === 'number') {
    viewer.rttMs = pair.currentRoundTripTime * 1000;
  }
  viewer.width = video.videoWidth;
  viewer.height = video.videoHeight;
  ssrcLatency();
  render();
}

// Latency from abs-capture-time via the receiver: receive time of the newest packet minus
// its frame's capture time. Chromium gives captureTimestamp on the NTP epoch (1900) and
// timestamp on the Unix epoch. Across machines this needs synchronised clocks (NTP).
const NTP_UNIX_OFFSET_MS = 2208988800000;
function ssrcLatency() {
  const receiver = pc && pc.getReceivers().find((r) => r.track && r.track.kind === 'video');
  if (!receiver || !receiver.getSynchronizationSources) return;
  const src = receiver.getSynchronizationSources()[0];
  if (!src || typeof src.captureTimestamp !== 'number' || src.captureTimestamp <= 0) return;
  let capture = src.captureTimestamp + (src.senderCaptureTimeOffset || 0);
  if (capture > src.timestamp + NTP_UNIX_OFFSET_MS / 2) capture -= NTP_UNIX_OFFSET_MS;
  const sample = src.timestamp - capture;
  if (sample > -1000 && sample < 60000) viewer.ssrcLatencyMs = sample;
}

function fmt(v, unit, digits = 0) {
  return typeof v === 'number' && Number.isFinite(v) ? `${v.toFixed(digits)} ${unit}` : '–';
}

function render() {
  if (!showStats) return;
  const latency = viewer.latencyMs ?? viewer.ssrcLatencyMs;
  statsEl.textContent = [
    `${viewer.width}×${viewer.height}  ${fmt(viewer.fps, 'fps')}`,
    `bitrate ${fmt(viewer.bitrateKbps, 'kbit/s')}`,
    `rtt ${fmt(viewer.rttMs, 'ms', 1)}  jitter buf ${fmt(viewer.jitterBufferMs, 'ms', 1)}`,
    `latency ${fmt(latency, 'ms', 1)}  decoded ${viewer.framesDecoded}`,
    ...(viewer.input
      ? [`input ${viewer.input.injected} injected, ${viewer.input.rejected} rejected, ${viewer.input.dropped} dropped`]
      : []),
  ].join('\n');
}

// Per-frame metadata: captureTime (from abs-capture-time or RTCP sender reports) against
// the time the frame is shown gives capture-to-display latency on the browser's clock.
if ('requestVideoFrameCallback' in HTMLVideoElement.prototype) {
  const onFrame = (now, meta) => {
    if (typeof meta.captureTime === 'number' && meta.captureTime > 0) {
      const shown = meta.expectedDisplayTime || now;
      const sample = shown - meta.captureTime;
      viewer.latencyMs = viewer.latencyMs === null ? sample : viewer.latencyMs * 0.9 + sample * 0.1;
    }
    viewer.presentedFrames = meta.presentedFrames;
    video.requestVideoFrameCallback(onFrame);
  };
  video.requestVideoFrameCallback(onFrame);
}

video.addEventListener('resize', () => {
  viewer.width = video.videoWidth;
  viewer.height = video.videoHeight;
});

// Give control back: let go of everything, tell the sharer, stop sending.
releaseButton.addEventListener('click', () => {
  input.releaseAll();
  send({ type: 'control', level: 'view' });
  setControl('view');
});
// Clicking the toolbar must not take the keyboard away from the shared screen.
document.getElementById('toolbar').addEventListener('mousedown', (e) => e.preventDefault());

retryButton.addEventListener('click', () => {
  viewer.attempts = 0;
  everConnected = false;
  connect();
});

window.addEventListener('pagehide', () => {
  generation++;
  teardown({ sendDelete: true });
});

setInterval(pollStats, 1000);
connect();
