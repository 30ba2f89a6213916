import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ThreadedNode } from '../../src/threads/index.ts';
import { startNode } from '../../src/dist/start-node.ts';
import type { Pid } from '../../src/core/pid.ts';
import { BusyGenerator, ClosureParent, FunctionState, Migrant } from './fixtures/migrate-actors.ts';
import { eventually } from './fixtures/node-helpers.ts';

// Live migration moves only what it can carry: closure actors, generator (process-style)
// actors and actors whose state cannot be encoded stay on their scheduler, busy as they
// are, while movable actors beside them on the same overloaded scheduler do move.

let node: ThreadedNode;
beforeAll(async () => {
  node = await startNode({ schedulers: 2, balance: 'migrate' });
});
afterAll(() => node.stop());

describe('actors that cannot move', () => {
  it('stay on their scheduler while movable neighbours move', async () => {
    // Every unmovable actor is set up before any load exists (an idle scheduler moves
    // nothing): the function-state actors have run init (their state holds a function; an
    // actor whose init has not run yet has no state, and may move with its init
    // arguments), and the closures were spawned on scheduler 0 by a parent still there.
    const fnState: Pid[] = [];
    for (let i = 0; i < 100; i++) fnState.push(await node.spawn(FunctionState, [], { scheduler: 0 }));
    expect(((await Promise.all(fnState.map((p) => node.call(p, 'where', 30_000)))) as { fn: number }[]).every((w) => w.fn === 42)).toBe(true);
    const parent = await node.spawn(ClosureParent, [], { scheduler: 0 });
    const closures = (await node.call(parent, { spawnClosures: 100 }, 30_000)) as Pid[];
    const gens: Pid[] = [];
    for (let i = 0; i < 100; i++) gens.push(await node.spawn(BusyGenerator, [], { scheduler: 0 }));
    for (const p of fnState) node.send(p, 'tick');
    const movers: Pid[] = await Promise.all([...Array(300).keys()].map((i) => node.spawn(Migrant, [i], { scheduler: 0 })));
    for (const p of movers) node.send(p, 'start');

    // The policy is at work: movable actors leave scheduler 0...
    const st = await eventually(async () => node.stats().schedulers, (s) => s[1]!.migrationsIn >= 50, 60_000);
    expect(st[1]!.migrationsIn).toBeGreaterThanOrEqual(50);
    const moverPlaces = (await Promise.all(movers.map((p) => node.call(p, 'where', 60_000)))) as { index: number }[];
    expect(moverPlaces.some((w) => w.index === 1)).toBe(true);

    // ...while none of the unmovable ones ever did, and all of them kept working.
    const unmovable = [...closures, ...fnState, ...gens];
    const places = (await Promise.all(unmovable.map((p) => node.call(p, 'where', 60_000)))) as { index: number; ticks: number; fn?: number }[];
    for (const w of places) {
      expect(w.index).toBe(0);
      expect(w.ticks).toBeGreaterThan(0);
    }
    expect(places.slice(100, 200).every((w) => w.fn === 42)).toBe(true); // closures, then fnState, then gens
    const guests = node.stats().schedulers[1]!.guests;
    expect(guests).toBeLessThanOrEqual(movers.length);
  }, 180_000);
});
