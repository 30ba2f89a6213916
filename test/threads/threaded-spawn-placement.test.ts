import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ThreadedNode } from '../../src/threads/index.ts';
import { startNode } from '../../src/dist/start-node.ts';
import type { Pid } from '../../src/core/pid.ts';
import { Parent } from './fixtures/placement-actors.ts';
import { eventually } from './fixtures/node-helpers.ts';

// ctx.spawn(behaviour, args, { scheduler: k }) from an actor on another scheduler: the pid
// comes back synchronously, the actor runs on k, and link / monitor options work across.

for (const schedulers of [2, 4]) {
  describe(`spawn placement from inside an actor (${schedulers} schedulers)`, () => {
    let node: ThreadedNode;
    const E = schedulers + 1;
    const last = schedulers - 1;
    beforeAll(async () => {
      node = (await startNode({ schedulers })) as ThreadedNode;
    });
    afterAll(() => node.stop());

    it('returns a pid on scheduler k at once: a message sent right after arrives, and the actor answers', async () => {
      const parent = await node.spawn(Parent, [], { scheduler: 0 });
      const { pid } = (await node.call(parent, { spawn: 'Collector', opts: { scheduler: last }, thenSend: 'first' })) as { pid: Pid };
      expect(pid.id % E).toBe(last);
      expect((await node.processInfo(pid))?.status).toBeDefined();
      expect(await node.call(pid, 'get')).toEqual(['first']);
    });

    it('defaults to the parent scheduler', async () => {
      const parent = await node.spawn(Parent, [], { scheduler: last });
      const { pid } = (await node.call(parent, { spawn: 'Echo' })) as { pid: Pid };
      expect(pid.id % E).toBe(last);
      expect(await node.call(pid, 'x')).toEqual({ echo: 'x', self: pid });
    });

    it('link option: the parent (trapping) gets the EXIT of a child on another scheduler', async () => {
      const parent = await node.spawn(Parent, [], { scheduler: 0 });
      await node.call(parent, { trapExit: true });
      const { pid } = (await node.call(parent, { spawn: 'Mortal', opts: { scheduler: last, link: true } })) as { pid: Pid };
      expect((await node.processInfo(pid))?.links.map(String)).toEqual([String(parent)]);
      await node.call(pid, { die: 'boom' });
      const exits = await eventually(() => node.call(parent, 'exits') as Promise<unknown[]>, (e) => e.length === 1);
      expect(exits).toEqual([{ from: String(pid), reason: 'boom' }]);
    });

    it('spawnMonitor: the parent gets DOWN from a child on another scheduler', async () => {
      const parent = await node.spawn(Parent, [], { scheduler: 0 });
      const { pid } = (await node.call(parent, { spawn: 'Mortal', opts: { scheduler: last }, monitor: true })) as { pid: Pid };
      await eventually(async () => (await node.processInfo(pid))?.monitoredBy.length, (n) => n === 1);
      await node.call(pid, { die: { kind: 'bye' } });
      const downs = await eventually(() => node.call(parent, 'downs') as Promise<unknown[]>, (d) => d.length === 1);
      expect(downs).toEqual([{ pid: String(pid), reason: { kind: 'bye' } }]);
    });

    it('a closure gets a typed error naming the problem', async () => {
      const parent = await node.spawn(Parent, [], { scheduler: 0 });
      const r = (await node.call(parent, { spawnClosure: last })) as { code: string; message: string };
      expect(r.code).toBe('ERR_SB_NOT_PORTABLE');
      expect(r.message).toMatch(/closure/);
      expect(r.message).toMatch(/defineActor/);
    });

    it('a scheduler index out of range is a typed option error', async () => {
      const parent = await node.spawn(Parent, [], { scheduler: 0 });
      await expect(node.call(parent, { spawn: 'Echo', opts: { scheduler: schedulers } })).rejects.toMatchObject({
        reason: expect.objectContaining({ name: 'InvalidOptionError', message: `spawn: option "scheduler" must be below ${schedulers} (the node's schedulers), got ${schedulers}` }),
      });
    });
  });
}
