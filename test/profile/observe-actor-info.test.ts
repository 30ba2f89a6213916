import { afterEach, describe, expect, it } from 'vitest';
import { openObservedPage, type ObservedPage } from './observe-browser.ts';

// Clicking an actor row in the observer page fetches its processInfo and shows it, and
// marks the row as selected (the 404 for a dead pid: observe-bad-requests.test.ts).

let o: ObservedPage | undefined;
afterEach(async () => {
  await o?.close();
  o = undefined;
});

describe('observe: one actor', () => {
  it('click a row: its processInfo is shown', async () => {
    o = await openObservedPage();
    const { page, node } = o;
    const busy = node.whereis('busy')!.toString();
    const row = page.locator(`#actors tbody tr[data-pid="${busy}"]`);
    await row.waitFor();
    await row.click();
    await page.waitForSelector(`#actor-info[data-pid="${busy}"][data-state="shown"]`);
    const field = (k: string) => page.textContent(`#actor-info tr[data-field="${k}"] td:nth-child(2)`);
    expect(await field('pid')).toBe(busy);
    expect(await field('registeredName')).toBe('busy');
    expect(await field("behaviour")).toMatch(/#Pulse$/);
    expect(await field('instrumented')).toBe('true');
    expect(Number(await field('reductions'))).toBeGreaterThan(0);
    expect(await page.getAttribute(`#actors tbody tr[data-pid="${busy}"]`, 'data-selected')).toBe('');

  });
});
