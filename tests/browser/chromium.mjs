// Headless Chromium for the browser scripts: Debian's /usr/bin/chromium (CHROMIUM overrides;
// playwright-core never downloads a browser), one set of launch options for all of them.
import { existsSync } from 'node:fs';
import { chromium } from 'playwright-core';

export const executablePath = process.env.CHROMIUM || '/usr/bin/chromium';

// No sandbox (containers, root), no GPU, no QUIC or background traffic; video may autoplay.
export const ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--autoplay-policy=no-user-gesture-required',
];

// Launches Chromium with the throwaway `profile` directory and returns its context and first
// page; the page's console messages and errors are appended to `log`.
export async function openPage(profile, viewport, log) {
  const context = await chromium.launchPersistentContext(profile, {
    executablePath,
    headless: true,
    args: ARGS,
    viewport,
  });
  const page = context.pages()[0] || await context.newPage();
  page.on('console', (m) => log.push(`${m.type()}: ${m.text()}`));
  page.on('pageerror', (e) => log.push(`pageerror: ${e.message}`));
  return { context, page };
}

// Why Chromium cannot run (`null` when it can): for the scripts' own error lines.
export function missingChromium() {
  return existsSync(executablePath) ? null : `${executablePath} not found: run scripts/setup.sh`;
}

// Waits (20 s at most) until the Glass viewer in `page` plays: a picture and at least 10
// decoded frames, and also — as the script needs — the session `connected` and/or 10 frames
// presented. On timeout writes {phase: 'error', ...} with the viewer's state through `out`
// and returns false.
export async function waitForPlaying(page, out, log, { connected = true, presented = false } = {}) {
  try {
    await page.waitForFunction(({ connected, presented }) => {
      const v = document.getElementById('video');
      const g = window.glassViewer;
      return g && (!connected || g.state === 'connected') && v.videoWidth > 0
        && v.readyState >= 2 && g.framesDecoded >= 10
        && (!presented || (v.getVideoPlaybackQuality?.().totalVideoFrames ?? 10) >= 10);
    }, { connected, presented }, { timeout: 20000, polling: 100 });
    return true;
  } catch (e) {
    const state = await page.evaluate(() => ({ ...window.glassViewer, lastMessage: undefined })).catch(() => null);
    out({ phase: 'error', error: `no decoded video within 20 s: ${e.message.split('\n')[0]}`, state, log });
    return false;
  }
}

/** Client coordinates of the centre of video pixel (px, py) of the page's `#video`, with the
 *  scale it is shown at and its size, computed from the layout, independently of the page's
 *  own code. Works with any page object that has `evaluate` (puppeteer or playwright). */
export function videoPoint(page, [px, py]) {
  return page.evaluate(([px, py]) => {
    const v = document.getElementById('video');
    const box = v.getBoundingClientRect();
    const scale = Math.min(box.width / v.videoWidth, box.height / v.videoHeight);
    return {
      x: box.left + (box.width - v.videoWidth * scale) / 2 + (px + 0.5) * scale,
      y: box.top + (box.height - v.videoHeight * scale) / 2 + (py + 0.5) * scale,
      scale,
      vw: v.videoWidth,
      vh: v.videoHeight,
    };
  }, [px, py]);
}
