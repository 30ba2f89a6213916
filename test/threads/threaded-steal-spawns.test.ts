import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ThreadedNode } from '../../src/threads/index.ts';
import { startNode } from '../../src/dist/start-node.ts';
import type { Pid } from '../../src/core/pid.ts';
import { Brood } from './fixtures/steal-actors.ts';
import { eventually } from './fixtures/node-helpers.ts';

// Spawn stealing, the default balance policy (src/threads/stealing.ts): a parent on
// scheduler 0 spawning a brood while scheduler 1 idles has some of its spawns stolen:
// they get pids of scheduler 1's space, and keep every semantic of a local spawn.

let node: ThreadedNode;
beforeAll(async () => {
  node = await startNode({ schedulers: 2 });
});
afterAll(() => node.stop());

const E = 3;
const seqs = (m: number): { seq: number }[] => Array.from({ length: m }, (_, seq) => ({ seq }));

/** Spawn broods until one has a stolen child (scheduler 1 may be busy waking at first). */
async function broodWithSteals(parent: Pid, how: string, n: number, msgs: number): Promise<Pid[]> {
  for (let tries = 0; ; tries++) {
    const pids = (await node.call(parent, { brood: n, msgs, how }, 20_000)) as Pid[];
    if (pids.some((p) => p.id % E === 1) || tries === 20) return pids;
  }
}

describe('spawn stealing (default balance)', () => {
  it('an idle scheduler steals spawns: stolen pids are its own, messages arrive in order, processInfo answers', async () => {
    const parent = await node.spawn(Brood, [], { scheduler: 0 });
    const n = 64;
    const msgs = 20;
    const before = node.stats().schedulers;
    const pids = await broodWithSteals(parent, 'plain', n, msgs);
    const stolen = pids.filter((p) => p.id % E === 1);
    expect(stolen.length).toBeGreaterThan(0);
    expect(stolen.length).toBeLessThan(n);
    // The first spawn of a brood never is: the parent had nothing else runnable then.
    expect(pids[0]!.id % E).toBe(0);
    for (const pid of pids) expect(await node.call(pid, 'get', 10_000)).toEqual(seqs(msgs));
    const info = await node.processInfo(stolen[0]!);
    expect(info?.pid).toBe(stolen[0]);
    expect(info?.behaviour).toContain('Collector');
    const after = node.stats().schedulers;
    expect(after[0]!.migrations - before[0]!.migrations).toBeGreaterThanOrEqual(stolen.length);
    expect(after[1]!.remoteSpawns - before[1]!.remoteSpawns).toBeGreaterThanOrEqual(stolen.length);
  }, 60_000);

  it('links and monitors of stolen children fire on their parent', async () => {
    const parent = await node.spawn(Brood, [], { scheduler: 0 });
    const linked = (await broodWithSteals(parent, 'link', 32, 1)).filter((p) => p.id % E === 1);
    const monitored = (await broodWithSteals(parent, 'monitor', 32, 1)).filter((p) => p.id % E === 1);
    expect(linked.length).toBeGreaterThan(0);
    expect(monitored.length).toBeGreaterThan(0);
    for (const p of [...linked, ...monitored]) node.exit(p, 'boom');
    const exits = await eventually(
      async () => (await node.call(parent, 'exits')) as { from: Pid; reason: unknown }[],
      (xs) => linked.every((p) => xs.some((x) => x.from === p)),
    );
    for (const p of linked) expect(exits.find((x) => x.from === p)?.reason).toBe('boom');
    const downs = await eventually(
      async () => (await node.call(parent, 'downs')) as { pid: Pid; reason: unknown }[],
      (xs) => monitored.every((p) => xs.some((x) => x.pid === p)),
    );
    for (const p of monitored) expect(downs.find((x) => x.pid === p)?.reason).toBe('boom');
  }, 60_000);

  it('a named spawn is never stolen: it stays with its parent and the name resolves', async () => {
    const parent = await node.spawn(Brood, [], { scheduler: 0 });
    const pids = (await node.call(parent, { brood: 16, msgs: 1, how: 'named', prefix: 'steal-named-' }, 20_000)) as Pid[];
    expect(pids.every((p) => p.id % E === 0)).toBe(true);
    pids.forEach((p, i) => expect(node.whereis(`steal-named-${i}`)).toBe(p));
  }, 30_000);
});
