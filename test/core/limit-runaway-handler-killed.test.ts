import { describe, expect, it } from 'vitest';
import type { Pid } from '../../src/core/pid.ts';
import type { Scheduler } from '../../src/core/scheduler.ts';
import { makeScheduler, recordExits, spawnRecorder } from './helpers.ts';

const url = new URL('./fixtures/spinner.ts', import.meta.url).href;

async function loaded(s: Scheduler, pid: Pid): Promise<void> {
  for (let i = 0; i < 500 && s.processInfo(pid)?.status === 'loading'; i++) await new Promise((r) => setTimeout(r, 2));
}

describe('limits: a runaway synchronous handler', () => {
  it("is killed past maxReductionsPerMessage with {kind:'runaway'}, even through its own catch", async () => {
    const { s } = makeScheduler();
    const exits = recordExits(s);
    const sink = spawnRecorder(s);
    const pid = s.spawn({ module: url, export: 'Spinner' }, [], { maxReductionsPerMessage: 100_000 });
    await loaded(s, pid);
    s.send(pid, { op: 'spin' });
    s.send(sink.pid, 'others still run');
    s.runUntilIdle();
    expect(exits.get(pid.toString())).toMatchObject({ kind: 'runaway' });
    expect(sink.log).toEqual(['others still run']);
  });

  it('an instrumented handler that stays under the limit runs to completion and pays for its loop', async () => {
    const { s } = makeScheduler();
    const sink = spawnRecorder(s);
    const pid = s.spawn({ module: url, export: 'Spinner' }, [], { maxReductionsPerMessage: 100_000 });
    await loaded(s, pid);
    s.send(pid, { op: 'count', n: 50_000, to: sink.pid });
    s.runUntilIdle();
    expect(sink.log).toEqual([(50_000 * 49_999) / 2]);
    expect(s.processInfo(pid)!.instrumented).toBe(true);
    // back-edges are charged 32 at a time (kLoopBatch): at least 50,000 - 31 for the loop
    expect(s.processInfo(pid)!.reductions).toBeGreaterThan(50_000 - 32);
  });
});
