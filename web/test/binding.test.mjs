import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  CERT_LIFETIME_MS, CERT_RENEW_MS, KEYGEN, RESIGN_BEFORE_S, RESIGN_GUARD_MS, cardViaIssuer, certificateUsable,
  ensureCertificate, mayResignIn, mustSignInAgain, resignProvider, sameFingerprint, sdpFingerprint,
} from '../lib/binding.js';

const HEX = 'ab:cd:ef:01:23:45:67:89:ab:cd:ef:01:23:45:67:89:ab:cd:ef:01:23:45:67:89:ab:cd:ef:01:23:45:67:89';
const SDP = `sha-256 ${HEX.toUpperCase()}`;
const OTHER = `sha-256 ${'00:'.repeat(31)}00`;
const DAY = 24 * 3600 * 1000;

test('the SDP form: the sha-256 fingerprint, upper-case, after its algorithm', () => {
  assert.equal(sdpFingerprint([{ algorithm: 'sha-256', value: HEX }]), SDP);
  // Whatever order and case the browser uses; other algorithms are skipped.
  assert.equal(sdpFingerprint([
    { algorithm: 'sha-1', value: 'AA:BB' }, { algorithm: 'SHA-256', value: ` ${HEX} ` },
  ]), SDP);
  for (const junk of [undefined, null, [], [{ algorithm: 'sha-1', value: HEX }],
    [{ algorithm: 'sha-256', value: HEX.slice(3) }], [{ algorithm: 'sha-256', value: `${HEX}:00` }],
    [{ algorithm: 'sha-256', value: HEX.replace('ab', 'xg') }], [{ algorithm: 'sha-256' }]]) {
    assert.equal(sdpFingerprint(junk), null, JSON.stringify(junk));
  }
});

test('the same fingerprint whatever the case and spacing of the hex', () => {
  assert.ok(sameFingerprint(SDP, `sha-256 ${HEX}`));
  assert.ok(sameFingerprint(SDP, `SHA-256  ${HEX}`));
  assert.ok(!sameFingerprint(SDP, OTHER));
  assert.ok(!sameFingerprint(null, null));
  assert.ok(!sameFingerprint(SDP, undefined));
});

test('a certificate lives 30 days and is replaced a day before it expires', () => {
  assert.equal(CERT_LIFETIME_MS, 30 * DAY);
  assert.deepEqual(KEYGEN, { name: 'ECDSA', namedCurve: 'P-256', expires: 30 * DAY });
  const now = 1_000_000_000_000;
  assert.ok(certificateUsable({ expires: now + 2 * DAY }, now));
  assert.ok(certificateUsable({ expires: now + CERT_RENEW_MS + 1 }, now));
  assert.ok(!certificateUsable({ expires: now + CERT_RENEW_MS }, now));
  assert.ok(!certificateUsable({ expires: now - 1 }, now));
  assert.ok(!certificateUsable(null, now));
  assert.ok(!certificateUsable({}, now), 'no expiry: not trusted');
});

test('sign in again when the sign-in bound another certificate or expires within 5 minutes', () => {
  const nowMs = 1_700_000_000_000;
  const now = nowMs / 1000;
  const ok = { bound: SDP, expiresAt: now + 3600, mine: `sha-256 ${HEX}`, nowMs };
  assert.equal(mustSignInAgain(ok), null, 'bound, hex case aside, and an hour left');
  assert.equal(mustSignInAgain({ ...ok, mine: OTHER }), 'fingerprint', 'certificate lost or renewed');
  assert.equal(mustSignInAgain({ ...ok, expiresAt: now + RESIGN_BEFORE_S - 1 }), 'expiring');
  assert.equal(mustSignInAgain({ ...ok, expiresAt: now - 10 }), 'expiring', 'already expired');
  assert.equal(mustSignInAgain({ ...ok, expiresAt: now + RESIGN_BEFORE_S + 1 }), null);
  assert.equal(mustSignInAgain({ ...ok, expiresAt: null }), null, 'no expiry said: only the fingerprint counts');
  // A local account binds nothing; a page without WebRTC has nothing to bind.
  assert.equal(mustSignInAgain({ ...ok, bound: null, expiresAt: null }), null);
  assert.equal(mustSignInAgain({ ...ok, bound: null, expiresAt: now }), null);
  assert.equal(mustSignInAgain({ ...ok, mine: null }), null);
  // An issuer's sign-in that bound nothing (an older page made it): bind now.
  assert.equal(mustSignInAgain({ ...ok, bound: null, viaIssuer: true }), 'unbound');
  assert.equal(mustSignInAgain({ ...ok, viaIssuer: true }), null);
  assert.equal(mustSignInAgain({ ...ok, bound: null, viaIssuer: true, mine: null }), null);
});

test('a card came through an issuer when any of its fields is vouched for', () => {
  assert.ok(cardViaIssuer({ name: 'Ada', vouched: { name: true, title: false } }));
  assert.ok(!cardViaIssuer({ name: 'Ada', vouched: { name: false } }));
  assert.ok(!cardViaIssuer({ name: 'Ada' }), 'a local account: no vouched fields on the wire');
  assert.ok(!cardViaIssuer({ name: 'Ada', vouched: { name: 'yes' } }));
  assert.ok(!cardViaIssuer(null));
});

test('at most one automatic re-sign-in every 2 minutes (a browser that cannot keep it must not loop)', () => {
  const now = 5_000_000;
  assert.ok(mayResignIn(null, now));
  assert.ok(!mayResignIn(now - 1000, now));
  assert.ok(!mayResignIn(now - RESIGN_GUARD_MS + 1, now));
  assert.ok(mayResignIn(now - RESIGN_GUARD_MS, now));
  assert.ok(mayResignIn(now + 60_000, now), 'a clock set back does not block forever');
});

test('re-sign-in goes back to the remembered issuer, else the only one', () => {
  const two = [{ id: 'entra', name: 'A' }, { id: 'kc', name: 'B' }];
  assert.equal(resignProvider('kc', two), 'kc');
  assert.equal(resignProvider('gone', two), null, 'the person chooses');
  assert.equal(resignProvider(null, two), null);
  assert.equal(resignProvider(null, [two[0]]), 'entra');
  assert.equal(resignProvider('gone', [two[0]]), 'entra');
  assert.equal(resignProvider('entra', []), null);
});

function fakeCert(expires, hex = HEX) {
  return { expires, getFingerprints: () => [{ algorithm: 'sha-256', value: hex }] };
}

test('the stored certificate is reused while usable, else a new one is made and stored', async () => {
  const now = 1_000_000_000_000;
  let stored = null;
  const made = [];
  const deps = {
    load: async () => stored,
    save: async (c) => { stored = c; },
    generate: async (keygen) => {
      made.push(keygen);
      return fakeCert(now + keygen.expires, HEX.replace('ab', `${made.length}0`));
    },
  };
  const first = await ensureCertificate({ ...deps, nowMs: now });
  assert.equal(first.fresh, true);
  assert.deepEqual(made, [KEYGEN]);
  assert.equal(stored, first.cert);
  const again = await ensureCertificate({ ...deps, nowMs: now + 10 * DAY });
  assert.equal(again.fresh, false, 'reused across reloads');
  assert.equal(again.cert, first.cert);
  assert.equal(again.fingerprint, first.fingerprint);
  const late = await ensureCertificate({ ...deps, nowMs: now + 29 * DAY + 1 });
  assert.equal(late.fresh, true, 'within a day of expiry: a new one');
  assert.notEqual(late.fingerprint, first.fingerprint);
  assert.equal(stored, late.cert);
});

test('a broken store still gives a certificate for this load', async () => {
  const now = 1_000_000_000_000;
  const r = await ensureCertificate({
    load: async () => { throw new Error('blocked'); },
    save: async () => { throw new Error('blocked'); },
    generate: async (k) => fakeCert(now + k.expires),
    nowMs: now,
  });
  assert.equal(r.fingerprint, SDP);
  assert.equal(r.fresh, true);
  // Something stored that is not a certificate: replaced.
  const junk = await ensureCertificate({
    load: async () => ({ expires: now + 10 * DAY }),
    save: async () => {},
    generate: async (k) => fakeCert(now + k.expires),
    nowMs: now,
  });
  assert.equal(junk.fresh, true);
  await assert.rejects(ensureCertificate({
    load: async () => null, save: async () => {}, generate: async () => fakeCert(now + DAY * 30, 'nope'), nowMs: now,
  }), /no sha-256/);
});
