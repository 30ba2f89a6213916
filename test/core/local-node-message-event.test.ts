import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Context } from '../../src/core/context.ts';
import { LocalNode } from '../../src/core/local-node.ts';
import type { Pid } from '../../src/core/pid.ts';

let node: LocalNode;
afterEach(() => {
  vi.restoreAllMocks();
  return node?.stop();
});

describe("LocalNode: a message sent to node.pid is a 'message' event", () => {
  it('emits what actors send to the gateway, in order', async () => {
    node = new LocalNode();
    const got: unknown[] = [];
    const all = new Promise<void>((resolve) => {
      node.on('message', (m) => {
        got.push(m);
        if (got.length === 3) resolve();
      });
    });
    await node.spawn(function* (ctx: Context, to: Pid) {
      for (let i = 0; i < 3; i++) ctx.send(to, { n: i });
    }, [node.pid]);
    await all;
    expect(got).toEqual([{ n: 0 }, { n: 1 }, { n: 2 }]);
  });

  it("a listener's error is rethrown outside the gateway, which keeps running", async () => {
    node = new LocalNode();
    const deferred: (() => void)[] = [];
    vi.spyOn(globalThis, 'queueMicrotask').mockImplementation((fn) => void deferred.push(fn));
    const thrown = new Error('listener failed');
    const seen = new Promise<unknown>((resolve) => {
      node.once('message', (m) => {
        resolve(m);
        throw thrown;
      });
    });
    node.send(node.pid, 'first');
    expect(await seen).toBe('first');
    expect(deferred).toHaveLength(1);
    expect(() => deferred[0]!()).toThrow(thrown);
    vi.restoreAllMocks();
    const after = new Promise((r) => node.once('message', r));
    node.send(node.pid, 'second');
    expect(await after).toBe('second');
    expect(await node.processInfo(node.pid)).toMatchObject({ status: expect.not.stringMatching(/exiting|dead/) });
  });
});
