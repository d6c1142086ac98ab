// The Chromium receiver of `glass bench --viewer chromium`: opens the Glass viewer in headless
// Chromium, reads the latency probe (engine/src/probe.rs) from every presented video frame and
// reports when each frame arrived and was shown, as JSON lines on stdout:
//
//   node bench-viewer.mjs <viewer-url> '<params json>'
//
// params: {"epochWallUs": µs since the Unix epoch of the probe epoch,
//          "seconds": measure for this long, "warmup": seconds to discard first,
//          "probe": {"x", "y", "block"}, "width": W, "height": H}
//
// 1. {"ready": true} once the viewer is connected and the video is W×H (opened with ?stats=0),
//    or {"ready": false, "error", "state"} and exit 1 after 30 s (or at once if the page gives
//    up).
// 2. After `warmup` + `seconds`, one line per frame presented during the `seconds` window:
//      {"frame": {"code", "presentedWallUs", "expectedDisplayWallUs", "receiveWallUs",
//                 "processingMs", "readWallUs", "presentedFrames", "latencyUs"}}
//    or, when the probe does not read (CRC or margin check failed, or the picture is not W×H):
//      {"frame": {"unreadable": true, "presentedWallUs", "readWallUs", "width", "height"}}
//    Times are wallclock µs since the Unix epoch (performance.timeOrigin + the frame's
//    DOMHighResTimeStamps). receiveWallUs is null when Chromium gives no receiveTime;
//    processingMs (metadata.processingDuration, which is in seconds, ×1000) null when absent.
//    latencyUs = presentedWallUs − (epochWallUs + elapsed_near(code) × 100), unwrapped like
//    Timecode::elapsed_near but not clamped at 0 (negative means the clocks disagree); the
//    Rust side computes its own from code and presentedWallUs.
// 3. {"done": true, "frames": n, "unreadable": m, "framesDecoded", "framesDropped",
//     "totalVideoFrames", "droppedVideoFrames", "clockSkewStartMs", "clockSkewMs"}, exit 0.
//    framesDecoded / framesDropped are getVideoPlaybackQuality()'s totalVideoFrames /
//    droppedVideoFrames counted over the measurement window; the total* pair are the counts
//    since the page loaded. clockSkewStartMs / clockSkewMs: the page's (timeOrigin + now()) −
//    Date.now() at the start and the end of the measurement window; the Rust side takes their
//    mean out of every timestamp above and refuses a run where they differ by more than 1 ms.
// Any failure: {"error": "..."} and exit 1 (bad arguments: exit 2).
//
// The decoder is tests/browser/probe.mjs, injected into the page (probePageScript below) and
// checked in plain Node by probe-decode.test.mjs.
//
// Uses Debian's /usr/bin/chromium (CHROMIUM overrides); playwright-core never downloads one.
// Launch options as in viewer-check.mjs.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { missingChromium, openPage } from './chromium.mjs';
import { latencyUs } from './probe.mjs';

const HERE = dirname(fileURLToPath(import.meta.url));
const READY_TIMEOUT_MS = 30000;

/**
 * probe.mjs's source as a classic script that defines `window.__glassProbe` = its exports.
 * probe.mjs has no imports, and only `export function` / `export const` at the start of a
 * line: dropping the keyword leaves plain declarations, wrapped in a function so they stay
 * out of the page's globals. Exported for probe-decode.test.mjs.
 */
export function probePageScript(source) {
  const declaration = /^export\s+(?=(?:async\s+)?function\b|const\b|let\b|class\b)/gm;
  const names = [...source.matchAll(/^export\s+(?:async\s+)?(?:function\*?|const|let|class)\s+([A-Za-z_$][\w$]*)/gm)]
    .map((m) => m[1]);
  const body = source.replace(declaration, '');
  if (/^\s*(?:import|export)\b/m.test(body)) {
    throw new Error('probe.mjs must have no imports and only `export function` / `export const`');
  }
  return `window.__glassProbe = (() => {\n'use strict';\n${body}\nreturn { ${names.join(', ')} };\n})();\n`;
}

/** `url` with stats=0 in its query, keeping the rest of the query (and hash) as it was.
 * Exported for probe-decode.test.mjs. */
export function withStatsOff(url) {
  const u = new URL(url);
  if (u.searchParams.has('stats')) {
    u.searchParams.set('stats', '0'); // re-serialises the query; only when it had one already
  } else {
    u.search = u.search && u.search !== '?' ? `${u.search}&stats=0` : '?stats=0';
  }
  return u.href;
}

/** Parses and checks the params JSON; throws with a message on anything wrong. */
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
  const params = {
    epochWallUs: num(p.epochWallUs, 'epochWallUs', 0),
    seconds: num(p.seconds, 'seconds', 0),
    warmup: num(p.warmup ?? 0, 'warmup', 0),
    probe: { x: int(probe.x, 'probe.x', 0), y: int(probe.y, 'probe.y', 0), block: int(probe.block, 'probe.block', 1) },
    width: int(p.width, 'width', 1),
    height: int(p.height, 'height', 1),
  };
  if (params.seconds <= 0) throw new Error('seconds must be > 0');
  const { x, y, block } = params.probe;
  if (x + 20 * block > params.width || y + 2 * block > params.height) {
    throw new Error(`the probe strip ${20 * block}x${2 * block} at (${x}, ${y}) does not fit the ${params.width}x${params.height} picture`);
  }
  return params;
}

/**
 * Runs in the page: reads the probe from every presented frame for warmupMs + measureMs and
 * resolves with the records of the last measureMs and the playback counters. Needs
 * window.__glassProbe (probe.mjs).
 */
function measureInPage({ probe, width, height, warmupMs, measureMs }) {
  const { readProbeRgba } = window.__glassProbe;
  const video = document.getElementById('video');
  if (!video.requestVideoFrameCallback) throw new Error('no HTMLVideoElement.requestVideoFrameCallback');
  const stripW = 20 * probe.block;
  const stripH = 2 * probe.block;
  const inStrip = { x: 0, y: 0, block: probe.block }; // the strip in the getImageData rectangle
  const canvas = document.createElement('canvas');
  const ctx = canvas.getContext('2d', { willReadFrequently: true });
  const wallUs = (t) => Math.round((performance.timeOrigin + t) * 1000);
  const quality = () => {
    const q = video.getVideoPlaybackQuality();
    return { decoded: q.totalVideoFrames, dropped: q.droppedVideoFrames };
  };

  const start = performance.now();
  const from = start + warmupMs;
  const until = from + measureMs;
  const records = [];
  let atStart = null;
  let finished = false;

  return new Promise((resolvePromise, reject) => {
    const onFrame = (now, meta) => {
      if (finished) return;
      try {
        // Re-register first, so a throw below cannot stop the loop silently.
        video.requestVideoFrameCallback(onFrame);
        if (now < from || now >= until) return;
        // Drawn at the video's intrinsic size: pixels 1:1 with the picture as sent. Inside the
        // callback, drawImage draws the frame `meta` describes.
        const w = video.videoWidth;
        const h = video.videoHeight;
        if (canvas.width !== w || canvas.height !== h) {
          canvas.width = w;
          canvas.height = h;
        }
        let code = null;
        if (w === width && h === height) {
          ctx.drawImage(video, 0, 0);
          // Only the strip comes back to JS: the read stays cheap at any picture size.
          const img = ctx.getImageData(probe.x, probe.y, stripW, stripH);
          code = readProbeRgba(img.data, stripW * 4, inStrip);
        }
        const readWallUs = wallUs(performance.now());
        const presentedWallUs = wallUs(meta.presentationTime);
        if (code === null) {
          records.push({ unreadable: true, presentedWallUs, readWallUs, width: w, height: h });
        } else {
          records.push({
            code,
            presentedWallUs,
            expectedDisplayWallUs: wallUs(meta.expectedDisplayTime),
            receiveWallUs: meta.receiveTime ? wallUs(meta.receiveTime) : null,
            processingMs: typeof meta.processingDuration === 'number' ? meta.processingDuration * 1000 : null,
            readWallUs,
            presentedFrames: meta.presentedFrames,
          });
        }
      } catch (e) {
        finished = true;
        reject(e);
      }
    };
    video.requestVideoFrameCallback(onFrame);
    // The window is timed here, not by frames, so it ends even if frames stop coming.
    let clockSkewStartMs = null;
    setTimeout(() => {
      atStart = quality();
      clockSkewStartMs = performance.timeOrigin + performance.now() - Date.now();
    }, Math.max(0, from - performance.now()));
    setTimeout(() => {
      if (finished) return;
      finished = true;
      const end = quality();
      const begin = atStart ?? end;
      resolvePromise({
        records,
        framesDecoded: end.decoded - begin.decoded,
        framesDropped: end.dropped - begin.dropped,
        totalVideoFrames: end.decoded,
        droppedVideoFrames: end.dropped,
        state: window.glassViewer?.state,
        clockSkewStartMs,
        clockSkewMs: performance.timeOrigin + performance.now() - Date.now(),
      });
    }, Math.max(0, until - performance.now()));
  });
}

/** The viewer's state, for error reports. */
async function snapshot(page) {
  return page.evaluate(() => {
    const g = window.glassViewer;
    const v = document.getElementById('video');
    return g ? { state: g.state, message: g.message, framesDecoded: g.framesDecoded, videoWidth: v.videoWidth, videoHeight: v.videoHeight } : null;
  }).catch((e) => `unavailable: ${e.message}`);
}

async function main() {
  const out = (o) => process.stdout.write(`${JSON.stringify(o)}\n`);
  const [url, paramsArg] = process.argv.slice(2);
  if (!url || !paramsArg) {
    console.error('usage: node bench-viewer.mjs <viewer-url> <params-json>');
    out({ error: 'usage: node bench-viewer.mjs <viewer-url> <params-json>' });
    return 2;
  }
  let params;
  let pageUrl;
  try {
    params = parseParams(paramsArg);
    pageUrl = withStatsOff(url);
  } catch (e) {
    out({ error: `bad arguments: ${e.message}` });
    return 2;
  }
    if (missingChromium()) {
    out({ error: missingChromium() });
    return 1;
  }
  let script;
  try {
    script = probePageScript(readFileSync(join(HERE, 'probe.mjs'), 'utf8'));
  } catch (e) {
    out({ error: `cannot load probe.mjs: ${e.message}` });
    return 1;
  }

  const log = [];
  const profile = mkdtempSync(join(tmpdir(), 'glass-chromium-'));
  let context;
  try {
    let page;
    ({ context, page } = await openPage(profile, { width: 800, height: 600 }, log));
    await page.addInitScript({ content: script });
    try {
      await page.goto(pageUrl);
    } catch (e) {
      out({ ready: false, error: `cannot open the viewer: ${e.message.split('\n')[0]}`, log });
      return 1;
    }

    const { width, height } = params;
    try {
      // Also returns (and fails at once) when the page gives up: refused, or the sharer left.
      const ready = await page.waitForFunction(([w, h]) => {
        const g = window.glassViewer;
        const v = document.getElementById('video');
        if (g && (g.state === 'error' || g.state === 'left')) return 'gave-up';
        return g && g.state === 'connected' && v.videoWidth === w && v.videoHeight === h && 'ready';
      }, [width, height], { timeout: READY_TIMEOUT_MS, polling: 50 });
      if (await ready.jsonValue() !== 'ready') {
        out({ ready: false, error: 'viewer gave up before it was ready', state: await snapshot(page), log });
        return 1;
      }
    } catch (e) {
      out({ ready: false, error: `viewer not connected with a ${width}x${height} video within 30 s: ${e.message.split('\n')[0]}`, state: await snapshot(page), log });
      return 1;
    }
    out({ ready: true });

    const warmupMs = params.warmup * 1000;
    const measureMs = params.seconds * 1000;
    // The page ends the window itself; this only catches a page that hangs.
    let timer;
    const hang = new Promise((_, reject) => {
      timer = setTimeout(() => reject(new Error('measurement did not finish (page hung?)')), warmupMs + measureMs + 15000);
    });
    let result;
    try {
      result = await Promise.race([
        page.evaluate(measureInPage, { probe: params.probe, width, height, warmupMs, measureMs }),
        hang,
      ]);
    } finally {
      clearTimeout(timer);
    }
    if (result.state !== 'connected') {
      out({ error: `viewer was "${result.state}" at the end of the measurement, not connected`, state: await snapshot(page), log });
      return 1;
    }

    let unreadable = 0;
    for (const r of result.records) {
      if (r.unreadable) unreadable++;
      else r.latencyUs = latencyUs(r.code, r.presentedWallUs, params.epochWallUs);
      out({ frame: r });
    }
    out({
      done: true,
      frames: result.records.length,
      unreadable,
      framesDecoded: result.framesDecoded,
      framesDropped: result.framesDropped,
      totalVideoFrames: result.totalVideoFrames,
      droppedVideoFrames: result.droppedVideoFrames,
      clockSkewStartMs: result.clockSkewStartMs,
      clockSkewMs: result.clockSkewMs,
    });
    return 0;
  } catch (e) {
    out({ error: String((e && e.stack) || e), log });
    return 1;
  } finally {
    if (context) await context.close().catch(() => {});
    rmSync(profile, { recursive: true, force: true });
  }
}

// Run only as a script: probe-decode.test.mjs imports probePageScript.
if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  process.exit(await main());
}
