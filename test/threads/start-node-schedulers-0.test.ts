import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isCall } from '../../src/core/call-protocol.ts';
import type { Context } from '../../src/core/context.ts';
import { NotRunningError } from '../../src/core/errors.ts';
import type { Node } from '../../src/core/node.ts';
import { Pid } from '../../src/core/pid.ts';
import { startNode } from '../../src/dist/start-node.ts';
import { Echo } from './fixtures/node-actors.ts';

// startNode({ schedulers: 0 }) runs one scheduler on the calling thread and gives the
// same Node interface as a node with scheduler threads: async spawn / register /
// processInfo / processes, calls, names, stats, 'message' events, stop.

/** A closure (handler object): only a node on the calling thread can spawn it. */
const Greeter = {
  handle(m: unknown, s: null, ctx: Context) {
    if (isCall(m)) ctx.reply(m.from, `hello ${String(m.msg)}`);
    else if (typeof m === 'object' && m !== null && 'tell' in m) ctx.send((m as { tell: Pid }).tell, { from: ctx.self, hi: true });
    return s;
  },
};

let node: Node;
beforeAll(async () => {
  node = await startNode({ schedulers: 0 });
});
afterAll(() => node.stop());

describe('startNode({ schedulers: 0 })', () => {
  it('is a running node with its scheduler on the calling thread, and a gateway pid', () => {
    expect(node.schedulers).toBe(0);
    expect(node.running).toBe(true);
    expect(node.spawnsClosures).toBe(true);
    expect(node.pid).toBeInstanceOf(Pid);
  });

  it('spawns a closure and a module-defined behaviour, and calls both', async () => {
    const g = await node.spawn(Greeter);
    const e = await node.spawn(Echo);
    expect(await node.call(g, 'world')).toBe('hello world');
    expect(await node.call(e, { q: 1 })).toEqual({ echo: { q: 1 }, self: e });
  });

  it('registers names: whereis, registered, a call by name, processInfo', async () => {
    const e = await node.spawn(Echo);
    await node.register('echo-0', e);
    expect(node.whereis('echo-0')).toBe(e);
    expect(node.registered()).toContain('echo-0');
    expect(await node.call('echo-0', 'by name')).toEqual({ echo: 'by name', self: e });
    const info = await node.processInfo(e);
    expect(info?.pid).toBe(e);
    expect(info?.registeredName).toBe('echo-0');
    node.unregister('echo-0');
    expect(node.whereis('echo-0')).toBeUndefined();
  });

  it('lists its processes without the gateway', async () => {
    const e = await node.spawn(Echo);
    const ps = await node.processes();
    expect(ps).toContain(e);
    expect(ps).not.toContain(node.pid);
  });

  it('emits what actors send to node.pid as a message event', async () => {
    const g = await node.spawn(Greeter);
    const got = new Promise<unknown>((resolve) => node.once('message', resolve));
    node.send(g, { tell: node.pid });
    expect(await got).toEqual({ from: g, hi: true });
  });

  it('reports stats in the Node report shape', async () => {
    const e = await node.spawn(Echo);
    await node.call(e, 'count me');
    const st = node.stats();
    expect(st.schedulers).toHaveLength(1);
    const s0 = st.schedulers[0]!;
    expect(s0.scheduler).toBe(0);
    expect(typeof s0.state).toBe('string');
    expect(s0.actors).toBeGreaterThanOrEqual(1);
    expect(s0.messagesIn).toBeGreaterThanOrEqual(1);
    expect(s0.spawns).toBeGreaterThanOrEqual(1);
    expect(st.gateway.pendingCalls).toBe(0);
  });

  it('stops: not running, and every operation throws or rejects with NotRunningError', async () => {
    const n = await startNode({ schedulers: 0 });
    const e = await n.spawn(Echo);
    await n.stop();
    expect(n.running).toBe(false);
    expect(() => n.send(e, 'x')).toThrow(NotRunningError);
    await expect(n.call(e, 'x')).rejects.toBeInstanceOf(NotRunningError);
    await expect(Promise.resolve().then(() => n.spawn(Echo))).rejects.toBeInstanceOf(NotRunningError);
  });
});
