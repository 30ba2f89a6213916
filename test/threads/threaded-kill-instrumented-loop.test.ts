import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type SchedulerStats, type ThreadedNode } from '../../src/threads/index.ts';
import { startNode } from '../../src/dist/start-node.ts';
import { Echo, Watcher } from './fixtures/node-actors.ts';
import { GeneratorSpinner, HandlerSpinner } from './fixtures/spin-actors.ts';
import { eventually } from './fixtures/node-helpers.ts';

// A kill must end an actor stuck in an instrumented `while (true) {}` on another thread.
// Handler style: its scheduler never drains its rings again, so the kill travels through
// the shared kill flags that ReductionCounter.poll reads (src/threads/kill-flags.ts).
// Process style: the loop is preempted at its back-edges, so the scheduler keeps running
// it slice after slice, and the kill must still get in between.

let node: ThreadedNode;
beforeAll(async () => {
  node = await startNode({ schedulers: 2 });
});
afterAll(() => node.stop());

type Down = { pid: string; reason: unknown };
type Pid = import('../../src/core/pid.ts').Pid;

/** The counters a scheduler moves only as it runs (each slice, each record it drains). */
const work = (s: SchedulerStats) => ({ slices: s.slices, reductions: s.reductions, recordsIn: s.recordsIn, messagesIn: s.messagesIn });

/** How long scheduler 0's snapshot must stay frozen while scheduler 1 keeps publishing. */
const kFrozenMs = 250;

/**
 * Confirm from `node.stats()` that scheduler 0 is stuck in the victim's loop, instead of
 * sleeping and assuming it. `sent` is what it published as it parked, all its earlier work
 * counted; then two records were sent to it (the 'spin' and a probe): a scheduler that
 * runs drains them, counts them and publishes (at the end of a slice, and before it parks
 * again). So it is stuck when none of its work
 * counters moved since `sent`, while scheduler 1 — which answers our calls after both
 * records were sent — has published snapshots kFrozenMs newer than scheduler 0's last.
 *
 * State: it reads 'running' — the loop publishes that as it wakes from its park to take
 * the records (worker-loop.ts), and a slice that never ends publishes nothing after it.
 */
async function confirmStuck(sent: SchedulerStats, observer: Pid): Promise<void> {
  const seen = await eventually(async () => {
    await node.call(observer, 'downs');
    const [s0, s1] = node.stats().schedulers;
    return { s0: s0!, s1: s1! };
  }, ({ s0, s1 }) => s1.updatedAt - s0.updatedAt >= kFrozenMs || JSON.stringify(work(s0)) !== JSON.stringify(work(sent)), 20_000);
  expect(work(seen.s0)).toEqual(work(sent));
  expect(seen.s1.updatedAt - seen.s0.updatedAt).toBeGreaterThanOrEqual(kFrozenMs);
  expect(seen.s0.state).toBe('running');
  expect(seen.s1.state).not.toBe('down');
}

/**
 * A process-style actor is preempted at the loop's back-edges, so its scheduler is not
 * frozen: it runs the spinner slice after slice. Confirm that from `node.stats()`: state
 * 'running', and far more slices and reductions since `sent` than the two records could
 * cost (the spinner spends its whole budget every slice).
 */
async function confirmSpinning(sent: SchedulerStats): Promise<void> {
  const s0 = await eventually(async () => node.stats().schedulers[0], (s) => s.state === 'running' && s.slices - sent.slices >= 50 && s.reductions - sent.reductions >= 50 * 4000, 20_000);
  expect(s0.state).toBe('running');
  expect(s0.slices - sent.slices).toBeGreaterThanOrEqual(50);
  expect(s0.reductions - sent.reductions).toBeGreaterThanOrEqual(50 * 4000);
}

async function stuckActor(behaviour: typeof HandlerSpinner | typeof GeneratorSpinner): Promise<{ victim: Pid; observer: Pid }> {
  // No runaway limit in reach: only the kill can end it.
  const victim = await node.spawn(behaviour, [], { scheduler: 0, maxReductionsPerMessage: 2 ** 50 });
  expect(await node.call(victim, 'hello')).toBe('ok');
  expect((await node.processInfo(victim))?.instrumented).toBe(true);
  const observer = await node.spawn(Watcher, [], { scheduler: 1 });
  await node.call(observer, { monitor: victim });
  await eventually(async () => (await node.processInfo(victim))?.monitoredBy.length, (n) => n === 1);
  // Scheduler 0 publishes everything it counted as it parks: take that snapshot.
  const sent = await eventually(async () => node.stats().schedulers[0], (s) => s.state === 'parked');
  expect(sent.state).toBe('parked');
  node.send(victim, 'spin');
  node.send(victim, 'probe');
  if (behaviour === HandlerSpinner) await confirmStuck(sent, observer);
  else await confirmSpinning(sent);
  return { victim, observer };
}

async function expectKilled(victim: unknown, observer: Pid): Promise<void> {
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
