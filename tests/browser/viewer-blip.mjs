// Opens the Glass viewer in headless Chromium, waits until it plays, then follows it through a
// network blip (driven by tests/browser.rs, which freezes the sharer with SIGSTOP for a few
// seconds and thaws it), as JSON lines on stdout:
//
//   node viewer-blip.mjs <viewer-url>
//
// 1. {"phase":"playing", ...} once the video has decoded frames (or {"phase":"error"}).
// 2. {"phase":"lost", state, message} when the page leaves 'connected'.
// 3. {"phase":"recovered", state, framesBefore, framesAfter, attempts} once it is 'connected'
//    again and decodes new frames; {"phase":"error"} if not within 30 s.
//
// Uses Debian's /usr/bin/chromium (CHROMIUM overrides); playwright-core never downloads one.
// Launch options as in viewer-check.mjs.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { missingChromium, openPage, waitForPlaying } from './chromium.mjs';

const [url] = process.argv.slice(2);
if (!url) {
  console.error('usage: node viewer-blip.mjs <viewer-url>');
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

  out({ phase: 'playing', atMs: Date.now() });

  try {
    await page.waitForFunction(() => window.glassViewer.state !== 'connected', null, { timeout: 15000, polling: 25 });
    out({ phase: 'lost', ...(await page.evaluate(() => ({ state: window.glassViewer.state, message: document.getElementById('message')?.textContent ?? null }))) });
    await page.waitForFunction(() => window.glassViewer.state === 'connected', null, { timeout: 30000, polling: 50 });
    const before = await page.evaluate(() => document.getElementById('video').getVideoPlaybackQuality().totalVideoFrames);
    await page.waitForFunction((n) => document.getElementById('video').getVideoPlaybackQuality().totalVideoFrames > n + 10,
      before, { timeout: 15000, polling: 100 });
    const after = await page.evaluate(() => document.getElementById('video').getVideoPlaybackQuality().totalVideoFrames);
    out({ phase: 'recovered', state: await page.evaluate(() => window.glassViewer.state), framesBefore: before, framesAfter: after });
  } catch (e) {
    const state = await page.evaluate(() => ({ state: window.glassViewer.state, message: document.getElementById('message')?.textContent ?? null })).catch(() => null);
    out({ phase: 'error', error: `no recovery: ${e.message.split('\n')[0]}`, state, log });
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
