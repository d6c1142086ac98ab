// Drives the help web apps (helper at `/`, web sharer at `/share`) in headless Chromium for
// tests/help_browser.rs, one command at a time, so the Rust test can interleave what the
// browser does with what the native agent and the X display do.
//
//   node help-driver.mjs            commands on stdin, answers on stdout (JSON lines)
//
// Each command is {"id": n, "op": "...", "page": "name", ...}; its answer is {"id": n, "ok":
// true, ...} or {"id": n, "ok": false, "error": "...", "snapshot": {...}, "log": [...]}.
// Commands run one after another; waits are bounded (`timeoutMs`, 20 s by default).
//
//   open       {page, url, locale?, viewport?, fakeScreen?: {rgb: [r, g, b], width, height},
//              noWebrtc?, noKeyboardLock?}
//              A fresh browser context (its own cookies) with one page. `fakeScreen` replaces
//              getDisplayMedia, before the page's scripts run, with a canvas.captureStream()
//              of that colour (headless Chromium has no screen to capture).
//   signin     {page, user, password}           the sign-in form, until the app is past it
//   signinProvider {page, provider}             helper: follows the "Sign in with …" link of
//              that OIDC provider (broker → issuer → broker: the mock issuer answers at once)
//              until the app is signed in → {href: the link, dtlsFingerprint: the page's
//              certificate, boundFingerprint: what /api/me says the sign-in bound, snapshot}
//   forgetCertificate {page}                    helper: deletes the stored WebRTC certificate
//              and reloads (a browser that lost it) → {dtlsFingerprint, boundFingerprint}
//   getCode    {page}                           helper: "Get a code" (through a renewed
//              sign-in, if the page needs one) → {code, shown, shareUrl, dtlsFingerprint,
//              boundFingerprint, navigations: how many pages were loaded meanwhile}
//   redeem     {page, code}                     web sharer: types the code, Join
//   click      {page, el}                       clicks the element with id `el` → {atMs}
//   waitPhase  {page, phases: [...]}            until the app's phase is one of them →
//              {phase, atMs: when the page first showed it (10 ms resolution), snapshot}
//   snapshot   {page}                           what the page shows (see snapshot())
//   evaluate   {page, expr}                     evaluates a JavaScript expression → {value}
//   armFirstFrame {page}                        start watching for the first decoded frame
//   waitVideo  {page, samples: [{name, x, y}], minFrames?}
//              until the helper's video plays → {width, height, frames, firstFrameAtMs,
//              samples: [{name, x, y, rgb}], codec}
//   videoMouse {page, action: click|down|up|move, at: [px, py], button?}   at a video pixel
//   key        {page, action: down|up|press, code}                        KeyboardEvent.code
//   waitControl {page, level}                   helper: the sharer's word on control is
//              `level` and both input channels are open
//   chatSend   {page, text}                     types it into the chat and presses Enter,
//              until the broker's echo shows in the thread
//   waitChat   {page, text, mine?}              until a message with exactly this text shows
//              (written by this side when `mine`, by the other when not, either if absent) →
//              {text, dir, inBdi, name, mine, direction}
//   axe        {page}                           axe-core on the page → {violations: [...]}
//   pinned     {page, el}                       scrolls to the bottom → where #el is then:
//              {position, top, bottom, viewportHeight, scrollY}
//   closePage  {page}                           closes the tab (no Leave click) → {atMs}
//   quit       {}                               closes the browser and exits
//
// Uses Debian's /usr/bin/chromium (CHROMIUM overrides); playwright-core never downloads one.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createInterface } from 'node:readline';
import { chromium } from 'playwright-core';
import { ARGS, executablePath, missingChromium, videoPoint as videoPixel } from './chromium.mjs';

const out = (o) => process.stdout.write(`${JSON.stringify(o)}\n`);
const DEFAULT_TIMEOUT = 20000;
// Fluent wraps placeables in FSI … PDI; the snapshots leave them out so tests compare words.
const unisolate = (s) => (s ?? '').replace(/[\u2066-\u2069]/g, '');

if (missingChromium()) {
  out({ id: 0, ok: false, error: missingChromium() });
  process.exit(1);
}

const browser = await chromium.launch({ executablePath, headless: true, args: ARGS });
const pages = new Map(); // name → {context, page, log}

// ---- In-page helpers (serialised into the page) -----------------------------------------------

// Replaces getDisplayMedia with a canvas of one colour (a 4×4 corner blinks so the canvas
// keeps producing frames). Runs before the page's own scripts.
function fakeDisplayMedia({ rgb, width, height }) {
  if (!navigator.mediaDevices) return;
  window.glassFakeScreen = { calls: 0, tracks: [] };
  navigator.mediaDevices.getDisplayMedia = async () => {
    const canvas = document.createElement('canvas');
    canvas.width = width;
    canvas.height = height;
    const ctx = canvas.getContext('2d');
    let n = 0;
    const paint = () => {
      ctx.fillStyle = `rgb(${rgb.join(',')})`;
      ctx.fillRect(0, 0, width, height);
      ctx.fillStyle = n++ % 2 ? '#000' : '#fff';
      ctx.fillRect(0, 0, 4, 4);
    };
    paint();
    setInterval(paint, 50);
    const stream = canvas.captureStream(20);
    window.glassFakeScreen.calls++;
    window.glassFakeScreen.tracks.push(...stream.getVideoTracks());
    return stream;
  };
}

// Records when the app's phase changes (polled every 10 ms), so a test can tell when the page
// first showed something even if it asked later.
function watchPhases() {
  window.glassPhases = [];
  setInterval(() => {
    const hook = window.glassHelper || window.glassSharer;
    const phase = hook && hook.phase;
    const last = window.glassPhases[window.glassPhases.length - 1];
    if (phase && (!last || last.phase !== phase)) window.glassPhases.push({ phase, at: Date.now() });
  }, 10);
}

// What the page shows: the visible view, the status lines, and the texts and states of the
// elements tests look at (visible = rendered; text without Fluent's isolation marks).
function pageSnapshot() {
  const strip = (s) => (s ?? '').replace(/[\u2066-\u2069]/g, '').replace(/\s+/g, ' ').trim();
  const hook = window.glassHelper || window.glassSharer || null;
  const app = window.glassHelper ? 'helper' : window.glassSharer ? 'sharer' : null;
  const ids = [
    'who', 'status', 'alert', 'signin-error',
    // helper
    'code', 'sharer-card', 'sharer-client', 'sharer-message', 'request-view', 'request-full',
    'full-note', 'level', 'request-full-live', 'release', 'full-note-live', 'overlay',
    'ended-heading', 'ended-message', 'side-card', 'display-pick', 'display',
    'clipboard-send', 'clipboard-in', 'clipboard-in-text', 'clipboard-note', 'keyboard-note',
    // sharer
    'banner', 'banner-text', 'stop', 'helper-heading', 'helper-card', 'helper-message',
    'allow', 'decline', 'code-error',
  ];
  const elements = {};
  for (const id of ids) {
    const el = document.getElementById(id);
    if (!el) continue;
    const style = getComputedStyle(el);
    elements[id] = {
      visible: !el.hidden && el.getClientRects().length > 0 && style.visibility !== 'hidden',
      text: strip(el.textContent),
      disabled: Boolean(el.disabled),
    };
  }
  const view = [...document.querySelectorAll('[id^="view-"]')].find((s) => !s.hidden)?.id ?? null;
  const v = document.getElementById('video') || document.getElementById('preview');
  const quality = v?.getVideoPlaybackQuality?.();
  return {
    app,
    view,
    phase: hook?.phase ?? null,
    rtc: hook?.rtc ?? null,
    control: hook?.control ?? null,
    videoPlaying: hook?.videoPlaying ?? null,
    video: v ? {
      width: v.videoWidth,
      height: v.videoHeight,
      readyState: v.readyState,
      frames: quality ? quality.totalVideoFrames : null,
      hasStream: Boolean(v.srcObject),
    } : null,
    // Web sharer with fakeScreen: how often the page captured, and its tracks' states.
    capture: window.glassFakeScreen ? {
      calls: window.glassFakeScreen.calls,
      tracks: window.glassFakeScreen.tracks.map((t) => t.readyState),
    } : null,
    lang: document.documentElement.lang,
    dir: document.documentElement.dir,
    title: document.title,
    elements,
  };
}

// ---- Commands -----------------------------------------------------------------------------------

function get(name) {
  const p = pages.get(name);
  if (!p) throw new Error(`no page "${name}" (open it first)`);
  return p;
}

const timeoutOf = (cmd) => cmd.timeoutMs ?? DEFAULT_TIMEOUT;

async function snapshot(page) {
  return page.evaluate(pageSnapshot);
}

// Page coordinates of the centre of video pixel (px, py) (`object-fit: contain`), computed here
// independently of the app's input.js.
async function videoPoint(page, at) {
  if (!Array.isArray(at) || at.length !== 2 || !at.every(Number.isFinite)) {
    throw new Error(`needs at: [px, py], got ${JSON.stringify(at)}`);
  }
  const p = await videoPixel(page, at);
  if (!(at[0] >= 0 && at[0] < p.vw && at[1] >= 0 && at[1] < p.vh)) {
    throw new Error(`[${at}] is outside the ${p.vw}x${p.vh} video`);
  }
  return p;
}

const ops = {
  async open(cmd) {
    if (pages.has(cmd.page)) throw new Error(`page "${cmd.page}" is already open`);
    const context = await browser.newContext({
      locale: cmd.locale ?? 'en-US',
      viewport: cmd.viewport ?? { width: 1280, height: 800 },
    });
    if (cmd.fakeScreen) await context.addInitScript(fakeDisplayMedia, cmd.fakeScreen);
    // A browser without WebRTC (as WebKitGTK is built on Debian): the apps must say so.
    if (cmd.noWebrtc) await context.addInitScript(() => { delete window.RTCPeerConnection; });
    // A browser without Keyboard Lock (Firefox, Safari): the helper is told where shortcuts go.
    if (cmd.noKeyboardLock) await context.addInitScript(() => { delete Navigator.prototype.keyboard; });
    // The helper's copy and paste reads and writes the browser's clipboard on a click.
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: new URL(cmd.url).origin });
    await context.addInitScript(watchPhases);
    const page = await context.newPage();
    const log = [];
    page.on('console', (m) => log.push(`${m.type()}: ${m.text()}`));
    page.on('pageerror', (e) => log.push(`pageerror: ${e.message}`));
    pages.set(cmd.page, { context, page, log });
    await page.goto(cmd.url);
    // The app is ready once the catalogue is applied and the language picker filled.
    await page.waitForFunction(() => document.getElementById('language')?.options.length > 0
      && document.getElementById('signin-button')?.textContent.trim() !== '',
    null, { timeout: timeoutOf(cmd), polling: 20 });
    return {
      snapshot: await snapshot(page),
      signinButton: await page.textContent('#signin-button'),
    };
  },

  async signin(cmd) {
    const { page } = get(cmd.page);
    await page.fill('#username', cmd.user);
    await page.fill('#password', cmd.password);
    await page.click('#signin-button');
    // Signed in and the broker link is up: the app left the sign-in view for its first one.
    await page.waitForFunction(() => document.getElementById('view-signin').hidden
      && ['idle'].includes((window.glassHelper || window.glassSharer)?.phase)
      && !document.getElementById('who').hidden,
    null, { timeout: timeoutOf(cmd), polling: 20 });
    return { snapshot: await snapshot(page) };
  },

  async getCode(cmd) {
    const { page } = get(cmd.page);
    let navigations = 0;
    const count = (frame) => { if (frame === page.mainFrame()) navigations++; };
    page.on('framenavigated', count);
    try {
      await page.click('#get-code');
      // Survives a renewed sign-in: the function runs again in each page loaded.
      await page.waitForFunction(() => window.glassHelper?.phase === 'waiting_sharer'
        && document.getElementById('code')?.dataset.code, null, { timeout: timeoutOf(cmd), polling: 20 });
    } finally {
      page.off('framenavigated', count);
    }
    return {
      navigations,
      ...await page.evaluate(() => ({
        code: window.glassHelper.state.code,
        shown: document.getElementById('code').textContent,
        groups: [...document.querySelectorAll('#code .code-group')].map((g) => g.textContent),
        shareUrl: document.getElementById('share-url').textContent,
        dtlsFingerprint: window.glassHelper.dtlsFingerprint,
        boundFingerprint: window.glassHelper.boundFingerprint,
      })),
    };
  },

  async signinProvider(cmd) {
    const { page } = get(cmd.page);
    const link = page.locator(`#signin-providers a[data-provider="${cmd.provider}"]`);
    await link.waitFor({ timeout: timeoutOf(cmd) });
    const href = await link.getAttribute('href');
    // The whole round trip is HTTP redirects: one page load at the end.
    const back = page.waitForEvent('framenavigated', {
      predicate: (frame) => frame === page.mainFrame(), timeout: timeoutOf(cmd),
    });
    await link.click();
    await back;
    await page.waitForFunction(() => document.getElementById('view-signin')?.hidden
      && window.glassHelper?.phase === 'idle' && !document.getElementById('who').hidden
      && window.glassHelper.dtlsFingerprint, null, { timeout: timeoutOf(cmd), polling: 20 });
    return {
      href,
      url: page.url(),
      ...await page.evaluate(() => ({
        dtlsFingerprint: window.glassHelper.dtlsFingerprint,
        boundFingerprint: window.glassHelper.boundFingerprint,
      })),
      snapshot: await snapshot(page),
    };
  },

  async forgetCertificate(cmd) {
    const { page } = get(cmd.page);
    await page.evaluate(() => new Promise((resolve, reject) => {
      const r = indexedDB.deleteDatabase('glass');
      r.onsuccess = resolve;
      r.onerror = () => reject(r.error);
      r.onblocked = () => reject(new Error('blocked'));
    }));
    await page.reload();
    await page.waitForFunction(() => window.glassHelper?.phase === 'idle'
      && !document.getElementById('who').hidden && window.glassHelper.dtlsFingerprint,
    null, { timeout: timeoutOf(cmd), polling: 20 });
    return page.evaluate(() => ({
      dtlsFingerprint: window.glassHelper.dtlsFingerprint,
      boundFingerprint: window.glassHelper.boundFingerprint,
    }));
  },

  async redeem(cmd) {
    const { page } = get(cmd.page);
    await page.fill('#code-input', cmd.code);
    await page.click('#join');
    await page.waitForFunction(() => ['joined', 'asking'].includes(window.glassSharer?.phase)
      || window.glassSharer?.state?.error, null, { timeout: timeoutOf(cmd), polling: 20 });
    return { snapshot: await snapshot(page) };
  },

  async click(cmd) {
    const { page } = get(cmd.page);
    const atMs = Date.now();
    await page.click(`#${cmd.el}`, { timeout: 5000 });
    return { atMs };
  },

  async waitPhase(cmd) {
    const { page } = get(cmd.page);
    const phases = cmd.phases;
    if (!Array.isArray(phases) || phases.length === 0) throw new Error('waitPhase needs phases: [...]');
    const handle = await page.waitForFunction((want) => {
      const seen = window.glassPhases || [];
      const last = seen[seen.length - 1];
      return last && want.includes(last.phase) ? last : false;
    }, phases, { timeout: timeoutOf(cmd), polling: 10 });
    const last = await handle.jsonValue();
    return { phase: last.phase, atMs: last.at, snapshot: await snapshot(page) };
  },

  async selectOption(cmd) {
    const { page } = get(cmd.page);
    await page.selectOption(`#${cmd.element}`, cmd.value, { timeout: timeoutOf(cmd) });
    return { snapshot: await snapshot(page) };
  },

  async snapshot(cmd) {
    return { snapshot: await snapshot(get(cmd.page).page) };
  },

  async evaluate(cmd) {
    return { value: await get(cmd.page).page.evaluate(cmd.expr) };
  },

  async armFirstFrame(cmd) {
    const { page } = get(cmd.page);
    await page.evaluate(() => {
      const v = document.getElementById('video');
      window.glassFirstFrame = null;
      const timer = setInterval(() => {
        if (v.videoWidth > 0 && (v.getVideoPlaybackQuality?.().totalVideoFrames ?? 0) > 0) {
          window.glassFirstFrame = Date.now();
          clearInterval(timer);
        }
      }, 5);
    });
    return {};
  },

  async waitVideo(cmd) {
    const { page } = get(cmd.page);
    const minFrames = cmd.minFrames ?? 10;
    // With `width`: until the picture has that width (a switch of screen).
    await page.waitForFunction(([n, w]) => {
      const v = document.getElementById('video');
      return v.videoWidth > 0 && v.readyState >= 2 && (!w || v.videoWidth === w)
        && (v.getVideoPlaybackQuality?.().totalVideoFrames ?? 0) >= n;
    }, [minFrames, cmd.width ?? 0], { timeout: timeoutOf(cmd), polling: 20 });
    return page.evaluate((points) => {
      const v = document.getElementById('video');
      const canvas = document.createElement('canvas');
      canvas.width = v.videoWidth;
      canvas.height = v.videoHeight;
      const ctx = canvas.getContext('2d', { willReadFrequently: true });
      ctx.drawImage(v, 0, 0);
      return {
        width: v.videoWidth,
        height: v.videoHeight,
        frames: v.getVideoPlaybackQuality?.().totalVideoFrames ?? null,
        firstFrameAtMs: window.glassFirstFrame ?? null,
        codec: window.glassHelper?.codec ?? null,
        samples: points.map((p) => {
          const d = ctx.getImageData(p.x, p.y, 1, 1).data;
          return { ...p, rgb: [d[0], d[1], d[2]] };
        }),
      };
    }, cmd.samples ?? []);
  },

  async videoMouse(cmd) {
    const { page } = get(cmd.page);
    const p = await videoPoint(page, cmd.at);
    const button = cmd.button ?? 'left';
    await page.mouse.move(p.x, p.y);
    if (cmd.action === 'click') await page.mouse.click(p.x, p.y, { button });
    else if (cmd.action === 'down') await page.mouse.down({ button });
    else if (cmd.action === 'up') await page.mouse.up({ button });
    else if (cmd.action !== 'move') throw new Error(`unknown mouse action ${cmd.action}`);
    return { atMs: Date.now() };
  },

  async key(cmd) {
    const { page } = get(cmd.page);
    // Keys go to the focused element: the app's keyboard target over the video.
    if (await page.evaluate(() => document.activeElement?.id) !== 'keys') await page.focus('#keys');
    if (!['down', 'up', 'press'].includes(cmd.action)) throw new Error(`unknown key action ${cmd.action}`);
    await page.keyboard[cmd.action](cmd.code);
    return { atMs: Date.now() };
  },

  async waitControl(cmd) {
    const { page } = get(cmd.page);
    await page.waitForFunction((level) => {
      const h = window.glassHelper;
      return h && h.control === level && h.inputOpen && h.pointerOpen;
    }, cmd.level, { timeout: timeoutOf(cmd), polling: 20 });
    return { snapshot: await snapshot(page) };
  },

  async chatSend(cmd) {
    const { page } = get(cmd.page);
    const input = page.locator('.chat-input');
    await input.fill(cmd.text);
    await input.press('Enter');
    await page.waitForFunction((text) => [...document.querySelectorAll('.chat-message[data-mine="true"] .chat-text')]
      .some((t) => t.textContent === text), cmd.text, { timeout: timeoutOf(cmd), polling: 20 });
    return {};
  },

  async waitChat(cmd) {
    const { page } = get(cmd.page);
    const mine = cmd.mine === undefined ? null : String(Boolean(cmd.mine));
    const handle = await page.waitForFunction(({ text, mine }) => {
      const sel = mine === null ? '.chat-message .chat-text' : `.chat-message[data-mine="${mine}"] .chat-text`;
      const el = [...document.querySelectorAll(sel)].find((t) => t.textContent === text);
      if (!el) return false;
      const item = el.closest('.chat-message');
      return {
        text: el.textContent,
        dir: el.getAttribute('dir'),
        inBdi: Boolean(el.closest('bdi')),
        direction: getComputedStyle(el).direction,
        name: item.querySelector('.chat-who')?.textContent ?? null,
        mine: item.dataset.mine === 'true',
      };
    }, { text: cmd.text, mine }, { timeout: timeoutOf(cmd), polling: 20 });
    return handle.jsonValue();
  },

  async axe(cmd) {
    const { page } = get(cmd.page);
    const require = createRequire(import.meta.url);
    const source = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
    // Evaluated through DevTools, so the page's CSP (script-src 'self') does not apply.
    await page.evaluate(source);
    const result = await page.evaluate(async () => {
      const r = await window.axe.run(document, { resultTypes: ['violations'] });
      return {
        version: window.axe.version,
        violations: r.violations.map((v) => ({
          id: v.id,
          impact: v.impact,
          help: v.help,
          nodes: v.nodes.map((n) => ({ target: n.target, html: n.html.slice(0, 200), summary: n.failureSummary })),
        })),
      };
    });
    return result;
  },

  async pinned(cmd) {
    const { page } = get(cmd.page);
    return page.evaluate((id) => {
      window.scrollTo(0, document.documentElement.scrollHeight);
      const el = document.getElementById(id);
      const r = el.getBoundingClientRect();
      return {
        position: getComputedStyle(el).position,
        top: r.top,
        bottom: r.bottom,
        viewportHeight: window.innerHeight,
        scrollY: window.scrollY,
      };
    }, cmd.el);
  },

  async closePage(cmd) {
    const p = get(cmd.page);
    const atMs = Date.now();
    await p.page.close();
    await p.context.close();
    pages.delete(cmd.page);
    return { atMs };
  },
};

// ---- The command loop -------------------------------------------------------------------------

async function run(cmd) {
  const op = ops[cmd.op];
  if (!op) throw new Error(`unknown op ${JSON.stringify(cmd.op)}`);
  return op(cmd);
}

const lines = createInterface({ input: process.stdin });
for await (const line of lines) {
  if (!line.trim()) continue;
  let cmd;
  try {
    cmd = JSON.parse(line);
  } catch (e) {
    out({ id: null, ok: false, error: `bad command JSON: ${e.message}` });
    continue;
  }
  if (cmd.op === 'quit') break;
  try {
    out({ id: cmd.id, ok: true, ...(await run(cmd)) });
  } catch (e) {
    const p = cmd.page !== undefined ? pages.get(cmd.page) : null;
    const state = p ? await snapshot(p.page).catch((err) => `unavailable: ${err.message}`) : null;
    out({ id: cmd.id, ok: false, error: unisolate(e.message.split('\n')[0]), snapshot: state, log: p?.log ?? [] });
  }
}
await browser.close().catch(() => {});
process.exit(0);
