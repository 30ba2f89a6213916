import { Worker } from 'node:worker_threads';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DoorbellRinger, DoorbellSleeper, createDoorbell, readDoorbellCounters } from '../../src/threads/doorbell.ts';
import { SpscRingConsumer, createSpscRing } from '../../src/threads/spsc-ring.ts';
import { WorkerBundles, nextMessage } from './fixtures/bundle-worker.ts';
import { addToChecksum, readSeq, recordLength } from './fixtures/two-thread-records.ts';

const bundles = new WorkerBundles();
let producerScript = '';

beforeAll(async () => {
  producerScript = await bundles.bundle('ring-producer.worker');
});
afterAll(() => bundles.cleanup());

interface ProducerReport {
  checksum: number;
  fullWaits: number;
  timeouts: number;
  notifies: number;
}

describe('spsc ring: a real producer thread and the main thread as consumer', () => {
  it('moves a million small records in order, with doorbells both ways and no lost wake-up', async () => {
    const count = 1_000_000;
    const ring = createSpscRing(1 << 14); // 16 KiB: small enough to fill up often
    const dataBell = createDoorbell(); // the main thread sleeps on it
    const spaceBell = createDoorbell(); // the producer sleeps on it when the ring is full
    const consumer = new SpscRingConsumer(ring);
    const sleeper = new DoorbellSleeper(dataBell);
    const spaceRinger = new DoorbellRinger(spaceBell);

    let expected = 0;
    let checksum = 0;
    let outOfOrder = 0;
    const onRecord = (bytes: Uint8Array, off: number, len: number): void => {
      if (readSeq(bytes, off) !== expected || len !== recordLength(expected)) outOfOrder++;
      checksum = addToChecksum(bytes, off, len, checksum);
      expected++;
    };
    const hasRecords = (): boolean => consumer.hasRecords();

    const worker = new Worker(producerScript, { workerData: { ring, dataBell, spaceBell, count, batch: 64 } });
    const report = nextMessage<ProducerReport>(worker);
    let timeouts = 0;
    let parks = 0;
    const started = performance.now();
    while (expected < count) {
      // Drain a batch: one head store, then wake the producer if it sleeps for space.
      if (consumer.drain(onRecord, 4096) > 0) {
        spaceRinger.ring();
        continue;
      }
      parks++;
      if ((await sleeper.parkAsync(hasRecords, 5000)) === 'timed-out') timeouts++;
    }
    const elapsedMs = performance.now() - started;
    const produced = await report;
    await worker.terminate();

    expect(outOfOrder).toBe(0);
    expect(expected).toBe(count);
    expect(consumer.next()).toBe(-1);
    expect(checksum).toBe(produced.checksum);
    // A lost wake-up would show as a 5 s timeout on one side or the other.
    expect(timeouts).toBe(0);
    expect(produced.timeouts).toBe(0);
    // Notifies only ever reach a parked thread: never more than the parks.
    const data = readDoorbellCounters(dataBell);
    const space = readDoorbellCounters(spaceBell);
    expect(data.parks).toBe(parks);
    expect(data.notifies).toBe(produced.notifies);
    expect(data.notifies).toBeLessThanOrEqual(data.parks);
    expect(space.notifies).toBeLessThanOrEqual(space.parks);
    console.log(
      `two-thread ring: ${count} records in ${elapsedMs.toFixed(0)} ms (${((count / elapsedMs) * 1000 / 1e6).toFixed(1)} M records/s); ` +
        `consumer parks ${data.parks}, notifies ${data.notifies}; producer full-waits ${produced.fullWaits}, parks ${space.parks}, notifies ${space.notifies}`,
    );
  });
});
