// Opens the Glass viewer in headless Chromium and reports what it shows, as JSON lines on
// stdout (driven by tests/browser.rs):
//
//   node viewer-check.mjs <viewer-url> '<samples json: [{"name","x","y"}]>'
//
// 1. {"phase":"playing", width, height, framesDecoded, samples:[{name,x,y,rgb}], ...} once the
//    video has decoded frames (or {"phase":"error", ...} on timeout).
// 2. {"phase":"left", message, state} as soon as the page shows that the sharer left (the
//    test stops the sharer after reading line 1), or {"phase":"error"} after 30 s.
//
// Uses Debian's /usr/bin/chromium (CHROMIUM overrides); playwright-core never downloads one.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { missingChromium, openPage, waitForPlaying } from './chromium.mjs';

const [url, samplesArg = '[]'] = process.argv.slice(2);
if (!url) {
  console.error('usage: node viewer-check.mjs <viewer-url> [samples-json]');
  process.exit(2);
}
const samples = JSON.parse(samplesArg);
if (missingChromium()) {
  console.log(JSON.stringify({ phase: 'error', error: missingChromium() }));
  process.exit(1);
}

const out = (o) => process.stdout.write(`${JSON.stringify(o)}\n`);
const log = [];
const profile = mkdtempSync(join(tmpdir(), 'glass-chromium-'));
let context;
try {
  let page;
  ({ context, page } = await openPage(profile, { width: 800, height: 600 }, log));
  await page.goto(url);

  if (!(await waitForPlaying(page, out, log, { connected: false, presented: true }))) process.exit(1);

  // One frame's metadata and the receiver's sources, for the latency figures in the report.
  const timing = await page.evaluate(() => new Promise((resolve) => {
    const v = document.getElementById('video');
    const done = (meta) => {
      const pc = window.glassViewer;
      resolve({ frame: meta ? { ...meta } : null, viewerLatencyMs: pc.latencyMs, ssrcLatencyMs: pc.ssrcLatencyMs });
    };
    if (v.requestVideoFrameCallback) v.requestVideoFrameCallback((_, meta) => done(meta));
    else done(null);
    setTimeout(() => done(null), 2000);
  }));
  const playing = await page.evaluate((points) => {
    const v = document.getElementById('video');
    const canvas = document.createElement('canvas');
    canvas.width = v.videoWidth;
    canvas.height = v.videoHeight;
    const ctx = canvas.getContext('2d', { willReadFrequently: true });
    ctx.drawImage(v, 0, 0);
    const sampled = points.map((p) => {
      const d = ctx.getImageData(p.x, p.y, 1, 1).data;
      return { ...p, rgb: [d[0], d[1], d[2]] };
    });
    const g = window.glassViewer;
    return {
      phase: 'playing',
      width: v.videoWidth,
      height: v.videoHeight,
      state: g.state,
      framesDecoded: g.framesDecoded,
      fps: g.fps,
      rttMs: g.rttMs,
      latencyMs: g.latencyMs,
      jitterBufferMs: g.jitterBufferMs,
      objectFit: getComputedStyle(v).objectFit,
      samples: sampled,
    };
  }, samples);
  out({ ...playing, timing, log });

  const t0 = Date.now();
  try {
    await page.waitForFunction(() => window.glassViewer.state === 'left', null, { timeout: 30000, polling: 50 });
    const left = await page.evaluate(() => ({
      message: document.getElementById('message').textContent,
      bannerVisible: !document.getElementById('banner').hidden,
      state: window.glassViewer.state,
    }));
    out({ phase: 'left', waitedMs: Date.now() - t0, ...left });
  } catch (e) {
    const state = await page.evaluate(() => window.glassViewer.state).catch(() => null);
    out({ phase: 'error', error: `viewer never showed "sharer left": ${e.message.split('\n')[0]}`, state, log });
    process.exit(1);
  }
} catch (e) {
  out({ phase: 'error', error: String(e && e.stack || e), log });
  process.exit(1);
} finally {
  if (context) await context.close().catch(() => {});
  rmSync(profile, { recursive: true, force: true });
}
