// Headless Chromium for the browser scripts: Debian's /usr/bin/chromium (CHROMIUM overrides;
// playwright-core never downloads a browser), one set of launch options for all of them.
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
