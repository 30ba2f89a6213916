import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { openObservedPage, screenshot, type ObservedPage } from './observe-browser.ts';

// The observer page in a real headless chromium: it connects (SSE), and each new sample
// redraws the scheduler chart (data-last-seq grows, one polyline per scheduler), the
// actor table lists the fixture's actors, and a screenshot is written.

// The page's document, as the functions run in the browser see it (tsconfig has no DOM lib).
interface PageElement { getAttribute(name: string): string | null; readonly textContent: string | null }
declare const document: { getElementById(id: string): PageElement | null; querySelectorAll(selector: string): Iterable<PageElement> & { readonly length: number } };

let o: ObservedPage | undefined;
afterEach(async () => {
  await o?.close();
  o = undefined;
});

describe('observe: the page updates live', () => {
  it('redraws the scheduler chart on every sample and shows the actors', async () => {
    o = await openObservedPage();
    const { page } = o;
    await page.waitForSelector('#status[data-state="live"]');
    await page.waitForFunction(() => Number(document.getElementById('sched-chart')!.getAttribute('data-last-seq')) >= 1);
    const first = Number(await page.getAttribute('#sched-chart', 'data-last-seq'));
    // Two more samples drawn: the chart follows the stream.
    await page.waitForFunction((n) => Number(document.getElementById('sched-chart')!.getAttribute('data-last-seq')) >= n + 2, first);
    expect(Number(await page.getAttribute('#sched-chart', 'data-samples'))).toBeGreaterThanOrEqual(3);
    expect(await page.locator('#sched-chart polyline').count()).toBe(2);
    expect(await page.locator('#runq-chart polyline').count()).toBe(2);
    expect(await page.textContent('#node-name')).toBe('nonode@nohost');
    // The busy actors keep some scheduler busy: a utilisation above zero is drawn.
    await page.waitForFunction(() => [...document.querySelectorAll('#sched-table tbody tr')].some((tr) => Number(tr.getAttribute("data-busy")) > 0.05));
    // Every other numeric stats field is listed generically (busyMs, slices, ...).
    expect(await page.textContent('#sched-table tbody tr[data-scheduler="0"]')).toMatch(/busyMs [\d.]+[kMG]?/);
    const names = await page.locator('#actors tbody tr td:nth-child(2)').allTextContents();
    expect(names).toEqual(expect.arrayContaining(['busy', 'busy2', 'hoarder', 'shop_cache']));
    const png = readFileSync(await screenshot(page, 'observer-live.png'));
    expect(png.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
    expect(png.length).toBeGreaterThan(10_000);
  });
});
