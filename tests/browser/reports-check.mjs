// Headless Chromium for tests/reports_browser.rs: the reports page as an auditor and as a
// helper without `view_reports`. Usage: node reports-check.mjs BROKER_URL AUDITOR PASSWORD
// HELPER PASSWORD PERSON. Prints one JSON line: what the pages showed (the Rust test
// asserts on it), or {error, log}.
//
// 1. The auditor signs in on the helper app, sees the reports link, follows it: the table.
// 2. Filters by PERSON: the table narrows; the CSV link downloads that filter's rows.
// 3. Opens the first row's transcript.
// 4. In Arabic the page is right to left.
// axe-core runs on the page with its table and transcript, in Arabic, and refused.
// 5. The helper signs in: no reports link; /reports says why; the API answers 403.

import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { missingChromium, openPage } from './chromium.mjs';

const [base, auditor, auditorPassword, helper, helperPassword, person] = process.argv.slice(2);
const out = (value) => process.stdout.write(`${JSON.stringify(value)}\n`);
// GLASS_SCREENSHOTS=DIR: pictures of the page at each step, for looking at it by hand.
const shots = process.env.GLASS_SCREENSHOTS;
const shot = async (name) => { if (shots) await page.screenshot({ path: join(shots, `reports-${name}.png`), fullPage: true }); };

const missing = missingChromium();
if (missing) {
  out({ error: missing });
  process.exit(1);
}

const profile = mkdtempSync(join(tmpdir(), 'glass-reports-'));
const log = [];
const { context, page } = await openPage(profile, { width: 1200, height: 800 }, log);

/** Polls `fn` in the page until it is truthy (waitForFunction compiles a string: the CSP refuses). */
async function until(fn, arg, what, timeout = 10000) {
  const end = Date.now() + timeout;
  for (;;) {
    const value = await page.evaluate(fn, arg);
    if (value) return value;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** axe-core's serious and critical violations on the page as it is now. */
async function axe() {
  const source = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
  // Evaluated through DevTools, so the page's CSP (script-src 'self') does not apply.
  await page.evaluate(source);
  return page.evaluate(async () => {
    const r = await window.axe.run(document, { resultTypes: ['violations'] });
    return r.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => ({ id: v.id, help: v.help, nodes: v.nodes.map((n) => n.html.slice(0, 160)) }));
  });
}

async function signIn(user, password) {
  await page.goto(`${base}/`, { waitUntil: 'load' });
  await until(() => !document.getElementById('signin-form').hidden, null, 'the sign-in form');
  await page.fill('#username', user);
  await page.fill('#password', password);
  await page.click('#signin-button');
  await until(() => !document.getElementById('who').hidden, null, 'signed in');
}

const tableRows = () => [...document.querySelectorAll('#rows tr')].map((tr) => [...tr.cells].map((td) => td.innerText.trim()));
const ready = () => window.glassReports?.state === 'ready' && document.getElementById('sessions').getAttribute('aria-busy') === null;

try {
  const result = {};
  // 1. The auditor, through the helper app's link.
  await signIn(auditor, auditorPassword);
  result.linkShown = await page.isVisible('#reports-link');
  await shot('helper-app');
  await page.click('#reports-link');
  await page.waitForURL(`${base}/reports`);
  await until(ready, null, 'the report');
  result.columns = await page.evaluate(() => [...document.querySelectorAll('#sessions th')].map((th) => th.innerText.trim()));
  result.rows = await page.evaluate(tableRows);
  result.keptButtons = await page.evaluate(() => document.querySelectorAll('#rows button[data-kept="true"]').length);

  // 2. Filtered by a person; the CSV link carries the filter.
  await page.fill('#person', person);
  await page.click('#show');
  await until(([n]) => window.glassReports.state === 'ready' && window.glassReports.rows !== n
    && document.querySelectorAll('#rows tr').length === window.glassReports.rows, [result.rows.length], 'the filtered report');
  result.filteredRows = await page.evaluate(tableRows);
  result.address = await page.evaluate(() => location.search);
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('#download-csv')]);
  result.csvName = download.suggestedFilename();
  result.csv = readFileSync(await download.path(), 'utf8');

  // 3. The first row's transcript.
  await page.click('#rows tr:first-child button');
  await until(() => window.glassReports.transcript && !document.getElementById('transcript').hidden, null, 'the transcript');
  result.transcript = await page.evaluate(() => [...document.querySelectorAll('#transcript-lines li')].map((li) => ({
    name: li.querySelector('.name').textContent,
    text: li.querySelector('.text')?.textContent ?? null,
    notKept: li.querySelector('.not-kept')?.textContent ?? null,
  })));
  result.transcriptFocused = await page.evaluate(() => document.activeElement?.id);
  await shot('transcript');
  result.axe = await axe();

  // 4. Right to left.
  await page.selectOption('#language', 'ar');
  await until(() => document.documentElement.dir === 'rtl', null, 'Arabic');
  result.arabic = await page.evaluate(() => ({
    dir: document.documentElement.dir,
    heading: document.getElementById('reports-heading').textContent,
    // The first column is on the right in a right-to-left table.
    firstColumnRight: (() => {
      const [a, b] = document.querySelectorAll('#sessions th');
      return a.getBoundingClientRect().left > b.getBoundingClientRect().left;
    })(),
  }));
  await shot('arabic');
  result.axeArabic = await axe();
  await page.selectOption('#language', 'en');
  await until(() => document.documentElement.dir === 'ltr', null, 'English again');

  // 5. A helper without view_reports.
  await context.clearCookies();
  await signIn(helper, helperPassword);
  result.helperLinkShown = await page.isVisible('#reports-link');
  await page.goto(`${base}/reports`, { waitUntil: 'load' });
  await until(() => window.glassReports?.state === 'forbidden', null, 'the refusal');
  result.refusal = await page.evaluate(() => ({
    alert: document.getElementById('alert').textContent,
    alertShown: !document.getElementById('alert').hidden,
    tableShown: !document.getElementById('results').hidden,
    formShown: !document.getElementById('filter').hidden,
  }));
  await shot('forbidden');
  result.axeForbidden = await axe();
  result.apiStatus = await page.evaluate(async () => (await fetch('/api/reports/sessions?format=csv')).status);
  result.log = log;
  out(result);
  await context.close();
  rmSync(profile, { recursive: true, force: true });
} catch (e) {
  out({ error: String(e?.message || e).split('\n')[0], log });
  await context.close().catch(() => {});
  rmSync(profile, { recursive: true, force: true });
  process.exit(1);
}
