import { request } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { InvalidOptionError } from '../../src/core/errors.ts';
import type { Node } from '../../src/core/node.ts';
import { startNode } from '../../src/dist/start-node.ts';
import { observe, type ObserverServer } from '../../src/profile/observe/index.ts';
import { Pulse } from './fixtures/observe-app.ts';

// Bad requests get clear HTTP errors and the node and the page go on: unknown paths 404,
// other methods 405, no or a malformed pid 400, a dead pid 404, a foreign Host header 403
// (DNS rebinding), one page too many 503; bad options are refused with InvalidOptionError.

let node: Node | undefined;
let server: ObserverServer | undefined;
afterEach(async () => {
  await server?.close();
  await node?.stop();
  server = node = undefined;
});

async function get(url: string, init?: RequestInit): Promise<[number, string]> {
  const r = await fetch(url, init);
  return [r.status, await r.text()];
}

/** A request with a Host header of our choosing (fetch does not let one set it). */
function withHost(port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path: '/', headers: { Host: host } }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('error', reject);
    req.end();
  });
}

describe('observe: bad requests', () => {
  it('answers each with its HTTP error and keeps sampling', async () => {
    node = await startNode({ schedulers: 0 });
    const p = await node.spawn(Pulse, [1000, 5]);
    server = await observe(node, { intervalMs: 100, maxClients: 1 });
    const base = server.url.replace(/\/$/, '');
    expect(await get(`${base}/nope`)).toEqual([404, 'not found: /nope (the page is at /)\n']);
    expect(await get(`${base}/api/tree`, { method: 'POST' })).toEqual([405, 'method not allowed: POST (GET or HEAD)\n']);
    expect(await get(`${base}/api/process`)).toEqual([400, 'bad request: give ?pid=<a.b.c>\n']);
    expect(await get(`${base}/api/process?pid=${encodeURIComponent('<1.x.0>')}`)).toEqual([400, 'bad request: processInfo: "<1.x.0>" is not a pid (<node.id.serial>)\n']);
    expect(await get(`${base}/api/process?pid=${encodeURIComponent('<0.9999.0>')}`)).toEqual([404, 'no such process: <0.9999.0> is not alive\n']);
    const [ok, body] = await get(`${base}/api/process?pid=${encodeURIComponent(p.toString())}`);
    expect(ok).toBe(200);
    expect(JSON.parse(body)).toMatchObject({ pid: p.toString(), behaviour: expect.stringMatching(/#Pulse$/) });
    expect(await withHost(server.port, 'evil.example:80')).toBe(403);
    expect(await withHost(server.port, `localhost:${server.port}`)).toBe(200);

    // maxClients 1: a second event stream is refused while the first is open.
    const ac = new AbortController();
    const first = await fetch(`${base}/events`, { signal: ac.signal });
    expect(first.status).toBe(200);
    const second = await fetch(`${base}/events`);
    expect(second.status).toBe(503);
    expect(await second.text()).toBe('too many pages open (maxClients 1)\n');
    // The open stream gets frames after all that: the node and the sampler are fine.
    const reader = first.body!.getReader();
    let seen = '';
    while (!/event: frame\ndata: \{"seq":\d+/.test(seen)) seen += new TextDecoder().decode((await reader.read()).value);
    ac.abort();
    expect(node.running).toBe(true);
  });

  it('refuses bad options before binding', async () => {
    node = await startNode({ schedulers: 0 });
    const e1 = await observe(node, { intervalMs: 5 }).catch((e: unknown) => e);
    expect(e1).toBeInstanceOf(InvalidOptionError);
    expect((e1 as Error).message).toBe('observe: option "intervalMs" must be an integer from 100 to 60000');
    await expect(observe(node, { colour: 'red' } as never)).rejects.toThrow('observe: unknown option "colour"');
    await expect(observe(node, { port: 70000 })).rejects.toThrow('observe: option "port" must be an integer from 0 to 65535');
    await expect(observe({} as Node)).rejects.toThrow('observe: node must be a Switchboard Node');
  });
});
