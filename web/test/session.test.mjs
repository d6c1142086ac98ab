import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  CONSENT_TIMEOUT_MS, HELPER_PHASES, SHARER_PHASES, TransitionError, helperCanRequest,
  helperNext, initialHelper, initialSharer, sharerNext,
} from '../lib/session.js';

const ada = { name: 'Ada Lovelace', domain: 'contoso.com', domain_verified: true };
const bob = { name: 'Bob', domain: 'example.org', domain_verified: false };

function run(next, state, events) {
  return events.reduce((s, [e, now]) => next(s, e, now ?? 0), state);
}

const code = { type: 'code', code: '4060R0GX', display: '4060 R0GX', expires_at: 600_000 };

test('helper: code → sharer joins → view request allowed → connected', () => {
  let s = initialHelper();
  assert.equal(s.phase, 'idle');
  s = helperNext(s, code);
  assert.equal(s.phase, 'waiting_sharer');
  assert.equal(s.display, '4060 R0GX');
  s = helperNext(s, { type: 'sharer_joined', sharer: bob, client: 'agent' });
  assert.equal(s.phase, 'sharer_joined');
  assert.equal(s.sharer.name, 'Bob');
  assert.ok(helperCanRequest(s, 'view') && helperCanRequest(s, 'full'));
  s = helperNext(s, { type: 'request', level: 'view' });
  assert.equal(s.phase, 'waiting_approval');
  assert.equal(s.pending, 'view');
  assert.throws(() => helperNext(s, { type: 'request', level: 'full' }), TransitionError, 'one request at a time');
  s = helperNext(s, { type: 'consent_result', id: 1, level: 'view', allow: true });
  assert.equal(s.phase, 'connected');
  assert.equal(s.level, 'view');
  assert.equal(s.pending, null);
});

test('helper: declined, then try again', () => {
  let s = run(helperNext, initialHelper(), [
    [code], [{ type: 'sharer_joined', sharer: bob, client: 'agent' }], [{ type: 'request', level: 'full' }],
    [{ type: 'consent_result', id: 1, level: 'full', allow: false, reason: 'declined' }],
  ]);
  assert.equal(s.phase, 'declined');
  assert.equal(s.reason, 'declined');
  s = helperNext(s, { type: 'request', level: 'view' });
  assert.equal(s.phase, 'waiting_approval');
  s = helperNext(s, { type: 'consent_result', id: 2, level: 'view', allow: false, reason: 'timeout' });
  assert.equal(s.phase, 'declined');
  assert.equal(s.reason, 'timeout');
});

test('helper: escalation mid-session, declined stays at view; allowed gives full', () => {
  let s = run(helperNext, initialHelper(), [
    [code], [{ type: 'sharer_joined', sharer: bob, client: 'agent' }], [{ type: 'request', level: 'view' }],
    [{ type: 'consent_result', id: 1, level: 'view', allow: true }],
  ]);
  assert.ok(helperCanRequest(s, 'full'));
  assert.ok(!helperCanRequest(s, 'view'));
  s = helperNext(s, { type: 'request', level: 'full' });
  assert.equal(s.phase, 'connected', 'the picture stays while asking');
  assert.equal(s.pending, 'full');
  const declined = helperNext(s, { type: 'consent_result', id: 2, level: 'full', allow: false, reason: 'declined' });
  assert.equal(declined.phase, 'connected');
  assert.equal(declined.level, 'view');
  assert.deepEqual(declined.notice, { kind: 'escalation', reason: 'declined' });
  const allowed = helperNext(s, { type: 'consent_result', id: 2, level: 'full', allow: true });
  assert.equal(allowed.level, 'full');
  // The sharer takes control back: lower only.
  const back = helperNext(allowed, { type: 'sharer_state', level: 'view', paused: false });
  assert.equal(back.level, 'view');
  const raised = helperNext(back, { type: 'sharer_state', level: 'full', paused: false });
  assert.equal(raised.level, 'view', 'sharer_state never raises the level');
  // The helper gives control back.
  assert.equal(helperNext(allowed, { type: 'release' }).level, 'view');
  assert.throws(() => helperNext(back, { type: 'release' }), TransitionError);
});

test('helper: full control is never asked of a web sharer', () => {
  const s = run(helperNext, initialHelper(), [[code], [{ type: 'sharer_joined', sharer: bob, client: 'web' }]]);
  assert.equal(helperCanRequest(s, 'full'), false);
  assert.throws(() => helperNext(s, { type: 'request', level: 'full' }), (e) => e.why === 'not_supported');
  const v = run(helperNext, s, [[{ type: 'request', level: 'view' }], [{ type: 'consent_result', id: 1, level: 'view', allow: true }]]);
  assert.equal(helperCanRequest(v, 'full'), false);
});

test('helper: sharer paused and resumed', () => {
  let s = run(helperNext, initialHelper(), [
    [code], [{ type: 'sharer_joined', sharer: bob, client: 'web' }], [{ type: 'request', level: 'view' }],
    [{ type: 'consent_result', id: 1, level: 'view', allow: true }],
  ]);
  s = helperNext(s, { type: 'sharer_state', level: 'view', paused: true });
  assert.equal(s.phase, 'paused');
  assert.equal(s.paused, true);
  s = helperNext(s, { type: 'sharer_state', level: 'view', paused: false });
  assert.equal(s.phase, 'connected');
});

test('helper: sharer left, then ended keeps the reason; a new code starts over', () => {
  let s = run(helperNext, initialHelper(), [
    [code], [{ type: 'sharer_joined', sharer: bob, client: 'agent' }], [{ type: 'request', level: 'view' }],
    [{ type: 'consent_result', id: 1, level: 'view', allow: true }],
    [{ type: 'peer_left', reason: 'lost' }],
  ]);
  assert.equal(s.phase, 'sharer_left');
  assert.equal(s.reason, 'lost');
  assert.equal(s.level, null);
  s = helperNext(s, { type: 'ended', reason: 'peer_left' });
  assert.equal(s.phase, 'sharer_left');
  s = helperNext(s, { ...code, code: 'ABCD1234' });
  assert.equal(s.phase, 'waiting_sharer');
  assert.equal(s.sharer, null);
});

test('helper: the code expires by the clock or by the broker', () => {
  let s = helperNext(initialHelper(), code);
  assert.equal(helperNext(s, { type: 'tick' }, 599_999).phase, 'waiting_sharer');
  assert.equal(helperNext(s, { type: 'tick' }, 600_000).phase, 'expired');
  assert.equal(helperNext(s, { type: 'ended', reason: 'expired' }).phase, 'expired');
  assert.equal(helperNext(s, { type: 'peer_left', reason: 'expired' }).phase, 'expired');
  s = helperNext(s, { type: 'tick' }, 700_000);
  assert.equal(helperNext(s, code).phase, 'waiting_sharer', 'a new code');
});

test('helper: leave, lost link, ended', () => {
  const joined = run(helperNext, initialHelper(), [[code], [{ type: 'sharer_joined', sharer: bob, client: 'agent' }]]);
  assert.deepEqual([helperNext(joined, { type: 'leave' }).phase, helperNext(joined, { type: 'leave' }).reason], ['ended', 'self']);
  assert.equal(helperNext(joined, { type: 'lost' }).reason, 'lost_link');
  assert.equal(helperNext(joined, { type: 'ended', reason: 'x' }).phase, 'ended');
  assert.equal(helperNext(initialHelper(), { type: 'lost' }).phase, 'idle');
});

test('helper: a refused request is no longer pending', () => {
  let s = run(helperNext, initialHelper(), [
    [code], [{ type: 'sharer_joined', sharer: bob, client: 'agent' }], [{ type: 'request', level: 'view' }],
  ]);
  s = helperNext(s, { type: 'error', code: 'not_allowed' });
  assert.equal(s.phase, 'sharer_joined');
  assert.equal(s.pending, null);
  assert.deepEqual(s.notice, { kind: 'error', reason: 'not_allowed' });
  // A chat error does not touch a pending request.
  s = helperNext(helperNext(s, { type: 'request', level: 'view' }), { type: 'error', code: 'chat_invalid' });
  assert.equal(s.phase, 'waiting_approval');
});

test('helper: illegal transitions throw and change nothing', () => {
  const s = initialHelper();
  for (const e of [
    { type: 'sharer_joined', sharer: bob, client: 'web' },
    { type: 'request', level: 'view' },
    { type: 'consent_result', id: 1, level: 'view', allow: true },
    { type: 'sharer_state', level: 'view', paused: true },
    { type: 'peer_left', reason: 'left' },
    { type: 'bogus' },
  ]) {
    assert.throws(() => helperNext(s, e), TransitionError, e.type);
  }
  assert.ok(Object.isFrozen(helperNext(s, code)));
  assert.ok(HELPER_PHASES.includes(s.phase));
});

test('sharer: redeem → joined → view request → allow → sharing → pause → resume', () => {
  let s = initialSharer();
  s = sharerNext(s, { type: 'redeem', code: '4060 r0gx' });
  assert.equal(s.phase, 'joining');
  s = sharerNext(s, { type: 'joined', session: 's1', helper: ada });
  assert.equal(s.phase, 'joined');
  assert.equal(s.helper.name, 'Ada Lovelace');
  s = sharerNext(s, { type: 'consent_request', id: 7, level: 'view', helper: ada }, 1000);
  assert.equal(s.phase, 'asking');
  assert.deepEqual({ ...s.request }, { id: 7, level: 'view', deadline: 1000 + CONSENT_TIMEOUT_MS });
  s = sharerNext(s, { type: 'allow' });
  assert.equal(s.phase, 'choosing');
  s = sharerNext(s, { type: 'captured' });
  assert.equal(s.phase, 'sharing');
  assert.equal(s.level, 'view');
  s = sharerNext(s, { type: 'pause' });
  assert.equal(s.phase, 'paused');
  assert.throws(() => sharerNext(s, { type: 'pause' }), TransitionError);
  s = sharerNext(s, { type: 'resume' });
  assert.equal(s.phase, 'sharing');
  s = sharerNext(s, { type: 'peer_left', reason: 'left' });
  assert.equal(s.phase, 'helper_left');
});

test('sharer: a full request is never shown', () => {
  const joined = run(sharerNext, initialSharer(), [[{ type: 'redeem' }], [{ type: 'joined', helper: ada }]]);
  const s = sharerNext(joined, { type: 'consent_request', id: 1, level: 'full', helper: ada });
  assert.equal(s, joined);
});

test('sharer: decline, picker cancelled, and the 60 s timeout go back to joined', () => {
  const asking = run(sharerNext, initialSharer(), [
    [{ type: 'redeem' }], [{ type: 'joined', helper: ada }],
    [{ type: 'consent_request', id: 1, level: 'view', helper: ada }, 0],
  ]);
  assert.equal(sharerNext(asking, { type: 'decline' }).phase, 'joined');
  assert.equal(sharerNext(sharerNext(asking, { type: 'allow' }), { type: 'decline' }).phase, 'joined');
  assert.equal(sharerNext(asking, { type: 'tick' }, CONSENT_TIMEOUT_MS - 1).phase, 'asking');
  assert.equal(sharerNext(asking, { type: 'tick' }, CONSENT_TIMEOUT_MS).phase, 'joined');
});

test('sharer: a view request while sharing asks again (the broker dropped our consent)', () => {
  const sharing = run(sharerNext, initialSharer(), [
    [{ type: 'redeem' }], [{ type: 'joined', helper: ada }],
    [{ type: 'consent_request', id: 1, level: 'view' }], [{ type: 'allow' }], [{ type: 'captured' }],
  ]);
  const s = sharerNext(sharing, { type: 'consent_request', id: 2, level: 'view', helper: ada }, 5);
  assert.equal(s.phase, 'asking');
  assert.equal(s.level, null);
  assert.equal(s.request.id, 2);
  assert.equal(sharerNext(sharing, { type: 'consent_request', id: 3, level: 'full' }), sharing);
});

test('sharer: a refused code goes back to idle with the reason', () => {
  const s = run(sharerNext, initialSharer(), [[{ type: 'redeem' }], [{ type: 'error', code: 'code_invalid' }]]);
  assert.equal(s.phase, 'idle');
  assert.equal(s.error, 'code_invalid');
  assert.equal(sharerNext(s, { type: 'redeem' }).error, null);
});

test('sharer: stop, lost, ended', () => {
  const sharing = run(sharerNext, initialSharer(), [
    [{ type: 'redeem' }], [{ type: 'joined', helper: ada }],
    [{ type: 'consent_request', id: 1, level: 'view' }], [{ type: 'allow' }], [{ type: 'captured' }],
  ]);
  assert.equal(sharerNext(sharing, { type: 'leave' }).reason, 'self');
  assert.equal(sharerNext(sharing, { type: 'lost' }).reason, 'lost_link');
  assert.equal(sharerNext(sharing, { type: 'ended', reason: 'x' }).phase, 'ended');
  const left = sharerNext(sharing, { type: 'peer_left', reason: 'lost' });
  assert.equal(sharerNext(left, { type: 'ended', reason: 'x' }).phase, 'helper_left');
  assert.equal(sharerNext(left, { type: 'redeem' }).phase, 'joining');
  assert.ok(SHARER_PHASES.includes(left.phase));
});
