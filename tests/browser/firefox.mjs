// Launches Debian's firefox-esr headless through puppeteer-core (WebDriver BiDi), for
// firefox-check.mjs and firefox-help.mjs. FIREFOX overrides /usr/bin/firefox-esr;
// puppeteer-core never downloads a browser.
import { existsSync } from 'node:fs';
import puppeteer from 'puppeteer-core';

export const executablePath = process.env.FIREFOX || '/usr/bin/firefox-esr';

// A message when Firefox is missing, null when it is there.
export function missingFirefox() {
  return existsSync(executablePath) ? null : `${executablePath} not found: run scripts/setup.sh`;
}

export function launchFirefox() {
  return puppeteer.launch({
    browser: 'firefox',
    executablePath,
    headless: true,
    defaultViewport: { width: 800, height: 600 },
    extraPrefsFirefox: {
      // Firefox gathers no loopback candidate whatever its prefs say (tried here:
      // media.peerconnection.ice.loopback, force_interface, a capturing page), and a page that
      // does not capture gets the default route's address only. So tests/browser.rs runs the
      // sharer and Firefox in a network namespace of their own whose default route is an
      // address of its `lo` (10.99.0.1): Firefox offers that address, the sharer binds it.
      'media.peerconnection.ice.obfuscate_host_addresses': false,
      // Video may play unmuted without a gesture.
      'media.autoplay.default': 0,
      'media.autoplay.blocking_policy': 0,
      // No attempt to fetch the OpenH264 plugin (nothing outside is reachable anyway).
      'media.gmp-manager.url': 'http://127.0.0.1:9/',
      'media.gmp-gmpopenh264.autoupdate': false,
      'media.gmp-gmpopenh264.enabled': false,
    },
  });
}

// Draws the current frame of `video` (an element id) on a canvas and reads the pixels at
// `points` ([{name, x, y}]) → [{name, x, y, rgb}]. Runs in the page.
export function samplePixels(id, points) {
  const v = document.getElementById(id);
  const canvas = document.createElement('canvas');
  canvas.width = v.videoWidth;
  canvas.height = v.videoHeight;
  const ctx = canvas.getContext('2d', { willReadFrequently: true });
  ctx.drawImage(v, 0, 0);
  return points.map((p) => {
    const d = ctx.getImageData(p.x, p.y, 1, 1).data;
    return { ...p, rgb: [d[0], d[1], d[2]] };
  });
}
