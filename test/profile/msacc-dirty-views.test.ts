import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { startNode } from '../../src/dist/start-node.ts';
import type { ThreadedNode } from '../../src/threads/index.ts';
import { ActorView } from '../../src/profile/actor-view.ts';
import { LocalObserverSource, observeSource, type ObserverServer } from '../../src/profile/observe/index.ts';
import { renderTopFrame } from '../../src/profile/top/render.ts';
import { DirtyUser } from '../threads/fixtures/dirty-actors.ts';
import { eventually } from '../threads/fixtures/node-helpers.ts';
import { launchChromium } from './observe-browser.ts';

// The dirty pool's threads appear in `switchboard top` (a `dirty <slot>` line per thread
// slot with its microstates) and on the observer page (a bar per dirty thread), while a
// CPU-bound dirty task runs: its thread's line and bar are mostly actor.

const tasks = new URL('../threads/fixtures/dirty-tasks.ts', import.meta.url).href;

let node: ThreadedNode | undefined;
let server: ObserverServer | undefined;
let browser: Browser | undefined;
beforeAll(async () => {
  node = await startNode({ schedulers: 1 });
});
afterAll(async () => {
  await browser?.close();
  await server?.close();
  await node?.stop();
});

const busyDirty = (n: ThreadedNode): boolean => (n.stats().dirty?.threads ?? []).some((t) => t.msacc.fractions.actor * t.msacc.samples > 20);

describe('msacc: dirty threads in top and on the observer page', () => {
  it('top lines and page bars per dirty thread, mostly actor on the busy one', async () => {
    const n = node!;
    server = await observeSource(new LocalObserverSource(n), { intervalMs: 150 });
    browser = await launchChromium();
    const page = await browser.newPage();
    await page.goto(server.url);
    const user = await n.spawn(DirtyUser, []);
    await n.call(user, { dirty: { module: tasks, export: 'spin', args: [4000] } });
    await eventually(async () => busyDirty(n), (b) => b, 20_000);

    // top: two samples of the same view, the second has the interval's shares.
    const view = new ActorView(n);
    await view.sample();
    const s0 = n.stats().dirty!.threads[0]!.msacc.samples;
    await eventually(async () => n.stats().dirty!.threads[0]!.msacc.samples, (s) => s - s0 >= 50, 10_000);
    const snap = await view.sample();
    expect(snap.dirty.length).toBe(n.stats().dirty!.maxThreads);
    const busy = snap.dirty.find((d) => d.msacc !== null && d.msacc.shares.actor > 0.5);
    expect(busy).toBeDefined();
    expect(busy!.threadId).toEqual(expect.any(Number));
    const lines = renderTopFrame({ nodeName: n.name, snapshot: snap, sort: 'reductions', limit: 5, intervalMs: 500, width: 200, height: Infinity }).lines;
    const line = lines.find((l) => l.startsWith(`${String(busy!.slot).padStart(5)} dirty     thread ${busy!.threadId}`));
    expect(line).toMatch(/msacc actor (5\d|[6-9]\d|100)% codec 0% .* park \d+% idle \d+%  gc \d+ms$/);

    // The observer page (open since before the task): a bar per dirty thread slot, the
    // busy one mostly actor in some frame while the task ran.
    const sel = `#msacc:not([hidden]) .bar[data-dirty="${busy!.slot}"] > div[data-state="actor"]`;
    await page.waitForFunction((q) => {
      const doc = (globalThis as unknown as { document: { querySelector(q: string): { style: { width: string } } | null } }).document;
      const seg = doc.querySelector(q);
      return seg !== null && parseFloat(seg.style.width) > 50;
    }, sel, { timeout: 20_000 });
    expect(await page.$$eval('#msacc .bar[data-dirty]', (b) => b.length)).toBe(n.stats().dirty!.maxThreads);
    expect(await page.$$eval('#msacc .bar[data-scheduler]', (b) => b.length)).toBe(1);
  }, 60_000);
});
