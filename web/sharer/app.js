// Glass web sharer: sign in, enter the helper's code, see who the helper is, allow or decline
// their request to see the screen, share it (getDisplayMedia, view only: a browser cannot
// inject input), pause, stop, chat.
//
// A `full` request never reaches this page's user: the broker answers it with `not_supported`
// (and lib/session.js ignores one that arrives anyway). The WebRTC side (lib/peer.js
// SharerPeer) answers the helper's offer with the screen track and says `control` `view`.
//
// A lost link to the broker is resumed (several brokers; lib/broker.js): meanwhile the status
// line says so and the capture, the peer and the chat stay (media is peer to peer); a pause
// made meanwhile reaches the helper once resumed. Only a resume that fails stops the capture.
// The helper's link being resumed (`peer_away`) is said the same way, until `peer_back`.
//
// Test hook: `window.glassSharer` mirrors {phase, state, rtc, link ('up', 'resuming', 'lost'),
// resumes, resumable}.

import { BrokerClient } from '/lib/broker.js';
import { formatCode, isCode, normalizeCode } from '/lib/code.js';
import { SharerPeer, iceConfigFrom } from '/lib/peer.js';
import {
  TransitionError, initialSharer, linkStatusId, sharerInSession, sharerNext,
} from '/lib/session.js';
import { renderCard } from '/lib/ui/card.js';
import { ChatPanel } from '/lib/ui/chat.js';
import {
  errorIdFor, focusFirst, known, say, sayWithDetail, setupSignin, viewSwitcher,
} from '/lib/ui/common.js';
import { startL10n } from '/lib/ui/l10n.js';

const $ = (id) => document.getElementById(id);
const showView = viewSwitcher(['view-signin', 'view-code', 'view-helper', 'view-sharing', 'view-ended']);

const hook = { phase: 'idle', state: null, rtc: null, link: 'up', resumes: 0 };
window.glassSharer = hook;

const broker = new BrokerClient();
// Whether a lost link would be resumed (a yes or no: the token itself stays in the client).
Object.defineProperty(hook, 'resumable', { get: () => broker.resumable, enumerable: true });
let l10n = null;
let me = null;
let state = initialSharer();
let peer = null;
// The session's relays (`ice_servers`, after joining); none: direct candidates.
let relays = { iceServers: [], iceTransportPolicy: 'all' };
let stream = null; // the captured screen
let chat = null;
let linkLost = false;

// ---- State ----------------------------------------------------------------------------------

function dispatch(event) {
  try {
    state = sharerNext(state, event, Date.now());
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

const helperName = () => state.helper?.name || '';

/** Shows a message in the alert line; `detail` is a policy rule's own sentence (text only). */
function showAlert(id, args = null, detail = null) {
  sayWithDetail($('alert'), id, args, detail);
  $('alert').hidden = false;
}

// ---- Rendering ------------------------------------------------------------------------------

function viewFor() {
  if (!me) return 'view-signin';
  if (linkLost) return 'view-ended';
  switch (state.phase) {
    case 'idle': case 'joining': return 'view-code';
    case 'joined': case 'asking': case 'choosing': return 'view-helper';
    case 'sharing': case 'paused': return 'view-sharing';
    default: return 'view-ended';
  }
}

function render() {
  const name = helperName();
  $('who').hidden = !me;
  if (me) say($('who'), 'signed-in-as', { name: me.name || '' });
  $('sign-out').hidden = !me;
  const status = !me ? null : linkLost ? 'link-lost' : linkStatusId(state) || `sharer-state-${state.phase}`;
  say($('status'), status, { name });

  const sharing = state.phase === 'sharing' || state.phase === 'paused';
  $('banner').hidden = !sharing;
  if (sharing) {
    say($('banner-text'), state.paused ? 'sharing-banner-paused' : 'sharing-banner', { name });
    $('banner').dataset.paused = String(state.paused);
    $('pause').hidden = state.paused;
    $('resume').hidden = !state.paused;
  }
  document.title = l10n ? l10n.format(sharing ? 'sharing-page-title' : 'sharer-page-title') : document.title;
  document.body.dataset.phase = linkLost ? 'lost' : state.phase;
  hook.link = linkLost ? 'lost' : state.reconnecting ? 'resuming' : 'up';
  document.body.dataset.link = hook.link;
  // Waiting for a link to come back (ours or theirs): the status line stands out.
  $('status').dataset.waiting = String(!linkLost && linkStatusId(state) !== null);

  const inSession = sharerInSession(state);
  $('side').hidden = !me || !state.helper || state.phase === 'idle' || state.phase === 'joining';
  // While our link is being resumed the chat stays open (no focus lost mid-sentence): a line
  // sent meanwhile waits in the broker client and goes out once resumed.
  if (chat) chat.setEnabled(inSession && !linkLost, inSession ? null : 'chat-closed');

  const view = viewFor();
  const changed = showView(view);
  if (view === 'view-code') renderCode();
  if (view === 'view-helper') renderHelper(name);
  if (view === 'view-sharing') {
    $('preview-paused').hidden = !state.paused;
  }
  if (view === 'view-ended') renderEnded(name);

  if (changed) {
    ({
      'view-signin': () => focusFirst('username'),
      'view-code': () => focusFirst('code-input'),
      'view-helper': () => focusFirst('allow', 'leave-early'),
      'view-sharing': () => focusFirst('pause', 'resume'),
      'view-ended': () => focusFirst('again', 'reconnect'),
    })[view]?.();
  } else if (view === 'view-helper' && state.phase === 'asking' && document.activeElement === $('leave-early')) {
    focusFirst('allow'); // the request arrived while the page waited: the answer is the next step
  }
}

function renderCode() {
  const joining = state.phase === 'joining';
  $('join').disabled = joining;
  $('code-input').readOnly = joining;
  const error = state.error ? known(l10n, `error-${state.error}`, 'error-internal') : null;
  $('code-error').hidden = !error;
  $('code-input').setAttribute('aria-invalid', String(Boolean(error)));
  if (error) sayWithDetail($('code-error'), error, null, state.errorDetail);
}

function renderHelper(name) {
  const key = JSON.stringify(state.helper);
  if ($('helper-card').dataset.card !== key) {
    $('helper-card').dataset.card = key;
    renderCard($('helper-card'), state.helper);
    renderCard($('side-card'), state.helper);
  }
  const asking = state.phase === 'asking' || state.phase === 'choosing';
  say($('helper-heading'), asking ? 'consent-heading' : 'helper-heading', { name });
  // A request the broker withdrew because the policy changed says so; a timeout does not
  // (as before: the page simply stops asking).
  const withdrawn = state.notice?.kind === 'consent' && state.notice.reason === 'forbidden';
  say($('helper-message'), state.phase === 'choosing' ? 'choosing-message'
    : asking ? 'consent-explainer' : withdrawn ? 'sharer-request-forbidden' : 'joined-message', { name });
  $('consent-buttons').hidden = !asking;
  $('allow').disabled = $('decline').disabled = state.phase === 'choosing';
}

function renderEnded(name) {
  let heading = 'ended-heading';
  let message = 'sharer-state-ended';
  if (linkLost) {
    heading = 'link-lost-heading';
    message = 'link-lost';
  } else if (state.phase === 'helper_left') {
    message = known(l10n, `helper-left-${state.reason}`, 'helper-left-left');
  } else if (state.reason === 'self') {
    message = 'ended-stopped';
  } else if (state.reason === 'revoked') {
    message = 'ended-revoked';
  }
  say($('ended-heading'), heading);
  say($('ended-message'), message, { name });
  $('again').hidden = linkLost;
  $('reconnect').hidden = !linkLost;
}

// ---- Capture and WebRTC ---------------------------------------------------------------------

function stopCapture() {
  if (peer) {
    peer.close('stopped');
    peer = null;
  }
  if (stream) {
    for (const track of stream.getTracks()) {
      track.onended = null;
      track.stop();
    }
    stream = null;
  }
  $('preview').srcObject = null;
  hook.rtc = null;
}

async function allow() {
  const request = state.request;
  if (!request || !dispatch({ type: 'allow' })) return;
  // Feature detection, never the user agent: no screen capture (mobile browsers) or no WebRTC
  // at all (WebKitGTK without it) declines with a message that says which.
  const noWebrtc = typeof globalThis.RTCPeerConnection !== 'function';
  if (noWebrtc || !navigator.mediaDevices?.getDisplayMedia) {
    broker.consent(request.id, false);
    dispatch({ type: 'decline' });
    showAlert(noWebrtc ? 'webrtc-unsupported' : 'capture-unsupported');
    return;
  }
  let captured;
  try {
    // The Allow click is the user gesture getDisplayMedia needs.
    captured = await navigator.mediaDevices.getDisplayMedia({ video: true, audio: false });
  } catch {
    // The picker was cancelled (or capture refused): that is a decline.
    if (state.phase === 'choosing') {
      broker.consent(request.id, false);
      dispatch({ type: 'decline' });
      showAlert('capture-cancelled');
    }
    return;
  }
  if (state.phase !== 'choosing') {
    // The helper left (or the request timed out) while the picker was open.
    for (const t of captured.getTracks()) t.stop();
    return;
  }
  stream = captured;
  const track = stream.getVideoTracks()[0];
  if ('contentHint' in track) track.contentHint = 'detail';
  // The browser's own "Stop sharing" button ends the track: same as ours.
  track.onended = () => stop();
  $('preview').srcObject = stream;
  peer = new SharerPeer({ track, ...relays });
  peer.addEventListener('signal', (e) => broker.signal(e.detail));
  peer.addEventListener('state', (e) => { hook.rtc = e.detail; });
  broker.consent(request.id, true);
  dispatch({ type: 'captured' });
}

function decline() {
  const request = state.request;
  if (!request || !dispatch({ type: 'decline' })) return;
  broker.consent(request.id, false);
}

async function setPaused(paused) {
  if (!dispatch({ type: paused ? 'pause' : 'resume' })) return;
  try { await peer?.setPaused(paused); } catch (e) { console.warn(`glass: pause: ${e.message || e}`); }
  broker.state('view', paused);
  focusFirst(paused ? 'resume' : 'pause');
}

function stop() {
  stopCapture();
  broker.leave();
  dispatch({ type: 'leave' });
}

// ---- Broker ---------------------------------------------------------------------------------

broker.addEventListener('ice_servers', (e) => { relays = iceConfigFrom(e.detail); });
broker.addEventListener('joined', (e) => {
  relays = { iceServers: [], iceTransportPolicy: 'all' };
  chat?.clear();
  chat?.setKept(e.detail.chat_kept === true);
  dispatch(e.detail);
});
broker.addEventListener('consent_request', (e) => {
  const wasSharing = state.phase === 'sharing' || state.phase === 'paused';
  if (dispatch(e.detail) && wasSharing && state.phase === 'asking') stopCapture();
});
broker.addEventListener('error', (e) => {
  dispatch({ type: 'error', code: e.detail.code, message: e.detail.message });
  if (state.phase !== 'idle') showAlert(known(l10n, `error-${e.detail.code}`, 'error-internal'), null, state.errorDetail);
});
// The broker closes our prompt: the request timed out, or the organisation's policy changed
// while it was pending (`forbidden`). A picker still open is dealt with by allow().
broker.addEventListener('consent_result', (e) => {
  const prompting = state.phase === 'asking' || state.phase === 'choosing';
  if (dispatch(e.detail) && prompting && state.phase === 'joined') focusFirst('leave-early');
});
// The policy now allows the helper at most `level`: a web sharer shares view only already, so
// nothing changes but the words.
broker.addEventListener('level_limited', (e) => {
  if (dispatch(e.detail)) showAlert('sharer-level-limited', { name: helperName() });
});
broker.addEventListener('signal', (e) => {
  peer?.handleSignal(e.detail).catch((err) => console.warn(`glass: signal: ${err.message || err}`));
});
broker.addEventListener('chat_message', (e) => chat?.add(e.detail));
for (const type of ['peer_left', 'ended']) {
  broker.addEventListener(type, (e) => {
    if (dispatch(e.detail)) stopCapture();
  });
}
// Our link is being resumed: the capture and the peer stay (media is peer to peer).
broker.addEventListener('resuming', () => dispatch({ type: 'resuming' }));
broker.addEventListener('resumed', (e) => {
  hook.resumes++;
  dispatch(e.detail);
});
broker.addEventListener('peer_away', (e) => dispatch(e.detail));
broker.addEventListener('peer_back', (e) => dispatch(e.detail));
// The link is gone for good: nothing to resume (one broker), or resuming failed.
broker.addEventListener('lost', () => {
  linkLost = true;
  stopCapture();
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
  }
  render();
}

// ---- Actions --------------------------------------------------------------------------------

const signin = setupSignin({
  broker,
  status: $('status'),
  onSignedIn: async (card) => {
    me = card;
    await connectLink();
  },
});

$('sign-out').addEventListener('click', async () => {
  stopCapture();
  try { await broker.logout(); } catch { /* signed out locally anyway */ }
  me = null;
  linkLost = false;
  state = initialSharer();
  chat?.clear();
  render();
});

$('code-input').addEventListener('blur', () => {
  const value = $('code-input').value;
  if (value.trim()) $('code-input').value = formatCode(value);
});

$('code-form').addEventListener('submit', (event) => {
  event.preventDefault();
  $('alert').hidden = true;
  const value = $('code-input').value;
  if (!isCode(value)) {
    $('code-error').hidden = false;
    say($('code-error'), 'code-bad-format');
    $('code-input').setAttribute('aria-invalid', 'true');
    $('code-input').focus();
    return;
  }
  if (!dispatch({ type: 'redeem', code: value })) return;
  if (!broker.redeem(normalizeCode(value), 'web')) {
    linkLost = true;
    render();
  }
});

$('allow').addEventListener('click', () => allow());
$('decline').addEventListener('click', () => decline());
$('pause').addEventListener('click', () => setPaused(true));
$('resume').addEventListener('click', () => setPaused(false));
$('stop').addEventListener('click', () => stop());
$('leave-early').addEventListener('click', () => {
  if (state.request) broker.consent(state.request.id, false);
  stop();
});
$('again').addEventListener('click', () => {
  $('alert').hidden = true;
  $('code-input').value = '';
  chat?.clear();
  dispatch({ type: 'reset' });
});
$('reconnect').addEventListener('click', () => connectLink());

window.addEventListener('pagehide', () => {
  if (sharerInSession(state)) {
    stopCapture();
    broker.leave();
  }
});

// An unanswered request is declined by the broker after 60 s: stop asking then.
setInterval(() => { if (state.phase === 'asking') dispatch({ type: 'tick' }); }, 1000);

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
    role: 'sharer',
    onSend: (text) => broker.chat(text),
  });
  render();
  try {
    me = await broker.me();
  } catch (e) {
    signin.showError(errorIdFor(e));
  }
  if (me) await connectLink();
  render();
}

main();
