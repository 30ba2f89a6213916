#!/usr/bin/env node
// `npm run screenshot:observer` [-- <out.png>]: the observer page's screenshot for the docs
// (docs/profile/observer.png by default).
//
//   1. Run `switchboard observe --run test/profile/fixtures/observe-app.ts --schedulers 2
//      --interval 250` (a child process: busy actors, a hoarder, the 'shop' application's
//      supervision tree) and read the page's address from its first line.
//   2. Open it in Debian's headless chromium (/usr/bin/chromium, or $CHROMIUM) with
//      playwright-core; wait until 40 samples are drawn and the tree is shown (the page's
//      data- attributes, no fixed sleeps), click the 'busy' actor and wait for its info.
//   3. Write the full-page PNG, SIGTERM the command, exit 0 (1 on any failure, with the
//      command's stderr).
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const root = fileURLToPath(new URL('../', import.meta.url));
const out = resolve(process.argv[2] ?? `${root}docs/profile/observer.png`);
const child = spawn(process.execPath, ['scripts/switchboard.mjs', 'observe', '--run', 'test/profile/fixtures/observe-app.ts', '--schedulers', '2', '--interval', '250'], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
let stderr = '';
child.stderr.on('data', (d) => (stderr += d));
let browser;
try {
  const url = await new Promise((ok, fail) => {
    const t = setTimeout(() => fail(new Error('no address from switchboard observe within 60 s')), 60_000);
    child.once('exit', (code) => fail(new Error(`switchboard observe exited (${code}) first`)));
    createInterface({ input: child.stdout }).on('line', (l) => {
      const m = / at (http:\/\/\S+)$/.exec(l);
      if (m) (clearTimeout(t), ok(m[1]));
    });
  });
  const root0 = typeof process.getuid === 'function' && process.getuid() === 0;
  browser = await chromium.launch({ executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium', headless: true, args: root0 ? ['--no-sandbox'] : [] });
  const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
  await page.goto(url);
  await page.waitForFunction(() => Number(document.getElementById('sched-chart').getAttribute('data-samples')) >= 40, null, { timeout: 60_000 });
  await page.waitForSelector('#tree li[data-root="shop"]');
  const busy = page.locator('#actors tbody tr', { hasText: 'busy' }).first();
  const pid = await busy.getAttribute('data-pid');
  await busy.click();
  await page.waitForSelector(`#actor-info[data-pid="${pid}"][data-state="shown"]`);
  await page.screenshot({ path: out, fullPage: true });
  process.stdout.write(`screenshot:observer: ${out}\n`);
  await browser.close();
  child.kill('SIGTERM');
  await new Promise((r) => child.once('exit', r));
} catch (e) {
  process.stderr.write(`screenshot:observer: ${e instanceof Error ? e.message : String(e)}\n${stderr}`);
  await browser?.close();
  child.kill('SIGKILL');
  process.exit(1);
}
