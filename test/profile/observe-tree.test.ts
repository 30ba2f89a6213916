import { afterEach, describe, expect, it } from 'vitest';
import { openObservedPage, type ObservedPage } from './observe-browser.ts';

// The page shows the running applications and each one's supervision tree, walked with
// the supervisors' whichChildren: the 'shop' application's top supervisor, its worker
// 'cache', the nested 'orders_sup' with two workers, the dynamic supervisor 'pool' with
// its two children. A tree entry opens the actor's info too.

let o: ObservedPage | undefined;
afterEach(async () => {
  await o?.close();
  o = undefined;
});

describe('observe: supervision tree', () => {
  it('shows the application, its supervisors and workers, by kind and child id', async () => {
    o = await openObservedPage();
    const { page, node } = o;
    await page.waitForSelector('#tree li[data-root="shop"]');
    expect(await page.textContent('#apps')).toBe('applications: shop');
    const entries = await page.$$eval('#tree li[data-kind]', (lis) =>
      lis.map((li) => ({ kind: li.getAttribute('data-kind'), text: li.querySelector(':scope > .entry')!.textContent!.trim(), depth: (() => { let d = 0; for (let p = li.parentElement; p !== null && p.id !== 'tree'; p = p.parentElement) if (p.tagName === 'UL') d++; return d; })() })),
    );
    expect(entries.map((e) => [e.kind, e.depth])).toEqual([
      ['supervisor', 1],
      ['worker', 2],
      ['supervisor', 2],
      ['worker', 3],
      ['worker', 3],
      ['dynamic_supervisor', 2],
      ['worker', 3],
      ['worker', 3],
    ]);
    const cache = node.whereis('shop_cache')!.toString();
    expect(entries[1]!.text).toBe(`cache ${cache} shop_cache worker observe-app.ts#ShopWorker permanent`);
    expect(entries[2]!.text).toMatch(/^orders_sup <\d+\.\d+\.\d+> supervisor supervisor\.ts#SupervisorFromSpec permanent$/);
    expect(entries[5]!.text).toMatch(/^pool <\d+\.\d+\.\d+> shop_pool dynamic_supervisor dynamic-supervisor\.ts#DynamicSupervisorProcess permanent$/);
    await page.click(`#tree li[data-pid="${cache}"] > .entry`);
    await page.waitForSelector(`#actor-info[data-pid="${cache}"][data-state="shown"]`);
    expect(await page.textContent('#actor-info tr[data-field="registeredName"] td:nth-child(2)')).toBe('shop_cache');
  });
});
