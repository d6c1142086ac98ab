// The helper's WebRTC certificate, bound to its sign-in (docs/identity.md, "The helper's page").
//
// The page keeps one RTCCertificate in IndexedDB and signs in through an OIDC issuer with its
// fingerprint (`/auth/oidc/{id}/start?dtls=sha-256 AB:…`): the issuer signs it into the ID
// token, and the sharer's agent answers only a connection made with that certificate. Every
// RTCPeerConnection the helper makes passes `certificates: [cert]`.
//
// Pure decisions here (SDP form, when to make a new certificate, when to sign in again), with
// node tests; the IndexedDB and WebRTC calls are injected, and lib/ui and the app use the
// browser's own.

/** A new certificate lives this long (RTCPeerConnection.generateCertificate's `expires`). */
export const CERT_LIFETIME_MS = 30 * 24 * 3600 * 1000;
/** A certificate expiring sooner than this is replaced (a session may run for hours). */
export const CERT_RENEW_MS = 24 * 3600 * 1000;
/** A sign-in whose ID token expires sooner than this is renewed before issuing a code. */
export const RESIGN_BEFORE_S = 5 * 60;
/** At most one automatic re-sign-in this often (a browser that cannot keep the certificate
 *  would otherwise go round the issuer forever). */
export const RESIGN_GUARD_MS = 2 * 60 * 1000;

/** The key generation parameters: ECDSA P-256, as browsers make by default, with our lifetime. */
export const KEYGEN = Object.freeze({ name: 'ECDSA', namedCurve: 'P-256', expires: CERT_LIFETIME_MS });

const DB_NAME = 'glass';
const DB_STORE = 'webrtc';
const DB_KEY = 'helper-certificate';

/**
 * The SDP form (`sha-256 AB:CD:…`, upper-case hex) of the sha-256 fingerprint among
 * `getFingerprints()`' answer, or null when there is none or it is malformed.
 */
export function sdpFingerprint(fingerprints) {
  if (!Array.isArray(fingerprints)) return null;
  const fp = fingerprints.find((f) => String(f?.algorithm).toLowerCase() === 'sha-256');
  if (!fp || typeof fp.value !== 'string') return null;
  const hex = fp.value.trim().toUpperCase();
  return /^[0-9A-F]{2}(:[0-9A-F]{2}){31}$/.test(hex) ? `sha-256 ${hex}` : null;
}

/** Whether two SDP-form fingerprints name the same certificate (hex in either case). */
export function sameFingerprint(a, b) {
  const norm = (s) => (typeof s === 'string' ? s.trim().replace(/\s+/g, ' ').toLowerCase() : null);
  return norm(a) !== null && norm(a) === norm(b);
}

/** Whether a stored certificate may still be used at `nowMs` (not within a day of expiry). */
export function certificateUsable(cert, nowMs) {
  return Boolean(cert) && typeof cert.expires === 'number' && cert.expires - nowMs > CERT_RENEW_MS;
}

/**
 * Whether the page must sign in again before issuing a code, and why: `fingerprint` (the
 * sign-in bound another certificate: this one was lost or renewed), `expiring` (the issuer's
 * token expires within 5 minutes: the sharer's agent could no longer verify it), `unbound` (an
 * issuer's sign-in that bound nothing, e.g. made by an older page), or null. A local account
 * (`viaIssuer` false: no claim on its card is the issuer's) never needs it; nor does a page
 * without a certificate (WebRTC unavailable: nothing to bind).
 */
export function mustSignInAgain({ bound, expiresAt, mine, nowMs, viaIssuer = false }) {
  if (!mine) return null;
  if (typeof bound !== 'string' || !bound) return viaIssuer ? 'unbound' : null;
  if (!sameFingerprint(bound, mine)) return 'fingerprint';
  if (typeof expiresAt === 'number' && expiresAt - nowMs / 1000 < RESIGN_BEFORE_S) return 'expiring';
  return null;
}

/** Whether a card's claims came from an issuer's signed token (`Card.vouched`). */
export function cardViaIssuer(card) {
  const v = card?.vouched;
  return Boolean(v && typeof v === 'object' && Object.values(v).some((x) => x === true));
}

/** Whether an automatic re-sign-in may start now, given when the last one started (ms, or null). */
export function mayResignIn(lastStartedMs, nowMs) {
  return !(typeof lastStartedMs === 'number' && nowMs - lastStartedMs >= 0
    && nowMs - lastStartedMs < RESIGN_GUARD_MS);
}

/**
 * Which issuer to sign in again with: the one remembered from the last sign-in when it is
 * still offered, else the only one offered, else null (the person chooses).
 */
export function resignProvider(remembered, providers) {
  const ids = (providers || []).map((p) => p.id);
  if (remembered && ids.includes(remembered)) return remembered;
  return ids.length === 1 ? ids[0] : null;
}

/**
 * The certificate to use: the stored one while usable, else a new one (stored for next
 * time). `load()`/`save(cert)` are the store (failures are tolerated: the page then has a
 * certificate for this load only), `generate(keygen)` is RTCPeerConnection.generateCertificate.
 * Resolves to `{cert, fingerprint, fresh}`.
 */
export async function ensureCertificate({ load, save, generate, nowMs }) {
  let cert = null;
  try { cert = await load(); } catch { cert = null; }
  let fresh = false;
  let fingerprint = certificateUsable(cert, nowMs) ? sdpFingerprint(cert.getFingerprints?.()) : null;
  if (!fingerprint) {
    cert = await generate(KEYGEN);
    fresh = true;
    fingerprint = sdpFingerprint(cert.getFingerprints());
    if (!fingerprint) throw new Error('the new certificate has no sha-256 fingerprint');
    try { await save(cert); } catch { /* kept for this page load only */ }
  }
  return { cert, fingerprint, fresh };
}

// ---- The browser's store ----------------------------------------------------------------------

function request(req) {
  return new Promise((resolve, reject) => {
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  });
}

async function openDb(idb) {
  const open = idb.open(DB_NAME, 1);
  open.onupgradeneeded = () => open.result.createObjectStore(DB_STORE);
  return request(open);
}

/** `{load, save}` on IndexedDB (an RTCCertificate is structured-cloneable). */
export function indexedDbStore(idb = globalThis.indexedDB) {
  const run = async (mode, fn) => {
    if (!idb) throw new Error('no IndexedDB');
    const db = await openDb(idb);
    try {
      const tx = db.transaction(DB_STORE, mode);
      const done = new Promise((resolve, reject) => {
        tx.oncomplete = resolve;
        tx.onerror = () => reject(tx.error);
        tx.onabort = () => reject(tx.error);
      });
      const result = await request(fn(tx.objectStore(DB_STORE)));
      await done;
      return result;
    } finally {
      db.close();
    }
  };
  return {
    load: () => run('readonly', (s) => s.get(DB_KEY)),
    save: (cert) => run('readwrite', (s) => s.put(cert, DB_KEY)),
  };
}

/** The helper's certificate in this browser (see `ensureCertificate`), or null without WebRTC. */
export async function helperCertificate({
  RTCPeerConnection = globalThis.RTCPeerConnection, idb = globalThis.indexedDB, now = () => Date.now(),
} = {}) {
  if (!RTCPeerConnection?.generateCertificate) return null;
  const store = indexedDbStore(idb);
  return ensureCertificate({
    ...store,
    generate: (keygen) => RTCPeerConnection.generateCertificate(keygen),
    nowMs: now(),
  });
}
