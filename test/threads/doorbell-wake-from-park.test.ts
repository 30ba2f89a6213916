import { Worker } from 'node:worker_threads';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { BadArgError } from '../../src/core/errors.ts';
import { DoorbellRinger, DoorbellSleeper, createDoorbell, readDoorbellCounters } from '../../src/threads/doorbell.ts';
import { WorkerBundles, nextMessage } from './fixtures/bundle-worker.ts';

const bundles = new WorkerBundles();
let sleeperScript = '';
let worker: Worker | null = null;
beforeAll(async () => {
  sleeperScript = await bundles.bundle('doorbell-sleeper.worker');
});
afterEach(async () => {
  await worker?.terminate();
  worker = null;
});
afterAll(() => bundles.cleanup());

interface Reply {
  outcome: string;
  sleptMs: number;
}

async function whenParked(bell: SharedArrayBuffer): Promise<void> {
  while (!readDoorbellCounters(bell).parked) await new Promise((r) => setTimeout(r, 1));
}

describe('doorbell: a parked thread wakes when rung', () => {
  it('wakes a worker blocked in Atomics.wait with exactly one notify', async () => {
    const bell = createDoorbell();
    worker = new Worker(sleeperScript, { workerData: { bell } });
    const reply = nextMessage<Reply>(worker);
    worker.postMessage({ timeoutMs: 10_000, work: false });
    await whenParked(bell);
    const ringer = new DoorbellRinger(bell);
    expect(ringer.ring()).toBe(true);
    expect(ringer.ring()).toBe(false); // the first ring already woke it
    const { outcome, sleptMs } = await reply;
    expect(outcome).toBe('woken');
    expect(sleptMs).toBeLessThan(5_000);
    expect(readDoorbellCounters(bell)).toEqual({ parks: 1, notifies: 1, parked: false });
  });

  it('does not sleep when the re-check finds work, and times out when nobody rings', async () => {
    const bell = createDoorbell();
    worker = new Worker(sleeperScript, { workerData: { bell } });
    let reply = nextMessage<Reply>(worker);
    worker.postMessage({ timeoutMs: 10_000, work: true });
    expect((await reply).outcome).toBe('work');
    reply = nextMessage<Reply>(worker);
    worker.postMessage({ timeoutMs: 20, work: false });
    const timedOut = await reply;
    expect(timedOut.outcome).toBe('timed-out');
    expect(timedOut.sleptMs).toBeGreaterThanOrEqual(15);
    expect(readDoorbellCounters(bell)).toEqual({ parks: 2, notifies: 0, parked: false });
  });

  it('many ringers, one park: exactly one of them notifies', async () => {
    const bell = createDoorbell();
    worker = new Worker(sleeperScript, { workerData: { bell } });
    const reply = nextMessage<Reply>(worker);
    worker.postMessage({ timeoutMs: 10_000, work: false });
    await whenParked(bell);
    const ringers = Array.from({ length: 8 }, () => new DoorbellRinger(bell));
    expect(ringers.map((r) => r.ring()).filter(Boolean)).toHaveLength(1);
    expect((await reply).outcome).toBe('woken');
    expect(readDoorbellCounters(bell).notifies).toBe(1);
  });

  it('refuses to block the main thread', () => {
    const sleeper = new DoorbellSleeper(createDoorbell());
    expect(() => sleeper.park(() => false, 1)).toThrow(BadArgError);
  });
});
