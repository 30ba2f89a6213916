import { afterEach, describe, expect, it } from 'vitest';
import { LocalNode } from '../../src/core/local-node.ts';
import type { Node } from '../../src/core/node.ts';
import { Pid } from '../../src/core/pid.ts';

let node: LocalNode;
afterEach(() => node?.stop());

describe('LocalNode: the Node interface on the calling thread', () => {
  it('is a Node with one scheduler on this thread, spawning closures, async-uniform', async () => {
    node = new LocalNode();
    const n: Node = node; // compile-time: LocalNode implements Node
    expect(n.schedulers).toBe(0);
    expect(n.spawnsClosures).toBe(true);
    expect(n.running).toBe(true);
    expect(n.pid).toBeInstanceOf(Pid);
    const spawned = n.spawn({ handle: (_m: unknown, st: unknown) => st });
    expect(spawned).toBeInstanceOf(Promise);
    const pid = await spawned;
    const registering = n.register('worker', pid);
    expect(registering).toBeInstanceOf(Promise);
    await registering;
    expect(n.whereis('worker')?.equals(pid)).toBe(true);
    expect(n.registered()).toEqual(['worker']);
    expect((await n.processInfo(pid))?.registeredName).toBe('worker');
    // The gateway is not one of the node's processes.
    expect((await n.processes()).map(String)).toEqual([String(pid)]);
    n.unregister('worker');
    expect(n.whereis('worker')).toBeUndefined();
  });
});
