import { afterEach, describe, expect, it } from 'vitest';
import { LocalNode } from '../../src/core/local-node.ts';
import { GenServer } from '../../src/otp/gen-server.ts';
import { Sys } from '../../src/otp/sys.ts';
import { Counter } from './fixtures/servers.ts';

let node: LocalNode;
afterEach(() => node?.stop());

describe('GenServer: hibernate', () => {
  it('is reported by getStatus until the next message, and the server keeps its state', async () => {
    node = new LocalNode();
    const c = (await GenServer.start(node, Counter, [4]))!;
    expect((await Sys.getStatus(node, c)).hibernated).toBe(false);
    expect(await GenServer.call(node, c, 'hibernate')).toBe('ok');
    // A system request is the next message: it sees the hibernated flag before clearing it.
    expect((await Sys.getStatus(node, c)).hibernated).toBe(true);
    expect(await GenServer.call(node, c, 'get')).toBe(4);
    expect((await Sys.getStatus(node, c)).hibernated).toBe(false);
  });
});
