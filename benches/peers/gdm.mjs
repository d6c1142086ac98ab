// Peer comparison (run by hand, not in CI): glass-to-glass latency of Chromium's own screen
// sharing. getDisplayMedia of the whole X screen → RTCPeerConnection → a second
// RTCPeerConnection in the same page over loopback → <video>, with the latency probe of
// `glass scene-window` (engine/src/probe.rs) read from every presented frame.
//
//   DISPLAY=:N node benches/peers/gdm.mjs '<params json>'
//
// params: {"epochUnixUs": E (the scene-window's --epoch-unix-us), "probe": {"x", "y", "block"}
//          (from its ready line), "width": W, "height": H (the screen / scene size),
//          "warmup": seconds to discard, "seconds": seconds to measure,
//          "codec": "H264" | "VP8" | "default"}
//
// Prints ONE JSON line on stdout and exits 0:
//   {"frames", "unreadable", "fps", "p50_ms", "p95_ms", "p99_ms", "max_ms", "codec", "width",
//    "height", "jitterBufferMs", "chromiumCpuPct", ...diagnostics}
// latency = presentedWall − (epoch + elapsed_near(code) × 100 µs), presentedWall being
// performance.timeOrigin + requestVideoFrameCallback's presentationTime (as
// tests/browser/bench-viewer.mjs); percentiles are nearest-rank over the readable frames.
// chromiumCpuPct: utime+stime of every descendant process of this node process (= all of
// Chromium's) over the measurement window, in percent of one core.
// On any failure (bad arguments too): {"error": "..."} and exit 1. Progress goes to stderr.
//
// Chromium is Debian's /usr/bin/chromium (CHROMIUM overrides), headful on $DISPLAY; its own
// window is placed off the X screen (--window-position=W+100,0) so the capture is the scene
// alone, without the mirror of the receiving <video>. The page is served from
// http://127.0.0.1:<port> (a secure context); getDisplayMedia picks the screen without a
// prompt through --auto-select-desktop-capture-source (see SOURCE below) and is called from a
// real click (it needs transient user activation). Chromium's "… is sharing your screen" bar
// (bottom centre, captured too) is moved off the screen with xdotool.
import { createRequire } from 'node:module';
import { createServer } from 'node:http';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ARGS, executablePath, missingChromium } from '../../tests/browser/chromium.mjs';

const HERE = dirname(fileURLToPath(import.meta.url));
const BROWSER_DIR = join(HERE, '..', '..', 'tests', 'browser');
const require = createRequire(join(BROWSER_DIR, 'package.json'));
const { chromium } = require('playwright-core');
const { latencyUs } = await import(new URL('../../tests/browser/probe.mjs', import.meta.url).href);

// The picker's name of the whole X screen: "Entire screen" when there is one screen
// (Chromium's IDS_DESKTOP_MEDIA_PICKER_SINGLE_SCREEN_NAME), "Screen 1".. with several.
const SOURCE = process.env.GDM_SOURCE || 'Entire screen';
const READY_TIMEOUT_MS = 30000;
// How long to wait for the received video to reach W×H before measuring at whatever size.
const FULL_SIZE_WAIT_MS = 15000;

const log = (...a) => console.error('[gdm]', ...a);
const out = (o) => process.stdout.write(`${JSON.stringify(o)}\n`);

function parseParams(arg) {
  const p = JSON.parse(arg);
  if (!p || typeof p !== 'object') throw new Error('params are not an object');
  const int = (v, what, min) => {
    if (!Number.isSafeInteger(v) || v < min) throw new Error(`${what} must be an integer >= ${min}, got ${JSON.stringify(v)}`);
    return v;
  };
  const num = (v, what, min) => {
    if (typeof v !== 'number' || !Number.isFinite(v) || v < min) throw new Error(`${what} must be a number >= ${min}, got ${JSON.stringify(v)}`);
    return v;
  };
  const probe = p.probe;
  if (!probe || typeof probe !== 'object') throw new Error('"probe" must be {"x", "y", "block"}');
  const codec = p.codec ?? 'default';
  if (!['H264', 'VP8', 'VP9', 'AV1', 'default'].includes(codec)) throw new Error(`codec must be H264, VP8 or default, got ${JSON.stringify(codec)}`);
  const params = {
    epochUnixUs: num(p.epochUnixUs, 'epochUnixUs', 0),
    probe: { x: int(probe.x, 'probe.x', 0), y: int(probe.y, 'probe.y', 0), block: int(probe.block, 'probe.block', 1) },
    width: int(p.width ?? 1920, 'width', 16),
    height: int(p.height ?? 1080, 'height', 16),
    warmup: num(p.warmup ?? 2, 'warmup', 0),
    seconds: num(p.seconds ?? 10, 'seconds', 0),
    codec,
  };
  if (params.seconds <= 0) throw new Error('seconds must be > 0');
  const { x, y, block } = params.probe;
  if (x + 20 * block > params.width || y + 2 * block > params.height) {
    throw new Error(`the probe strip ${20 * block}x${2 * block} at (${x}, ${y}) does not fit ${params.width}x${params.height}`);
  }
  return params;
}

/** probe.mjs as a classic script defining window.__glassProbe (as bench-viewer.mjs does). */
function probePageScript(source) {
  const declaration = /^export\s+(?=(?:async\s+)?function\b|const\b|let\b|class\b)/gm;
  const names = [...source.matchAll(/^export\s+(?:async\s+)?(?:function\*?|const|let|class)\s+([A-Za-z_$][\w$]*)/gm)]
    .map((m) => m[1]);
  const body = source.replace(declaration, '');
  if (/^\s*(?:import|export)\b/m.test(body)) throw new Error('probe.mjs must have no imports');
  return `window.__glassProbe = (() => {\n'use strict';\n${body}\nreturn { ${names.join(', ')} };\n})();\n`;
}

// ---- The page -------------------------------------------------------------------------------

const PAGE = `<!doctype html>
<html><head><meta charset="utf-8"><title>gdm</title>
<style>html,body{margin:0;background:#000}video{width:320px;height:180px;display:block}
button{position:absolute;left:0;top:200px;width:200px;height:60px}</style>
<script src="/probe.js"></script></head>
<body><video id="video" muted autoplay playsinline></video>
<button id="go">share</button>
<script>
window.__gdm = { state: 'idle' };
const g = window.__gdm;
function note(s) { g.state = s; console.log('state: ' + s); }

// The codecs of 'video' send capabilities with those of \`want\` (a MIME subtype) first,
// H264 packetization-mode=1 before 0; the rest in their own order.
function preferred(want) {
  const caps = RTCRtpSender.getCapabilities('video');
  const codecs = caps ? caps.codecs : [];
  const isWanted = (c) => c.mimeType.toLowerCase() === 'video/' + want.toLowerCase();
  const rank = (c) => (/packetization-mode=1/.test(c.sdpFmtpLine || '') ? 0 : 1);
  const first = codecs.filter(isWanted).sort((a, b) => rank(a) - rank(b));
  return { first, all: first.concat(codecs.filter((c) => !isWanted(c))), available: codecs.map((c) => c.mimeType + (c.sdpFmtpLine ? ' ' + c.sdpFmtpLine : '')) };
}

async function start(opts) {
  try {
    note('getDisplayMedia');
    const stream = await navigator.mediaDevices.getDisplayMedia({
      video: { frameRate: opts.fps, width: opts.width, height: opts.height },
      audio: false,
    });
    const track = stream.getVideoTracks()[0];
    g.trackSettings = track.getSettings();
    g.trackLabel = track.label;
    track.onended = () => note('track-ended');

    const tx = new RTCPeerConnection();
    const rx = new RTCPeerConnection();
    g.tx = tx; g.rx = rx;
    tx.onicecandidate = (e) => { if (e.candidate) rx.addIceCandidate(e.candidate).catch((err) => console.log('rx ice: ' + err)); };
    rx.onicecandidate = (e) => { if (e.candidate) tx.addIceCandidate(e.candidate).catch((err) => console.log('tx ice: ' + err)); };
    tx.onconnectionstatechange = () => console.log('tx ' + tx.connectionState);
    const video = document.getElementById('video');
    rx.ontrack = (e) => {
      video.srcObject = e.streams[0] || new MediaStream([e.track]);
      video.play().catch((err) => console.log('play: ' + err));
    };

    const transceiver = tx.addTransceiver(track, { direction: 'sendonly', streams: [stream] });
    g.requestedCodec = opts.codec;
    g.codecFallback = null;
    if (opts.codec !== 'default') {
      let p = preferred(opts.codec);
      g.availableCodecs = p.available;
      if (p.first.length === 0 && opts.codec !== 'VP8') {
        g.codecFallback = opts.codec + ' not in RTCRtpSender.getCapabilities: VP8 instead';
        p = preferred('VP8');
      }
      if (p.first.length > 0) transceiver.setCodecPreferences(p.all);
    } else {
      g.availableCodecs = preferred('VP8').available;
    }

    note('negotiating');
    const offer = await tx.createOffer();
    await tx.setLocalDescription(offer);
    await rx.setRemoteDescription(offer);
    const answer = await rx.createAnswer();
    await rx.setLocalDescription(answer);
    await tx.setRemoteDescription(answer);
    note('negotiated');
  } catch (e) {
    g.error = String((e && e.name ? e.name + ': ' : '') + (e && e.message || e));
    note('error');
  }
}

document.getElementById('go').onclick = () => start(window.__gdmOpts);
</script></body></html>`;

/** Stats of both peer connections, reduced to what is reported. Runs in the page. */
async function statsInPage() {
  const g = window.__gdm;
  const res = {};
  const s1 = await g.tx.getStats();
  let out = null;
  s1.forEach((r) => { if (r.type === 'outbound-rtp' && r.kind === 'video') out = r; });
  if (out) {
    const c = out.codecId && s1.get(out.codecId);
    res.codec = c ? c.mimeType : null;
    res.codecFmtp = c ? c.sdpFmtpLine || null : null;
    res.encoder = out.encoderImplementation ?? null;
    res.sentWidth = out.frameWidth ?? null;
    res.sentHeight = out.frameHeight ?? null;
    res.framesEncoded = out.framesEncoded ?? null;
    res.totalEncodeTime = out.totalEncodeTime ?? null;
    res.bytesSent = out.bytesSent ?? null;
    res.qualityLimitationReason = out.qualityLimitationReason ?? null;
    res.qualityLimitationDurations = out.qualityLimitationDurations ?? null;
  }
  const s2 = await g.rx.getStats();
  let inb = null;
  s2.forEach((r) => { if (r.type === 'inbound-rtp' && r.kind === 'video') inb = r; });
  if (inb) {
    res.jitterBufferDelay = inb.jitterBufferDelay ?? null;
    res.jitterBufferEmittedCount = inb.jitterBufferEmittedCount ?? null;
    res.decoder = inb.decoderImplementation ?? null;
    res.framesDecoded = inb.framesDecoded ?? null;
    res.framesDropped = inb.framesDropped ?? null;
    res.totalDecodeTime = inb.totalDecodeTime ?? null;
    res.recvWidth = inb.frameWidth ?? null;
    res.recvHeight = inb.frameHeight ?? null;
  }
  return res;
}

/**
 * Runs in the page: reads the probe from every presented frame for warmupMs + measureMs and
 * resolves with the records of the last measureMs. Calls window.__gdmMark('start'|'end') at
 * the window's edges (for the CPU sampling in node). Only the probe strip is drawn: 1:1 when
 * the video is W×H, else the strip's region scaled back to its size at W×H.
 */
function measureInPage({ probe, width, height, warmupMs, measureMs }) {
  const { readProbeRgba } = window.__glassProbe;
  const video = document.getElementById('video');
  if (!video.requestVideoFrameCallback) throw new Error('no HTMLVideoElement.requestVideoFrameCallback');
  const stripW = 20 * probe.block;
  const stripH = 2 * probe.block;
  const inStrip = { x: 0, y: 0, block: probe.block };
  const canvas = document.createElement('canvas');
  canvas.width = stripW;
  canvas.height = stripH;
  const ctx = canvas.getContext('2d', { willReadFrequently: true });
  const wallUs = (t) => Math.round((performance.timeOrigin + t) * 1000);
  const sizes = {};

  const start = performance.now();
  const from = start + warmupMs;
  const until = from + measureMs;
  const records = [];
  let finished = false;

  return new Promise((resolvePromise, reject) => {
    const onFrame = (now, meta) => {
      if (finished) return;
      try {
        video.requestVideoFrameCallback(onFrame);
        if (now < from || now >= until) return;
        const w = meta.width || video.videoWidth;
        const h = meta.height || video.videoHeight;
        sizes[`${w}x${h}`] = (sizes[`${w}x${h}`] || 0) + 1;
        let code = null;
        if (w > 0 && h > 0) {
          const sx = w / width;
          const sy = h / height;
          ctx.drawImage(video, probe.x * sx, probe.y * sy, stripW * sx, stripH * sy, 0, 0, stripW, stripH);
          const img = ctx.getImageData(0, 0, stripW, stripH);
          code = readProbeRgba(img.data, stripW * 4, inStrip);
        }
        const presentedWallUs = wallUs(meta.presentationTime);
        records.push(code === null
          ? { unreadable: true, presentedWallUs }
          : {
            code,
            presentedWallUs,
            receiveWallUs: meta.receiveTime ? wallUs(meta.receiveTime) : null,
            captureWallUs: meta.captureTime ? wallUs(meta.captureTime) : null,
          });
      } catch (e) {
        finished = true;
        reject(e);
      }
    };
    video.requestVideoFrameCallback(onFrame);
    setTimeout(() => { window.__gdmMark?.('start'); }, Math.max(0, from - performance.now()));
    setTimeout(() => {
      if (finished) return;
      finished = true;
      window.__gdmMark?.('end');
      resolvePromise({
        records,
        sizes,
        clockSkewMs: performance.timeOrigin + performance.now() - Date.now(),
      });
    }, Math.max(0, until - performance.now()));
  });
}

// ---- CPU of Chromium's processes ------------------------------------------------------------

const CLK_TCK = 100;

/** {pid: utime+stime ticks} of every descendant of `root` (not root itself). */
function descendantTicks(root) {
  const parent = new Map();
  const ticks = new Map();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    let stat;
    try {
      stat = readFileSync(`/proc/${name}/stat`, 'utf8');
    } catch {
      continue; // exited meanwhile
    }
    // Fields after the ")" that ends comm: state(3) ppid(4) ... utime(14) stime(15).
    const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    parent.set(Number(name), Number(rest[1]));
    ticks.set(Number(name), Number(rest[11]) + Number(rest[12]));
  }
  const result = new Map();
  for (const pid of ticks.keys()) {
    for (let p = parent.get(pid), hops = 0; p && hops < 64; p = parent.get(p), hops++) {
      if (p === root) {
        result.set(pid, ticks.get(pid));
        break;
      }
    }
  }
  return result;
}

/** CPU ticks used between two descendantTicks() snapshots (processes new in `b` count from 0). */
function ticksBetween(a, b) {
  let sum = 0;
  for (const [pid, t] of b) sum += t - (a.get(pid) ?? 0);
  return sum;
}

// ---- The "… is sharing your screen" bar ------------------------------------------------------

/**
 * Chromium shows a "<origin> is sharing your screen. [Stop sharing] [Hide]" bar (a normal X
 * window, ~514x62, bottom centre of the screen) while capturing, and on X11 it is in the
 * capture. Moves it off the screen with xdotool (no window manager on Xvfb to object).
 * Returns what happened, for the report.
 */
async function moveSharingBar(screenWidth) {
  const x = (args) => new Promise((res, rej) => {
    execFile('xdotool', args, { encoding: 'utf8', timeout: 5000 }, (e, stdout) => (e ? rej(e) : res(stdout)));
  });
  for (let attempt = 0; attempt < 20; attempt++) {
    let ids = [];
    try {
      ids = (await x(['search', '--name', 'is sharing your screen'])).split(/\s+/).filter(Boolean);
    } catch (e) {
      if (e.code === 'ENOENT') return 'xdotool not installed: the sharing bar stays on screen (bottom centre)';
      // exit status 1: nothing found (yet)
    }
    if (ids.length > 0) {
      try {
        for (const id of ids) await x(['windowmove', id, String(screenWidth + 100), '400']);
        return 'moved off-screen';
      } catch (e) {
        return `xdotool windowmove failed (${e.message.split('\n')[0]}): the sharing bar stays on screen`;
      }
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return 'not found (no window named "… is sharing your screen")';
}

// ---- Main -----------------------------------------------------------------------------------

function percentile(sorted, q) {
  if (sorted.length === 0) return null;
  const rank = Math.max(1, Math.ceil(q * sorted.length));
  return sorted[rank - 1];
}

const round = (v, d = 1) => (v === null || v === undefined || !Number.isFinite(v) ? null : Math.round(v * 10 ** d) / 10 ** d);

async function run(params, cleanup) {
  if (!process.env.DISPLAY) throw new Error('DISPLAY is not set (run with DISPLAY=:N, the display the scene-window is on)');
  if (missingChromium()) throw new Error(missingChromium());
  const probeScript = probePageScript(readFileSync(join(BROWSER_DIR, 'probe.mjs'), 'utf8'));

  const server = createServer((req, res) => {
    if (req.url === '/probe.js') {
      res.writeHead(200, { 'content-type': 'text/javascript' });
      res.end(probeScript);
    } else if (req.url === '/' || req.url.startsWith('/?')) {
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end(PAGE);
    } else if (req.url === '/favicon.ico') {
      res.writeHead(204);
      res.end();
    } else {
      res.writeHead(404);
      res.end();
    }
  });
  cleanup.push(() => new Promise((r) => { server.close(() => r()); server.closeAllConnections(); }));
  await new Promise((r, j) => { server.once('error', j); server.listen(0, '127.0.0.1', r); });
  const url = `http://127.0.0.1:${server.address().port}/`;

  const { width, height } = params;
  const profile = mkdtempSync(join(tmpdir(), 'glass-gdm-'));
  cleanup.push(() => rmSync(profile, { recursive: true, force: true }));
  const args = [
    ...ARGS, // tests/browser/chromium.mjs: no sandbox, no GPU, no QUIC or background traffic
    // Not --use-fake-ui-for-media-stream: with it getDisplayMedia opens "screen:0:0", which
    // the X11 capturer (XRandR monitors) rejects: NotReadableError "Could not start video
    // source". The real picker with auto-select picks the XRandR monitor instead.
    `--auto-select-desktop-capture-source=${SOURCE}`,
    '--lang=en-US', // the picker's source names and the sharing bar's title, as matched here
    // Off the X screen: it stays mapped (so it renders and runs rVFC) but is not captured.
    `--window-position=${width + 100},0`,
    '--window-size=400,320',
    // Keep an unfocused/"hidden" page at full speed.
    '--disable-background-timer-throttling',
    '--disable-renderer-backgrounding',
    '--disable-backgrounding-occluded-windows',
    // Extra flags for experiments, space-separated.
    ...(process.env.GDM_CHROMIUM_ARGS || '').split(/\s+/).filter(Boolean),
  ];
  log(`launching ${executablePath} headful on DISPLAY=${process.env.DISPLAY}, page ${url}`);
  const context = await chromium.launchPersistentContext(profile, {
    executablePath,
    headless: false,
    args,
    viewport: null,
    ignoreDefaultArgs: ['--enable-automation'],
    // Signals are main()'s to handle (it closes the browser and reports).
    handleSIGINT: false,
    handleSIGTERM: false,
    handleSIGHUP: false,
  });
  cleanup.unshift(() => context.close().catch(() => {}));
  const pageLog = [];
  const page = context.pages()[0] || await context.newPage();
  page.on('console', (m) => { pageLog.push(`${m.type()}: ${m.text()}`); log(`page ${m.type()}: ${m.text()}`); });
  page.on('pageerror', (e) => { pageLog.push(`pageerror: ${e.message}`); log(`pageerror: ${e.message}`); });

  let marks = {};
  await page.exposeFunction('__gdmMark', (what) => {
    marks[what] = { at: process.hrtime.bigint(), ticks: descendantTicks(process.pid) };
  });
  await page.goto(url);
  await page.evaluate((o) => { window.__gdmOpts = o; }, { fps: 30, width, height, codec: params.codec });
  await page.click('#go');

  // Wait for a playing video (state 'error' fails at once).
  const state = () => page.evaluate(() => {
    const g = window.__gdm;
    const v = document.getElementById('video');
    return { state: g.state, error: g.error, track: g.trackLabel, settings: g.trackSettings, videoWidth: v.videoWidth, videoHeight: v.videoHeight, codecFallback: g.codecFallback };
  });
  const t0 = Date.now();
  let s;
  for (;;) {
    s = await state();
    if (s.state === 'error') throw new Error(`in the page: ${s.error}`);
    if (s.state === 'track-ended') throw new Error('the captured track ended');
    if (s.videoWidth === width && s.videoHeight === height) break;
    if (s.videoWidth > 0 && Date.now() - t0 > FULL_SIZE_WAIT_MS) {
      log(`received video is ${s.videoWidth}x${s.videoHeight}, not ${width}x${height}: measuring scaled`);
      break;
    }
    if (Date.now() - t0 > READY_TIMEOUT_MS) {
      const hint = s.state === 'getDisplayMedia'
        ? ` (getDisplayMedia never resolved: the picker found no source named "${SOURCE}"? set GDM_SOURCE, e.g. "Screen 1")`
        : '';
      throw new Error(`no video within ${READY_TIMEOUT_MS / 1000} s${hint}: ${JSON.stringify(s)}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  const sharingBar = await moveSharingBar(width);
  log(`sharing bar: ${sharingBar}`);
  log(`ready after ${Date.now() - t0} ms: track "${s.track}" settings ${JSON.stringify(s.settings)}, video ${s.videoWidth}x${s.videoHeight}`);

  const warmupMs = params.warmup * 1000;
  const measureMs = params.seconds * 1000;
  const result = await page.evaluate(measureInPage, { probe: params.probe, width, height, warmupMs, measureMs });
  if (!marks.start || !marks.end) throw new Error('the page did not mark the measurement window');
  const cpuTicks = ticksBetween(marks.start.ticks, marks.end.ticks);
  const windowS = Number(marks.end.at - marks.start.at) / 1e9;
  const stats = await page.evaluate(statsInPage);
  const end = await state();

  const lat = [];
  const recvToPresent = [];
  let unreadable = 0;
  for (const r of result.records) {
    if (r.unreadable) {
      unreadable++;
      continue;
    }
    lat.push(latencyUs(r.code, r.presentedWallUs, params.epochUnixUs) / 1000);
    if (r.receiveWallUs !== null) recvToPresent.push((r.presentedWallUs - r.receiveWallUs) / 1000);
  }
  lat.sort((a, b) => a - b);
  recvToPresent.sort((a, b) => a - b);
  const frames = result.records.length;
  if (lat.length === 0) {
    throw new Error(`no readable probe in ${frames} presented frames (sizes ${JSON.stringify(result.sizes)}); is the scene-window on DISPLAY=${process.env.DISPLAY} and the probe where given?`);
  }
  const sizes = Object.keys(result.sizes);
  const fullSize = sizes.length === 1 && sizes[0] === `${width}x${height}`;
  const report = {
    frames,
    unreadable,
    fps: round(frames / params.seconds, 2),
    p50_ms: round(percentile(lat, 0.5)),
    p95_ms: round(percentile(lat, 0.95)),
    p99_ms: round(percentile(lat, 0.99)),
    max_ms: round(lat[lat.length - 1]),
    min_ms: round(lat[0]),
    codec: stats.codec ?? null,
    requestedCodec: params.codec,
    width: end.videoWidth,
    height: end.videoHeight,
    jitterBufferMs: stats.jitterBufferEmittedCount ? round((stats.jitterBufferDelay / stats.jitterBufferEmittedCount) * 1000) : null,
    chromiumCpuPct: round((cpuTicks / CLK_TCK / windowS) * 100),
  };
  if (sharingBar !== 'moved off-screen') report.sharingBar = sharingBar;
  if (!fullSize) report.downscaled = `received ${sizes.join(', ')} instead of ${width}x${height}; probe read scaled`;
  if (end.codecFallback) report.codecFallback = end.codecFallback;
  if (params.codec !== 'default' && stats.codec && stats.codec.toLowerCase() !== `video/${params.codec.toLowerCase()}`) {
    report.codecFallback = report.codecFallback || `${params.codec} requested, ${stats.codec} negotiated`;
  }
  Object.assign(report, {
    p50_receive_to_present_ms: round(percentile(recvToPresent, 0.5)),
    encoder: stats.encoder ?? null,
    decoder: stats.decoder ?? null,
    sentSize: stats.sentWidth ? `${stats.sentWidth}x${stats.sentHeight}` : null,
    qualityLimitationReason: stats.qualityLimitationReason ?? null,
    avgEncodeMs: stats.framesEncoded ? round((stats.totalEncodeTime / stats.framesEncoded) * 1000) : null,
    avgDecodeMs: stats.framesDecoded ? round((stats.totalDecodeTime / stats.framesDecoded) * 1000) : null,
    framesDropped: stats.framesDropped ?? null,
    captureSettings: end.settings ? { width: end.settings.width, height: end.settings.height, frameRate: end.settings.frameRate, displaySurface: end.settings.displaySurface } : null,
    clockSkewMs: round(result.clockSkewMs, 2),
    chromium: context.browser()?.version() ?? null,
  });
  return report;
}

async function main() {
  let params;
  try {
    params = parseParams(process.argv[2] ?? '');
  } catch (e) {
    out({ error: `bad arguments: ${e.message}; usage: DISPLAY=:N node gdm.mjs '<params json>'` });
    return 1;
  }
  const cleanup = [];
  const runCleanup = async () => {
    const steps = cleanup.splice(0);
    for (const f of steps) {
      try {
        await f();
      } catch (e) {
        log(`cleanup: ${e.message}`);
      }
    }
  };
  // The overall timeout and SIGINT/SIGTERM/SIGHUP end the run the same way: run() is
  // abandoned, the browser closed, {"error"} printed.
  let abort;
  const aborted = new Promise((_, reject) => { abort = reject; });
  const timeoutS = params.warmup + params.seconds + 60;
  const timer = setTimeout(() => abort(new Error(`timed out after ${timeoutS} s`)), timeoutS * 1000);
  for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
    process.once(sig, () => {
      log(`${sig}: closing the browser`);
      abort(new Error(`interrupted by ${sig}`));
    });
  }
  try {
    const report = await Promise.race([run(params, cleanup), aborted]);
    await runCleanup();
    out(report);
    return 0;
  } catch (e) {
    log(String((e && e.stack) || e));
    await runCleanup();
    // Playwright appends the browser's whole log to its messages: the first line only.
    out({ error: String((e && e.message) || e).split('\n')[0] });
    return 1;
  } finally {
    clearTimeout(timer);
  }
}

process.exit(await main());
