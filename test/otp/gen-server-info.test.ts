import { afterEach, describe, expect, it } from 'vitest';
import { LocalNode } from '../../src/core/local-node.ts';
import { GenServer } from '../../src/otp/gen-server.ts';
import { Counter } from './fixtures/servers.ts';
import { recorder, waitFor } from './helpers.ts';

let node: LocalNode;
afterEach(() => node?.stop());

describe('GenServer: handleInfo', () => {
  it('gets plain messages (not calls or casts), and a timeout result delivers "timeout" if no message comes', async () => {
    node = new LocalNode();
    const rec = recorder(node);
    const c = (await GenServer.start(node, Counter, [0, { report: rec.pid }]))!;
    node.send(c, { type: 'bump' });
    node.send(c, 'hello');
    expect(await GenServer.call(node, c, 'get')).toBe(1);
    expect(rec.log).toEqual([{ info: { type: 'bump' } }, { info: 'hello' }]);
    rec.log.length = 0;
    expect(await GenServer.call(node, c, { timeoutIn: 30 })).toBe('ok');
    await waitFor(() => rec.log.length === 1);
    expect(rec.log).toEqual([{ info: 'timeout' }]);
  });

  it('any message cancels a pending timeout', async () => {
    node = new LocalNode();
    const rec = recorder(node);
    const c = (await GenServer.start(node, Counter, [0, { report: rec.pid }]))!;
    expect(await GenServer.call(node, c, { timeoutIn: 150 })).toBe('ok');
    expect(await GenServer.call(node, c, 'get')).toBe(0);
    await new Promise((r) => setTimeout(r, 300));
    expect(rec.log).toEqual([]);
  });
});
