// The chat panel, one thread for both sides (docs/session-protocol.md, "Chat"). Messages are
// rendered with textContent inside <bdi> / dir="auto" (never as HTML), ordered by the broker's
// `seq`, each with the sender's name and the time in the UI language. Enter sends, Shift+Enter
// makes a new line, and nothing is sent while an input method is composing.

import { setL10n, translateTree } from './l10n.js';

/** The broker's limits: 1–2000 grapheme clusters and at most 16 KiB of UTF-8. */
export const MAX_GRAPHEMES = 2000;
export const MAX_BYTES = 16 * 1024;

const segmenter = typeof Intl !== 'undefined' && Intl.Segmenter
  ? new Intl.Segmenter(undefined, { granularity: 'grapheme' }) : null;

export function countGraphemes(text) {
  if (!segmenter) return Array.from(text).length;
  let n = 0;
  for (const _ of segmenter.segment(text)) n++; // eslint-disable-line no-unused-vars
  return n;
}

/** What the broker accepts: NFC, `\n` line breaks, no control characters but tab and newline. */
export function cleanChatText(text) {
  return String(text).normalize('NFC').replace(/\r\n?/g, '\n')
    // eslint-disable-next-line no-control-regex
    .replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g, '');
}

let panels = 0;

export class ChatPanel {
  /**
   * @param {object} o
   * @param {HTMLElement} o.container where the panel goes
   * @param {import('../i18n.js').Localizer} o.l10n
   * @param {'helper'|'sharer'} o.role this side (its messages are marked as ours)
   * @param {(text: string) => boolean} o.onSend sends; false when it could not
   */
  constructor({ container, l10n, role, onSend, doc = document }) {
    this.l10n = l10n;
    this.role = role;
    this.onSend = onSend;
    this.doc = doc;
    this.messages = new Map(); // seq → message
    const id = `chat${++panels}`;
    const make = (tag, cls, attrs = {}) => {
      const node = doc.createElement(tag);
      if (cls) node.className = cls;
      for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
      return node;
    };
    this.root = make('section', 'chat', { 'aria-labelledby': `${id}-heading` });
    const heading = make('h2', 'chat-heading', { id: `${id}-heading` });
    setL10n(heading, 'chat-heading');
    // The live region is a wrapper: role="log" on the <ol> itself would take away its list
    // role and leave the <li> items outside any list for screen readers.
    this.logBox = make('div', 'chat-log', { role: 'log', 'aria-live': 'polite', tabindex: '0' });
    setL10n(this.logBox, 'chat-log');
    this.log = make('ol', 'chat-list');
    this.logBox.append(this.log);
    this.empty = make('li', 'chat-empty');
    setL10n(this.empty, 'chat-empty');
    this.log.append(this.empty);
    this.form = make('form', 'chat-form');
    const label = make('label', 'chat-label', { for: `${id}-input` });
    setL10n(label, 'chat-label');
    this.input = make('textarea', 'chat-input', {
      id: `${id}-input`, rows: '2', dir: 'auto', 'aria-describedby': `${id}-hint ${id}-count`,
    });
    const foot = make('div', 'chat-foot');
    const hint = make('span', 'chat-hint', { id: `${id}-hint` });
    setL10n(hint, 'chat-hint');
    this.count = make('span', 'chat-count', { id: `${id}-count` });
    this.send = make('button', 'chat-send', { type: 'submit' });
    setL10n(this.send, 'chat-send');
    foot.append(hint, this.count, this.send);
    this.form.append(label, this.input, foot);
    this.notice = make('p', 'chat-notice', { role: 'status' });
    this.notice.hidden = true;
    // Said before anyone writes: the organisation keeps this chat's text (its audit trail).
    this.keptNote = make('p', 'chat-kept', { role: 'note' });
    setL10n(this.keptNote, 'chat-kept');
    this.keptNote.hidden = true;
    this.root.append(heading, this.keptNote, this.logBox, this.notice, this.form);
    container.append(this.root);

    this.input.addEventListener('input', () => this.updateCount());
    this.input.addEventListener('keydown', (event) => {
      // IME: Enter confirms the composition, it must not send (keyCode 229: Safari's marker).
      if (event.key !== 'Enter' || event.shiftKey || event.isComposing || event.keyCode === 229) return;
      event.preventDefault();
      this.submit();
    });
    this.form.addEventListener('submit', (event) => {
      event.preventDefault();
      this.submit();
    });
    this.updateCount();
  }

  /** The text as it would be sent, and whether it may be. */
  draft() {
    const text = cleanChatText(this.input.value);
    const graphemes = countGraphemes(text);
    const bytes = new TextEncoder().encode(text).length;
    const ok = text.trim() !== '' && graphemes <= MAX_GRAPHEMES && bytes <= MAX_BYTES;
    return { text, graphemes, bytes, ok };
  }

  updateCount() {
    const { graphemes, bytes, ok } = this.draft();
    const over = graphemes > MAX_GRAPHEMES || bytes > MAX_BYTES;
    setL10n(this.count, over ? 'chat-too-long' : 'chat-length', { count: graphemes, max: MAX_GRAPHEMES });
    this.count.dataset.over = String(over);
    this.input.setAttribute('aria-invalid', String(over));
    this.send.disabled = !ok || this.input.disabled;
  }

  submit() {
    const { text, ok } = this.draft();
    if (!ok || this.input.disabled) return;
    if (this.onSend(text)) {
      this.input.value = '';
      this.updateCount();
    }
  }

  /** A `chat_message` from the broker. */
  add(msg) {
    if (!msg || typeof msg.seq !== 'number' || this.messages.has(msg.seq)) return;
    this.messages.set(msg.seq, msg);
    this.empty.hidden = true;
    const item = this.doc.createElement('li');
    item.className = 'chat-message';
    item.dataset.seq = String(msg.seq);
    item.dataset.mine = String(msg.from === this.role);
    const meta = this.doc.createElement('p');
    meta.className = 'chat-meta';
    const who = this.doc.createElement('bdi');
    who.className = 'chat-who';
    who.textContent = msg.name || '';
    const time = this.doc.createElement('time');
    time.className = 'chat-time';
    time.dateTime = new Date(msg.at).toISOString();
    meta.append(who, this.doc.createTextNode(' '), time);
    const text = this.doc.createElement('p');
    text.className = 'chat-text';
    text.dir = 'auto';
    text.textContent = msg.text;
    item.append(meta, text);
    this.formatTime(time, msg.at);
    // In `seq` order, whatever the arrival order.
    const after = [...this.log.querySelectorAll('.chat-message')].find((li) => Number(li.dataset.seq) > msg.seq);
    this.log.insertBefore(item, after || null);
    item.scrollIntoView?.({ block: 'nearest' });
  }

  formatTime(node, at) {
    const fmt = new Intl.DateTimeFormat(this.l10n.lang, { hour: 'numeric', minute: '2-digit' });
    node.textContent = fmt.format(new Date(at));
    node.title = new Intl.DateTimeFormat(this.l10n.lang, { dateStyle: 'medium', timeStyle: 'medium' })
      .format(new Date(at));
  }

  /** After a language change: labels and times in the new language. */
  relocalize() {
    translateTree(this.root, this.l10n);
    for (const li of this.log.querySelectorAll('.chat-message')) {
      const msg = this.messages.get(Number(li.dataset.seq));
      if (msg) this.formatTime(li.querySelector('time'), msg.at);
    }
  }

  /** Enables or disables sending; `reason` (a message id) is shown while disabled. */
  setEnabled(enabled, reason = null) {
    this.input.disabled = !enabled;
    this.notice.hidden = !reason;
    if (reason) setL10n(this.notice, reason);
    this.updateCount();
  }

  /** Whether the organisation keeps this session's chat text (`chat_kept` on joining). */
  setKept(kept) {
    this.keptNote.hidden = kept !== true;
  }

  clear() {
    this.messages.clear();
    this.setKept(false);
    for (const li of this.log.querySelectorAll('.chat-message')) li.remove();
    this.empty.hidden = false;
    this.input.value = '';
    this.setEnabled(true);
  }
}
