// The sharer's pointer in the viewer (web/cursor.js), in headless Chromium, for
// tests/browser.rs. Reports JSON lines on stdout:
//
//   node cursor-check.mjs <viewer-url> '{"root": [px, py], "text": [px, py], "other": [px, py]}'
//   node cursor-check.mjs <viewer-url> '{"expectLevel": "view", "other": [px, py]}'
//
// 1. {"phase": "ready"} once connected with control `expectLevel` (default "full"), a decoded
//    frame, the cursor channel open and a shape shown. View only: straight to 3, which also
//    reports the video's computed `cursor` (the remote shape is not the helper's pointer then).
// 2. Moves the mouse to video pixel `root` and waits until the remote pointer is there, then
//    makes ONE mouse move to `text` (over a text field on the sharer's screen) and waits until
//    the shape changes without any further input:
//    {"phase": "ibeam", "before": <cursor>, "after": <cursor>, "movesForCrossing",
//     "latencyMs" (pointermove event → shape shown), "overlay"}
//    where <cursor> = {css (computed style of the video), serial, url, hotX, hotY, width,
//    height, rgba (hex of the decoded PNG's pixels, straight RGBA)}.
// 3. Waits until the remote pointer shows up at video pixel `other` as an overlay (the test
//    moves it on the sharer's side, without our input): {"phase": "overlay", "box",
//    "expected"} (client pixels of the overlay and where its hotspot should be).
// Errors: {"phase": "error", "error", "state", "log"} and exit 1.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { missingChromium, openPage, videoPoint } from './chromium.mjs';

const out = (o) => process.stdout.write(`${JSON.stringify(o)}\n`);
const [url, planArg] = process.argv.slice(2);
const plan = JSON.parse(planArg || '{}');
if (missingChromium()) {
  out({ phase: 'error', error: missingChromium() });
  process.exit(1);
}

const log = [];
const profile = mkdtempSync(join(tmpdir(), 'glass-chromium-'));
let context;
let page;
let failed = false;

const state = () => page.evaluate(() => ({
  ...window.glassViewer, lastMessage: undefined, serverStats: undefined,
})).catch((e) => `unavailable: ${e.message}`);

// Client coordinates of the centre of video pixel (px, py), computed independently of the page.
const pagePoint = (at) => videoPoint(page, at);

// What the page shows as its pointer over the video: the computed `cursor`, parsed, and the
// image decoded by the browser.
async function shownCursor() {
  return page.evaluate(async () => {
    const v = document.getElementById('video');
    const css = getComputedStyle(v).cursor;
    const m = /^url\("([^"]+)"\) (\d+) (\d+), auto$/.exec(css);
    const result = { css: css.slice(0, 80), serial: window.glassViewer.cursor.serial };
    if (!m) return result;
    const img = new Image();
    img.src = m[1];
    await img.decode();
    const canvas = document.createElement('canvas');
    canvas.width = img.naturalWidth;
    canvas.height = img.naturalHeight;
    const ctx = canvas.getContext('2d');
    ctx.drawImage(img, 0, 0);
    const data = ctx.getImageData(0, 0, canvas.width, canvas.height).data;
    const hex = Array.from(data, (b) => b.toString(16).padStart(2, '0')).join('');
    return {
      ...result,
      url: m[1].slice(0, 22),
      hotX: Number(m[2]),
      hotY: Number(m[3]),
      width: img.naturalWidth,
      height: img.naturalHeight,
      rgba: hex,
    };
  });
}

try {
  ({ context, page } = await openPage(profile, { width: 1000, height: 700 }, log));
  await page.goto(url);
  const level = plan.expectLevel || 'full';
  await page.waitForFunction((level) => {
    const g = window.glassViewer;
    const v = document.getElementById('video');
    return g && g.state === 'connected' && v.videoWidth > 0 && g.control === level
      && g.pointerOpen && g.cursor && g.cursor.open && g.cursor.serial !== null;
  }, level, { timeout: 30000, polling: 50 });
  out({ phase: 'ready' });
  if (level === 'full') await crossing();

  // Someone else moves the pointer (the test, on the sharer's side): drawn as an overlay.
  await page.waitForFunction(([x, y]) => {
    const c = window.glassViewer.cursor;
    return c.overlay && c.x === x && c.y === y;
  }, plan.other, { timeout: 10000, polling: 20 });
  const other = await pagePoint(plan.other);
  const overlay = await page.evaluate(() => {
    const r = document.querySelector('.remote-cursor').getBoundingClientRect();
    return { left: r.left, top: r.top, width: r.width, height: r.height };
  });
  const css = await page.evaluate(() => getComputedStyle(document.getElementById('video')).cursor);
  out({ phase: 'overlay', box: overlay, expected: other, css: css.slice(0, 80) });
} catch (e) {
  out({ phase: 'error', error: String((e && e.stack) || e).split('\n')[0], state: await state(), log });
  failed = true;
} finally {
  if (context) await context.close().catch(() => {});
  rmSync(profile, { recursive: true, force: true });
}
process.exit(failed ? 1 : 0);

// Full control: our pointer over the root window, then one move into the text field.
async function crossing() {
  // Over the root window first: the remote pointer follows ours there.
  const root = await pagePoint(plan.root);
  await page.mouse.move(root.x - 20, root.y - 20);
  await page.mouse.move(root.x, root.y);
  await page.waitForFunction(([x, y]) => {
    const c = window.glassViewer.cursor;
    return c.x === x && c.y === y && c.css !== '';
  }, plan.root, { timeout: 10000, polling: 10 });
  const before = await shownCursor();

  // One move across into the text field; the shape must follow with no further input.
  await page.evaluate(() => {
    window.glassCrossing = null;
    document.getElementById('video').addEventListener('pointermove', (e) => {
      window.glassCrossing = e.timeStamp;
    }, { capture: true, once: true });
  });
  const moves = await page.evaluate(() => window.glassViewer.inputSent.move);
  const text = await pagePoint(plan.text);
  await page.mouse.move(text.x, text.y); // one mousemove event
  await page.waitForFunction((serial) => window.glassViewer.cursor.serial !== serial,
    before.serial, { timeout: 10000, polling: 'raf' });
  const timing = await page.evaluate(() => ({
    shapeAt: window.glassViewer.cursor.shapeAt,
    crossing: window.glassCrossing,
    moves: window.glassViewer.inputSent.move,
    overlay: window.glassViewer.cursor.overlay,
  }));
  const after = await shownCursor();
  out({
    phase: 'ibeam',
    before,
    after,
    movesForCrossing: timing.moves - moves,
    latencyMs: timing.shapeAt - timing.crossing,
    overlay: timing.overlay,
  });
}
