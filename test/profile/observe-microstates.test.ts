import { afterEach, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import type { Node, NodeStatsReport } from '../../src/core/node.ts';
import { startNode } from '../../src/dist/start-node.ts';
import { LocalObserverSource, observeSource, type ObserverServer } from '../../src/profile/observe/index.ts';
import { launchChromium } from './observe-browser.ts';

// Per-scheduler stats fields the page does not know by name are shown generically, and
// time fields of a nested object (`group.nameMs`, the shape microstate accounting will
// give node.stats()) are drawn as a split of each interval. The node here is a real one
// whose stats() gains such a group: actorMs, codecMs and idleMs growing 6 : 3 : 1.

let node: Node | undefined;
let server: ObserverServer | undefined;
let browser: Browser | undefined;
afterEach(async () => {
  await browser?.close();
  await server?.close();
  await node?.stop();
  browser = server = node = undefined;
});

/** The node, its stats() carrying one more nested group of times. */
function withMicrostates(n: Node): Node {
  const t0 = performance.now();
  return new Proxy(n, {
    get(target, key) {
      if (key === 'stats') {
        return (): NodeStatsReport => {
          const r = target.stats();
          const t = performance.now() - t0;
          return { ...r, schedulers: r.schedulers.map((s) => ({ ...s, msacc: { actorMs: 0.6 * t, codecMs: 0.3 * t, idleMs: 0.1 * t }, extraCounter: Math.floor(t) })) };
        };
      }
      const v = Reflect.get(target, key, target) as unknown;
      return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(target) : v;
    },
  });
}

describe('observe: stats fields the page does not know', () => {
  it('lists them and draws nested time fields as microstates', async () => {
    node = await startNode({ schedulers: 0 });
    server = await observeSource(new LocalObserverSource(withMicrostates(node)), { intervalMs: 150 });
    browser = await launchChromium();
    const page = await browser.newPage();
    await page.goto(server.url);
    await page.waitForSelector('#msacc:not([hidden]) .bar[data-scheduler="0"]');
    const widths = await page.$$eval('#msacc .bar[data-scheduler="0"] > div', (segs) => segs.map((s) => [s.getAttribute('data-state'), parseFloat((s as unknown as { style: { width: string } }).style.width)] as const));
    expect(widths.map((w) => w[0])).toEqual(['actor', 'codec', 'idle']);
    expect(widths[0]![1]).toBeCloseTo(60, 0);
    expect(widths[1]![1]).toBeCloseTo(30, 0);
    expect(widths[2]![1]).toBeCloseTo(10, 0);
    expect(await page.textContent('#sched-table tbody tr[data-scheduler="0"] td.fields')).toMatch(/extraCounter [\d.]+k? \(\+[\d.]+k?\/s\).*msacc\.actorMs /);
  });
});
