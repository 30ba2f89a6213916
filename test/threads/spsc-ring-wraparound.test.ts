import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SpscRingConsumer, SpscRingProducer } from '../../src/threads/spsc-ring.ts';
import { createRingAt, fillPayload, payloadMatches } from './fixtures/ring-helpers.ts';

// Start positions: zero, just below the int32 sign flip, just below the 2^32 wrap, anywhere.
const startPosition = fc.oneof(
  fc.constantFrom(0, 2 ** 31 - 64, -64, -8),
  fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }).map((n) => n & ~7),
);

describe('spsc ring: wrap-around', () => {
  it('delivers every record intact and in order across many laps of a small ring', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(64, 128, 256, 1024),
        startPosition,
        fc.array(fc.nat(1000), { minLength: 1, maxLength: 400 }),
        (capacity, start, sizes) => {
          const sab = createRingAt(capacity, start);
          const producer = new SpscRingProducer(sab);
          const consumer = new SpscRingConsumer(sab);
          sizes.forEach((raw, seq) => {
            const len = raw % (producer.maxPayloadBytes + 1);
            const off = producer.tryReserve(len);
            // One record in flight at a time: it always fits (at most half the ring).
            expect(off).toBeGreaterThanOrEqual(4);
            expect(off + len).toBeLessThanOrEqual(capacity);
            expect(off % 8).toBe(4); // 8-aligned length word, payload right after it
            fillPayload(producer.bytes, off, len, seq);
            expect(consumer.next()).toBe(-1); // not committed yet
            expect(producer.commit()).toBe(true);
            const got = consumer.next();
            expect(got).toBe(off);
            expect(consumer.recordLength).toBe(len);
            expect(payloadMatches(consumer.bytes, got, len, seq)).toBe(true);
            expect(consumer.next()).toBe(-1);
            expect(consumer.release()).toBe(true);
          });
        },
      ),
      { numRuns: 300 },
    );
  });

  it('writes a skip marker when a record would straddle the end, and the consumer follows it', () => {
    const sab = createRingAt(64, 0);
    const producer = new SpscRingProducer(sab);
    const consumer = new SpscRingConsumer(sab);
    // 5 records of 4 bytes = 5 * 8 = 40 bytes, leaving 24 before the end.
    for (let i = 0; i < 5; i++) expect(producer.tryReserve(4)).toBe(i * 8 + 4);
    producer.commit();
    for (let i = 0; i < 5; i++) expect(consumer.next()).toBe(i * 8 + 4);
    consumer.release();
    // A 28-byte payload needs 32 contiguous bytes: only 24 remain, so it goes to offset 0.
    expect(producer.tryReserve(28)).toBe(4);
    producer.commit();
    expect(consumer.next()).toBe(4);
    expect(consumer.recordLength).toBe(28);
    expect(consumer.next()).toBe(-1);
  });
});
