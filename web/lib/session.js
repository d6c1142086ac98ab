// The help session as each side's UI sees it: pure state machines, no DOM, no clock, no I/O.
//
//   next = helperNext(state, event, now)   // or sharerNext
//
// `event` is either a message from the broker as it arrived (`{type: 'sharer_joined', ...}`,
// docs/session-protocol.md) or a local action of this side's user (`{type: 'request', level}`,
// `{type: 'leave'}`, ...), or `{type: 'tick'}` for the passing of time; `now` is the wallclock
// in ms, passed in. States are frozen objects; a transition returns a new one. An event that
// makes no sense in the current phase throws a TransitionError and changes nothing (the UI logs
// it and carries on): the broker is the judge of the protocol, this only keeps the UI honest.
//
// Helper phases:
//   idle ─code→ waiting_sharer ─sharer_joined→ sharer_joined ─request→ waiting_approval
//   waiting_approval ─consent_result allow→ connected ⇄ paused (sharer_state)
//   waiting_approval ─consent_result deny→ declined ─request→ waiting_approval
//   waiting_sharer ─tick past expiry / ended expired→ expired
//   any session phase ─peer_left→ sharer_left, ─ended / leave / lost→ ended
//   connected|paused ─level_limited→ the same phase at the lower level (never a higher one)
// The organisation's policy (docs/policy.md) reaches the helper as `sharer_joined.warnings`
// (kept until the next session; they never block), `sharer_joined.max_level` (full control is
// offered only when it is `full`), `level_limited` (lowers the level and the maximum for the
// rest of the session), the error `forbidden`, `consent_result` `forbidden` and the leave
// reason `revoked`.
// Sharer phases:
//   idle ─redeem→ joining ─joined→ joined ─consent_request view→ asking ─allow→ choosing
//   choosing ─captured→ sharing ⇄ paused;  asking|choosing ─decline / tick past deadline→ joined
//   sharing|paused ─consent_request view→ asking (our consent lapsed: ask again)
//   joining ─error→ idle;  any session phase ─peer_left→ helper_left, ─ended / leave / lost→ ended
//   asking|choosing ─consent_result forbidden / timeout→ joined (the broker withdrew the request)
//
// Resuming (several brokers; lib/broker.js does the work): two flags beside the phase, in
// both states. `reconnecting`: our own link is being resumed (`resuming` from the broker
// client) — the phase, the picture and the chat stay; `resumed` clears it and says what the
// session holds now (`level`, `paused`, `peer_present`); `lost` (resuming failed) ends as
// before. `peerAway`: the other side's link is (`peer_away`), until `peer_back`, or the
// `peer_left` `lost` that ends the session after 10 s. Both clear whenever a session ends.

/** Unanswered consent requests are declined by the broker after this long. */
export const CONSENT_TIMEOUT_MS = 60_000;

export const HELPER_PHASES = Object.freeze([
  'idle', 'waiting_sharer', 'expired', 'sharer_joined', 'waiting_approval', 'declined',
  'connected', 'paused', 'sharer_left', 'ended',
]);

export const SHARER_PHASES = Object.freeze([
  'idle', 'joining', 'joined', 'asking', 'choosing', 'sharing', 'paused', 'helper_left', 'ended',
]);

/** Errors that refuse a `request`: the request is no longer pending. */
const REQUEST_REFUSALS = new Set(['not_allowed', 'rate_limited', 'busy', 'malformed', 'internal', 'forbidden']);

/** Device warnings of `sharer_joined` this client knows; others are kept as `other`. */
export const WARNING_KINDS = Object.freeze([
  'device_not_enrolled', 'device_not_compliant', 'device_compliance_unknown',
]);

/** Limits on what is kept of the broker's free text (it is shown, so keep it short). */
const MAX_REASONS = 16;
const MAX_TEXT = 300; // code points

function clip(text) {
  const chars = Array.from(String(text));
  return chars.length > MAX_TEXT ? `${chars.slice(0, MAX_TEXT - 1).join('')}…` : chars.join('');
}

/**
 * The warnings of a `sharer_joined`, checked and frozen: `[{kind, reasons}]`, where `kind` is
 * one of WARNING_KINDS or `other` and `reasons` (strings, the administrator's or the MDM's
 * words) is empty but for `device_not_compliant`.
 */
export function cleanWarnings(warnings) {
  if (!Array.isArray(warnings)) return Object.freeze([]);
  const out = [];
  for (const w of warnings.slice(0, MAX_REASONS)) {
    if (!w || typeof w !== 'object') continue;
    const kind = WARNING_KINDS.includes(w.kind) ? w.kind : 'other';
    const reasons = kind === 'device_not_compliant' && Array.isArray(w.reasons)
      ? w.reasons.filter((r) => typeof r === 'string' && r.trim()).slice(0, MAX_REASONS).map(clip) : [];
    if (out.some((o) => o.kind === kind && o.reasons.join('\n') === reasons.join('\n'))) continue;
    out.push(Object.freeze({ kind, reasons: Object.freeze(reasons) }));
  }
  return Object.freeze(out);
}

/** The text an `error` carries that is worth showing: a `forbidden` rule's own sentence. */
function errorDetail(event) {
  return event.code === 'forbidden' && typeof event.message === 'string' && event.message.trim()
    ? clip(event.message.trim()) : null;
}

export class TransitionError extends Error {
  constructor(phase, type, why = 'not expected') {
    super(`${type} in phase ${phase}: ${why}`);
    this.name = 'TransitionError';
    this.phase = phase;
    this.type = type;
    this.why = why;
  }
}

const LEVELS = ['view', 'full'];
const lower = (a, b) => (LEVELS.indexOf(a) <= LEVELS.indexOf(b) ? a : b);
const isLevel = (l) => LEVELS.includes(l);

/**
 * What the status line says about the links while a session waits for one (either side's
 * state): `link-resuming` (ours is being resumed), `peer-away` (theirs; with `{ $name }`), or
 * null when both are up and the phase speaks.
 */
export function linkStatusId(state) {
  if (state.reconnecting) return 'link-resuming';
  if (state.peerAway) return 'peer-away';
  return null;
}

/** Both links up: what ending a session, or resuming ours, leaves of the resume flags. */
const LINK_UP = Object.freeze({ reconnecting: false, peerAway: false });

function make(base, changes) {
  return Object.freeze({ ...base, ...changes });
}

// ---- Helper ---------------------------------------------------------------------------------

const HELPER_EMPTY = Object.freeze({
  phase: 'idle',
  code: null, // canonical code ("4060R0GX")
  display: null, // as shown ("4060 R0GX")
  expiresAt: null, // Unix ms
  sharer: null, // Card
  client: null, // 'agent' | 'web'
  level: null, // granted: 'view' | 'full' | null
  pending: null, // requested and unanswered: 'view' | 'full' | null
  paused: false,
  reason: null, // why the phase is what it is: consent or leave reason
  notice: null, // {kind, reason, detail} the UI shows: an escalation declined, an error, a limit
  warnings: Object.freeze([]), // about the sharer's device (cleanWarnings), until the next session
  maxLevel: null, // the most the policy lets this helper ask of this sharer: 'view' | 'full'
  reconnecting: false, // our link to the broker is being resumed
  peerAway: false, // the sharer's link is being resumed
});

export function initialHelper() {
  return HELPER_EMPTY;
}

/**
 * Why full control cannot be asked of this sharer at all, or null when it can (now or after
 * view): `not_supported` (a web sharer's browser cannot be controlled), `policy` (the
 * organisation's policy allows this helper at most view: `max_level`, `level_limited`).
 */
export function helperFullRefusal(state) {
  if (state.client === 'web') return 'not_supported';
  if (state.maxLevel !== 'full') return 'policy';
  return null;
}

/** Whether the helper may ask for `level` now (the UI offers the button only then). */
export function helperCanRequest(state, level) {
  if (!isLevel(level) || state.pending || !state.client) return false;
  if (level === 'full' && helperFullRefusal(state)) return false;
  if (state.phase === 'sharer_joined' || state.phase === 'declined') return true;
  return (state.phase === 'connected' || state.phase === 'paused')
    && level === 'full' && state.level === 'view';
}

/** Whether a session with a sharer exists (chat is possible). */
export function helperInSession(state) {
  return ['sharer_joined', 'waiting_approval', 'declined', 'connected', 'paused'].includes(state.phase);
}

export function helperNext(state, event, now = 0) {
  const { phase } = state;
  const fail = (why) => { throw new TransitionError(phase, event.type, why); };
  const live = helperInSession(state);
  switch (event.type) {
    case 'code':
      if (live || phase === 'waiting_approval') fail('a session is active');
      if (typeof event.code !== 'string' || typeof event.expires_at !== 'number') fail('malformed');
      return make(HELPER_EMPTY, {
        phase: 'waiting_sharer',
        code: event.code,
        display: event.display || event.code,
        expiresAt: event.expires_at,
      });
    case 'sharer_joined':
      if (phase !== 'waiting_sharer' && phase !== 'expired') fail('no code out');
      return make(state, {
        phase: 'sharer_joined',
        sharer: event.sharer || null,
        client: event.client === 'agent' ? 'agent' : 'web',
        notice: null,
        warnings: cleanWarnings(event.warnings),
        // Absent: a broker from before policies, which allowed both (as its serde default).
        // Anything but `full` offers view only: the broker judges anyway.
        maxLevel: event.max_level === undefined || event.max_level === 'full' ? 'full' : 'view',
      });
    case 'request':
      if (!isLevel(event.level)) fail('unknown level');
      if (event.level === 'full' && state.client === 'web') fail('not_supported');
      if (event.level === 'full' && state.maxLevel !== 'full') fail('forbidden');
      if (!helperCanRequest(state, event.level)) fail('request not possible now');
      return make(state, {
        phase: live && state.level ? phase : 'waiting_approval',
        pending: event.level,
        notice: null,
      });
    case 'consent_result': {
      if (!state.pending) fail('no request pending');
      if (event.allow) {
        // Never above what the policy allows: a limit lasts for the session (docs/policy.md).
        const granted = isLevel(event.level) ? event.level : state.pending;
        const level = state.maxLevel ? lower(granted, state.maxLevel) : granted;
        return make(state, {
          phase: phase === 'paused' ? 'paused' : 'connected', level, pending: null, reason: null,
        });
      }
      const reason = event.reason || 'declined';
      if (state.level) {
        // An escalation was declined: the session stays at its level.
        return make(state, { pending: null, notice: { kind: 'escalation', reason } });
      }
      return make(state, { phase: 'declined', pending: null, reason });
    }
    case 'sharer_state': {
      if (phase !== 'connected' && phase !== 'paused') fail('not connected');
      // The sharer can lower the level (take back control), never raise it.
      const level = isLevel(event.level) ? lower(state.level, event.level) : state.level;
      const paused = Boolean(event.paused);
      return make(state, { phase: paused ? 'paused' : 'connected', level, paused });
    }
    case 'level_limited': {
      // The policy lowered what this helper may hold: the level in force and the most that can
      // be asked for drop to it; a limit never raises anything (docs/policy.md: it lasts for
      // the session). A pending request above it is the broker's to refuse (`forbidden`).
      if (!live) fail('no session');
      if (!isLevel(event.level)) fail('unknown level');
      return make(state, {
        level: state.level ? lower(state.level, event.level) : null,
        maxLevel: state.maxLevel ? lower(state.maxLevel, event.level) : event.level,
        notice: { kind: 'limited', reason: event.level },
      });
    }
    case 'release':
      if ((phase !== 'connected' && phase !== 'paused') || state.level !== 'full') fail('no control to give back');
      return make(state, { level: 'view' });
    case 'tick':
      if (phase === 'waiting_sharer' && state.expiresAt !== null && now >= state.expiresAt) {
        return make(state, { phase: 'expired' });
      }
      return state;
    case 'peer_left':
      if (phase === 'waiting_sharer' && event.reason === 'expired') return make(state, { phase: 'expired' });
      if (!live) fail('no sharer');
      return make(state, {
        phase: 'sharer_left', reason: event.reason || 'left', pending: null, level: null, paused: false, ...LINK_UP,
      });
    case 'ended':
      if (phase === 'idle' || phase === 'sharer_left' || phase === 'ended' || phase === 'expired') return state;
      if (phase === 'waiting_sharer' && event.reason === 'expired') return make(state, { phase: 'expired' });
      return make(state, {
        phase: 'ended', reason: event.reason || 'ended', pending: null, level: null, paused: false, ...LINK_UP,
      });
    case 'leave':
    case 'lost':
      if (phase === 'idle') return make(state, LINK_UP);
      return make(state, {
        phase: 'ended', reason: event.type === 'leave' ? 'self' : 'lost_link', pending: null, level: null, paused: false,
        ...LINK_UP,
      });
    case 'resuming':
      // Our link is being resumed: everything stays as it is meanwhile.
      return live ? make(state, { reconnecting: true }) : state;
    case 'resumed': {
      if (!live) return make(state, LINK_UP);
      const back = { reconnecting: false, peerAway: event.peer_present === false };
      // What the session holds now: a level in force (granted, perhaps while we were away;
      // never above the policy's most), paused or not. No level while we were connected: the
      // sharer's consent lapsed meanwhile.
      if (isLevel(event.level)) {
        const level = state.maxLevel ? lower(event.level, state.maxLevel) : event.level;
        const paused = Boolean(event.paused);
        const answered = state.pending && LEVELS.indexOf(level) >= LEVELS.indexOf(state.pending);
        return make(state, {
          ...back, phase: paused ? 'paused' : 'connected', level, paused, pending: answered ? null : state.pending,
        });
      }
      if (phase === 'connected' || phase === 'paused') {
        return make(state, { ...back, phase: 'sharer_joined', level: null, paused: false, pending: null });
      }
      return make(state, back);
    }
    case 'peer_away':
      return live ? make(state, { peerAway: true }) : state;
    case 'peer_back':
      return make(state, { peerAway: false });
    case 'error': {
      const detail = errorDetail(event);
      const notice = { kind: 'error', reason: event.code || 'internal', ...(detail ? { detail } : {}) };
      if (state.pending && REQUEST_REFUSALS.has(event.code)) {
        return make(state, { phase: state.level ? phase : 'sharer_joined', pending: null, notice });
      }
      return make(state, { notice });
    }
    case 'reset':
      return HELPER_EMPTY;
    default:
      return fail('unknown event');
  }
}

// ---- Sharer ---------------------------------------------------------------------------------

const SHARER_EMPTY = Object.freeze({
  phase: 'idle',
  session: null, // the broker's session id
  helper: null, // Card
  request: null, // {id, level, deadline} being asked
  level: null, // 'view' while sharing
  paused: false,
  reason: null,
  error: null, // the last refusal's code (`code_invalid`, `locked_out`, `forbidden`, ...)
  errorDetail: null, // with `forbidden`: the policy's own sentence, shown as text
  notice: null, // {kind, reason}: a request withdrawn (`consent`), a policy limit (`limited`)
  reconnecting: false, // our link to the broker is being resumed
  peerAway: false, // the helper's link is being resumed
});

export function initialSharer() {
  return SHARER_EMPTY;
}

/** Whether a session with a helper exists (chat is possible). */
export function sharerInSession(state) {
  return ['joined', 'asking', 'choosing', 'sharing', 'paused'].includes(state.phase);
}

export function sharerNext(state, event, now = 0) {
  const { phase } = state;
  const fail = (why) => { throw new TransitionError(phase, event.type, why); };
  const live = sharerInSession(state);
  switch (event.type) {
    case 'redeem':
      if (phase !== 'idle' && phase !== 'helper_left' && phase !== 'ended') fail('already in a session');
      return make(SHARER_EMPTY, { phase: 'joining' });
    case 'joined':
      if (phase !== 'joining') fail('no code sent');
      return make(state, {
        phase: 'joined', session: event.session ?? null, helper: event.helper || null, error: null, errorDetail: null,
      });
    case 'error': {
      const error = { error: event.code || 'internal', errorDetail: errorDetail(event) };
      if (phase === 'joining') return make(SHARER_EMPTY, error);
      return make(state, error);
    }
    case 'consent_request':
      // A web sharer cannot give full control: the broker answers such a request itself, and
      // one that reaches us anyway is never shown.
      if (event.level !== 'view') return state;
      // While sharing, a new view request means the broker no longer counts our consent (it
      // timed out while the picker was open): the capture stops and the user is asked again.
      if (phase !== 'joined' && phase !== 'sharing' && phase !== 'paused') fail('not waiting for a request');
      return make(state, {
        phase: 'asking',
        level: null,
        paused: false,
        notice: null,
        helper: event.helper || state.helper,
        request: Object.freeze({ id: event.id, level: 'view', deadline: now + CONSENT_TIMEOUT_MS }),
      });
    case 'allow':
      if (phase !== 'asking') fail('nothing asked');
      return make(state, { phase: 'choosing' });
    case 'captured':
      if (phase !== 'choosing') fail('not choosing');
      return make(state, { phase: 'sharing', level: 'view', paused: false, request: null });
    case 'decline':
      if (phase !== 'asking' && phase !== 'choosing') fail('nothing asked');
      return make(state, { phase: 'joined', request: null });
    case 'consent_result': {
      // Sent to the sharer only to close its prompt: the request timed out, or the policy
      // changed while it was pending (`forbidden`). Never an allow (docs/session-protocol.md):
      // one is ignored, as is a result for a request no longer on screen.
      const asked = (phase === 'asking' || phase === 'choosing') && state.request;
      if (event.allow || !asked || (event.id !== undefined && event.id !== state.request.id)) return state;
      const reason = typeof event.reason === 'string' ? event.reason : 'declined';
      return make(state, { phase: 'joined', request: null, notice: { kind: 'consent', reason } });
    }
    case 'level_limited':
      // A web sharer shares view only already; the notice says the policy now holds it there.
      if (!live) fail('no helper');
      if (!isLevel(event.level)) fail('unknown level');
      return make(state, {
        level: state.level ? lower(state.level, event.level) : null,
        notice: { kind: 'limited', reason: event.level },
      });
    case 'tick':
      if ((phase === 'asking') && state.request && now >= state.request.deadline) {
        return make(state, { phase: 'joined', request: null }); // the broker declined it for us
      }
      return state;
    case 'pause':
      if (phase !== 'sharing') fail('not sharing');
      return make(state, { phase: 'paused', paused: true });
    case 'resume':
      if (phase !== 'paused') fail('not paused');
      return make(state, { phase: 'sharing', paused: false });
    case 'peer_left':
      if (!live) fail('no helper');
      return make(state, {
        phase: 'helper_left', reason: event.reason || 'left', request: null, level: null, paused: false, ...LINK_UP,
      });
    case 'ended':
      if (phase === 'idle' || phase === 'helper_left' || phase === 'ended') return state;
      return make(state, {
        phase: 'ended', reason: event.reason || 'ended', request: null, level: null, paused: false, ...LINK_UP,
      });
    case 'leave':
    case 'lost':
      if (phase === 'idle') return make(state, LINK_UP);
      return make(state, {
        phase: 'ended', reason: event.type === 'leave' ? 'self' : 'lost_link', request: null, level: null, paused: false,
        ...LINK_UP,
      });
    case 'resuming':
      return live ? make(state, { reconnecting: true }) : state;
    case 'resumed':
      // The sharer's own state (sharing, paused) is its own word: a pause made while resuming
      // was queued and reaches the helper now. A consent that lapsed meanwhile comes back as a
      // new `consent_request`.
      if (!live) return make(state, LINK_UP);
      return make(state, { reconnecting: false, peerAway: event.peer_present === false });
    case 'peer_away':
      return live ? make(state, { peerAway: true }) : state;
    case 'peer_back':
      return make(state, { peerAway: false });
    case 'reset':
      return SHARER_EMPTY;
    default:
      return fail('unknown event');
  }
}
