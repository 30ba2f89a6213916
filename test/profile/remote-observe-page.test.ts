import { afterEach, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { observeSource, type ObserverServer } from '../../src/profile/observe/index.ts';
import { attachRemote, type RemoteAttachment } from '../../src/profile/remote/index.ts';
import { launchChromium, screenshot } from './observe-browser.ts';
import { kCookie, startRemoteTarget, type RemoteTarget } from './remote-target.ts';

// The observer page for a remote named node (another process), in a real chromium: its
// name in the header, its Nodes section listing this tool as a hidden node, its
// supervision tree, and one of its actors' info on click.

let target: RemoteTarget | undefined;
let remote: RemoteAttachment | undefined;
let server: ObserverServer | undefined;
let browser: Browser | undefined;
afterEach(async () => {
  await browser?.close();
  await server?.close();
  await remote?.close();
  await target?.stop();
  browser = server = remote = target = undefined;
});

describe('observe a remote node in the browser', () => {
  it('shows the remote node, this tool among its hidden nodes, its tree and an actor', { timeout: 90_000 }, async () => {
    target = await startRemoteTarget('remote-page@127.0.0.1');
    remote = await attachRemote({ node: target.name, cookie: kCookie, portMapper: { host: '127.0.0.1', port: target.mapper.port } });
    server = await observeSource(remote.source, { intervalMs: 250 });
    browser = await launchChromium();
    const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
    await page.goto(server.url);
    await page.waitForSelector('#status[data-state="live"]');
    expect(await page.textContent('#node-name')).toBe('remote-page@127.0.0.1');
    await page.waitForSelector('#nodes li[data-kind="hidden"]');
    expect(await page.locator('#nodes li').allTextContents()).toEqual(['remote-page@127.0.0.1 (this node)', `${remote.tool.name} (hidden)`]);
    await page.waitForSelector('#tree li[data-root="shop"]');
    expect(await page.locator('#tree li[data-kind]').count()).toBe(8);
    const row = page.locator('#actors tbody tr[data-pid="<0.0.0>"]');
    await row.click();
    await page.waitForSelector('#actor-info[data-pid="<0.0.0>"][data-state="shown"]');
    expect(await page.textContent('#actor-info tr[data-field="registeredName"] td:nth-child(2)')).toBe('busy');
    await screenshot(page, 'observer-remote.png');
  });
});
