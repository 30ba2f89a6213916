import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SpscRingConsumer, SpscRingProducer, spscRecordBytes } from '../../src/threads/spsc-ring.ts';
import { createRingAt, fillPayload, payloadMatches } from './fixtures/ring-helpers.ts';

/**
 * One thread plays both ends over the same SharedArrayBuffer, in an order fast-check
 * picks: reserve batches of random sizes (trim or cancel some), commit, read some, release.
 * A model holds what the consumer must see, in order.
 */
type Step =
  | { kind: 'reserve'; lens: number[] }
  | { kind: 'trim'; len: number }
  | { kind: 'cancel' }
  | { kind: 'commit' }
  | { kind: 'read'; count: number }
  | { kind: 'release' };

const step: fc.Arbitrary<Step> = fc.oneof(
  fc.record({ kind: fc.constant('reserve' as const), lens: fc.array(fc.nat(200), { minLength: 1, maxLength: 64 }) }),
  fc.record({ kind: fc.constant('trim' as const), len: fc.nat(200) }),
  fc.record({ kind: fc.constant('cancel' as const) }),
  fc.record({ kind: fc.constant('commit' as const) }),
  fc.record({ kind: fc.constant('read' as const), count: fc.nat(70) }),
  fc.record({ kind: fc.constant('release' as const) }),
);

describe('spsc ring: interleaved batches', () => {
  it('shows the consumer exactly the committed records, in order, whatever the interleaving', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(256, 1024, 4096),
        fc.constantFrom(0, -1024, 2 ** 31 - 512),
        fc.array(step, { minLength: 1, maxLength: 120 }),
        (capacity, start, steps) => {
          const sab = createRingAt(capacity, start);
          const producer = new SpscRingProducer(sab);
          const consumer = new SpscRingConsumer(sab);
          let seq = 0;
          const uncommitted: { seq: number; len: number; off: number }[] = [];
          const committed: { seq: number; len: number }[] = []; // not yet read
          let readUnreleased = 0; // bytes of records read since the last release
          let lastReservable = false; // may trim/cancel the last reservation
          let inRing = 0; // bytes of records reserved or unreleased
          for (const s of steps) {
            switch (s.kind) {
              case 'reserve':
                for (const raw of s.lens) {
                  const len = raw % (producer.maxPayloadBytes + 1);
                  const off = producer.tryReserve(len);
                  if (off < 0) {
                    expect(inRing).toBeGreaterThan(0);
                    break;
                  }
                  fillPayload(producer.bytes, off, len, seq);
                  uncommitted.push({ seq: seq++, len, off });
                  inRing += spscRecordBytes(len);
                  expect(inRing).toBeLessThanOrEqual(capacity);
                  lastReservable = true;
                }
                break;
              case 'trim': {
                const last = uncommitted.at(-1);
                if (!lastReservable || last === undefined) {
                  expect(() => producer.trimLast(0)).toThrow(/without a reservation/);
                  break;
                }
                const len = Math.min(s.len, last.len);
                producer.trimLast(len);
                inRing -= spscRecordBytes(last.len) - spscRecordBytes(len);
                last.len = len;
                lastReservable = false;
                break;
              }
              case 'cancel': {
                const last = uncommitted.at(-1);
                if (!lastReservable || last === undefined) {
                  expect(() => producer.cancelLast()).toThrow(/without a reservation/);
                  break;
                }
                producer.cancelLast();
                uncommitted.pop();
                inRing -= spscRecordBytes(last.len);
                lastReservable = false;
                break;
              }
              case 'commit':
                expect(producer.uncommittedBytes > 0).toBe(uncommitted.length > 0);
                expect(producer.commit()).toBe(uncommitted.length > 0);
                committed.push(...uncommitted.map(({ seq: q, len }) => ({ seq: q, len })));
                uncommitted.length = 0;
                lastReservable = false;
                expect(producer.uncommittedBytes).toBe(0);
                break;
              case 'read':
                for (let k = 0; k < s.count; k++) {
                  const off = consumer.next();
                  const expected = committed.shift();
                  if (expected === undefined) {
                    expect(off).toBe(-1);
                    expect(consumer.hasRecords()).toBe(false);
                    break;
                  }
                  expect(off).toBeGreaterThanOrEqual(0);
                  expect(consumer.recordLength).toBe(expected.len);
                  expect(payloadMatches(consumer.bytes, off, expected.len, expected.seq)).toBe(true);
                  readUnreleased += spscRecordBytes(expected.len);
                }
                break;
              case 'release':
                expect(consumer.release()).toBe(readUnreleased > 0);
                inRing -= readUnreleased;
                readUnreleased = 0;
                break;
            }
          }
          // Whatever is left: commit it all and read it all back.
          producer.commit();
          committed.push(...uncommitted);
          for (const expected of committed) {
            const off = consumer.next();
            expect(off).toBeGreaterThanOrEqual(0);
            expect(consumer.recordLength).toBe(expected.len);
            expect(payloadMatches(consumer.bytes, off, expected.len, expected.seq)).toBe(true);
          }
          expect(consumer.next()).toBe(-1);
        },
      ),
      { numRuns: 500 },
    );
  });
});
