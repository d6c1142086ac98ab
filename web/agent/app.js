// Glass agent: the sharer's approval page (agent/src/local_ui.rs serves it on 127.0.0.1 only).
// It shows who the helper is, asks Allow / Decline when they ask to see or control the screen,
// and while something is shared shows at what level, with Pause / Resume, Take back control
// and Stop, and the chat.
//
// The page acts only with the secret Glass put in the address's fragment (`#…`): it is kept in
// this tab's sessionStorage, removed from the address bar and sent in the X-Glass-Ui header of
// every API call, never as a cookie. Opened without it, the page shows how to open it and can
// do nothing. The event stream is read with fetch (EventSource cannot send a header).
//
// Under the helper's card, a line says how Glass on this computer checked who they are
// (`state.helper_identity`, agent/src/local_ui.rs): verified here with their issuer, vouched
// for by the help desk server only, or not verified.
//
// Test hook: `window.glassAgentUi` mirrors {link, state, actions}.

import { renderCard } from '/lib/ui/card.js';
import { ChatPanel } from '/lib/ui/chat.js';
import {
  focusFirst, known, say, sayWithDetail,
} from '/lib/ui/common.js';
import { startL10n } from '/lib/ui/l10n.js';

const $ = (id) => document.getElementById(id);
const SECRET_PATTERN = /^[0-9a-f]{64}$/;
const STORAGE = 'glass.agentUi';
/** Allow is enabled this long after a question appears, so a click meant for something else
 *  (the question took its place) cannot answer it. */
const ALLOW_DELAY_MS = 1000;
const ENDED_REASONS = new Set(['left', 'lost', 'stopped', 'expired', 'broker_lost', 'revoked']);
/** How the helper was checked → its message and mark (an unknown kind counts as unverified). */
const IDENTITY = {
  verified: { id: 'agent-identity-verified', mark: '✓' },
  broker: { id: 'agent-identity-broker', mark: null },
  unverified: { id: 'agent-identity-unverified', mark: '⚠' },
};
/** Stands for the issuer while the sentence is formatted (a private-use character). */
const ISSUER_SLOT = '\uE000';

const hook = { link: 'connecting', state: null, actions: [] };
window.glassAgentUi = hook;

let l10n = null;
let chat = null;
let secret = null;
let link = 'connecting'; // nosecret | connecting | open | lost | forbidden
let state = null; // the last `state` event
let screens = null; // the last `displays` event: {displays: [{id, name, width, height, thumbnail}], current}
let question = null; // {id, shownAt, deadline} on this page's clock
let busy = false; // an action is on its way
let localAlert = null;
let ticker = null;

// ---- The secret -----------------------------------------------------------------------------

function takeSecret() {
  const fromHash = location.hash.slice(1);
  if (SECRET_PATTERN.test(fromHash)) {
    try { sessionStorage.setItem(STORAGE, fromHash); } catch { /* storage off: this load only */ }
    // Out of the address bar (and so out of a shared screen and of bookmarks).
    history.replaceState(null, '', location.pathname);
    return fromHash;
  }
  try {
    const kept = sessionStorage.getItem(STORAGE);
    if (kept && SECRET_PATTERN.test(kept)) return kept;
  } catch { /* no storage */ }
  return null;
}

// ---- Talking to Glass -----------------------------------------------------------------------

async function act(body) {
  if (!secret || link !== 'open') return false;
  busy = true;
  render();
  let ok = false;
  try {
    const response = await fetch('/api/action', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'X-Glass-Ui': secret },
      body: JSON.stringify(body),
      cache: 'no-store',
      credentials: 'omit',
    });
    ok = response.status === 204;
  } catch {
    ok = false;
  }
  busy = false;
  localAlert = ok ? null : 'agent-action-failed';
  hook.actions.push({ type: body.type, ok });
  render();
  return ok;
}

/** Server-sent events from a fetch body: calls `onEvent(name, data)` per complete event. */
async function readEvents(body, onEvent) {
  const reader = body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return;
    buffer += value.replace(/\r\n?/g, '\n');
    let end;
    while ((end = buffer.indexOf('\n\n')) >= 0) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      let name = 'message';
      const data = [];
      for (const line of block.split('\n')) {
        if (line.startsWith('event:')) name = line.slice(6).trim();
        else if (line.startsWith('data:')) data.push(line.slice(5).replace(/^ /, ''));
      }
      if (data.length) {
        try { onEvent(name, JSON.parse(data.join('\n'))); } catch (e) { console.warn(`glass: event: ${e.message}`); }
      }
    }
  }
}

async function listen() {
  for (let attempt = 0; ; attempt++) {
    try {
      const response = await fetch('/api/events', {
        headers: { 'X-Glass-Ui': secret }, cache: 'no-store', credentials: 'omit',
      });
      if (response.status === 403) {
        setLink('forbidden');
        return;
      }
      if (!response.ok || !response.body) throw new Error(`HTTP ${response.status}`);
      attempt = 0;
      setLink('open');
      await readEvents(response.body, handleEvent);
    } catch { /* below */ }
    setLink('lost');
    await new Promise((resolve) => setTimeout(resolve, Math.min(5000, 500 * 2 ** attempt)));
  }
}

function setLink(value) {
  link = value;
  hook.link = value;
  render();
}

function handleEvent(name, data) {
  if (name === 'state') {
    state = data;
    hook.state = data;
    trackQuestion(data.question);
    render();
  } else if (name === 'chat') {
    chat?.add(data);
  } else if (name === 'displays') {
    screens = data;
    hook.displays = data;
    render();
  }
}

/** The countdown runs on this page's clock from what was left when Glass sent the state. */
function trackQuestion(q) {
  if (!q) {
    question = null;
    return;
  }
  const now = performance.now();
  const shownAt = question?.id === q.id ? question.shownAt : now;
  const isNew = question?.id !== q.id;
  question = { id: q.id, shownAt, deadline: now + q.remaining_ms };
  if (isNew) {
    localAlert = null;
    // Allow turns on when the delay is over: render again then.
    setTimeout(render, ALLOW_DELAY_MS + 20);
  }
}

// ---- Rendering ------------------------------------------------------------------------------

const VIEWS = ['view-wait', 'view-helper', 'view-ended'];
let shownView = null;
let focusedQuestion = null;

function endedMessage(reason) {
  if (ENDED_REASONS.has(reason)) return `agent-ended-${reason}`;
  return known(l10n, `error-${reason}`, 'agent-ended-other');
}

function render() {
  document.body.dataset.link = link;
  const s = link === 'open' ? state : null;
  const ended = state?.ended ?? null;
  const helper = s?.question?.helper || s?.helper || null;
  const name = helper?.name || '';
  const me = state?.me;
  $('who').hidden = !me;
  if (me) say($('who'), 'signed-in-as', { name: me.name || '' });

  // Which panel.
  let view = 'view-wait';
  let wait = 'agent-connecting';
  if (link === 'nosecret' || link === 'forbidden') wait = 'agent-no-secret';
  else if (ended && (link === 'open' || link === 'lost')) view = 'view-ended';
  else if (link === 'lost') wait = 'agent-disconnected';
  else if (s && helper) view = 'view-helper';
  else if (s) wait = 'agent-joining';
  for (const v of VIEWS) $(v).hidden = v !== view;
  const viewChanged = view !== shownView;
  shownView = view;

  // The banner: whenever something is shared.
  const level = s && !ended ? s.level : null;
  $('banner').hidden = !level;
  if (level) {
    const text = s.paused ? 'agent-banner-paused' : `agent-banner-${level === 'full' ? 'full' : 'view'}`;
    say($('banner-text'), text, { name });
    $('banner').dataset.paused = String(s.paused);
    $('banner').dataset.level = level;
    $('pause').hidden = s.paused;
    $('resume').hidden = !s.paused;
    $('takeback').hidden = level !== 'full';
    for (const id of ['pause', 'resume', 'takeback', 'stop']) $(id).disabled = busy;
  }
  say(document.querySelector('title'), level ? 'sharing-page-title' : 'agent-page-title');

  // The status line (polite): what is going on, in one sentence.
  // While a question is on screen it speaks for itself (an alertdialog with the focus).
  let status = wait;
  if (view === 'view-helper' && s.question) status = null;
  else if (view === 'view-ended') status = endedMessage(ended);
  // Several brokers: this device's link, or the helper's, is being resumed; sharing goes on
  // as allowed meanwhile.
  else if (s?.connection === 'reconnecting') status = 'link-resuming';
  else if (s?.connection === 'helper_away') status = 'peer-away';
  else if (level) status = s.paused ? 'agent-banner-paused' : `agent-banner-${level === 'full' ? 'full' : 'view'}`;
  else if (view === 'view-helper') status = 'joined-message';
  say($('status'), status, { name });
  // The banner shows the same sentence: the live region stays, out of sight.
  $('status').classList.toggle('visually-hidden',
    Boolean(level) && view !== 'view-ended' && !s?.connection);

  // Alerts: Glass's error (in the UI language), else this page's. A policy refusal
  // (`forbidden`) also shows the rule's own sentence, as text, and so does a full-control
  // request this computer cannot grant (`control_unavailable`: which macOS setting to switch
  // on; English until the catalogues have a sentence for it).
  const alert = s?.error ? known(l10n, `error-${s.error.code}`, 'error-internal') : localAlert;
  const withDetail = s?.error?.code === 'forbidden' || s?.error?.code === 'control_unavailable';
  const detail = withDetail && typeof s.error.message === 'string' ? s.error.message : null;
  $('alert').hidden = !alert;
  if (alert) sayWithDetail($('alert'), alert, null, detail);

  if (view === 'view-wait') say($('wait-message'), wait);
  if (view === 'view-ended') say($('ended-message'), endedMessage(ended), { name });
  if (view === 'view-helper') renderHelper(s, helper, name);
  renderScreens(view === 'view-helper' && !ended);

  // The chat: from the moment the helper is known; closed when the session is.
  $('side').hidden = !state?.helper;
  if (chat) chat.setEnabled(link === 'open' && !ended, link === 'open' && !ended ? null : 'chat-closed');
  chat?.setKept(state?.chat_kept === true);

  if (viewChanged && view === 'view-ended') focusFirst('ended-heading');
  if (viewChanged && view === 'view-helper' && !s.question) focusFirst('pause', 'resume');
}

/**
 * Which screen is shared: one radio button per screen, with what it shows now (a thumbnail
 * taken on this computer), before Allow and while sharing. Names are text, never markup.
 */
function renderScreens(show) {
  const list = Array.isArray(screens?.displays) ? screens.displays : [];
  $('screens').hidden = !show || list.length < 2;
  if ($('screens').hidden) return;
  const key = JSON.stringify([list.map((d) => [d.id, d.name, d.width, d.height, d.thumbnail]), l10n?.lang]);
  const box = $('screen-list');
  if (box.dataset.key !== key) {
    box.dataset.key = key;
    box.replaceChildren(...list.map((d) => {
      const label = document.createElement('label');
      label.className = 'screen';
      const radio = document.createElement('input');
      radio.type = 'radio';
      radio.name = 'screen';
      radio.value = d.id;
      radio.addEventListener('change', () => { if (radio.checked) act({ type: 'display', id: d.id }); });
      const picture = document.createElement('img');
      picture.alt = '';
      if (typeof d.thumbnail === 'string' && d.thumbnail.startsWith('data:image/png;base64,')) picture.src = d.thumbnail;
      const text = document.createElement('span');
      const name = d.id === 'root' && l10n ? l10n.format('display-all') : String(d.name);
      text.textContent = `${name} (${d.width}×${d.height})`;
      label.append(radio, picture, text);
      return label;
    }));
  }
  for (const radio of box.querySelectorAll('input')) {
    radio.checked = radio.value === screens.current;
    radio.disabled = busy;
  }
}

function renderHelper(s, helper, name) {
  const key = JSON.stringify(helper);
  if ($('helper-card').dataset.card !== key) {
    $('helper-card').dataset.card = key;
    renderCard($('helper-card'), helper);
  }
  renderIdentity(s.helper_identity);
  const q = s.question;
  $('question').hidden = !q;
  let message = null;
  if (!q) {
    if (s.notice === 'expired') message = 'agent-expired';
    else if (s.notice === 'declined') message = 'agent-declined';
    else if (s.notice === 'allowed' && !s.level) message = 'agent-allowed';
    else if (!s.level) message = 'joined-message';
  }
  $('helper-message').hidden = !message;
  if (message) say($('helper-message'), message, { name });
  if (!q) {
    stopTicker();
    return;
  }
  const full = q.level === 'full';
  $('question').dataset.level = q.level;
  say($('question-text'), full ? 'agent-ask-full' : 'agent-ask-view', { name });
  say($('question-explain'), full ? 'agent-explain-full' : 'agent-explain-view', { name });
  tick();
  if (!ticker) ticker = setInterval(tick, 250);
  if (focusedQuestion !== q.id) {
    focusedQuestion = q.id;
    // The safe answer has the focus: an Enter meant for something else declines.
    focusFirst('decline');
  }
}

/**
 * The identity line. The issuer's URL goes in a <bdi> of its own (an address keeps its
 * left-to-right order in an Arabic or Hebrew sentence): the sentence is formatted with a
 * placeholder, which is then replaced by the element. Text only, never markup.
 */
function renderIdentity(identity) {
  const line = $('helper-identity');
  const kind = identity && IDENTITY[identity.kind] ? identity.kind : identity ? 'unverified' : null;
  const issuer = kind === 'verified' && typeof identity.issuer === 'string' ? identity.issuer : '';
  const key = JSON.stringify([kind, issuer, l10n?.lang]);
  if (line.dataset.key === key) return;
  line.dataset.key = key;
  line.hidden = !kind || !l10n;
  line.replaceChildren();
  if (line.hidden) {
    delete line.dataset.kind;
    return;
  }
  line.dataset.kind = kind;
  const { id, mark } = IDENTITY[kind];
  if (mark) {
    const m = document.createElement('span');
    m.className = 'helper-identity-mark';
    m.setAttribute('aria-hidden', 'true');
    m.textContent = mark;
    line.append(m);
  }
  const text = document.createElement('span');
  text.className = 'helper-identity-text';
  const sentence = l10n.format(id, kind === 'verified' ? { issuer: ISSUER_SLOT } : {});
  const [before, ...after] = sentence.split(ISSUER_SLOT);
  // Fluent isolates the placeable (FSI … PDI); the <bdi> does that now.
  const strip = (t) => t.replace(/[\u2066-\u2069]/g, '');
  text.append(document.createTextNode(strip(before)));
  if (after.length) {
    const bdi = document.createElement('bdi');
    bdi.className = 'helper-identity-issuer';
    bdi.dir = 'ltr';
    bdi.textContent = issuer;
    text.append(bdi, document.createTextNode(strip(after.join(''))));
  }
  line.append(text);
}

function tick() {
  if (!question) return;
  const now = performance.now();
  const left = Math.max(0, question.deadline - now);
  say($('question-time'), 'agent-time-left', { seconds: Math.ceil(left / 1000) });
  const over = left <= 0;
  $('allow').disabled = busy || over || now - question.shownAt < ALLOW_DELAY_MS;
  $('decline').disabled = busy || over;
  $('question').dataset.over = String(over);
}

function stopTicker() {
  if (ticker) clearInterval(ticker);
  ticker = null;
}

// ---- Actions --------------------------------------------------------------------------------

function answer(allow) {
  if (!question || busy) return;
  if (allow && performance.now() - question.shownAt < ALLOW_DELAY_MS) return;
  act({ type: 'answer', id: question.id, allow });
}

$('allow').addEventListener('click', () => answer(true));
$('decline').addEventListener('click', () => answer(false));
$('question').addEventListener('keydown', (event) => {
  if (event.key === 'Escape') {
    event.preventDefault();
    answer(false);
  }
});
$('pause').addEventListener('click', async () => {
  if (await act({ type: 'pause' })) focusFirst('resume');
});
$('resume').addEventListener('click', async () => {
  if (await act({ type: 'resume' })) focusFirst('pause');
});
$('takeback').addEventListener('click', () => act({ type: 'takeback' }));
$('stop').addEventListener('click', () => act({ type: 'stop' }));

// ---- Start ----------------------------------------------------------------------------------

async function main() {
  secret = takeSecret();
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
    onSend: (text) => {
      if (link !== 'open') return false;
      act({ type: 'chat', text });
      return true;
    },
  });
  if (!secret) {
    setLink('nosecret');
    return;
  }
  render();
  listen();
}

main();
