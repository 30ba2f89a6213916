import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NoProcError, NotRunningError } from '../../src/core/errors.ts';
import { type ThreadedNode } from '../../src/threads/index.ts';
import { startNode } from '../../src/dist/start-node.ts';
import { Echo, Mortal } from './fixtures/node-actors.ts';

// node.processes() lists every live process of every scheduler (asked on each
// scheduler's own thread), never the gateway; a process that ended is not listed.

let node: ThreadedNode;
beforeAll(async () => {
  node = await startNode({ schedulers: 3 });
});
afterAll(() => node.stop());

const ids = (ps: { toString(): string }[]): string[] => ps.map(String).sort();

describe('ThreadedNode.processes()', () => {
  it('lists the processes of every scheduler, without the gateway', async () => {
    expect(await node.processes()).toEqual([]);
    const pids = [];
    for (let k = 0; k < 3; k++) pids.push(await node.spawn(Echo, [], { scheduler: k }), await node.spawn(Echo, [], { scheduler: k }));
    const listed = await node.processes();
    expect(ids(listed)).toEqual(ids(pids));
    expect(listed.map(String)).not.toContain(String(node.pid));
  });

  it('drops a process once it has ended', async () => {
    const before = (await node.processes()).length;
    const m = await node.spawn(Mortal, [], { scheduler: 2 });
    expect(ids(await node.processes())).toContain(String(m));
    expect(await node.call(m, { die: 'normal' })).toBe('dying');
    // It is gone once a call to it fails with noproc.
    await expect(node.call(m, 'gone?')).rejects.toBeInstanceOf(NoProcError);
    const after = await node.processes();
    expect(after).toHaveLength(before);
    expect(ids(after)).not.toContain(String(m));
  });

  it('rejects with NotRunningError once the node stopped', async () => {
    const n = await startNode({ schedulers: 1 });
    await n.stop();
    await expect(n.processes()).rejects.toBeInstanceOf(NotRunningError);
  });
});
