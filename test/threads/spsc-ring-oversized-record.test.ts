import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BadArgError } from '../../src/core/errors.ts';
import { SpscRingConsumer, SpscRingProducer, createSpscRing, initSpscRing, spscRingByteLength } from '../../src/threads/spsc-ring.ts';

describe('spsc ring: records larger than half the ring are rejected', () => {
  it('throws BadArgError for a payload over maxPayloadBytes, a negative or a fractional length', () => {
    const producer = new SpscRingProducer(createSpscRing(1024));
    expect(producer.maxPayloadBytes).toBe(508);
    for (const bad of [509, 1024, 5000, -1, 1.5, NaN]) {
      expect(() => producer.tryReserve(bad)).toThrow(BadArgError);
    }
    expect(() => producer.tryReserve(509)).toThrow(/must be an integer in \[0, 508\]/);
  });

  it('always fits a maxPayloadBytes record into an emptied ring, wherever its position is', () => {
    fc.assert(
      fc.property(fc.array(fc.nat(508), { maxLength: 30 }), (lens) => {
        const sab = createSpscRing(1024);
        const producer = new SpscRingProducer(sab);
        const consumer = new SpscRingConsumer(sab);
        for (const len of lens) {
          expect(producer.tryReserve(len)).toBeGreaterThanOrEqual(0);
          producer.commit();
          consumer.next();
          consumer.release();
        }
        expect(producer.tryReserve(producer.maxPayloadBytes)).toBeGreaterThanOrEqual(0);
      }),
    );
  });

  it('rejects bad capacities and buffers that hold no ring', () => {
    for (const bad of [0, 32, 100, 2 ** 31]) expect(() => createSpscRing(bad)).toThrow(BadArgError);
    expect(() => new SpscRingConsumer(new SharedArrayBuffer(1024))).toThrow(/no ring initialized/);
    const sab = new SharedArrayBuffer(spscRingByteLength(64) * 2);
    initSpscRing(sab, spscRingByteLength(64), 64); // a second ring in the same buffer
    expect(() => new SpscRingProducer(sab, spscRingByteLength(64))).not.toThrow();
    expect(() => initSpscRing(sab, 4, 64)).toThrow(BadArgError);
  });
});
