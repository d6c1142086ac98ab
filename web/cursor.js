// Glass viewer cursor: the sharer's pointer, sent on the `cursor` data channel beside the
// video (which is captured without it), drawn here (decoding in lib/cursor.js).
//
// - With full control, the helper's own pointer over the video takes the remote shape: the
//   video's CSS `cursor` is the shape's PNG with its hotspot (`url(data:…) x y, auto`), so the
//   pointer moves at input speed and turns into an I-beam over a text field, a hand over a
//   link, as the sharer's would.
// - In view-only mode, or when the remote pointer moves without this viewer's input (the
//   sharer's own mouse), the shape is drawn as an overlay <img> at the remote position,
//   scaled with the picture.
//
// API (input.js drives it, so the viewer and the helper app both get it):
//   const cursor = createCursor({ video, hook, pictureRect })
//   cursor.attach(pc)          before createOffer: creates the `cursor` channel
//   cursor.detach()            forgets the channel, the shapes and the overlay
//   cursor.setLevel(level)     'view' | 'full' | null
//   cursor.noteOwnMove(x, y)   a move this viewer sent (wire coordinates 0..65535)
//
// Test hook: `hook.cursor` = {open, shapes, serial, x, y, css, overlay, received, rejected,
// shapeAt (performance.now() when the shown shape last changed)}.

import {
  OwnMoves, ShapeCache, cssCursor, decodeCursorMessage, overlayBox, shapeUrl, wirePixel,
} from '/lib/cursor.js';

export function createCursor({ video, hook, pictureRect }) {
  const shapes = new ShapeCache();
  const own = new OwnMoves();
  let channel = null;
  let level = null;
  let position = null; // the newest position message
  let shown = null; // the shape shown now

  const state = {
    open: false, shapes: 0, serial: null, x: null, y: null, css: '', overlay: false,
    received: 0, rejected: 0, shapeAt: null,
  };
  hook.cursor = state;

  const overlay = document.createElement('img');
  overlay.className = 'remote-cursor';
  overlay.alt = '';
  overlay.hidden = true;
  overlay.draggable = false;
  video.insertAdjacentElement('afterend', overlay);

  function render() {
    const shape = position ? shapes.get(position.serial) : null;
    if (shape !== shown) {
      shown = shape;
      state.shapeAt = performance.now();
      if (shape) overlay.src = shapeUrl(shape);
    }
    state.serial = shape ? shape.serial : null;
    state.x = position ? position.x : null;
    state.y = position ? position.y : null;
    // The helper's own pointer shows the remote shape only while it steers it.
    const css = shape && level === 'full' ? cssCursor(shape) : '';
    if (video.style.cursor !== css) video.style.cursor = css;
    state.css = css;
    let box = null;
    if (shape && (level !== 'full' || !own.isOwn(position.x, position.y, performance.now()))) {
      box = overlayBox(position, shape, pictureRect(video), video.videoWidth, video.videoHeight);
    }
    overlay.hidden = !box;
    state.overlay = Boolean(box);
    if (box) {
      const parent = overlay.offsetParent || document.body;
      const origin = parent.getBoundingClientRect();
      overlay.style.left = `${box.left - origin.left}px`;
      overlay.style.top = `${box.top - origin.top}px`;
      overlay.style.width = `${box.width}px`;
      overlay.style.height = `${box.height}px`;
    }
  }

  function onMessage(event) {
    const m = decodeCursorMessage(event.data);
    if (!m) {
      state.rejected++;
      return;
    }
    state.received++;
    if (m.type === 'shape') {
      shapes.add(m);
      state.shapes = shapes.size;
      if (position && position.serial === m.serial) render();
    } else {
      position = m;
      render();
    }
  }

  function attach(pc) {
    detach();
    // Reliable and ordered: a shape must arrive before the positions that name it.
    const ch = pc.createDataChannel('cursor');
    channel = ch;
    ch.binaryType = 'arraybuffer';
    ch.onopen = () => { if (ch === channel) state.open = true; };
    ch.onclose = () => { if (ch === channel) state.open = false; };
    ch.onmessage = (e) => { if (ch === channel) onMessage(e); };
  }

  function detach() {
    if (channel) channel.onopen = channel.onclose = channel.onmessage = null;
    channel = null;
    shapes.clear();
    own.clear();
    position = null;
    level = null;
    state.open = false;
    state.shapes = 0;
    render();
  }

  function setLevel(newLevel) {
    level = newLevel;
    render();
  }

  function noteOwnMove(x, y) {
    if (!video.videoWidth || !video.videoHeight) return;
    own.note(wirePixel(x, video.videoWidth), wirePixel(y, video.videoHeight), performance.now());
  }

  // The overlay follows the picture when the page lays out again.
  window.addEventListener('resize', () => { if (position) render(); });
  video.addEventListener('resize', () => { if (position) render(); });

  return { attach, detach, setLevel, noteOwnMove };
}
