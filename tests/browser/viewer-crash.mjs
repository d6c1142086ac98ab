// Opens the Glass viewer in headless Chromium, waits until it plays, then reports when the page
// stops showing 'connected' (driven by tests/browser.rs, which SIGKILLs the sharer in between),
// as JSON lines on stdout:
//
//   node viewer-crash.mjs <viewer-url>
//
// 1. {"phase":"playing", state, framesDecoded, ...} once the video has decoded frames
//    (or {"phase":"error", ...} after 20 s).
// 2. {"phase":"lost", atMs, state, message} where atMs is the wall clock (Date.now()) at which
//    the viewer's state left 'connected': the test compares it with its own kill time, on the
//    same machine's clock. {"phase":"error"} if that does not happen within 15 s.
//
// Uses Debian's /usr/bin/chromium (CHROMIUM overrides); playwright-core never downloads one.
// Launch options as in viewer-check.mjs.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { missingChromium, openPage, waitForPlaying } from './chromium.mjs';

const [url] = process.argv.slice(2);
if (!url) {
  console.error('usage: node viewer-crash.mjs <viewer-url>');
  process.exit(2);
}
if (missingChromium()) {
  console.log(JSON.stringify({ phase: 'error', error: missingChromium() }));
  process.exit(1);
}

const out = (o) => process.stdout.write(`${JSON.stringify(o)}\n`);
const log = [];
const profile = mkdtempSync(join(tmpdir(), 'glass-chromium-'));
let context;
let failed = false;
try {
  let page;
  ({ context, page } = await openPage(profile, { width: 800, height: 600 }, log));
  await page.goto(url);

  if (!(await waitForPlaying(page, out, log))) process.exit(1);

  // Stamp the first change away from 'connected' in the page itself: setState() writes the
  // #state element, so a MutationObserver fires in the same task (polling would add its
  // period to the figure). The poll is only a fallback in case the markup changes.
  const playing = await page.evaluate(() => {
    const g = window.glassViewer;
    window.__glassLost = null;
    const check = () => {
      if (window.__glassLost || window.glassViewer.state === 'connected') return;
      window.__glassLost = {
        atMs: Date.now(),
        state: window.glassViewer.state,
        message: document.getElementById('message')?.textContent ?? null,
      };
    };
    const el = document.getElementById('state');
    if (el) new MutationObserver(check).observe(el, { childList: true, characterData: true, subtree: true });
    setInterval(check, 25);
    return { phase: 'playing', state: g.state, framesDecoded: g.framesDecoded, width: g.width, height: g.height };
  });
  out({ ...playing, atMs: Date.now(), log });

  try {
    const handle = await page.waitForFunction(() => window.__glassLost, null, { timeout: 15000, polling: 50 });
    const lost = await handle.jsonValue();
    // What the page went on to do (a reconnect attempt against a dead sharer), for the report.
    await page.waitForTimeout(500);
    const after = await page.evaluate(() => ({ state: window.glassViewer.state, message: document.getElementById('message')?.textContent ?? null }));
    out({ phase: 'lost', ...lost, after });
  } catch (e) {
    const state = await page.evaluate(() => window.glassViewer.state).catch(() => null);
    out({ phase: 'error', error: `viewer still '${state}' 15 s after the sharer was killed: ${e.message.split('\n')[0]}`, state, log });
    failed = true;
  }
} catch (e) {
  out({ phase: 'error', error: String(e && e.stack || e), log });
  failed = true;
} finally {
  if (context) await context.close().catch(() => {});
  rmSync(profile, { recursive: true, force: true });
}
process.exit(failed ? 1 : 0);
