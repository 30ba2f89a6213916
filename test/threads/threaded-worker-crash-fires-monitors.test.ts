import { afterEach, describe, expect, it } from 'vitest';
import { NoProcError } from '../../src/core/errors.ts';
import { type SchedulerDownEvent, type ThreadedNode } from '../../src/threads/index.ts';
import { startNode } from '../../src/dist/start-node.ts';
import { Echo, Mortal, Watcher } from './fixtures/node-actors.ts';
import { eventually } from './fixtures/node-helpers.ts';

let node: ThreadedNode | null = null;
afterEach(async () => {
  await node?.stop();
  node = null;
});

type Down = { pid: string; reason: { kind?: string; scheduler?: number; exitCode?: number; error?: string | null } };
type Exit = { from: string; reason: Down['reason'] };

async function crashScenario(how: 'throw' | 'exit'): Promise<{ event: SchedulerDownEvent; downs: Down[]; exits: Exit[]; victim: unknown; n: ThreadedNode }> {
  const events: SchedulerDownEvent[] = [];
  const n = await startNode({ schedulers: 2, onSchedulerDown: (e) => events.push(e) });
  node = n;
  const victim = await n.spawn(Mortal, [], { scheduler: 1, name: 'victim' });
  const linkedVictim = await n.spawn(Echo, [], { scheduler: 1 });
  const watcher = await n.spawn(Watcher, [], { scheduler: 0 });
  await n.call(watcher, { trapExit: true });
  await n.call(watcher, { monitor: victim });
  await n.call(watcher, { link: linkedVictim });
  await eventually(async () => (await n.processInfo(victim))?.monitoredBy.length, (k) => k === 1);
  await eventually(async () => (await n.processInfo(linkedVictim))?.links.length, (k) => k === 1);
  const emitted = new Promise<SchedulerDownEvent>((r) => n.once('schedulerDown', r));
  expect(await n.call(victim, { crashThread: how })).toBe(how === 'throw' ? 'crashing' : 'exiting');
  const event = await emitted;
  const downs = await eventually(() => n.call(watcher, 'downs') as Promise<Down[]>, (d) => d.length === 1);
  const exits = await eventually(() => n.call(watcher, 'exits') as Promise<Exit[]>, (e) => e.length === 1);
  expect(events).toEqual([event]);
  return { event, downs, exits, victim, n };
}

describe('a scheduler thread that dies', () => {
  it('uncaught error: monitors and links to its actors fire with a schedulerDown reason; the rest keeps running', async () => {
    const { event, downs, exits, victim, n } = await crashScenario('throw');
    expect(event.scheduler).toBe(1);
    expect(event.reason).toMatchObject({ kind: 'schedulerDown', scheduler: 1 });
    expect(event.reason.error).toContain('worker boom');
    expect(downs[0]!.pid).toBe(String(victim));
    expect(downs[0]!.reason).toEqual(event.reason);
    expect(exits[0]!.reason).toEqual(event.reason);
    // Its names are gone, calls to its pids fail, its stats say so; scheduler 0 still works.
    expect(n.whereis('victim')).toBeUndefined();
    const noproc = await n.call(victim as never, 'x', 1000).catch((e: unknown) => e);
    expect(noproc).toBeInstanceOf(NoProcError);
    expect(noproc).toMatchObject({ code: 'ERR_SB_NOPROC', message: `no such process: ${String(victim)}` });
    expect(n.stats().schedulers[1]!.state).toBe('down');
    expect(n.isSchedulerUp(1)).toBe(false);
    const fresh = await n.spawn(Echo); // round-robin skips the dead scheduler
    expect(await n.call(fresh, 'still here')).toMatchObject({ echo: 'still here' });
  });

  it('process.exit in the worker: the same, with its exit code', async () => {
    const { event, downs } = await crashScenario('exit');
    expect(event.reason).toMatchObject({ kind: 'schedulerDown', scheduler: 1, exitCode: 7 });
    expect(downs[0]!.reason).toEqual(event.reason);
  });
});
