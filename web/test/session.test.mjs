import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  CONSENT_TIMEOUT_MS, HELPER_PHASES, SHARER_PHASES, TransitionError, cleanWarnings, helperCanRequest,
  helperFullRefusal, helperNext, initialHelper, initialSharer, sharerNext,
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

// ---- The organisation's policy (docs/policy.md) ----------------------------------------------

const joinedWith = (extra) => run(helperNext, initialHelper(), [
  [code], [{ type: 'sharer_joined', sharer: bob, client: 'agent', ...extra }],
]);
const connectedAt = (level, extra = {}) => run(helperNext, joinedWith({ max_level: 'full', ...extra }), [
  [{ type: 'request', level }], [{ type: 'consent_result', id: 1, level, allow: true }],
]);

test('helper: device warnings are kept for the session and cleared by a new code or a reset', () => {
  const warnings = [
    { kind: 'device_not_enrolled' },
    { kind: 'device_not_compliant', reasons: ['Disk not encrypted', 'Firewall off'] },
    { kind: 'device_compliance_unknown' },
  ];
  let s = joinedWith({ warnings, max_level: 'full' });
  assert.deepEqual(s.warnings.map((w) => w.kind), warnings.map((w) => w.kind));
  assert.deepEqual([...s.warnings[1].reasons], ['Disk not encrypted', 'Firewall off']);
  assert.ok(Object.isFrozen(s.warnings) && Object.isFrozen(s.warnings[1].reasons));
  // They never block: both levels can be asked for.
  assert.ok(helperCanRequest(s, 'view') && helperCanRequest(s, 'full'));
  s = run(helperNext, s, [[{ type: 'request', level: 'view' }], [{ type: 'consent_result', id: 1, level: 'view', allow: true }]]);
  assert.equal(s.warnings.length, 3, 'still shown while connected');
  s = helperNext(s, { type: 'ended', reason: 'left' });
  assert.equal(s.warnings.length, 3, 'the ended page may still say it');
  assert.deepEqual(helperNext(s, code).warnings, []);
  assert.deepEqual(helperNext(s, { type: 'reset' }).warnings, []);
  // Omitted: none.
  assert.deepEqual(joinedWith({}).warnings, []);
  // A second sharer_joined (a new code that was redeemed) replaces them.
  const again = run(helperNext, helperNext(s, code), [[{ type: 'sharer_joined', sharer: bob, client: 'web' }]]);
  assert.deepEqual(again.warnings, []);
});

test('helper: warnings from the wire are checked (unknown kinds, junk, long reasons)', () => {
  const long = 'x'.repeat(1000);
  const w = cleanWarnings([
    null, 7, { kind: 'device_from_the_future' }, { kind: 'device_not_enrolled', reasons: ['ignored'] },
    { kind: 'device_not_compliant', reasons: ['ok', 3, '', long] }, { kind: 'device_not_enrolled' },
  ]);
  assert.deepEqual(w.map((x) => x.kind), ['other', 'device_not_enrolled', 'device_not_compliant']);
  assert.deepEqual([...w[1].reasons], [], 'reasons only for device_not_compliant');
  assert.equal(w[2].reasons[0], 'ok');
  assert.equal(w[2].reasons.length, 2);
  assert.ok(Array.from(w[2].reasons[1]).length <= 300);
  assert.deepEqual(cleanWarnings('device_not_enrolled'), []);
});

test('helper: max_level view offers view only, and says why', () => {
  const s = joinedWith({ max_level: 'view' });
  assert.equal(s.maxLevel, 'view');
  assert.ok(helperCanRequest(s, 'view'));
  assert.equal(helperCanRequest(s, 'full'), false);
  assert.equal(helperFullRefusal(s), 'policy');
  assert.throws(() => helperNext(s, { type: 'request', level: 'full' }), (e) => e.why === 'forbidden');
  // No escalation either, once view is allowed.
  const v = run(helperNext, s, [[{ type: 'request', level: 'view' }], [{ type: 'consent_result', id: 1, level: 'view', allow: true }]]);
  assert.equal(helperCanRequest(v, 'full'), false);
  // Full: both; a web sharer stays view only whatever the policy says.
  assert.equal(helperFullRefusal(joinedWith({ max_level: 'full' })), null);
  assert.ok(helperCanRequest(joinedWith({ max_level: 'full' }), 'full'));
  const web = run(helperNext, initialHelper(), [[code], [{ type: 'sharer_joined', sharer: bob, client: 'web', max_level: 'full' }]]);
  assert.equal(helperFullRefusal(web), 'not_supported');
  // Absent (a broker from before policies): full, as the protocol's default. Unknown: view.
  assert.equal(joinedWith({}).maxLevel, 'full');
  assert.equal(joinedWith({ max_level: 'admin' }).maxLevel, 'view');
});

test('helper: level_limited lowers the level and the maximum, never raises them', () => {
  const full = connectedAt('full');
  let s = helperNext(full, { type: 'level_limited', level: 'view' });
  assert.equal(s.phase, 'connected');
  assert.equal(s.level, 'view');
  assert.equal(s.maxLevel, 'view');
  assert.deepEqual(s.notice, { kind: 'limited', reason: 'view' });
  assert.equal(helperCanRequest(s, 'full'), false, 'no escalation after a limit');
  assert.equal(helperFullRefusal(s), 'policy');
  // A later `full` limit (a reload that gave the role back) raises nothing.
  s = helperNext(s, { type: 'level_limited', level: 'full' });
  assert.equal(s.level, 'view');
  assert.equal(s.maxLevel, 'view');
  // Paused stays paused.
  const paused = helperNext(full, { type: 'sharer_state', level: 'full', paused: true });
  const limited = helperNext(paused, { type: 'level_limited', level: 'view' });
  assert.deepEqual([limited.phase, limited.level, limited.paused], ['paused', 'view', true]);
  // Before anything was allowed: only the maximum drops.
  const joined = helperNext(joinedWith({ max_level: 'full' }), { type: 'level_limited', level: 'view' });
  assert.deepEqual([joined.phase, joined.level, joined.maxLevel], ['sharer_joined', null, 'view']);
  // Outside a session, or an unknown level: refused, nothing changes.
  assert.throws(() => helperNext(helperNext(initialHelper(), code), { type: 'level_limited', level: 'view' }), TransitionError);
  assert.throws(() => helperNext(full, { type: 'level_limited', level: 'none' }), TransitionError);
  // The sharer cannot raise it back either.
  assert.equal(helperNext(s, { type: 'sharer_state', level: 'full', paused: false }).level, 'view');
  // Nor an allow that crossed the limit on the way (an escalation asked before it).
  const crossing = run(helperNext, connectedAt('view'), [
    [{ type: 'request', level: 'full' }], [{ type: 'level_limited', level: 'view' }],
    [{ type: 'consent_result', id: 2, level: 'full', allow: true }],
  ]);
  assert.equal(crossing.level, 'view');
});

test('helper: consent_result forbidden — a first request declined, an escalation back at view', () => {
  const asked = run(helperNext, joinedWith({ max_level: 'full' }), [[{ type: 'request', level: 'full' }]]);
  const first = helperNext(asked, { type: 'consent_result', id: 1, level: 'full', allow: false, reason: 'forbidden' });
  assert.deepEqual([first.phase, first.reason, first.pending, first.level], ['declined', 'forbidden', null, null]);
  const escalating = helperNext(connectedAt('view'), { type: 'request', level: 'full' });
  const back = helperNext(escalating, { type: 'consent_result', id: 2, level: 'full', allow: false, reason: 'forbidden' });
  assert.deepEqual([back.phase, back.level, back.pending], ['connected', 'view', null]);
  assert.deepEqual(back.notice, { kind: 'escalation', reason: 'forbidden' });
});

test('helper: error forbidden keeps the policy\'s sentence and ends a pending request', () => {
  const asked = run(helperNext, joinedWith({ max_level: 'full' }), [[{ type: 'request', level: 'full' }]]);
  const message = 'Offer help from the office network.';
  const s = helperNext(asked, { type: 'error', code: 'forbidden', message });
  assert.deepEqual([s.phase, s.pending], ['sharer_joined', null]);
  assert.deepEqual(s.notice, { kind: 'error', reason: 'forbidden', detail: message });
  // Other codes' messages are fixed English: not kept.
  assert.deepEqual(helperNext(asked, { type: 'error', code: 'busy', message: 'The service is busy.' }).notice,
    { kind: 'error', reason: 'busy' });
  // Refused before any session (create_code): a notice, nothing else.
  const idle = helperNext(initialHelper(), { type: 'error', code: 'forbidden', message: ' ' });
  assert.deepEqual([idle.phase, idle.notice], ['idle', { kind: 'error', reason: 'forbidden' }]);
});

test('helper: ended and peer_left revoked keep the reason', () => {
  const s = helperNext(connectedAt('full'), { type: 'ended', reason: 'revoked' });
  assert.deepEqual([s.phase, s.reason, s.level, s.pending], ['ended', 'revoked', null, null]);
  const left = helperNext(connectedAt('view'), { type: 'peer_left', reason: 'revoked' });
  assert.deepEqual([left.phase, left.reason], ['sharer_left', 'revoked']);
  // A code redeemed and refused: the helper gets forbidden, then its waiting session ends.
  const waiting = helperNext(initialHelper(), code);
  const refused = run(helperNext, waiting, [
    [{ type: 'error', code: 'forbidden', message: 'Sharer outside your scope.' }],
    [{ type: 'ended', reason: 'revoked' }],
  ]);
  assert.deepEqual([refused.phase, refused.reason], ['ended', 'revoked']);
  assert.equal(refused.notice.detail, 'Sharer outside your scope.', 'the refusal stays on screen');
});

const sharerAsking = () => run(sharerNext, initialSharer(), [
  [{ type: 'redeem' }], [{ type: 'joined', helper: ada }], [{ type: 'consent_request', id: 4, level: 'view', helper: ada }, 0],
]);

test('sharer: consent_result forbidden or timeout closes the prompt, as the timeout does', () => {
  for (const reason of ['forbidden', 'timeout']) {
    const s = sharerNext(sharerAsking(), { type: 'consent_result', id: 4, level: 'view', allow: false, reason });
    assert.deepEqual([s.phase, s.request], ['joined', null], reason);
    assert.deepEqual(s.notice, { kind: 'consent', reason });
  }
  // The picker was open: closed too (the app then stops the capture it gets).
  const choosing = sharerNext(sharerAsking(), { type: 'allow' });
  assert.equal(sharerNext(choosing, { type: 'consent_result', id: 4, allow: false, reason: 'forbidden' }).phase, 'joined');
  // Another request's result, an allow, or nothing asked: ignored.
  const asking = sharerAsking();
  assert.equal(sharerNext(asking, { type: 'consent_result', id: 3, allow: false, reason: 'forbidden' }), asking);
  assert.equal(sharerNext(asking, { type: 'consent_result', id: 4, level: 'view', allow: true }), asking);
  const joined = sharerNext(asking, { type: 'decline' });
  assert.equal(sharerNext(joined, { type: 'consent_result', id: 4, allow: false, reason: 'timeout' }), joined);
  // The next request clears the notice.
  const withdrawn = sharerNext(asking, { type: 'consent_result', id: 4, allow: false, reason: 'forbidden' });
  assert.equal(sharerNext(withdrawn, { type: 'consent_request', id: 5, level: 'view', helper: ada }).notice, null);
});

test('sharer: level_limited keeps view and says so; forbidden and revoked', () => {
  const sharing = run(sharerNext, sharerAsking(), [[{ type: 'allow' }], [{ type: 'captured' }]]);
  const s = sharerNext(sharing, { type: 'level_limited', level: 'view' });
  assert.deepEqual([s.phase, s.level], ['sharing', 'view']);
  assert.deepEqual(s.notice, { kind: 'limited', reason: 'view' });
  assert.equal(sharerNext(s, { type: 'level_limited', level: 'full' }).level, 'view', 'never raised');
  assert.throws(() => sharerNext(initialSharer(), { type: 'level_limited', level: 'view' }), TransitionError);
  // A refused redemption: back to idle with the policy's sentence.
  const refused = run(sharerNext, initialSharer(), [
    [{ type: 'redeem' }], [{ type: 'error', code: 'forbidden', message: 'Ask your IT desk for help.' }],
  ]);
  assert.deepEqual([refused.phase, refused.error, refused.errorDetail], ['idle', 'forbidden', 'Ask your IT desk for help.']);
  assert.equal(sharerNext(refused, { type: 'redeem' }).errorDetail, null);
  const plain = run(sharerNext, initialSharer(), [[{ type: 'redeem' }], [{ type: 'error', code: 'code_invalid', message: 'x' }]]);
  assert.equal(plain.errorDetail, null);
  // Revoked, both ways.
  assert.deepEqual([sharerNext(sharing, { type: 'ended', reason: 'revoked' }).phase, sharerNext(sharing, { type: 'ended', reason: 'revoked' }).reason], ['ended', 'revoked']);
  assert.equal(sharerNext(sharing, { type: 'peer_left', reason: 'revoked' }).reason, 'revoked');
});

// ---- Resuming (several brokers) ---------------------------------------------------------------

const connectedHelper = () => run(helperNext, initialHelper(), [
  [code], [{ type: 'sharer_joined', sharer: bob, client: 'agent' }], [{ type: 'request', level: 'view' }],
  [{ type: 'consent_result', id: 1, level: 'view', allow: true }],
]);

test('helper: our link resuming keeps the session; resumed restores level and pause', () => {
  const s = connectedHelper();
  assert.equal(s.reconnecting, false);
  const r = helperNext(s, { type: 'resuming' });
  assert.equal(r.reconnecting, true);
  assert.equal(r.phase, 'connected', 'the picture stays');
  assert.equal(r.level, 'view');
  assert.equal(r.sharer.name, 'Bob');
  // The sharer paused while we were away: resumed says so.
  const back = helperNext(r, { type: 'resumed', level: 'view', paused: true, peer_present: true });
  assert.deepEqual([back.phase, back.level, back.paused, back.reconnecting, back.peerAway], ['paused', 'view', true, false, false]);
  // ...and the sharer is itself away.
  const alone = helperNext(r, { type: 'resumed', level: 'view', paused: false, peer_present: false });
  assert.deepEqual([alone.phase, alone.peerAway], ['connected', true]);
});

test('helper: resumed never raises the level above the policy; no level means consent lapsed', () => {
  const limited = helperNext(connectedHelper(), { type: 'level_limited', level: 'view' });
  const r = helperNext(helperNext(limited, { type: 'resuming' }), { type: 'resumed', level: 'full', paused: false, peer_present: true });
  assert.equal(r.level, 'view');
  const lapsed = helperNext(helperNext(connectedHelper(), { type: 'resuming' }), { type: 'resumed', paused: false, peer_present: true });
  assert.deepEqual([lapsed.phase, lapsed.level], ['sharer_joined', null]);
  assert.ok(helperCanRequest(lapsed, 'view'), 'the helper may ask again');
});

test('helper: a request answered while we were away is answered by resumed', () => {
  const waiting = run(helperNext, initialHelper(), [
    [code], [{ type: 'sharer_joined', sharer: bob, client: 'agent' }], [{ type: 'request', level: 'view' }], [{ type: 'resuming' }],
  ]);
  assert.equal(waiting.phase, 'waiting_approval');
  const granted = helperNext(waiting, { type: 'resumed', level: 'view', paused: false, peer_present: true });
  assert.deepEqual([granted.phase, granted.level, granted.pending], ['connected', 'view', null]);
  const still = helperNext(waiting, { type: 'resumed', paused: false, peer_present: true });
  assert.deepEqual([still.phase, still.pending, still.reconnecting], ['waiting_approval', 'view', false]);
});

test('helper: resuming that fails ends the session as a lost link', () => {
  const s = helperNext(helperNext(connectedHelper(), { type: 'resuming' }), { type: 'lost' });
  assert.deepEqual([s.phase, s.reason, s.reconnecting, s.level], ['ended', 'lost_link', false, null]);
});

test('helper: peer_away and peer_back; after 10 s the sharer is lost', () => {
  const s = connectedHelper();
  const away = helperNext(s, { type: 'peer_away' });
  assert.equal(away.peerAway, true);
  assert.equal(away.phase, 'connected', 'the session waits');
  assert.equal(helperNext(away, { type: 'peer_back' }).peerAway, false);
  const gone = helperNext(away, { type: 'peer_left', reason: 'lost' });
  assert.deepEqual([gone.phase, gone.reason, gone.peerAway], ['sharer_left', 'lost', false]);
  assert.equal(helperNext(away, { type: 'ended', reason: 'lost' }).peerAway, false);
  assert.equal(helperNext(initialHelper(), { type: 'peer_away' }).peerAway, false, 'no session: nothing to wait for');
});

const sharingSharer = () => run(sharerNext, initialSharer(), [
  [{ type: 'redeem' }], [{ type: 'joined', session: 'abc', helper: ada }],
  [{ type: 'consent_request', id: 1, level: 'view', helper: ada }, 0], [{ type: 'allow' }], [{ type: 'captured' }],
]);

test('sharer: our link resuming keeps the sharing; a pause meanwhile is ours to keep', () => {
  const s = sharingSharer();
  assert.equal(s.phase, 'sharing');
  let r = sharerNext(s, { type: 'resuming' });
  assert.deepEqual([r.phase, r.reconnecting, r.level], ['sharing', true, 'view']);
  r = sharerNext(r, { type: 'pause' });
  r = sharerNext(r, { type: 'resumed', level: 'view', paused: false, peer_present: true });
  assert.deepEqual([r.phase, r.paused, r.reconnecting, r.peerAway], ['paused', true, false, false]);
  const lost = sharerNext(sharerNext(s, { type: 'resuming' }), { type: 'lost' });
  assert.deepEqual([lost.phase, lost.reason, lost.reconnecting], ['ended', 'lost_link', false]);
});

test('sharer: peer_away and peer_back; the helper lost for good', () => {
  const away = sharerNext(sharingSharer(), { type: 'peer_away' });
  assert.deepEqual([away.phase, away.peerAway], ['sharing', true]);
  assert.equal(sharerNext(away, { type: 'peer_back' }).peerAway, false);
  const gone = sharerNext(away, { type: 'peer_left', reason: 'lost' });
  assert.deepEqual([gone.phase, gone.peerAway], ['helper_left', false]);
  const back = sharerNext(sharerNext(sharingSharer(), { type: 'resuming' }), { type: 'resumed', level: 'view', peer_present: false });
  assert.equal(back.peerAway, true, 'resumed while the helper is away too');
});
