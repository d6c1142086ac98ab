// Glass viewer input: captures the helper's mouse and keyboard over the video and sends them
// to the sharer on two data channels (docs/protocol.md, "Input channels"; encoding in
// wire.js):
//
// - `pointer` (unordered, no retransmits): pointer moves only. Latest wins: a move is dropped
//   rather than queued when the channel is backed up.
// - `input` (reliable, ordered): buttons, wheel, keys, text, release-all. Buttons and wheel
//   carry their own position, since they can overtake the moves before them.
//
// Positions are fractions of the displayed picture: the video element minus the letterbox of
// `object-fit: contain`, so window size and devicePixelRatio do not matter.
//
// Keyboard: a visually hidden <textarea> over the video is the keyboard target. keydown/keyup
// become key messages by physical key (`event.code`; keydown's default is prevented, so no
// character is inserted and the browser does not act on shortcuts). Characters that arrive
// without keys (IME compositions, insertText, paste) become text messages.
//
// The sharer's pointer comes back on a third channel, `cursor` (cursor.js): created with the
// others in attach(), told the level, and told where our moves put the pointer.
//
// API (used by viewer.js):
//   const input = createInput({ video, keyboard, hook, always, fullscreenButton, fullscreenElement });
//   input.attach(pc)     before createOffer: creates both channels and a new sequence counter
//   input.detach()       on teardown: forgets the channels, level back to null
//   input.setLevel(l)    'view' | 'full' | null, from the sharer's control message
//   input.releaseAll()   sends `release all` now (Release control button)
//   input.focus()        focuses the keyboard target

import { createCursor } from './cursor.js';
import {
  InputEncoder, MAX_WHEEL_LINES, MAX_WHEEL_PIXELS, WHEEL_LINES, WHEEL_PIXELS,
  modifierBits, sanitizeText, splitText, timestampMicros, toCoordinate,
} from './wire.js';

/** Drop pointer moves while this much is waiting on the pointer channel (bytes). */
const POINTER_HIGH_WATER = 16 * 1024;
/** Wheel deltas in pages (deltaMode 2) are sent as this many lines per page. */
const LINES_PER_PAGE = 20;
/** MouseEvent.button number → its bit in MouseEvent.buttons (middle and right swap). */
const BUTTONS_BIT = [1, 4, 2, 8, 16];
/** Old key codes some browsers still send (Firefox before 118) → the W3C name. */
const CODE_ALIASES = { OSLeft: 'MetaLeft', OSRight: 'MetaRight' };

/**
 * The displayed picture inside the video element, in client (CSS pixel) coordinates: the
 * element's box minus the letterbox of `object-fit: contain` with the default
 * `object-position: 50% 50%` (style.css). Null until the video has a size.
 */
export function pictureRect(video) {
  const vw = video.videoWidth;
  const vh = video.videoHeight;
  const box = video.getBoundingClientRect(); // the video has no border or padding
  if (!vw || !vh || !box.width || !box.height) return null;
  const scale = Math.min(box.width / vw, box.height / vh);
  const width = vw * scale;
  const height = vh * scale;
  return {
    left: box.left + (box.width - width) / 2,
    top: box.top + (box.height - height) / 2,
    width,
    height,
  };
}

export function createInput({
  video, keyboard, hook, always = false, fullscreenButton = null, fullscreenElement = null,
}) {
  let level = null; // what the sharer allows: 'view', 'full' or null (not told yet)
  let encoder = null;
  let pointerChannel = null;
  let inputChannel = null;
  let pressed = 0; // buttons we sent down and not up, bit (1 << MouseEvent.button)
  const keysDown = new Set(); // codes we sent down and not up
  const wheelRest = { [WHEEL_PIXELS]: { x: 0, y: 0 }, [WHEEL_LINES]: { x: 0, y: 0 } };
  let composing = false;
  let lastPointer = null; // client position of the newest pointer event (fractional pixels)
  const cursor = createCursor({ video, hook, pictureRect });

  hook.inputSent = { move: 0, button: 0, wheel: 0, key: 0, text: 0, release: 0 };
  hook.pointerOpen = false;
  hook.inputOpen = false;
  // Bytes queued on both channels (lets a test wait until everything went out).
  Object.defineProperty(hook, 'inputBuffered', {
    enumerable: true,
    get: () => (pointerChannel?.bufferedAmount || 0) + (inputChannel?.bufferedAmount || 0),
  });

  // Send only with the sharer's permission; `always` (?input=always) is a test hook that makes
  // the page behave like a misbehaving viewer that sends regardless.
  const enabled = () => always || level === 'full';
  const isOpen = (ch) => ch !== null && ch.readyState === 'open';

  function forgetHeld() {
    pressed = 0;
    keysDown.clear();
    for (const rest of Object.values(wheelRest)) rest.x = rest.y = 0;
  }

  // Encodes with `make(encoder)` and sends on `input`. Nothing is encoded (no sequence number
  // taken) without permission or while the channel is not open.
  function sendInput(kind, make) {
    if (!enabled() || !isOpen(inputChannel)) return false;
    try {
      inputChannel.send(make(encoder));
    } catch (e) {
      console.warn(`glass: ${kind} not sent: ${e.message || e}`);
      return false;
    }
    hook.inputSent[kind]++;
    return true;
  }

  // ---- Data channels --------------------------------------------------------------------

  function attach(pc) {
    detach();
    encoder = new InputEncoder(); // one sequence counter per session, shared by both channels
    pointerChannel = pc.createDataChannel('pointer', { ordered: false, maxRetransmits: 0 });
    inputChannel = pc.createDataChannel('input');
    cursor.attach(pc);
    for (const [ch, flag] of [[pointerChannel, 'pointerOpen'], [inputChannel, 'inputOpen']]) {
      ch.binaryType = 'arraybuffer';
      ch.onopen = () => { if (ch === pointerChannel || ch === inputChannel) hook[flag] = true; };
      ch.onclose = () => {
        if (ch !== pointerChannel && ch !== inputChannel) return;
        hook[flag] = false;
        // The sharer releases everything when `input` closes; start clean on the next one.
        if (ch === inputChannel) forgetHeld();
      };
      ch.onmessage = null; // nothing comes back on these
    }
  }

  function detach() {
    for (const ch of [pointerChannel, inputChannel]) {
      if (ch) ch.onopen = ch.onclose = null; // pc.close() closes them
    }
    pointerChannel = inputChannel = encoder = null;
    hook.pointerOpen = hook.inputOpen = false;
    level = null;
    cursor.detach();
    forgetHeld();
    updateKeyboardLock();
  }

  function setLevel(newLevel) {
    level = newLevel;
    cursor.setLevel(enabled() ? 'full' : newLevel);
    // Dropping to view-only makes the sharer release everything we held.
    if (!enabled()) forgetHeld();
    if (level === 'full') focus();
    updateKeyboardLock();
  }

  /**
   * Sends `release all`. Without `force` only when we hold something (focus loss fires
   * several events; one release is enough). Returns whether it was sent.
   */
  function releaseAll({ force = true, timeStamp } = {}) {
    const holding = pressed !== 0 || keysDown.size > 0;
    forgetHeld();
    if (!force && !holding) return false;
    return sendInput('release', (enc) => enc.releaseAll(timestampMicros(timeStamp)));
  }

  function focus() {
    if (document.activeElement !== keyboard) keyboard.focus({ preventScroll: true });
  }

  // ---- Pointer ----------------------------------------------------------------------------

  // Wire position of a pointer event, or null outside the picture. `clamp` pins positions
  // outside the picture to its edge instead (a drag that leaves the picture).
  function positionOf(event, clamp) {
    const pic = pictureRect(video);
    if (!pic) return null;
    let { clientX: x, clientY: y } = event;
    // Pointer events have fractional coordinates, wheel events (MouseEvents) whole pixels:
    // take the pointer's own position when the wheel happened where it is.
    if (event.type === 'wheel' && lastPointer
      && Math.abs(lastPointer.x - x) < 1 && Math.abs(lastPointer.y - y) < 1) {
      ({ x, y } = lastPointer);
    }
    const fx = (x - pic.left) / pic.width;
    const fy = (y - pic.top) / pic.height;
    if (!clamp && (fx < 0 || fx >= 1 || fy < 0 || fy >= 1)) return null;
    return [toCoordinate(fx), toCoordinate(fy)]; // clamps to 0..65535
  }

  function sendButton(event, button, down) {
    const bit = 1 << button;
    if (down) {
      const at = positionOf(event, false);
      if (!at) return; // a click in the letterbox
      if (sendInput('button', (enc) => enc.button(at[0], at[1], button, true,
        modifierBits(event), timestampMicros(event.timeStamp)))) {
        pressed |= bit;
        cursor.noteOwnMove(at[0], at[1]);
      }
    } else {
      if (!(pressed & bit)) return; // its down was never sent
      pressed &= ~bit;
      const at = positionOf(event, true) || [0, 0];
      sendInput('button', (enc) => enc.button(at[0], at[1], button, false,
        modifierBits(event), timestampMicros(event.timeStamp)));
    }
  }

  function notePointer(event) {
    lastPointer = { x: event.clientX, y: event.clientY };
  }

  function onPointerDown(event) {
    // Keep the keyboard target under the pointer (IME candidate windows open there) and focused.
    const stage = keyboard.offsetParent || document.body;
    const box = stage.getBoundingClientRect();
    keyboard.style.left = `${event.clientX - box.left}px`;
    keyboard.style.top = `${event.clientY - box.top}px`;
    focus();
    if (!enabled()) return;
    if (event.button < 0 || event.button > 4) return;
    sendButton(event, event.button, true);
    // Capture: the up still comes to us when a drag ends outside the video or the window.
    if (pressed) {
      try { video.setPointerCapture(event.pointerId); } catch {}
    }
  }

  function onPointerUp(event) {
    if (event.button >= 0 && event.button <= 4) sendButton(event, event.button, false);
  }

  function onPointerMove(event) {
    if (!enabled()) return;
    // A second button pressed or released while another is held comes as a pointermove with
    // `button` set (Pointer Events "chorded buttons").
    if (event.button >= 0 && event.button <= 4) {
      sendButton(event, event.button, (event.buttons & BUTTONS_BIT[event.button]) !== 0);
    }
    if (!isOpen(pointerChannel) || pointerChannel.bufferedAmount > POINTER_HIGH_WATER) return;
    const at = positionOf(event, pressed !== 0);
    if (!at) return;
    try {
      pointerChannel.send(encoder.move(at[0], at[1], timestampMicros(event.timeStamp)));
      hook.inputSent.move++;
      cursor.noteOwnMove(at[0], at[1]);
    } catch {}
  }

  function onPointerCancel(event) {
    // The browser took the pointer over (touch scrolling, a system gesture): lift what we hold.
    for (let button = 0; button <= 4; button++) {
      if (pressed & (1 << button)) sendButton(event, button, false);
    }
  }

  function onWheel(event) {
    if (!enabled()) return;
    event.preventDefault(); // no page scroll or Ctrl+wheel zoom: the wheel is the sharer's
    const at = positionOf(event, pressed !== 0);
    if (!at) return;
    let mode = WHEEL_PIXELS;
    let { deltaX: dx, deltaY: dy } = event;
    if (event.deltaMode === 1) {
      mode = WHEEL_LINES;
    } else if (event.deltaMode === 2) {
      mode = WHEEL_LINES;
      dx *= LINES_PER_PAGE;
      dy *= LINES_PER_PAGE;
    }
    // Fractional deltas (trackpads, zoomed pages) add up until they make whole units.
    const rest = wheelRest[mode];
    rest.x += dx;
    rest.y += dy;
    const ix = Math.trunc(rest.x);
    const iy = Math.trunc(rest.y);
    if (ix === 0 && iy === 0) return;
    rest.x -= ix;
    rest.y -= iy;
    const max = mode === WHEEL_PIXELS ? MAX_WHEEL_PIXELS : MAX_WHEEL_LINES;
    const clamp = (v) => Math.max(-max, Math.min(max, v)); // excess is dropped, not carried
    sendInput('wheel', (enc) => enc.wheel(at[0], at[1], mode, modifierBits(event),
      clamp(ix), clamp(iy), timestampMicros(event.timeStamp)));
  }

  // While in control, the browser's own reactions to mouse buttons go: no context menu, no
  // back/forward navigation, no middle-click autoscroll. mousedown's default would also move
  // focus away from the keyboard target (to the body), so it is always prevented.
  const preventIfEnabled = (event) => { if (enabled()) event.preventDefault(); };
  // Capture phase: notes the position before any handler uses it.
  for (const type of ['pointerdown', 'pointermove', 'pointerup']) {
    video.addEventListener(type, notePointer, { capture: true });
  }
  video.addEventListener('pointerdown', onPointerDown);
  video.addEventListener('pointerup', onPointerUp);
  video.addEventListener('pointermove', onPointerMove);
  video.addEventListener('pointercancel', onPointerCancel);
  video.addEventListener('wheel', onWheel, { passive: false });
  video.addEventListener('mousedown', (event) => event.preventDefault());
  video.addEventListener('mouseup', preventIfEnabled);
  video.addEventListener('auxclick', preventIfEnabled);
  video.addEventListener('contextmenu', preventIfEnabled);

  // ---- Keyboard and text ------------------------------------------------------------------

  function codeOf(event) {
    const code = CODE_ALIASES[event.code] || event.code;
    return code && code !== 'Unidentified' ? code : null;
  }

  function onKeyDown(event) {
    if (!enabled() || event.isComposing || event.keyCode === 229) return; // 229: IME busy
    const code = codeOf(event);
    if (!code) return;
    // No character goes into the textarea (so no `input` event follows) and the browser does
    // not act on its shortcuts (those it lets pages have).
    event.preventDefault();
    // Auto-repeat is forwarded as further downs, as the keyboard would send them.
    if (sendInput('key', (enc) => enc.key(code, true, modifierBits(event),
      timestampMicros(event.timeStamp)))) {
      keysDown.add(code);
    }
  }

  function onKeyUp(event) {
    if (!enabled()) return;
    const code = codeOf(event);
    if (!code || !keysDown.has(code)) return; // its down went elsewhere (or was an IME's)
    event.preventDefault();
    keysDown.delete(code);
    sendInput('key', (enc) => enc.key(code, false, modifierBits(event),
      timestampMicros(event.timeStamp)));
  }

  function sendText(text, timeStamp) {
    const t = timestampMicros(timeStamp);
    for (const piece of splitText(sanitizeText(text || ''))) {
      sendInput('text', (enc) => enc.text(piece, t));
    }
  }

  function clearKeyboard() {
    if (!composing) keyboard.value = '';
  }

  function onInput(event) {
    if (composing || event.isComposing) return; // the composition's result comes at its end
    // Keys never reach here (keydown is prevented), so inserted text came without keys:
    // insertText (virtual keyboards, emoji pickers, IMEs without composition events) or paste.
    if (event.inputType === 'insertText' || event.inputType === 'insertFromPaste') {
      // `data` is null for pastes in some browsers; the textarea then holds just the paste.
      if (enabled()) sendText(event.data ?? keyboard.value, event.timeStamp);
    }
    clearKeyboard();
  }

  keyboard.addEventListener('keydown', onKeyDown);
  keyboard.addEventListener('keyup', onKeyUp);
  keyboard.addEventListener('input', onInput);
  keyboard.addEventListener('compositionstart', () => { composing = true; });
  keyboard.addEventListener('compositionend', (event) => {
    composing = false;
    if (enabled() && event.data) sendText(event.data, event.timeStamp);
    // Clear after the browser has finished with the composition (clearing inside the event
    // confuses some IMEs).
    setTimeout(clearKeyboard, 0);
  });

  // Losing focus: the key-ups (and button-ups) will go elsewhere, so release everything.
  const lostFocus = (event) => releaseAll({ force: false, timeStamp: event.timeStamp });
  keyboard.addEventListener('blur', lostFocus);
  window.addEventListener('blur', lostFocus);
  document.addEventListener('visibilitychange', (event) => {
    if (document.visibilityState === 'hidden') lostFocus(event);
  });

  // ---- Full screen and Keyboard Lock ------------------------------------------------------

  // In full screen, Keyboard Lock (Chromium) lets system shortcuts such as Alt-Tab, Ctrl-W or
  // Escape reach the page and so the sharer; holding Escape still leaves full screen. Locked
  // only while we may send input.
  function updateKeyboardLock() {
    const kb = navigator.keyboard;
    if (!kb || typeof kb.lock !== 'function') return;
    if (document.fullscreenElement && enabled()) kb.lock().catch(() => {});
    else kb.unlock();
  }

  if (fullscreenButton) {
    const target = fullscreenElement || document.documentElement;
    if (!document.fullscreenEnabled) {
      fullscreenButton.hidden = true;
    } else {
      fullscreenButton.addEventListener('click', () => {
        if (document.fullscreenElement) document.exitFullscreen().catch(() => {});
        else target.requestFullscreen({ navigationUI: 'hide' }).catch(() => {});
      });
      document.addEventListener('fullscreenchange', () => {
        const on = Boolean(document.fullscreenElement);
        fullscreenButton.textContent = on ? 'Exit full screen' : 'Full screen';
        fullscreenButton.setAttribute('aria-pressed', String(on));
        updateKeyboardLock();
        if (on) focus();
      });
    }
  }

  return { attach, detach, setLevel, releaseAll, focus };
}
