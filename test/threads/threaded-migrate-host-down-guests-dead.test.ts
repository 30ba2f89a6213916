import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type SchedulerDownEvent, type ThreadedNode } from '../../src/threads/index.ts';
import { startNode } from '../../src/dist/start-node.ts';
import type { Pid } from '../../src/core/pid.ts';
import { Migrant } from './fixtures/migrate-actors.ts';
import { Mortal } from './fixtures/node-actors.ts';
import { eventually } from './fixtures/node-helpers.ts';

// A scheduler that hosts moved actors dies: they are reported dead with its schedulerDown
// reason — links and monitors to them fire on their home and on third schedulers, their
// names are freed, calls to them fail — although their pids name another scheduler.

let node: ThreadedNode;
const events: SchedulerDownEvent[] = [];
beforeAll(async () => {
  node = await startNode({ schedulers: 3, balance: 'migrate', onSchedulerDown: (e) => events.push(e) });
});
afterAll(() => node.stop());

interface Where { index: number; downs: { pid: string; reason: unknown; knownRef: boolean }[]; exits: { from: string; reason: unknown }[] }

describe('the host of moved actors dies', () => {
  it('fires links and monitors to its guests with the schedulerDown reason', async () => {
    const n = 40;
    const targets: Pid[] = [];
    for (let i = 0; i < n; i++) targets.push(await node.spawn(Migrant, [i], { scheduler: 0 }));
    for (let i = 0; i < n; i++) expect(await node.call(targets[i]!, { register: `guest-${i}` })).toBe('ok');
    const fillers: Pid[] = await Promise.all([...Array(300).keys()].map((i) => node.spawn(Migrant, [1000 + i], { scheduler: 0 })));
    for (const p of [...targets, ...fillers]) node.send(p, 'start');
    const places = await eventually(
      async () => (await Promise.all(targets.map((p) => node.call(p, 'where', 60_000)))) as Where[],
      (ws) => ws.some((w) => w.index !== 0),
      60_000,
    );
    const i = places.findIndex((w) => w.index !== 0);
    expect(i).toBeGreaterThanOrEqual(0);
    const host = places[i]!.index;
    const other = host === 1 ? 2 : 1;
    const t = targets[i]!;
    // Watchers on the home (0) and on the third scheduler, each linked to t and monitoring it.
    const watchers: Pid[] = [];
    for (const k of [0, other]) {
      const w = await node.spawn(Migrant, [5000 + k], { scheduler: k });
      expect(await node.call(w, { trap: true })).toBe('ok');
      expect(await node.call(w, { link: t })).toBe('ok');
      expect(await node.call(w, { monitor: t })).toBe('ok');
      watchers.push(w);
    }
    // Still on its host (guests never move again), then the host dies.
    expect(((await node.call(t, 'where', 60_000)) as Where).index).toBe(host);
    const crasher = await node.spawn(Mortal, [], { scheduler: host });
    const down = new Promise<SchedulerDownEvent>((r) => node.once('schedulerDown', r));
    expect(await node.call(crasher, { crashThread: 'throw' })).toBe('crashing');
    const event = await down;
    expect(event.scheduler).toBe(host);

    for (const w of watchers) {
      const seen = await eventually(
        async () => (await node.call(w, 'where', 60_000)) as Where,
        (x) => x.downs.length >= 1 && x.exits.length >= 1,
        30_000,
      );
      expect(seen.downs).toEqual([{ pid: String(t), reason: event.reason, knownRef: true }]);
      expect(seen.exits).toEqual([{ from: String(t), reason: event.reason }]);
    }
    await eventually(async () => node.whereis(`guest-${i}`), (p) => p === undefined, 30_000);
    expect(node.whereis(`guest-${i}`)).toBeUndefined();
    await expect(node.call(t, 'where', 30_000)).rejects.toMatchObject({ code: 'ERR_SB_NOPROC' });
    // The other actors either answer from a live scheduler or, if they had moved to the
    // dead host too, are gone like t; those still at home (some always are: a home moves
    // at most half its excess) are unaffected.
    const rest = await Promise.allSettled([...targets, ...fillers].map((p) => node.call(p, 'where', 60_000) as Promise<Where>));
    let answered = 0;
    for (const r of rest) {
      if (r.status === 'fulfilled') {
        answered++;
        expect(r.value.index).not.toBe(host);
      } else {
        expect(r.reason).toMatchObject({ code: 'ERR_SB_NOPROC' });
      }
    }
    expect(answered).toBeGreaterThan(0);
    expect(events).toEqual([event]);
  }, 240_000);
});
