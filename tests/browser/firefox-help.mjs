// The help flow with the helper in headless Firefox (Debian's firefox-esr, puppeteer-core over
// WebDriver BiDi), driven by tests/help_browser.rs, which runs the broker, this script and the
// native agent in one network namespace (firefox.mjs says why). Reports JSON lines on stdout:
//
//   node firefox-help.mjs <helper-url> <user> <password> '<samples json: [{"name","x","y"}]>'
//
// 1. {"phase":"code", code}            signed in, "Get a code" pressed; the test gives the
//                                       code to the agent
// 2. {"phase":"joined", card, status}  the sharer joined; then "Request view only"
// 3. {"phase":"declined", rtc, video}  the sharer said no; then "Request view only" again
// 4. {"phase":"playing", video: {width, height}, codec, framesShown, samples:[{name,x,y,rgb}]}
//                                       the video plays; then Leave
// 5. {"phase":"left", appPhase, view}  the page after Leave
// or {"phase":"error", step, error, snapshot, log} (each wait is bounded: 30 s).
import { launchFirefox, missingFirefox, samplePixels } from './firefox.mjs';

const [url, user, password, samplesArg = '[]'] = process.argv.slice(2);
if (!password) {
  console.error('usage: node firefox-help.mjs <helper-url> <user> <password> [samples-json]');
  process.exit(2);
}
const samples = JSON.parse(samplesArg);
const out = (o) => process.stdout.write(`${JSON.stringify(o)}\n`);
if (missingFirefox()) {
  out({ phase: 'error', error: missingFirefox() });
  process.exit(1);
}
const TIMEOUT = 30000;

// What the helper's page shows (texts without Fluent's isolation marks).
function snapshot() {
  const text = (id) => (document.getElementById(id)?.textContent ?? '')
    .replace(/[\u2066-\u2069]/g, '').replace(/\s+/g, ' ').trim();
  const v = document.getElementById('video');
  const h = window.glassHelper;
  return {
    appPhase: h?.phase ?? null,
    view: [...document.querySelectorAll('[id^="view-"]')].find((s) => !s.hidden)?.id ?? null,
    rtc: h?.rtc ?? null,
    videoPlaying: h?.videoPlaying ?? null,
    codec: h?.codec ?? null,
    video: v ? {
      width: v.videoWidth,
      height: v.videoHeight,
      hasStream: Boolean(v.srcObject),
      frames: v.getVideoPlaybackQuality?.().totalVideoFrames ?? null,
    } : null,
    who: text('who'),
    status: text('status'),
    card: text('sharer-card'),
    message: text('sharer-message'),
  };
}

const log = [];
const browser = await launchFirefox();
let page;
let step = 'launch';
try {
  page = await browser.newPage();
  page.on('console', (m) => log.push(`${m.type()}: ${m.text()}`));
  page.on('pageerror', (e) => log.push(`pageerror: ${e.message}`));
  const until = (fn, arg) => page.waitForFunction(fn, { timeout: TIMEOUT, polling: 50 }, arg);
  const phaseIs = (want) => until((w) => w.includes(window.glassHelper?.phase), want);

  step = 'open';
  await page.goto(url);
  await until(() => document.getElementById('language')?.options.length > 0
    && document.getElementById('signin-button')?.textContent.trim() !== '');

  step = 'signin';
  await page.type('#username', user);
  await page.type('#password', password);
  await page.click('#signin-button');
  await until(() => document.getElementById('view-signin').hidden
    && window.glassHelper?.phase === 'idle' && !document.getElementById('who').hidden);

  step = 'get-code';
  await page.click('#get-code');
  await until(() => window.glassHelper?.phase === 'waiting_sharer'
    && document.getElementById('code')?.dataset.code);
  out({ phase: 'code', code: await page.evaluate(() => window.glassHelper.state.code) });

  step = 'joined';
  await phaseIs(['sharer_joined']);
  out({ phase: 'joined', ...await page.evaluate(snapshot) });

  step = 'declined';
  await page.click('#request-view');
  await phaseIs(['declined']);
  out({ phase: 'declined', ...await page.evaluate(snapshot) });

  step = 'playing';
  // Firefox counts no frames of a MediaStream in getVideoPlaybackQuality(): the frames
  // presented are counted with requestVideoFrameCallback instead.
  await page.evaluate(() => {
    const v = document.getElementById('video');
    window.glassFramesShown = 0;
    const count = () => { window.glassFramesShown++; v.requestVideoFrameCallback(count); };
    v.requestVideoFrameCallback(count);
  });
  await page.click('#request-view');
  await until(() => {
    const v = document.getElementById('video');
    const h = window.glassHelper;
    return h?.phase === 'connected' && h.videoPlaying && h.codec && v.videoWidth > 0
      && v.readyState >= 2 && window.glassFramesShown >= 3;
  });
  out({
    phase: 'playing',
    ...await page.evaluate(snapshot),
    framesShown: await page.evaluate(() => window.glassFramesShown),
    samples: await page.evaluate(samplePixels, 'video', samples),
  });

  step = 'leave';
  await page.click('#leave');
  await phaseIs(['ended']);
  out({ phase: 'left', ...await page.evaluate(snapshot) });
} catch (e) {
  const state = page ? await page.evaluate(snapshot).catch((err) => `unavailable: ${err.message}`) : null;
  out({ phase: 'error', step, error: e.message.split('\n')[0], snapshot: state, log });
  process.exitCode = 1;
} finally {
  await browser.close().catch(() => {});
}
