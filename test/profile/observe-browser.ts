/**
 * Shared setup of the observer page's browser tests: a ThreadedNode (2 scheduler threads)
 * running test/profile/fixtures/observe-app.ts (busy actors, a hoarder, the 'shop'
 * application's supervision tree), the page served by observe(node), and the real Debian
 * chromium (/usr/bin/chromium, or $CHROMIUM) driven by playwright-core, headless. A test
 * fails when chromium cannot be launched (CI installs it). `screenshot(page, name)` writes
 * a PNG to $SWITCHBOARD_SCREENSHOT_DIR or the OS temp dir and returns its path.
 * Everything is closed by `close()`.
 */
import { mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import type { Node } from '../../src/core/node.ts';
import { startNode } from '../../src/dist/start-node.ts';
import { observe, type LocalObserveOptions, type ObserverServer } from '../../src/profile/observe/index.ts';
import { start } from './fixtures/observe-app.ts';

export const kChromium = process.env['CHROMIUM'] ?? '/usr/bin/chromium';

export interface ObservedPage {
  readonly node: Node;
  readonly server: ObserverServer;
  readonly browser: Browser;
  readonly page: Page;
  close(): Promise<void>;
}

export function launchChromium(): Promise<Browser> {
  const root = typeof process.getuid === 'function' && process.getuid() === 0;
  return chromium.launch({ executablePath: kChromium, headless: true, args: root ? ['--no-sandbox'] : [] });
}

export async function openObservedPage(opts: LocalObserveOptions = { intervalMs: 200 }): Promise<ObservedPage> {
  const node = await startNode({ schedulers: 2 });
  let server: ObserverServer | undefined;
  let browser: Browser | undefined;
  try {
    await start(node);
    server = await observe(node, opts);
    browser = await launchChromium();
    const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
    await page.goto(server.url);
    const s = server;
    const b = browser;
    return {
      node,
      server: s,
      browser: b,
      page,
      close: async () => {
        await b.close();
        await s.close();
        await node.stop();
      },
    };
  } catch (e) {
    await browser?.close();
    await server?.close();
    await node.stop();
    throw e;
  }
}

export async function screenshot(page: Page, name: string): Promise<string> {
  const dir = process.env['SWITCHBOARD_SCREENSHOT_DIR'] ?? tmpdir();
  mkdirSync(dir, { recursive: true });
  const path = join(dir, name);
  await page.screenshot({ path, fullPage: true });
  return path;
}
