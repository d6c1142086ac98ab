// Drives the Glass viewer's input capture in headless Chromium with real (CDP) mouse and
// keyboard events, for the Rust input tests. Reports JSON lines on stdout:
//
//   node input-check.mjs <viewer-url> '<plan json>'
//
// plan: {"expectLevel": "full" | "view" (default "full"), "steps": [...]}
//
// 1. {"ready": true, "videoWidth", "videoHeight", "control"} once the viewer is connected, has
//    decoded a frame, both input channels are open and the sharer announced `expectLevel`
//    (or {"ready": false, "error", "state"} and exit 1 after 30 s).
// 2. {"step": i, "ok": true} after each step (i from 0), or {"step": i, "error"} and exit 1.
//    Positions are video pixels (px, py): the pointer goes to that pixel's centre, mapped
//    through the letterbox and scaling of the page.
//      {"move": [px, py]}
//      {"click": [px, py], "button": "left"|"middle"|"right"}   (button defaults to left)
//      {"down": [px, py], "button": ...}   {"up": [px, py], "button": ...}
//      {"wheel": [dx, dy], "at": [px, py]}                     (pixel deltas)
//      {"press": "KeyA"}   {"keydown": "ShiftLeft"}   {"keyup": "ShiftLeft"}   (KeyboardEvent.code)
//      {"text": "héllo ✓"}                                     (insertText: a text message)
//      {"wait": ms}
//      {"release": true}                                       (clicks "Release control")
//      {"waitForever": true}                                   (prints its line, then sleeps)
// 3. {"done": true, "inputSent": {move, button, wheel, key, text, release}} once the channels
//    have drained, then the browser closes.
//
// Uses Debian's /usr/bin/chromium (CHROMIUM overrides); playwright-core never downloads one.
// Launch options as in viewer-check.mjs.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { missingChromium, openPage } from './chromium.mjs';

const out = (o) => process.stdout.write(`${JSON.stringify(o)}\n`);

const [url, planArg] = process.argv.slice(2);
if (!url || !planArg) {
  console.error('usage: node input-check.mjs <viewer-url> <plan-json>');
  process.exit(2);
}
let plan;
try {
  plan = JSON.parse(planArg);
  if (!plan || typeof plan !== 'object') throw new Error('not an object');
  if (plan.steps !== undefined && !Array.isArray(plan.steps)) throw new Error('"steps" is not an array');
} catch (e) {
  out({ ready: false, error: `bad plan JSON: ${e.message}` });
  process.exit(2);
}
const steps = plan.steps || [];
const expectLevel = plan.expectLevel || 'full';
if (missingChromium()) {
  out({ ready: false, error: missingChromium() });
  process.exit(1);
}

const BUTTONS = ['left', 'middle', 'right'];
const log = [];
const profile = mkdtempSync(join(tmpdir(), 'glass-chromium-'));
let context;
let failed = false;

// The viewer's state, for error reports.
async function snapshot(page) {
  return page.evaluate(() => {
    const g = window.glassViewer;
    const v = document.getElementById('video');
    return g ? {
      state: g.state,
      message: g.message,
      control: g.control,
      pointerOpen: g.pointerOpen,
      inputOpen: g.inputOpen,
      inputSent: g.inputSent,
      videoWidth: v.videoWidth,
      videoHeight: v.videoHeight,
      activeElement: document.activeElement?.id || document.activeElement?.tagName,
    } : null;
  }).catch((e) => `unavailable: ${e.message}`);
}

// Page coordinates of the centre of video pixel (px, py). Computed here, independently of
// input.js: `object-fit: contain` scales the picture uniformly and centres it.
async function pagePoint(page, at, what) {
  if (!Array.isArray(at) || at.length !== 2 || !at.every(Number.isFinite)) {
    throw new Error(`${what} needs [px, py], got ${JSON.stringify(at)}`);
  }
  const p = await page.evaluate(([px, py]) => {
    const v = document.getElementById('video');
    const box = v.getBoundingClientRect();
    const vw = v.videoWidth;
    const vh = v.videoHeight;
    const scale = Math.min(box.width / vw, box.height / vh);
    return {
      x: box.left + (box.width - vw * scale) / 2 + (px + 0.5) * scale,
      y: box.top + (box.height - vh * scale) / 2 + (py + 0.5) * scale,
      vw,
      vh,
    };
  }, at);
  const [px, py] = at;
  if (!(px >= 0 && px < p.vw && py >= 0 && py < p.vh)) {
    throw new Error(`${what} [${px}, ${py}] is outside the ${p.vw}x${p.vh} video`);
  }
  return p;
}

function buttonOf(step) {
  const button = step.button ?? 'left';
  if (!BUTTONS.includes(button)) throw new Error(`unknown button ${JSON.stringify(button)} (left, middle, right)`);
  return button;
}

// Keyboard events go to the focused element: make sure it is the viewer's keyboard target.
async function focusKeyboard(page) {
  const active = await page.evaluate(() => document.activeElement?.id);
  if (active !== 'keys') await page.focus('#keys');
}

async function runStep(page, step) {
  if (!step || typeof step !== 'object') throw new Error(`step is not an object: ${JSON.stringify(step)}`);
  if ('move' in step) {
    const p = await pagePoint(page, step.move, 'move');
    await page.mouse.move(p.x, p.y);
  } else if ('click' in step) {
    const p = await pagePoint(page, step.click, 'click');
    const button = buttonOf(step);
    await page.mouse.move(p.x, p.y);
    await page.mouse.click(p.x, p.y, { button });
  } else if ('down' in step) {
    const p = await pagePoint(page, step.down, 'down');
    const button = buttonOf(step);
    await page.mouse.move(p.x, p.y);
    await page.mouse.down({ button });
  } else if ('up' in step) {
    const p = await pagePoint(page, step.up, 'up');
    const button = buttonOf(step);
    await page.mouse.move(p.x, p.y);
    await page.mouse.up({ button });
  } else if ('wheel' in step) {
    const [dx, dy] = Array.isArray(step.wheel) ? step.wheel : [];
    if (!Number.isFinite(dx) || !Number.isFinite(dy)) throw new Error(`wheel needs [dx, dy], got ${JSON.stringify(step.wheel)}`);
    const p = await pagePoint(page, step.at, 'wheel "at"');
    await page.mouse.move(p.x, p.y);
    await page.mouse.wheel(dx, dy);
  } else if ('press' in step) {
    await focusKeyboard(page);
    await page.keyboard.press(step.press);
  } else if ('keydown' in step) {
    await focusKeyboard(page);
    await page.keyboard.down(step.keydown);
  } else if ('keyup' in step) {
    await focusKeyboard(page);
    await page.keyboard.up(step.keyup);
  } else if ('text' in step) {
    if (typeof step.text !== 'string' || !step.text) throw new Error('text needs a non-empty string');
    await focusKeyboard(page);
    await page.keyboard.insertText(step.text);
  } else if ('wait' in step) {
    await new Promise((r) => setTimeout(r, Math.max(0, Number(step.wait) || 0)));
  } else if ('waitForever' in step) {
    // Handled by the caller once this step's line is out.
  } else if ('release' in step) {
    await page.click('#release', { timeout: 5000 });
    await page.waitForFunction(() => window.glassViewer.control === 'view', null, { timeout: 2000 });
  } else {
    throw new Error(`unknown step ${JSON.stringify(step)}`);
  }
}

try {
  let page;
  ({ context, page } = await openPage(profile, { width: 1000, height: 700 }, log));
  try {
    await page.goto(url);
  } catch (e) {
    out({ ready: false, error: `cannot open the viewer: ${e.message.split('\n')[0]}`, log });
    failed = true;
  }

  if (!failed) {
    const want = `connected, a decoded frame, input+pointer open, control "${expectLevel}"`;
    try {
      // Also returns (and fails at once) when the page gives up: refused, or the sharer left.
      const ready = await page.waitForFunction((level) => {
        const g = window.glassViewer;
        const v = document.getElementById('video');
        if (g && (g.state === 'error' || g.state === 'left')) return 'gave-up';
        return g && g.state === 'connected' && v.videoWidth > 0 && v.videoHeight > 0
          && g.inputOpen && g.pointerOpen && g.control === level && 'ready';
      }, expectLevel, { timeout: 30000, polling: 50 });
      if (await ready.jsonValue() !== 'ready') {
        out({ ready: false, error: `viewer gave up before it was ready (${want})`, state: await snapshot(page), log });
        failed = true;
      }
    } catch (e) {
      out({ ready: false, error: `viewer not ready (${want}) within 30 s: ${e.message.split('\n')[0]}`, state: await snapshot(page), log });
      failed = true;
    }
  }

  if (!failed) {
    const ready = await page.evaluate(() => {
      const v = document.getElementById('video');
      return { videoWidth: v.videoWidth, videoHeight: v.videoHeight, control: window.glassViewer.control };
    });
    // The viewer focuses its keyboard target when control is granted; make sure (also with
    // expectLevel "view", where it does not).
    await focusKeyboard(page);
    out({ ready: true, ...ready });

    for (let i = 0; i < steps.length; i++) {
      try {
        await runStep(page, steps[i]);
      } catch (e) {
        out({ step: i, error: e.message.split('\n')[0], state: await snapshot(page), log });
        failed = true;
        break;
      }
      out({ step: i, ok: true });
      if (steps[i] && steps[i].waitForever) {
        // The test kills our process group here (a helper whose browser crashed).
        setInterval(() => {}, 1 << 30);
        await new Promise(() => {});
      }
    }
  }

  if (!failed) {
    // Let the data channels drain before the browser goes: a closing page drops what is queued.
    await page.waitForFunction(() => window.glassViewer.inputBuffered === 0, null, { timeout: 5000, polling: 20 })
      .catch(() => {});
    await new Promise((r) => setTimeout(r, 100));
    const inputSent = await page.evaluate(() => window.glassViewer.inputSent);
    out({ done: true, inputSent });
  }
} catch (e) {
  out({ error: String((e && e.stack) || e), log });
  failed = true;
} finally {
  if (context) await context.close().catch(() => {});
  rmSync(profile, { recursive: true, force: true });
}
process.exit(failed ? 1 : 0);
