import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type SchedulerDownEvent, type ThreadedNode } from '../../src/threads/index.ts';
import { startNode } from '../../src/dist/start-node.ts';
import type { Pid } from '../../src/core/pid.ts';
import { Migrant } from './fixtures/migrate-actors.ts';
import { Mortal } from './fixtures/node-actors.ts';
import { eventually } from './fixtures/node-helpers.ts';

// The home of moved actors dies: their pids name it, so every endpoint treats them as
// dead (links and monitors fire with the home's schedulerDown reason); their host ends
// them too, so none lives on unreachable, and its own actors keep running.

let node: ThreadedNode;
beforeAll(async () => {
  node = await startNode({ schedulers: 2, balance: 'migrate' });
});
afterAll(() => node.stop());

interface Where { index: number; ticks: number; downs: { pid: string; reason: unknown }[]; exits: { from: string; reason: unknown }[] }

describe('the home of moved actors dies', () => {
  it('its guests end on their host, with links and monitors fired', async () => {
    const resident = await node.spawn(Migrant, [9999], { scheduler: 1 });
    // The crasher must stay on scheduler 0: an actor with a mailbox limit never moves.
    const crasher = await node.spawn(Mortal, [], { scheduler: 0, maxMailbox: 100 });
    const targets: Pid[] = await Promise.all([...Array(400).keys()].map((i) => node.spawn(Migrant, [i], { scheduler: 0 })));
    for (const p of targets) node.send(p, 'start');
    const st = await eventually(async () => node.stats().schedulers, (s) => s[1]!.guests > 0, 60_000);
    expect(st[1]!.guests).toBeGreaterThan(0);
    const places = (await Promise.all(targets.map((p) => node.call(p, 'where', 60_000)))) as Where[];
    const i = places.findIndex((w) => w.index === 1);
    expect(i).toBeGreaterThanOrEqual(0);
    const t = targets[i]!;
    // The resident of scheduler 1 links to and monitors a guest beside it.
    expect(await node.call(resident, { trap: true })).toBe('ok');
    expect(await node.call(resident, { link: t })).toBe('ok');
    expect(await node.call(resident, { monitor: t })).toBe('ok');

    const down = new Promise<SchedulerDownEvent>((r) => node.once('schedulerDown', r));
    expect(await node.call(crasher, { crashThread: 'throw' }, 60_000)).toBe('crashing');
    const event = await down;
    expect(event.scheduler).toBe(0);

    const seen = await eventually(
      async () => (await node.call(resident, 'where', 60_000)) as Where,
      (w) => w.downs.length >= 1 && w.exits.length >= 1,
      30_000,
    );
    expect(seen.downs).toEqual([{ pid: String(t), reason: event.reason, knownRef: true }]);
    expect(seen.exits).toEqual([{ from: String(t), reason: event.reason }]);
    // The host ended every guest of the dead home; only its own actor is left, and runs.
    const after = await eventually(async () => node.stats().schedulers, (s) => s[1]!.guests === 0 && s[1]!.actors === 1, 30_000);
    expect(after[1]!.guests).toBe(0);
    expect(after[1]!.actors).toBe(1);
    expect(((await node.call(resident, 'where', 60_000)) as Where).index).toBe(1);
  }, 180_000);
});
