// Opens the Glass viewer in headless Firefox (Debian's firefox-esr, driven by puppeteer-core
// over WebDriver BiDi) and reports what it shows, as JSON lines on stdout (driven by
// tests/browser.rs). Debian's Firefox has no OpenH264 plugin, so it offers VP8, VP9 and AV1:
// the sharer must answer in VP8.
//
//   node firefox-check.mjs <viewer-url> '<samples json: [{"name","x","y"}]>'
//
// 1. {"phase":"playing", width, height, codec, offered, framesDecoded, samples:[{name,x,y,rgb}]}
//    once the video has decoded frames (or {"phase":"error", ...} after 20 s).
// 2. {"phase":"input", inputSent} after a click on the video and a key press (open the page
//    with `?input=always` for a view-only sharer to count them as refused).
//
// FIREFOX overrides /usr/bin/firefox-esr; puppeteer-core never downloads a browser.
import { launchFirefox, missingFirefox } from './firefox.mjs';
import { videoPoint } from './chromium.mjs';

const [url, samplesArg = '[]'] = process.argv.slice(2);
if (!url) {
  console.error('usage: node firefox-check.mjs <viewer-url> [samples-json]');
  process.exit(2);
}
const samples = JSON.parse(samplesArg);
const out = (o) => process.stdout.write(`${JSON.stringify(o)}\n`);
if (missingFirefox()) {
  out({ phase: 'error', error: missingFirefox() });
  process.exit(1);
}

const log = [];
// In a network namespace of its own (firefox.mjs says why).
const browser = await launchFirefox();
try {
  const page = await browser.newPage();
  page.on('console', (m) => log.push(`${m.type()}: ${m.text()}`));
  page.on('pageerror', (e) => log.push(`pageerror: ${e.message}`));
  const offered = await page.evaluate(() => RTCRtpReceiver.getCapabilities('video').codecs
    .map((c) => c.mimeType).filter((m) => !/rtx|red|ulpfec/i.test(m)));
  await page.goto(url);
  try {
    await page.waitForFunction(() => {
      const v = document.getElementById('video');
      const g = window.glassViewer;
      return g && g.state === 'connected' && v.videoWidth > 0 && v.readyState >= 2
        && g.framesDecoded >= 10;
    }, { timeout: 20000, polling: 100 });
  } catch (e) {
    const state = await page.evaluate(() => ({ ...window.glassViewer, lastMessage: undefined }))
      .catch(() => null);
    out({ phase: 'error', error: `no decoded video within 20 s: ${e.message.split('\n')[0]}`, state, offered, log });
    process.exit(1);
  }
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
      codec: g.codec,
      framesDecoded: g.framesDecoded,
      samples: sampled,
    };
  }, samples);
  out({ ...playing, offered, log });

  // A click on the middle of the picture and a key press: each a message on the input channel.
  const at = await videoPoint(page, [Math.floor(playing.width / 2), Math.floor(playing.height / 2)]);
  await page.mouse.click(at.x, at.y);
  await page.keyboard.press('KeyA');
  await page.waitForFunction(() => (window.glassViewer.inputSent?.key ?? 0) >= 2
    && (window.glassViewer.inputSent?.button ?? 0) >= 2, { timeout: 5000, polling: 50 })
    .catch(() => {});
  // Give the data channel a moment to deliver what was sent.
  await new Promise((r) => setTimeout(r, 300));
  const inputSent = await page.evaluate(() => window.glassViewer.inputSent);
  out({ phase: 'input', inputSent });
} finally {
  await browser.close().catch(() => {});
}
