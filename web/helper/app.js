// Glass helper app: sign in, get a code, see who joined, ask to view or control their screen,
// watch it (WebRTC: the helper offers), control it when allowed (web/input.js), chat, leave.
//
// The logic lives in DOM-free modules (lib/broker.js: the broker link; lib/session.js: the
// state machine; lib/peer.js: WebRTC); this file wires their CustomEvents to the page and
// renders the state. Every text comes from the Fluent catalogues (lib/ui/l10n.js).
//
// Identity binding (lib/binding.js, docs/identity.md): the page keeps one WebRTC certificate,
// signs in through an OIDC issuer with its fingerprint, and uses it for every connection; before
// issuing a code it signs in again when the sign-in bound another certificate or is about to
// expire.
//
// A lost link to the broker is resumed (several brokers; lib/broker.js): meanwhile the status
// line says so, and the picture, the control channel and the chat stay — WebRTC is peer to
// peer and does not need the broker once connected; the ICE candidates still to come are
// queued and go out on the new link. Only a resume that fails closes the peer. The sharer's
// link being resumed (`peer_away`) is said the same way, until `peer_back`.
//
// Test hook: `window.glassHelper` mirrors {phase, state, rtc, control, videoPlaying, codec,
// link ('up', 'resuming', 'lost'), resumes (how many times the link was resumed), resumable,
// dtlsFingerprint (this page's certificate), boundFingerprint (what the sign-in bound)} and what
// web/input.js counts (inputSent, pointerOpen, inputOpen).

import {
  cardViaIssuer, helperCertificate, mayResignIn, mustSignInAgain, resignProvider,
} from '/lib/binding.js';
import { BrokerClient } from '/lib/broker.js';
import { codeGroups } from '/lib/code.js';
import { HelperPeer, iceConfigFrom, selectedPair } from '/lib/peer.js';
import {
  TransitionError, helperCanRequest, helperFullRefusal, helperInSession, helperNext, initialHelper,
  linkStatusId,
} from '/lib/session.js';
import { renderCard } from '/lib/ui/card.js';
import { ChatPanel } from '/lib/ui/chat.js';
import {
  errorIdFor, focusFirst, known, rememberedProvider, say, sayWithDetail, setupSignin, viewSwitcher,
} from '/lib/ui/common.js';
import { setL10n, startL10n } from '/lib/ui/l10n.js';
import { renderWarnings } from '/lib/ui/warnings.js';
import { createInput } from '/viewer/input.js';

const $ = (id) => document.getElementById(id);
const views = ['view-signin', 'view-start', 'view-code', 'view-sharer', 'view-stage', 'view-ended'];

const hook = {
  phase: 'idle', state: null, rtc: null, control: null, videoPlaying: false,
  link: 'up', resumes: 0, dtlsFingerprint: null, boundFingerprint: null,
};
window.glassHelper = hook;

const broker = new BrokerClient();
// Whether a lost link would be resumed (a yes or no: the token itself stays in the client).
Object.defineProperty(hook, 'resumable', { get: () => broker.resumable, enumerable: true });
let l10n = null;
let me = null; // my card, null while signed out
let state = initialHelper();
let peer = null;
// The session's relays (`ice_servers`, after the sharer joined); none: direct candidates.
let relays = { iceServers: [], iceTransportPolicy: 'all' };
hook.selectedPair = () => selectedPair(peer?.pc);
let chat = null;
let linkLost = false;
let rtcState = null; // RTCPeerConnection.connectionState
let controlLevel = null; // the sharer's own word on the control channel
let displays = null; // the sharer's screens and the one shown (peer.js displaysFrom)
let clipboardRule = { to_helper: false, to_sharer: false }; // the organisation's, from sharer_joined
let copied = null; // text the sharer copied, waiting for the helper's click to take it
let clipboardNote = false; // the browser refused to read or write the clipboard
// Feature detection, never the user agent: a browser without WebRTC (WebKitGTK builds without
// it, some embedded views) can sign in and get a code but never see a screen: it says so.
const webrtc = typeof globalThis.RTCPeerConnection === 'function';
hook.webrtc = webrtc;
// Keyboard Lock (Chromium) sends system shortcuts to the sharer in full screen; elsewhere
// they stay on the helper's computer, and the helper with full control is told so.
const keyboardLock = typeof globalThis.navigator?.keyboard?.lock === 'function';
hook.keyboardLock = keyboardLock;
let videoPlaying = false;
let copiedTimer = null;
let bindingProblem = false; // a code was issued although the sign-in could not be renewed

// This browser's WebRTC certificate ({cert, fingerprint}), null without WebRTC (without
// storage: one for this page load only).
let bound = null;
const certificate = helperCertificate().catch((e) => {
  console.warn(`glass: no WebRTC certificate: ${e.message || e}`);
  return null;
}).then((c) => {
  bound = c;
  hook.dtlsFingerprint = c?.fingerprint ?? null;
  return c;
});
// sessionStorage: when this tab last started a re-sign-in (ms), and whether to get a code after.
const RESIGN_KEY = 'glass.helper.resignedAt';
const THEN_CODE_KEY = 'glass.helper.codeAfterSignIn';

const video = $('video');
const input = createInput({
  video,
  keyboard: $('keys'),
  hook,
  fullscreenButton: $('fullscreen'),
  fullscreenElement: $('stage'),
});
// input.js labels the full-screen button in English; ours comes after and translates it.
document.addEventListener('fullscreenchange', () => {
  setL10n($('fullscreen'), document.fullscreenElement ? 'exit-fullscreen-button' : 'fullscreen-button');
});

// ---- State ----------------------------------------------------------------------------------

function dispatch(event) {
  try {
    state = helperNext(state, event, Date.now());
  } catch (e) {
    if (!(e instanceof TransitionError)) throw e;
    console.warn(`glass: ${e.message}`);
    return false;
  }
  hook.state = state;
  hook.phase = state.phase;
  render();
  return true;
}

/**
 * What input.js may send: the lower of the broker's and the sharer's word, nothing while
 * paused. The broker's word (`state.level`) includes the organisation's: a `level_limited`
 * lowers it, so input stops here even before the sharer's agent says `control` `view`.
 */
function inputLevel() {
  if (!peer || (state.phase !== 'connected')) return controlLevel ? 'view' : null;
  if (controlLevel === 'full' && state.level === 'full') return 'full';
  return controlLevel ? 'view' : null;
}

function sharerName() {
  return state.sharer?.name || '';
}

// ---- Rendering ------------------------------------------------------------------------------

const showView = viewSwitcher(views);

function viewFor() {
  if (!me) return 'view-signin';
  if (linkLost) return 'view-ended';
  switch (state.phase) {
    case 'idle': return 'view-start';
    case 'waiting_sharer': return 'view-code';
    case 'sharer_joined': case 'waiting_approval': case 'declined': return 'view-sharer';
    case 'connected': case 'paused': return 'view-stage';
    default: return 'view-ended';
  }
}

function statusId() {
  if (!me) return null;
  if (linkLost) return 'link-lost';
  const link = linkStatusId(state);
  if (link) return link;
  if ((state.phase === 'connected' || state.phase === 'paused') && state.pending) {
    return 'helper-state-waiting_approval';
  }
  return `helper-state-${state.phase}`;
}

function render() {
  const name = sharerName();
  $('who').hidden = !me;
  if (me) say($('who'), 'signed-in-as', { name: me.name || '' });
  $('sign-out').hidden = !me;
  // Shown to those the policy lets read reports; the reports API checks again itself.
  $('reports-link').hidden = !me || !broker.mayViewReports;
  say($('status'), statusId(), { name });

  const view = viewFor();
  const changed = showView(view);

  // Side panel: the sharer's card and the chat, from the moment someone joined.
  const inSession = helperInSession(state);
  $('side').hidden = !me || !state.sharer || state.phase === 'idle' || state.phase === 'waiting_sharer';
  document.body.dataset.phase = linkLost ? 'lost' : state.phase;
  hook.link = linkLost ? 'lost' : state.reconnecting ? 'resuming' : 'up';
  document.body.dataset.link = hook.link;
  // Waiting for a link to come back (ours or theirs): the status line stands out.
  $('status').dataset.waiting = String(!linkLost && linkStatusId(state) !== null);
  // While our link is being resumed the chat stays open (no focus lost mid-sentence): a line
  // sent meanwhile waits in the broker client and goes out once resumed.
  if (chat) chat.setEnabled(inSession && !linkLost, inSession ? null : 'chat-closed');

  if (view === 'view-code') renderCode();
  if (view === 'view-sharer') renderSharer(name);
  if (view === 'view-stage') renderStage(name);
  if (view === 'view-ended') renderEnded(name);

  // Notices: a declined escalation, a refusal from the broker (with a policy rule's own
  // sentence), a policy limit.
  const notice = state.notice;
  const binding = !notice && bindingProblem && (state.phase === 'waiting_sharer' || state.phase === 'sharer_joined');
  const noWebrtc = !notice && !binding && !webrtc && state.phase !== 'idle';
  $('alert').hidden = !notice && !binding && !noWebrtc;
  if (notice) sayWithDetail($('alert'), noticeId(notice), { name }, notice.detail || null);
  else if (binding) sayWithDetail($('alert'), 'helper-identity-not-renewed');
  else if (noWebrtc) sayWithDetail($('alert'), 'webrtc-unsupported');

  const level = inputLevel();
  if (hook.control !== level) {
    hook.control = level;
    input.setLevel(level);
  }

  if (changed) {
    ({
      'view-signin': () => focusFirst('username'),
      'view-start': () => focusFirst('get-code'),
      'view-code': () => focusFirst('copy-code'),
      'view-sharer': () => focusFirst('request-view', 'request-full', 'leave-early'),
      'view-stage': () => focusFirst('leave'),
      'view-ended': () => focusFirst('new-code', 'reconnect'),
    })[view]?.();
  }
}

function noticeId(notice) {
  switch (notice.kind) {
    case 'escalation': return known(l10n, `escalation-${notice.reason}`, 'escalation-declined');
    case 'limited': return 'level-limited';
    default: return known(l10n, `error-${notice.reason}`, 'error-internal');
  }
}

/** The device warnings in `box` (hidden when there are none); true when there are some. */
function renderDeviceWarnings(box, list) {
  const warnings = state.warnings || [];
  box.hidden = warnings.length === 0;
  renderWarnings(list, warnings, l10n?.lang || 'en');
  return warnings.length > 0;
}

/** Sets or removes `aria-describedby` on the element with id `id`. */
function describedBy(id, ...by) {
  const ids = by.filter(Boolean).join(' ');
  if (ids) $(id).setAttribute('aria-describedby', ids);
  else $(id).removeAttribute('aria-describedby');
}

function renderCode() {
  const code = $('code');
  const text = state.display || state.code || '';
  if (code.dataset.code !== text) {
    code.dataset.code = text;
    code.replaceChildren(...codeGroups(state.code || '').map((g) => {
      const span = document.createElement('span');
      span.className = 'code-group';
      span.textContent = g;
      return span;
    }));
    // Read one character at a time, not as a word.
    code.setAttribute('aria-label', [...(state.code || '')].join(' '));
  }
  $('share-url').textContent = `${location.origin}/share`;
  renderCountdown();
}

function renderCountdown() {
  if (state.phase !== 'waiting_sharer' || !state.expiresAt) return;
  const left = Math.max(0, Math.ceil((state.expiresAt - Date.now()) / 1000));
  const time = `${Math.floor(left / 60)}:${String(left % 60).padStart(2, '0')}`;
  setL10n($('countdown'), 'code-expires', { time });
  $('countdown').dataset.soon = String(left <= 60);
}

function renderCards() {
  const key = JSON.stringify(state.sharer);
  if ($('sharer-card').dataset.card === key) return;
  $('sharer-card').dataset.card = key;
  renderCard($('sharer-card'), state.sharer);
  renderCard($('side-card'), state.sharer);
}

function renderSharer(name) {
  renderCards();
  say($('sharer-client'), state.client === 'agent' ? 'client-agent' : 'client-web');
  const phase = state.phase;
  const message = phase === 'waiting_approval' ? 'waiting-approval-message'
    : phase === 'declined' ? known(l10n, `declined-${state.reason}`, 'declined-declined') : 'choose-request-message';
  say($('sharer-message'), message, { name });
  const canAsk = phase === 'sharer_joined' || phase === 'declined';
  const warned = renderDeviceWarnings($('device-warnings'), $('warnings-list'));
  // Full control: hidden for a web sharer (never possible); disabled, with the reason, when the
  // organisation's policy allows this helper view only (max_level).
  const refusal = helperFullRefusal(state);
  $('request-buttons').hidden = !canAsk;
  $('request-full').hidden = refusal === 'not_supported';
  $('request-full').disabled = refusal === 'policy';
  $('full-note').hidden = !canAsk || !refusal;
  say($('full-note'), refusal === 'policy' ? 'full-not-allowed' : 'full-not-possible');
  describedBy('request-view', warned && 'device-warnings');
  describedBy('request-full', warned && 'device-warnings', refusal === 'policy' && 'full-note');
  setL10n($('request-view'), phase === 'declined' ? 'try-again-view-button' : 'request-view-button');
}

function renderStage(name) {
  renderCards();
  const level = inputLevel() === 'full' ? 'full' : 'view';
  $('level').dataset.level = level;
  say($('level'), level === 'full' ? 'level-full' : 'level-view');
  $('request-full-live').hidden = !helperCanRequest(state, 'full');
  $('release').hidden = level !== 'full';
  const refusal = helperFullRefusal(state);
  $('full-note-live').hidden = !refusal;
  say($('full-note-live'), refusal === 'policy' ? 'full-not-allowed' : 'full-not-possible');
  renderDeviceWarnings($('stage-warnings'), $('stage-warnings-list'));
  let overlay = null;
  if (state.phase === 'paused') overlay = 'overlay-paused';
  else if (rtcState === 'failed') overlay = 'video-failed';
  else if (!videoPlaying) overlay = 'overlay-connecting';
  $('overlay').hidden = !overlay;
  $('stage').dataset.paused = String(state.phase === 'paused');
  if (overlay) say($('overlay-text'), overlay, { name });
  video.setAttribute('aria-label', l10n ? l10n.format('video-label', { name }) : name);
  renderDisplays();
  renderClipboard(level === 'full');
  $('keyboard-note').hidden = level !== 'full' || keyboardLock;
}

/**
 * Copy and paste, with full control only and where the organisation allows each way. The
 * browser's clipboard is read and written only on the helper's click (the async Clipboard
 * API needs a user gesture in Firefox and Safari).
 */
function renderClipboard(full) {
  $('clipboard-send').hidden = !(full && clipboardRule.to_sharer);
  if (!full) copied = null;
  $('clipboard-in').hidden = copied === null;
  if (copied !== null) say($('clipboard-in-text'), 'clipboard-received', { count: [...copied].length });
  $('clipboard-note').hidden = !clipboardNote;
  hook.clipboard = { waiting: copied !== null, note: clipboardNote };
}

/** "Select monitor": shown when the sharer has several screens and lets the helper switch. */
function renderDisplays() {
  const many = displays !== null && displays.switchable && displays.displays.length > 1;
  $('display-pick').hidden = !many;
  hook.displays = displays;
  if (!many) return;
  const select = $('display');
  const label = (d) => (d.id === 'root' && l10n ? l10n.format('display-all') : `${d.name} (${d.width}×${d.height})`);
  const wanted = displays.displays.map((d) => `${d.id}\n${label(d)}`).join('\n');
  if (select.dataset.options !== wanted) {
    select.replaceChildren(...displays.displays.map((d) => {
      const option = document.createElement('option');
      option.value = d.id;
      option.textContent = label(d); // text, never markup: names come from the sharer
      return option;
    }));
    select.dataset.options = wanted;
  }
  select.value = displays.current;
}

function renderEnded(name) {
  let heading = 'ended-heading';
  let message = 'helper-state-ended';
  if (linkLost) {
    heading = 'link-lost-heading';
    message = 'link-lost';
  } else if (state.phase === 'expired') {
    heading = 'code-expired-heading';
    message = 'helper-state-expired';
  } else if (state.phase === 'sharer_left') {
    message = known(l10n, `left-${state.reason}`, 'left-left');
  } else if (state.reason === 'self') {
    message = 'ended-self';
  } else if (state.reason === 'revoked') {
    message = 'ended-revoked';
  }
  say($('ended-heading'), heading);
  say($('ended-message'), message, { name });
  $('new-code').hidden = linkLost;
  $('reconnect').hidden = !linkLost;
}

// ---- WebRTC ---------------------------------------------------------------------------------

function startPeer() {
  if (peer) return;
  videoPlaying = false;
  hook.videoPlaying = false;
  rtcState = 'new';
  const p = new HelperPeer({
    attachInput: (pc) => input.attach(pc),
    certificates: bound ? [bound.cert] : [],
    ...relays,
  });
  peer = p;
  p.addEventListener('signal', (e) => broker.signal(e.detail));
  p.addEventListener('track', (e) => {
    video.srcObject = e.detail;
    video.play().catch(() => {});
  });
  p.addEventListener('state', (e) => {
    rtcState = e.detail;
    hook.rtc = rtcState;
    render();
  });
  p.addEventListener('control', (e) => {
    controlLevel = e.detail;
    render();
  });
  p.addEventListener('displays', (e) => {
    displays = e.detail;
    render();
  });
  p.addEventListener('clipboard', (e) => {
    if (!clipboardRule.to_helper) return;
    copied = e.detail;
    render();
  });
  p.start().catch((e) => {
    console.warn(`glass: offer failed: ${e.message || e}`);
    rtcState = 'failed';
    render();
  });
}

function closePeer(reason = 'closed') {
  if (!peer) return;
  peer.close(reason);
  peer = null;
  input.detach();
  controlLevel = null;
  displays = null;
  copied = null;
  rtcState = null;
  hook.rtc = null;
  video.srcObject = null;
  videoPlaying = false;
  hook.videoPlaying = false;
}

video.addEventListener('playing', () => {
  videoPlaying = true;
  hook.videoPlaying = true;
  peer?.codec().then((mime) => { hook.codec = mime; }).catch(() => {});
  render();
});

// ---- Broker ---------------------------------------------------------------------------------

broker.addEventListener('ice_servers', (e) => {
  relays = iceConfigFrom(e.detail);
  hook.relayOnly = relays.iceTransportPolicy === 'relay';
});
broker.addEventListener('code', () => { relays = { iceServers: [], iceTransportPolicy: 'all' }; });

for (const type of ['code', 'sharer_joined', 'consent_result', 'sharer_state', 'peer_left', 'ended']) {
  broker.addEventListener(type, (e) => {
    const msg = e.detail;
    if (type === 'sharer_joined') {
      clipboardRule = { to_helper: msg.clipboard?.to_helper === true, to_sharer: msg.clipboard?.to_sharer === true };
      chat?.clear();
      chat?.setKept(msg.chat_kept === true);
    }
    if (!dispatch(msg)) return;
    if (type === 'consent_result' && msg.allow) startPeer();
    if (type === 'peer_left' || type === 'ended') closePeer(msg.reason);
  });
}
broker.addEventListener('error', (e) => dispatch({ type: 'error', code: e.detail.code, message: e.detail.message }));
// The organisation's policy now allows at most `level`: the state lowers the level, render()
// tells input.js (nothing more is sent), and the sharer's side hears it on the control channel
// too, as when the helper gives control back (its agent lowers its own gate anyway).
broker.addEventListener('level_limited', (e) => {
  const before = state.level; // paused included: input stays off after resuming
  if (!dispatch(e.detail)) return;
  if (before === 'full' && state.level !== 'full') {
    peer?.releaseControl();
    if (controlLevel === 'full') controlLevel = 'view';
    render();
  }
});
broker.addEventListener('signal', (e) => {
  peer?.handleSignal(e.detail).catch((err) => console.warn(`glass: signal: ${err.message || err}`));
});
broker.addEventListener('chat_message', (e) => chat?.add(e.detail));
// Our link is being resumed: the peer, the picture and control stay (media is peer to peer).
broker.addEventListener('resuming', () => dispatch({ type: 'resuming' }));
// Resumed: the session says what holds now. A consent given while we were away starts the
// picture; one that lapsed meanwhile stops it.
broker.addEventListener('resumed', (e) => {
  hook.resumes++;
  if (!dispatch(e.detail)) return;
  if (state.level && !peer) startPeer();
  else if (!state.level && peer) closePeer('lapsed');
  render();
});
broker.addEventListener('peer_away', (e) => dispatch(e.detail));
broker.addEventListener('peer_back', (e) => dispatch(e.detail));
// The link is gone for good: nothing to resume (one broker), or resuming failed.
broker.addEventListener('lost', () => {
  linkLost = true;
  closePeer('lost');
  dispatch({ type: 'lost' });
  render();
});

async function connectLink() {
  try {
    await broker.connect();
    linkLost = false;
    dispatch({ type: 'reset' });
  } catch {
    linkLost = true;
    render();
  }
}

// ---- Actions --------------------------------------------------------------------------------

const signin = setupSignin({
  broker,
  status: $('status'),
  onSignedIn: async (card) => {
    me = card;
    hook.boundFingerprint = broker.dtlsFingerprint;
    await connectLink();
  },
  dtls: certificate.then((c) => c?.fingerprint ?? null),
});

/**
 * Signs in again through the same issuer (a navigation: an issuer with a live session sends
 * the browser straight back), then gets a code on return. False when it cannot: no issuer to
 * go back to, no storage to remember it did (so it cannot loop), or it just did.
 */
async function signInAgain(why, fingerprint) {
  try {
    if (!mayResignIn(Number(sessionStorage.getItem(RESIGN_KEY)) || null, Date.now())) return false;
  } catch {
    return false;
  }
  const { providers } = await broker.providers();
  const id = resignProvider(rememberedProvider(), providers);
  if (!id) return false;
  try {
    sessionStorage.setItem(RESIGN_KEY, String(Date.now()));
    sessionStorage.setItem(THEN_CODE_KEY, '1');
  } catch {
    return false;
  }
  console.info(`glass: signing in again (${why})`);
  say($('status'), 'helper-renewing-sign-in');
  location.assign(broker.startUrl(id, 'helper', fingerprint));
  return true;
}

/** Gets a code, after signing in again when the sign-in no longer binds this certificate. */
async function issueCode() {
  const mine = (await certificate)?.fingerprint ?? null;
  const why = mustSignInAgain({
    bound: broker.dtlsFingerprint,
    expiresAt: broker.identityExpiresAt,
    mine,
    nowMs: Date.now(),
    viaIssuer: cardViaIssuer(broker.card),
  });
  if (why && await signInAgain(why, mine)) return;
  // Could not renew: the code works, but a sharer whose agent checks the helper itself will
  // refuse this connection (another certificate, none bound, or a token about to expire).
  // Say so.
  bindingProblem = Boolean(why);
  if (!broker.createCode()) {
    linkLost = true;
    render();
  }
}

$('sign-out').addEventListener('click', async () => {
  closePeer('left');
  try { await broker.logout(); } catch { /* signed out locally anyway */ }
  me = null;
  linkLost = false;
  bindingProblem = false;
  state = initialHelper();
  chat?.clear();
  render();
});

$('get-code').addEventListener('click', () => issueCode());
$('new-code').addEventListener('click', () => {
  chat?.clear();
  closePeer();
  issueCode();
});
$('reconnect').addEventListener('click', () => connectLink());

$('copy-code').addEventListener('click', async () => {
  try {
    await navigator.clipboard.writeText(state.display || state.code || '');
    setL10n($('copy-code'), 'copied-button');
    say($('status'), 'code-copied');
    clearTimeout(copiedTimer);
    copiedTimer = setTimeout(() => setL10n($('copy-code'), 'copy-button'), 2000);
  } catch {
    say($('status'), 'copy-failed');
  }
});

function request(level) {
  if (!webrtc) return; // the alert says why: nothing could be shown
  if (!dispatch({ type: 'request', level })) return;
  if (!broker.request(level)) {
    linkLost = true;
    render();
  }
}
$('request-view').addEventListener('click', () => request('view'));
$('request-full').addEventListener('click', () => request('full'));
$('request-full-live').addEventListener('click', () => request('full'));

$('clipboard-send').addEventListener('click', async () => {
  try {
    const text = await navigator.clipboard.readText();
    clipboardNote = !peer?.sendClipboard(text);
  } catch {
    clipboardNote = true; // no permission, or no async Clipboard API here
  }
  render();
});
$('clipboard-copy').addEventListener('click', async () => {
  if (copied === null) return;
  try {
    await navigator.clipboard.writeText(copied);
    copied = null;
    clipboardNote = false;
  } catch {
    clipboardNote = true;
  }
  render();
});
$('display').addEventListener('change', (e) => {
  peer?.selectDisplay(e.target.value);
});
$('release').addEventListener('click', () => {
  input.releaseAll();
  peer?.releaseControl();
  controlLevel = 'view';
  dispatch({ type: 'release' });
});
// Clicking the toolbar must not take the keyboard away from the shared screen.
document.querySelector('.toolbar').addEventListener('mousedown', (e) => {
  if (e.target.closest('button')) e.preventDefault();
});

function leave() {
  closePeer('left');
  broker.leave();
  dispatch({ type: 'leave' });
}
$('leave').addEventListener('click', leave);
$('leave-early').addEventListener('click', leave);
$('cancel-code').addEventListener('click', leave);

window.addEventListener('pagehide', () => {
  if (helperInSession(state) || state.phase === 'waiting_sharer') {
    closePeer('left');
    broker.leave();
  }
});

setInterval(() => {
  if (state.phase === 'waiting_sharer') {
    dispatch({ type: 'tick' });
    renderCountdown();
  }
}, 1000);

// ---- Start ----------------------------------------------------------------------------------

async function main() {
  l10n = await startL10n({
    picker: $('language'),
    onChange: () => {
      chat?.relocalize();
      render();
    },
  });
  chat = new ChatPanel({
    container: $('chat-slot'),
    l10n,
    role: 'helper',
    onSend: (text) => broker.chat(text),
  });
  render();
  try {
    me = await broker.me();
  } catch (e) {
    signin.showError(errorIdFor(e));
  }
  hook.boundFingerprint = broker.dtlsFingerprint;
  if (me) await connectLink();
  render();
  // Back from a re-sign-in that was on its way to a code.
  let thenCode = false;
  try {
    thenCode = sessionStorage.getItem(THEN_CODE_KEY) === '1';
    sessionStorage.removeItem(THEN_CODE_KEY);
  } catch { /* no storage */ }
  if (me && thenCode && state.phase === 'idle' && !linkLost) await issueCode();
}

main();
