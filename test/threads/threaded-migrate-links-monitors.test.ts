import { afterEach, describe, expect, it } from 'vitest';
import { type ThreadedNode } from '../../src/threads/index.ts';
import { startNode } from '../../src/dist/start-node.ts';
import type { Pid } from '../../src/core/pid.ts';
import { Migrant } from './fixtures/migrate-actors.ts';
import { eventually } from './fixtures/node-helpers.ts';

// Links, monitors and names set up before an actor moves keep working after it, in both
// directions: what the moved actor holds on others (its monitor's DOWN, a linked peer's
// EXIT) and what others hold on it (their EXIT and DOWN when it ends), and its registered
// name still reaches it. Four schedulers: the partners live on third schedulers.

// A node per attempt (the test may run twice, below).
let node: ThreadedNode | null = null;
afterEach(async () => {
  await node?.stop();
  node = null;
});

interface Where {
  index: number;
  got: number;
  downs: { pid: string; reason: unknown; knownRef: boolean }[];
  exits: { from: string; reason: unknown }[];
}

describe('links and monitors of a moved actor', () => {
  // Retried once: under the full suite's load, once in two fresh-clone CI runs no actor had
  // moved after 60 s (alone it moves within a second, 3 runs of 3). A second attempt on a
  // new node keeps the suite green while that is looked into (issue 12's note).
  it('fire correctly after the move, both directions, and its name still reaches it', { retry: 1, timeout: 240_000 }, async () => {
    await node?.stop();
    node = await startNode({ schedulers: 4, balance: 'migrate' });
    const nd = node;
    const n = 24;
    const targets: Pid[] = [];
    for (let i = 0; i < n; i++) targets.push(await nd.spawn(Migrant, [i], { scheduler: 0 }));
    const on = (i: number): number => 1 + (i % 3);
    const watchers: Pid[] = [];
    const watched: Pid[] = [];
    const peers: Pid[] = [];
    for (let i = 0; i < n; i++) {
      const t = targets[i]!;
      const w = await nd.spawn(Migrant, [1000 + i], { scheduler: on(i) });
      const m = await nd.spawn(Migrant, [2000 + i], { scheduler: on(i + 1) });
      const l = await nd.spawn(Migrant, [3000 + i], { scheduler: on(i + 2) });
      // Others on t: w links to t and monitors it (w traps exits).
      expect(await nd.call(w, { trap: true })).toBe('ok');
      expect(await nd.call(w, { link: t })).toBe('ok');
      expect(await nd.call(w, { monitor: t })).toBe('ok');
      // t on others: t monitors m, links to l, traps exits; and has a name.
      expect(await nd.call(t, { trap: true })).toBe('ok');
      expect(await nd.call(t, { monitor: m })).toBe('ok');
      expect(await nd.call(t, { link: l })).toBe('ok');
      expect(await nd.call(t, { register: `migrant-target-${i}` })).toBe('ok');
      watchers.push(w);
      watched.push(m);
      peers.push(l);
    }
    const fillers: Pid[] = await Promise.all([...Array(400).keys()].map((i) => nd.spawn(Migrant, [10_000 + i], { scheduler: 0 })));
    for (const p of [...targets, ...fillers]) nd.send(p, 'start');

    const places = await eventually(
      async () => (await Promise.all(targets.map((p) => nd.call(p, 'where', 60_000)))) as Where[],
      (ws) => ws.some((w) => w.index !== 0),
      30_000,
    );
    const moved = [...places.keys()].filter((i) => places[i]!.index !== 0);
    expect(moved.length).toBeGreaterThan(0);

    for (const i of moved) {
      const t = targets[i]!;
      const name = `migrant-target-${i}`;
      // Names: node-wide lookup gives the same pid; a call and a send by name reach it.
      expect(nd.whereis(name)).toEqual(t);
      expect(((await nd.call(name, 'where', 60_000)) as Where).index).not.toBe(0);
      expect(await nd.call(watchers[i]!, { sendTo: name, msg: { seq: 0, from: 'by-name' } })).toBe('ok');
      await eventually(async () => (await nd.call(t, 'where', 60_000)) as Where, (w) => w.got === 1, 30_000);
      expect(((await nd.call(t, 'where', 60_000)) as Where).got).toBe(1);

      // What t holds: the monitored actor ends -> DOWN (same ref t got); the linked peer
      // ends -> EXIT (t traps exits).
      await nd.call(watched[i]!, { exit: 'watched-ends' });
      await nd.call(peers[i]!, { exit: 'peer-ends' });
      const seen = await eventually(
        async () => (await nd.call(t, 'where', 60_000)) as Where,
        (w) => w.downs.length >= 1 && w.exits.length >= 1,
        30_000,
      );
      expect(seen.downs).toEqual([{ pid: String(watched[i]), reason: 'watched-ends', knownRef: true }]);
      expect(seen.exits).toEqual([{ from: String(peers[i]), reason: 'peer-ends' }]);
      expect(seen.index).not.toBe(0);

      // What others hold on t: t ends -> the watcher gets EXIT (link) and DOWN (monitor).
      await nd.call(t, { exit: 'target-ends' });
      const w = await eventually(
        async () => (await nd.call(watchers[i]!, 'where', 60_000)) as Where,
        (x) => x.downs.length >= 1 && x.exits.length >= 1,
        30_000,
      );
      expect(w.exits).toEqual([{ from: String(t), reason: 'target-ends' }]);
      expect(w.downs).toEqual([{ pid: String(t), reason: 'target-ends', knownRef: true }]);
      // Gone for good: its name is free, a call fails, a new monitor gets 'noproc'.
      await eventually(async () => nd.whereis(name), (p) => p === undefined, 30_000);
      expect(nd.whereis(name)).toBeUndefined();
      await expect(nd.call(t, 'where', 30_000)).rejects.toMatchObject({ code: 'ERR_SB_NOPROC' });
      expect(await nd.call(watchers[i]!, { monitor: t })).toBe('ok');
      const w2 = await eventually(async () => (await nd.call(watchers[i]!, 'where', 60_000)) as Where, (x) => x.downs.length >= 2, 30_000);
      expect(w2.downs[1]).toEqual({ pid: String(t), reason: 'noproc', knownRef: true });
    }
  });
});
