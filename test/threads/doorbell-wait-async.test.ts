import { Worker } from 'node:worker_threads';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DoorbellSleeper, createDoorbell, readDoorbellCounters } from '../../src/threads/doorbell.ts';
import { WorkerBundles, nextMessage } from './fixtures/bundle-worker.ts';

const bundles = new WorkerBundles();
let ringerScript = '';
beforeAll(async () => {
  ringerScript = await bundles.bundle('doorbell-ringer.worker');
});
afterAll(() => bundles.cleanup());

describe('doorbell: the main thread parks with Atomics.waitAsync', () => {
  it('keeps the event loop running while parked, and wakes when a worker rings', async () => {
    const bell = createDoorbell();
    const sleeper = new DoorbellSleeper(bell);
    const worker = new Worker(ringerScript, { workerData: { bell } });
    try {
      let ticks = 0;
      const timer = setInterval(() => ticks++, 2);
      const parked = sleeper.parkAsync(() => false, 10_000);
      expect(readDoorbellCounters(bell).parked).toBe(true);
      const rung = nextMessage<{ notified: boolean }>(worker);
      worker.postMessage({ delayMs: 60 });
      const outcome = await parked;
      clearInterval(timer);
      expect(outcome).toBe('woken');
      expect((await rung).notified).toBe(true);
      expect(ticks).toBeGreaterThan(3); // timers fired while we were parked
      expect(readDoorbellCounters(bell)).toEqual({ parks: 1, notifies: 1, parked: false });
    } finally {
      await worker.terminate();
    }
  });

  it('resolves "work" without waiting when the re-check finds work, and "timed-out" on timeout', async () => {
    const bell = createDoorbell();
    const sleeper = new DoorbellSleeper(bell);
    expect(await sleeper.parkAsync(() => true)).toBe('work');
    const t0 = performance.now();
    expect(await sleeper.parkAsync(() => false, 20)).toBe('timed-out');
    expect(performance.now() - t0).toBeGreaterThanOrEqual(15);
    expect(await sleeper.parkAsync(() => false, 0)).toBe('timed-out');
    expect(readDoorbellCounters(bell)).toEqual({ parks: 3, notifies: 0, parked: false });
  });
});
