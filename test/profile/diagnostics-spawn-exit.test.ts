import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import { afterEach, expect, it } from 'vitest';
import type { Context } from '../../src/core/context.ts';
import { LocalNode } from '../../src/core/local-node.ts';
import type { Node } from '../../src/core/node.ts';
import type { Pid } from '../../src/core/pid.ts';
import { startNode } from '../../src/dist/start-node.ts';
import { kExitChannel, kSpawnChannel, switchboardChannels, type ExitEvent, type SpawnEvent } from '../../src/profile/metrics/index.ts';
import { Idle } from './fixtures/metrics-actors.ts';

// diagnostics_channel 'switchboard:spawn' and 'switchboard:exit': exact payloads on a
// LocalNode, nothing once unsubscribed; on a ThreadedNode the events are on the scheduler
// threads (a main-thread subscriber sees none, one subscribed there sees them all).

const kActors = new URL('./fixtures/metrics-actors.ts', import.meta.url).href;

let node: Node | null = null;
const listeners: [string, (m: unknown) => void][] = [];
function listen(name: string, f: (m: unknown) => void): void {
  subscribe(name, f);
  listeners.push([name, f]);
}
afterEach(async () => {
  for (const [n, f] of listeners.splice(0)) unsubscribe(n, f);
  await node?.stop();
  node = null;
});

it('LocalNode: spawn and exit events carry pid, parent, behaviour and the exit reason', async () => {
  const local = new LocalNode();
  node = local;
  const spawns: SpawnEvent[] = [];
  const exits: ExitEvent[] = [];
  listen(kSpawnChannel, (m) => spawns.push(m as SpawnEvent));
  listen(kExitChannel, (m) => exits.push(m as ExitEvent));
  expect(switchboardChannels.spawn.hasSubscribers).toBe(true);

  const idle = await local.spawn(Idle);
  expect(spawns).toEqual([{ pid: idle, parent: null, behaviour: 'metrics-actors.ts#Idle' }]);
  expect(Object.keys(spawns[0]!)).toEqual(['pid', 'parent', 'behaviour']);

  // From inside an actor: the parent is the spawner; a closure is named as such.
  let child: Pid | null = null;
  const parent = await local.spawn({
    handle(m: unknown, s: null, ctx: Context) {
      if (m === 'go') child = ctx.spawn({ handle: (_m: unknown, st: unknown) => st });
      return s;
    },
  });
  local.send(parent, 'go');
  await local.idle();
  expect(spawns.slice(1)).toEqual([
    { pid: parent, parent: null, behaviour: 'closure(handler)' },
    { pid: child, parent, behaviour: 'closure(handler)' },
  ]);

  local.send(idle, { exit: { kind: 'done', code: 7 } });
  local.exit(child!, 'kill');
  await local.idle();
  // 'kill' ends the child at once; the idle actor exits when it runs its message.
  expect(exits).toEqual([
    { pid: child, reason: 'killed' },
    { pid: idle, reason: { kind: 'done', code: 7 } },
  ]);
  expect(Object.keys(exits[0]!)).toEqual(['pid', 'reason']);

  // Nobody listening: nothing published.
  for (const [n, f] of listeners.splice(0)) unsubscribe(n, f);
  expect(switchboardChannels.spawn.hasSubscribers).toBe(false);
  const quiet = await local.spawn(Idle);
  local.exit(quiet, 'kill');
  await local.idle();
  expect(spawns.length).toBe(3);
  expect(exits.length).toBe(2);
});

it('ThreadedNode: the events are published on the scheduler threads, not the main thread', async () => {
  node = await startNode({ schedulers: 2 });
  const mainThread: unknown[] = [];
  listen(kSpawnChannel, (m) => mainThread.push(m));
  listen(kExitChannel, (m) => mainThread.push(m));
  expect(await node.applyOnSchedulers({ module: kActors, export: 'subscribeHere' })).toEqual([true, true]);

  const pids: Pid[] = [];
  for (let i = 0; i < 6; i++) pids.push(await node.spawn(Idle));
  for (const p of pids) node.send(p, { exit: 'normal' });
  type Seen = { channel: string; pid: string; parent?: string | null; behaviour?: string; reason?: unknown };
  const seenAll = async (): Promise<Seen[]> => ((await node!.applyOnSchedulers({ module: kActors, export: 'seenHere' })) as Seen[][]).flat();
  let seen = await seenAll();
  for (let i = 0; i < 500 && seen.filter((e) => e.channel === 'exit').length < pids.length; i++) {
    await new Promise((r) => setTimeout(r, 10));
    seen = await seenAll();
  }
  for (const p of pids) {
    expect(seen).toContainEqual({ channel: 'spawn', pid: String(p), parent: null, behaviour: 'metrics-actors.ts#Idle' });
    expect(seen).toContainEqual({ channel: 'exit', pid: String(p), reason: 'normal' });
  }
  expect(mainThread).toEqual([]);
}, 20_000);
