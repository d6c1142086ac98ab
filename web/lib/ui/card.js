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
  const body = el(doc, 'div', 'card-body');
  const nameEl = el(doc, 'p', 'card-name');
  nameEl.append(el(doc, 'bdi', null, name));
  body.append(nameEl);
  if (card.title || card.company) {
    const role = el(doc, 'p', 'card-role');
    if (card.title) role.append(el(doc, 'bdi', null, card.title));
    if (card.title && card.company) role.append(doc.createTextNode(' · '));
    if (card.company) role.append(el(doc, 'bdi', null, card.company));
    body.append(role);
  }
  if (card.domain) {
    const domain = el(doc, 'p', 'card-domain');
    domain.dataset.verified = String(Boolean(card.domain_verified));
    domain.append(el(doc, 'bdi', 'card-domain-name', card.domain));
    const mark = el(doc, 'span', 'card-mark');
    setL10n(mark, card.domain_verified ? 'domain-verified' : 'domain-unverified');
    domain.append(doc.createTextNode(' '), mark);
    body.append(domain);
  }
  figure.append(body);
  container.append(figure);
}
