import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SpscRingConsumer, SpscRingProducer, createSpscRing, spscRecordBytes } from '../../src/threads/spsc-ring.ts';
import { fillPayload, payloadMatches } from './fixtures/ring-helpers.ts';

describe('spsc ring: a full ring pushes back, never loses and never buffers', () => {
  it('refuses records once full, loses none, and accepts again after the consumer releases', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(64, 256, 4096),
        fc.array(fc.nat(300), { minLength: 1, maxLength: 200 }),
        fc.array(fc.nat(8), { minLength: 1, maxLength: 50 }),
        (capacity, rawSizes, drains) => {
          const sab = createSpscRing(capacity);
          const producer = new SpscRingProducer(sab);
          const consumer = new SpscRingConsumer(sab);
          const sizes = rawSizes.map((s) => s % (producer.maxPayloadBytes + 1));
          let sent = 0; // records accepted by the ring
          let received = 0;
          let inRing = 0; // bytes of accepted, unreleased records (skips not counted)
          let refusals = 0;
          let round = 0;
          while (received < sizes.length) {
            // Producer: write until refused.
            while (sent < sizes.length) {
              const len = sizes[sent]!;
              const off = producer.tryReserve(len);
              if (off < 0) {
                refusals++;
                // A refusal means the ring really is busy: an empty ring takes any record.
                expect(inRing).toBeGreaterThan(0);
                break;
              }
              fillPayload(producer.bytes, off, len, sent);
              inRing += spscRecordBytes(len);
              sent++;
              expect(inRing).toBeLessThanOrEqual(capacity);
            }
            producer.commit();
            // Consumer: read a random number of records (at least one while any is there).
            const want = Math.max(1, drains[round++ % drains.length]!);
            for (let k = 0; k < want && received < sent; k++) {
              const off = consumer.next();
              expect(off).toBeGreaterThanOrEqual(0);
              expect(consumer.recordLength).toBe(sizes[received]);
              expect(payloadMatches(consumer.bytes, off, consumer.recordLength, received)).toBe(true);
              inRing -= spscRecordBytes(consumer.recordLength);
              received++;
            }
            consumer.release();
          }
          expect(consumer.next()).toBe(-1);
          expect(producer.fullEventCount).toBe(refusals);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('keeps a refused record out entirely: a full ring holds exactly what was accepted', () => {
    const sab = createSpscRing(64);
    const producer = new SpscRingProducer(sab);
    const consumer = new SpscRingConsumer(sab);
    let accepted = 0;
    while (producer.tryReserve(4) >= 0) accepted++;
    expect(accepted).toBe(8); // 8 records of 8 bytes
    expect(producer.hasRoomFor(0)).toBe(false);
    producer.commit();
    let read = 0;
    while (consumer.next() >= 0) read++;
    expect(read).toBe(8);
    // Read but not released: the producer still sees a full ring.
    expect(producer.tryReserve(0)).toBe(-1);
    consumer.release();
    expect(producer.hasRoomFor(4)).toBe(true);
    expect(producer.tryReserve(4)).toBeGreaterThanOrEqual(0);
  });
});
