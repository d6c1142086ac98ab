// Pieces both apps share: writing messages to elements, focus, the sign-in form and the
// sign-out button. DOM code, but no state of its own beyond the elements it is given.

import { BrokerError } from '../broker.js';
import { setL10n } from './l10n.js';

/**
 * Sets a message on an element only when it changes (a live region re-announces every write).
 * `id` null empties it.
 */
export function say(el, id, args = null) {
  const key = JSON.stringify([id, args]);
  if (el.dataset.said === key) return;
  el.dataset.said = key;
  if (id) {
    setL10n(el, id, args);
  } else {
    delete el.dataset.l10nId;
    el.textContent = '';
  }
}

/** Focuses the first of the elements (by id) that is shown and enabled. */
export function focusFirst(...ids) {
  for (const id of ids) {
    const el = document.getElementById(id);
    if (el && !el.hidden && !el.disabled && el.offsetParent !== null) {
      el.focus();
      return true;
    }
  }
  return false;
}

/** Shows one of `views` (element ids) and hides the others; true when it changed. */
export function viewSwitcher(views) {
  let shown = null;
  return (id) => {
    for (const v of views) document.getElementById(v).hidden = v !== id;
    if (id === shown) return false;
    shown = id;
    return true;
  };
}

/** The message for a failed HTTP call. */
export function errorIdFor(e) {
  if (e instanceof BrokerError) {
    if (e.status === 0) return 'server-unreachable';
    if (e.status === 401) return 'signin-failed';
    if (e.status === 429) return 'error-rate_limited';
  }
  return 'error-internal';
}

/**
 * The sign-in form (#signin-form, #username, #password, #signin-button, #signin-error).
 * `onSignedIn(card)` runs after a successful login.
 */
export function setupSignin({ broker, status, onSignedIn, dtls = null }) {
  const $ = (id) => document.getElementById(id);
  const showError = (id) => {
    $('signin-error').hidden = !id;
    if (id) say($('signin-error'), id);
  };
  $('signin-form').addEventListener('submit', async (event) => {
    event.preventDefault();
    const username = $('username').value.trim();
    const password = $('password').value;
    if (!username || !password) {
      showError('signin-missing');
      focusFirst(username ? 'password' : 'username');
      return;
    }
    $('signin-button').disabled = true;
    showError(null);
    say(status, 'signing-in');
    try {
      const card = await broker.login(username, password);
      $('password').value = '';
      await onSignedIn(card);
    } catch (e) {
      showError(errorIdFor(e));
      say(status, null);
      focusFirst('password');
    } finally {
      $('signin-button').disabled = false;
    }
  });
  const providers = showProviders({ broker, doc: document, dtls });
  return { showError, providers };
}

/**
 * A "Sign in with …" link per OIDC provider under the form, the form hidden when local
 * accounts are off, and the failure the broker reported (`?sign_in=failed`, taken off the
 * address bar so a reload does not show it again). `dtls` (the helper's): a promise of its
 * certificate's fingerprint, bound by each provider's sign-in (lib/binding.js); the links
 * appear once it is known. Clicking one remembers which provider it was (a later re-sign-in
 * goes back to it). Resolves to the providers.
 */
export async function showProviders({
  broker, doc = document, location = globalThis.location, dtls = null,
}) {
  const $ = (id) => doc.getElementById(id);
  const app = location?.pathname?.startsWith('/share') ? 'sharer' : 'helper';
  const params = new URLSearchParams(location?.search || '');
  if (params.get('sign_in') === 'failed') {
    $('signin-provider-error').hidden = false;
    say($('signin-provider-error'), 'signin-provider-failed');
    globalThis.history?.replaceState(null, '', location.pathname);
  }
  const [{ local, providers }, fingerprint] = await Promise.all([
    broker.providers(), Promise.resolve(dtls).catch(() => null),
  ]);
  $('signin-form').hidden = !local;
  const list = $('signin-providers');
  list.replaceChildren();
  for (const p of providers) {
    const item = doc.createElement('li');
    const link = doc.createElement('a');
    link.className = 'provider-button';
    link.href = broker.startUrl(p.id, app, fingerprint);
    link.dataset.provider = p.id;
    link.addEventListener('click', () => rememberProvider(p.id));
    setL10n(link, 'signin-with', { provider: p.name });
    item.append(link);
    list.append(item);
  }
  list.hidden = providers.length === 0;
  $('signin-or').hidden = !(local && providers.length > 0);
  return providers;
}

const PROVIDER_KEY = 'glass.signInProvider';

/** Remembers the provider this browser last signed in with (nothing secret: its id). */
export function rememberProvider(id) {
  try { globalThis.localStorage?.setItem(PROVIDER_KEY, id); } catch { /* storage off */ }
}

/** The provider this browser last signed in with, or null. */
export function rememberedProvider() {
  try { return globalThis.localStorage?.getItem(PROVIDER_KEY) ?? null; } catch { return null; }
}

/** `id` when the catalogues have it, else `fallback` (reasons and codes newer than this page). */
export function known(l10n, id, fallback) {
  return l10n && !l10n.has(id) ? fallback : id;
}

/**
 * A message and, after it, text from elsewhere that must stay text: the sentence an
 * administrator wrote for a policy rule (`forbidden`). The detail goes in a <bdi dir="auto">
 * with textContent, so it is never markup and keeps its own direction whatever the page's.
 * `el` gets two children the first time; later calls only change what changed (a live region
 * re-announces every write).
 */
export function sayWithDetail(el, id, args = null, detail = null) {
  let text = el.querySelector(':scope > .message-text');
  let extra = el.querySelector(':scope > .message-detail');
  if (!text || !extra) {
    delete el.dataset.l10nId;
    delete el.dataset.l10nArgs;
    delete el.dataset.said;
    text = document.createElement('span');
    text.className = 'message-text';
    extra = document.createElement('bdi');
    extra.className = 'message-detail';
    extra.dir = 'auto';
    // The space keeps the two apart for screen readers and copy-paste (the detail is a block).
    el.replaceChildren(text, ' ', extra);
  }
  say(text, id, args);
  const value = detail || '';
  if (extra.textContent !== value) extra.textContent = value;
  extra.hidden = !value;
}
