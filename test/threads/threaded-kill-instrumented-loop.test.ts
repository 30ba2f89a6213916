import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startNode, type ThreadedNode } from '../../src/threads/index.ts';
import { Echo, Watcher } from './fixtures/node-actors.ts';
import { GeneratorSpinner, HandlerSpinner } from './fixtures/spin-actors.ts';
import { eventually } from './fixtures/node-helpers.ts';

// A kill must end an actor stuck in an instrumented `while (true) {}` on another thread:
// its scheduler never drains its rings again, so the kill travels through the shared kill
// flags that ReductionCounter.poll reads (src/threads/kill-flags.ts).

let node: ThreadedNode;
beforeAll(async () => {
  node = await startNode({ schedulers: 2 });
});
afterAll(() => node.stop());

type Down = { pid: string; reason: unknown };

async function stuckActor(behaviour: unknown): Promise<{ victim: import('../../src/core/pid.ts').Pid; observer: import('../../src/core/pid.ts').Pid }> {
  // No runaway limit in reach: only the kill can end it.
  const victim = await node.spawn(behaviour, [], { scheduler: 0, maxReductionsPerMessage: 2 ** 50 });
  expect(await node.call(victim, 'hello')).toBe('ok');
  expect((await node.processInfo(victim))?.instrumented).toBe(true);
  const observer = await node.spawn(Watcher, [], { scheduler: 1 });
  await node.call(observer, { monitor: victim });
  await eventually(async () => (await node.processInfo(victim))?.monitoredBy.length, (n) => n === 1);
  node.send(victim, 'spin');
  // Let scheduler 0 get stuck in the loop (it drains no ring from then on).
  await new Promise((r) => setTimeout(r, 300));
  return { victim, observer };
}

async function expectKilled(victim: unknown, observer: import('../../src/core/pid.ts').Pid): Promise<void> {
  const downs = await eventually(() => node.call(observer, 'downs') as Promise<Down[]>, (d) => d.length === 1, 20_000);
  expect(downs).toEqual([expect.objectContaining({ pid: String(victim), reason: 'killed' })]);
  // Scheduler 0 runs other actors again.
  const echo = await node.spawn(Echo, [], { scheduler: 0 });
  expect(await node.call(echo, 1, 10_000)).toEqual({ echo: 1, self: echo });
}

describe('kill reaches an actor stuck in an instrumented loop on another thread', () => {
  it('from the embedding thread (handler style)', async () => {
    const { victim, observer } = await stuckActor(HandlerSpinner);
    node.exit(victim, 'kill');
    await expectKilled(victim, observer);
  }, 30_000);

  it('from an actor on the other scheduler (handler style)', async () => {
    const { victim, observer } = await stuckActor(HandlerSpinner);
    const killer = await node.spawn(Watcher, [], { scheduler: 1 });
    await node.call(killer, { exit: { pid: victim, reason: 'kill' } });
    await expectKilled(victim, observer);
  }, 30_000);

  it('from the embedding thread and from another scheduler (process style)', async () => {
    const a = await stuckActor(GeneratorSpinner);
    node.exit(a.victim, 'kill');
    await expectKilled(a.victim, a.observer);
    const b = await stuckActor(GeneratorSpinner);
    const killer = await node.spawn(Watcher, [], { scheduler: 1 });
    await node.call(killer, { exit: { pid: b.victim, reason: 'kill' } });
    await expectKilled(b.victim, b.observer);
  }, 30_000);
});
