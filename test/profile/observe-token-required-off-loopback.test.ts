import { afterEach, describe, expect, it } from 'vitest';
import type { Node } from '../../src/core/node.ts';
import { startNode } from '../../src/dist/start-node.ts';
import { observe, ObserveTokenRequiredError, type ObserverServer } from '../../src/profile/observe/index.ts';

// Bound anywhere but loopback, the observer page needs a token: without one observe()
// refuses (ObserveTokenRequiredError) and binds nothing; with one, every request must
// carry it (?token= or Authorization: Bearer), else 401.

let node: Node | undefined;
let server: ObserverServer | undefined;
afterEach(async () => {
  await server?.close();
  await node?.stop();
  server = node = undefined;
});

describe('observe: a token off loopback', () => {
  it('refuses 0.0.0.0 without a token; with one, only requests carrying it are answered', async () => {
    node = await startNode({ schedulers: 0 });
    const err = await observe(node, { host: '0.0.0.0' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ObserveTokenRequiredError);
    expect((err as ObserveTokenRequiredError).code).toBe('ERR_SB_OBSERVE_TOKEN_REQUIRED');
    expect((err as Error).message).toBe('observe: option "host" is "0.0.0.0", not a loopback address: option "token" is required to bind there');

    const token = 'sesame-0123456789';
    server = await observe(node, { host: '0.0.0.0', token, intervalMs: 100 });
    expect(server.url).toBe(`http://0.0.0.0:${server.port}/?token=${token}`);
    const base = `http://127.0.0.1:${server.port}`;
    const none = await fetch(`${base}/`);
    expect(none.status).toBe(401);
    expect(none.headers.get('www-authenticate')).toBe('Bearer');
    expect(await none.text()).toBe('unauthorized: give the token as ?token=<t> or Authorization: Bearer <t>\n');
    expect((await fetch(`${base}/?token=wrong-wrong-wrong`)).status).toBe(401);
    expect((await fetch(`${base}/api/tree`, { headers: { Authorization: 'Bearer nope' } })).status).toBe(401);
    const page = await fetch(`${base}/?token=${token}`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    const html = await page.text();
    // Self-contained: nothing is loaded from elsewhere (the one address is SVG's namespace name).
    expect(html.replaceAll("'http://www.w3.org/2000/svg'", '')).not.toMatch(/<script[^>]+src=|<link[^>]+href=|https?:\/\//);
    const tree = await fetch(`${base}/api/tree`, { headers: { Authorization: `Bearer ${token}` } });
    expect(tree.status).toBe(200);
    expect(await tree.json()).toEqual({ applications: [], trees: [], truncated: false });
  });

  it('a token that is too short is refused as an option', async () => {
    node = await startNode({ schedulers: 0 });
    await expect(observe(node, { host: '0.0.0.0', token: 'short' })).rejects.toThrow('observe: option "token" must be a string of at least 8 printable characters without spaces');
  });
});
