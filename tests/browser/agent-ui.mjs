// Headless Chromium for tests/agent_ui.rs (the agent's approval page): one JSON command per
// line on stdin, one JSON reply per line on stdout. Pages are named; `main` is the first.
//
//   {"cmd":"open","page":"p","url":"…"}         → {"status":200} or {"status":0,"failed":"…"}
//   {"cmd":"wait","page":"p","expr":"…"}        → {"value":…} once the expression is truthy
//   {"cmd":"eval","page":"p","expr":"…"}        → {"value":…} (a promise is awaited)
//   {"cmd":"click"|"fill"|"press"|"select", "selector":"…", "text"|"key"|"value":"…"}
//   {"cmd":"screenshot","page":"p","path":"…"}  (for looking at the page by hand)
//   {"cmd":"quit"}
// Failures reply {"error":"…","log":[console lines]}.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { missingChromium, openPage } from './chromium.mjs';

const out = (value) => process.stdout.write(`${JSON.stringify(value)}\n`);

const missing = missingChromium();
if (missing) {
  out({ error: missing });
  process.exit(1);
}

const profile = mkdtempSync(join(tmpdir(), 'glass-agent-ui-'));
const log = [];
const { context, page } = await openPage(profile, { width: 1100, height: 800 }, log);
const pages = new Map([['main', page]]);

async function pageFor(name = 'main') {
  if (!pages.has(name)) {
    const p = await context.newPage();
    p.on('console', (m) => log.push(`${name} ${m.type()}: ${m.text()}`));
    p.on('pageerror', (e) => log.push(`${name} pageerror: ${e.message}`));
    pages.set(name, p);
  }
  return pages.get(name);
}

async function run(c) {
  const p = await pageFor(c.page);
  switch (c.cmd) {
    case 'open':
      try {
        const response = await p.goto(c.url, { waitUntil: 'load', timeout: 15000 });
        return { status: response ? response.status() : 0 };
      } catch (e) {
        return { status: 0, failed: e.message.split('\n')[0] };
      }
    case 'wait': {
      // Polled with evaluate: waitForFunction compiles its string in the page, which the
      // page's CSP (no 'unsafe-eval') rightly refuses.
      const end = Date.now() + (c.timeout ?? 10000);
      let value;
      while (!(value = await p.evaluate(c.expr))) {
        if (Date.now() > end) throw new Error(`timed out waiting for ${c.expr} (last value ${JSON.stringify(value)})`);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      return { value };
    }
    case 'eval':
      return { value: await p.evaluate(c.expr) };
    case 'click':
      await p.click(c.selector, { timeout: 10000 });
      return {};
    case 'fill':
      await p.fill(c.selector, c.text, { timeout: 5000 });
      return {};
    case 'press':
      await p.press(c.selector, c.key, { timeout: 5000 });
      return {};
    case 'select':
      await p.selectOption(c.selector, c.value, { timeout: 5000 });
      return {};
    case 'screenshot':
      await p.screenshot({ path: c.path, fullPage: true });
      return {};
    default:
      throw new Error(`unknown command ${c.cmd}`);
  }
}

async function quit(code) {
  await context.close().catch(() => {});
  rmSync(profile, { recursive: true, force: true });
  process.exit(code);
}

out({ ready: true });
for await (const line of createInterface({ input: process.stdin })) {
  if (!line.trim()) continue;
  let command;
  try {
    command = JSON.parse(line);
  } catch {
    out({ error: `not JSON: ${line}` });
    continue;
  }
  if (command.cmd === 'quit') break;
  try {
    out(await run(command));
  } catch (e) {
    out({ error: e.message.split('\n').slice(0, 3).join(' '), log: log.slice(-30) });
  }
}
await quit(0);
