import { afterEach, describe, expect, it } from 'vitest';
import { openObservedPage, type ObservedPage } from './observe-browser.ts';

// The actor table sorts by the column header clicked: by mailbox the hoarder (50 messages
// waiting) comes first, a second click reverses the order.

// The page's document, as the functions run in the browser see it (tsconfig has no DOM lib).
interface PageElement { getAttribute(name: string): string | null; readonly textContent: string | null }
declare const document: { getElementById(id: string): PageElement | null; querySelectorAll(selector: string): Iterable<PageElement> & { readonly length: number } };

let o: ObservedPage | undefined;
afterEach(async () => {
  await o?.close();
  o = undefined;
});

const firstName = (o: ObservedPage) => o.page.textContent('#actors tbody tr:first-child td:nth-child(2)');

describe('observe: the actor table', () => {
  it('sorts by the clicked column, a second click reverses', async () => {
    o = await openObservedPage();
    const { page } = o;
    await page.waitForFunction(() => document.querySelectorAll('#actors tbody tr').length >= 10);
    await page.click('#actors th[data-sort="mailbox"]');
    expect(await page.getAttribute('#actors', 'data-sort')).toBe('mailbox');
    expect(await page.getAttribute('#actors th[data-sort="mailbox"]', 'data-active')).toBe('desc');
    expect(await firstName(o)).toBe('hoarder');
    const mailboxes = (await page.locator('#actors tbody tr td:nth-child(6)').allTextContents()).map(Number);
    expect(mailboxes).toEqual([...mailboxes].sort((a, b) => b - a));
    await page.click('#actors th[data-sort="mailbox"]');
    expect(await page.getAttribute('#actors th[data-sort="mailbox"]', 'data-active')).toBe('asc');
    const rows = await page.locator('#actors tbody tr').count();
    expect(await page.textContent(`#actors tbody tr:nth-child(${rows}) td:nth-child(2)`)).toBe('hoarder');
    // The order holds across live redraws: wait for a newer sample, the hoarder still last.
    const seq = Number(await page.textContent('#seq'));
    await page.waitForFunction((n) => Number(document.getElementById('seq')!.textContent) > n, seq);
    const rows2 = await page.locator('#actors tbody tr').count();
    expect(await page.textContent(`#actors tbody tr:nth-child(${rows2}) td:nth-child(2)`)).toBe('hoarder');
  });
});
