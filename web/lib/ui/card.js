// A person's card (docs/session-protocol.md `Card`): picture, name, title, company, and the
// domain with a mark saying whether the broker verified it. Built with DOM calls and
// textContent only; names are isolated (<bdi>) so a right-to-left name keeps its direction.

import { setL10n } from './l10n.js';

/** Only pictures the broker can vouch for: inline images and https URLs. */
export function safePicture(picture) {
  if (typeof picture !== 'string') return null;
  if (/^data:image\/(png|jpeg|gif|webp);base64,[A-Za-z0-9+/=]+$/.test(picture)) return picture;
  try {
    return new URL(picture).protocol === 'https:' ? picture : null;
  } catch {
    return null;
  }
}

/** Up to two initials for the placeholder picture. */
export function initials(name) {
  const words = String(name || '?').trim().split(/\s+/).filter(Boolean);
  const first = (w) => Array.from(w)[0] || '';
  return ((first(words[0] || '?') + (words.length > 1 ? first(words[words.length - 1]) : ''))
    .toLocaleUpperCase());
}

function el(doc, tag, className, text) {
  const node = doc.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined && text !== null) node.textContent = text;
  return node;
}

/** Replaces `container`'s content with the card. */
export function renderCard(container, card, doc = document) {
  container.replaceChildren();
  if (!card) return;
  const name = card.name || '';
  const figure = el(doc, 'div', 'card');
  const src = safePicture(card.picture);
  if (src) {
    const img = el(doc, 'img', 'card-picture');
    img.src = src;
    img.referrerPolicy = 'no-referrer';
    img.decoding = 'async';
    img.width = img.height = 72;
    setL10n(img, 'card-picture', { name });
    figure.append(img);
  } else {
    const avatar = el(doc, 'span', 'card-picture card-initials', initials(name));
    avatar.setAttribute('aria-hidden', 'true');
    figure.append(avatar);
  }
  // Fields the identity issuer vouched for (signed claims the broker verified) carry a mark;
  // a note under the card says what the mark means.
  const vouched = card.vouched && typeof card.vouched === 'object' ? card.vouched : {};
  const markVouched = (node, field) => {
    if (vouched[field] !== true) return;
    const m = el(doc, 'span', 'card-vouched-mark', '✓');
    m.setAttribute('aria-hidden', 'true');
    node.append(m);
    node.dataset.vouched = 'true';
  };
  const body = el(doc, 'div', 'card-body');
  const nameEl = el(doc, 'p', 'card-name');
  nameEl.append(el(doc, 'bdi', null, name));
  markVouched(nameEl, 'name');
  body.append(nameEl);
  if (card.title || card.company) {
    const role = el(doc, 'p', 'card-role');
    if (card.title) {
      const t = el(doc, 'span', 'card-title');
      t.append(el(doc, 'bdi', null, card.title));
      markVouched(t, 'title');
      role.append(t);
    }
    if (card.title && card.company) role.append(doc.createTextNode(' · '));
    if (card.company) {
      const c = el(doc, 'span', 'card-company');
      c.append(el(doc, 'bdi', null, card.company));
      markVouched(c, 'company');
      role.append(c);
    }
    body.append(role);
  }
  if (card.domain) {
    const domain = el(doc, 'p', 'card-domain');
    domain.dataset.verified = String(Boolean(card.domain_verified));
    domain.append(el(doc, 'bdi', 'card-domain-name', card.domain));
    markVouched(domain, 'domain');
    const mark = el(doc, 'span', 'card-mark');
    setL10n(mark, card.domain_verified ? 'domain-verified' : 'domain-unverified');
    domain.append(doc.createTextNode(' '), mark);
    body.append(domain);
  }
  if (['name', 'title', 'company', 'picture', 'domain'].some((f) => vouched[f] === true)) {
    const note = el(doc, 'p', 'card-vouched-note');
    setL10n(note, 'card-vouched-note');
    body.append(note);
  }
  figure.append(body);
  container.append(figure);
}
