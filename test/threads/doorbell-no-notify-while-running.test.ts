import { Worker } from 'node:worker_threads';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DoorbellRinger, createDoorbell, readDoorbellCounters } from '../../src/threads/doorbell.ts';
import { SpscRingProducer, createSpscRing } from '../../src/threads/spsc-ring.ts';
import { WorkerBundles, nextMessage } from './fixtures/bundle-worker.ts';

const bundles = new WorkerBundles();
let consumerScript = '';
beforeAll(async () => {
  consumerScript = await bundles.bundle('spinning-consumer.worker');
});
afterAll(() => bundles.cleanup());

describe('doorbell: a running consumer is never notified', () => {
  it('ring() on a doorbell nobody parked on does nothing', () => {
    const bell = createDoorbell();
    const ringer = new DoorbellRinger(bell);
    for (let i = 0; i < 10_000; i++) expect(ringer.ring()).toBe(false);
    expect(readDoorbellCounters(bell)).toEqual({ parks: 0, notifies: 0, parked: false });
  });

  it('a producer ringing after every commit never notifies a consumer thread that keeps running', async () => {
    const count = 200_000;
    const ring = createSpscRing(1 << 16);
    const bell = createDoorbell();
    const worker = new Worker(consumerScript, { workerData: { ring, count } });
    const done = nextMessage(worker).then(() => nextMessage<{ received: number; sum: number }>(worker));
    const producer = new SpscRingProducer(ring);
    const ringer = new DoorbellRinger(bell);
    let sum = 0;
    let rings = 0;
    let notified = 0;
    for (let seq = 0; seq < count; ) {
      for (let k = 0; k < 64 && seq < count; k++) {
        const off = producer.tryReserve(8);
        if (off < 0) break;
        producer.bytes[off] = seq & 0xff;
        sum = (sum + (seq & 0xff)) | 0;
        seq++;
      }
      if (producer.commit()) {
        rings++;
        if (ringer.ring()) notified++;
      } else {
        await new Promise((r) => setImmediate(r)); // full: let the consumer catch up
      }
    }
    const result = await done;
    await worker.terminate();
    expect(result).toEqual({ received: count, sum });
    expect(rings).toBeGreaterThan(count / 64 - 1);
    expect(notified).toBe(0);
    expect(readDoorbellCounters(bell).notifies).toBe(0);
  });
});
