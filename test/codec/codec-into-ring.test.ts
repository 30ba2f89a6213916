import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Pid } from '../../src/core/pid.ts';
import { MessageDecoder, MessageEncoder } from '../../src/codec/index.ts';
import { SpscRingConsumer, SpscRingProducer, createSpscRing } from '../../src/threads/spsc-ring.ts';

/**
 * How a scheduler sends through a ring: reserve a guess, encode in place, trim to what was
 * written; if the message is bigger than the guess, cancel, encode into scratch, reserve
 * the exact size and copy. Returns false when the ring is full (the caller keeps the message).
 */
const kGuessBytes = 256;
function send(producer: SpscRingProducer, encoder: MessageEncoder, msg: unknown): boolean {
  const guess = Math.min(kGuessBytes, producer.maxPayloadBytes);
  const off = producer.tryReserve(guess);
  if (off >= 0) {
    const n = encoder.encodeInto(msg, producer.bytes, off, off + guess);
    if (n >= 0) {
      producer.trimLast(n);
      return true;
    }
    producer.cancelLast();
  }
  const n = encoder.encodeToScratch(msg);
  const exact = producer.tryReserve(n);
  if (exact < 0) return false;
  producer.bytes.set(encoder.scratch.subarray(0, n), exact);
  return true;
}

const message = fc.oneof(
  fc.record({ from: fc.nat().map((id) => new Pid(0, id, 0)), n: fc.integer(), tag: fc.constantFrom('ping', 'pong', 'call') }, { noNullPrototype: true }),
  fc.anything({ maxDepth: 3, withMap: true, withSet: true, withTypedArray: true, withBigInt: true, withDate: true }),
  fc.string({ minLength: 200, maxLength: 2000 }),
);

describe('codec into ring: messages encoded in place in reserved ring slots', () => {
  it('round-trips batches of messages through a ring, in place when they fit the guess', () => {
    fc.assert(
      fc.property(fc.array(message, { minLength: 1, maxLength: 100 }), (messages) => {
        const sab = createSpscRing(1 << 14);
        const producer = new SpscRingProducer(sab);
        const consumer = new SpscRingConsumer(sab);
        const encoder = new MessageEncoder();
        const decoder = new MessageDecoder();
        const received: unknown[] = [];
        let sent = 0;
        while (received.length < messages.length) {
          while (sent < messages.length && send(producer, encoder, messages[sent])) sent++;
          producer.commit();
          let off: number;
          while ((off = consumer.next()) >= 0) received.push(decoder.decode(consumer.bytes, off, consumer.recordLength));
          consumer.release();
        }
        expect(received).toStrictEqual(messages);
      }),
      { numRuns: 200 },
    );
  });

  it('encodes a small message in place, with no scratch copy', () => {
    const sab = createSpscRing(1024);
    const producer = new SpscRingProducer(sab);
    const consumer = new SpscRingConsumer(sab);
    const encoder = new MessageEncoder(64);
    const scratchBefore = encoder.scratch;
    const msg = { from: new Pid(0, 42, 0), n: 42, tag: 'ping' };
    const off = producer.tryReserve(64);
    const n = encoder.encodeInto(msg, producer.bytes, off, off + 64);
    expect(n).toBeGreaterThan(0);
    expect(n).toBeLessThan(32);
    producer.trimLast(n);
    producer.commit();
    expect(encoder.scratch).toBe(scratchBefore);
    expect(encoder.scratch.every((b) => b === 0)).toBe(true); // the scratch buffer was never written
    const got = consumer.next();
    expect(consumer.recordLength).toBe(n);
    expect(new MessageDecoder().decode(consumer.bytes, got, n)).toStrictEqual(msg);
  });
});
