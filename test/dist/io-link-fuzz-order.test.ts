import fc from 'fast-check';
import { MessageChannel } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { IoLinkEnd, createIoLinkBuffers } from '../../src/dist/io-link.ts';
import { kOutMessage } from '../../src/dist/io-protocol.ts';
import { makePayload, payloadIs } from './fixtures/io-link-helpers.ts';

/** Write `sizes` through a link with a `capacity`-byte ring, flushing after the marked ones; collect what arrives. */
async function roundTrip(capacity: number, ops: { size: number; flush: boolean }[]): Promise<{ seq: number; len: number; stream: number }[]> {
  const buffers = createIoLinkBuffers(capacity);
  const { port1, port2 } = new MessageChannel();
  const node = new IoLinkEnd(buffers, 'node', port1);
  const io = new IoLinkEnd(buffers, 'io', port2);
  const got: { seq: number; len: number; stream: number; ok: boolean }[] = [];
  try {
    const done = new Promise<void>((resolve) => {
      io.onReadable(() => {
        io.drain((kind, conn, stream, p) => {
          expect(kind).toBe(kOutMessage);
          got.push({ seq: conn, len: p.length, stream, ok: payloadIs(p, conn, p.length) });
        });
        if (got.length === ops.length) resolve();
      });
      node.onReadable(() => node.drain(() => {})); // retries node's overflow when io made room
    });
    ops.forEach((op, seq) => {
      node.write(kOutMessage, seq, seq % 3, makePayload(seq, op.size));
      if (op.flush) node.flush();
    });
    node.flush();
    if (ops.length > 0) await done;
  } finally {
    node.close();
    io.close();
  }
  expect(got.every((g) => g.ok)).toBe(true);
  return got.map(({ seq, len, stream }) => ({ seq, len, stream }));
}

describe('io link: any mix of sizes and flush points arrives whole and in order', () => {
  it('holds for random sequences through a small ring (overflow) and a large one', async () => {
    const op = fc.record({
      size: fc.oneof(fc.integer({ min: 0, max: 300 }), fc.integer({ min: 1000, max: 3000 }), fc.integer({ min: 65_000, max: 200_000 })),
      flush: fc.boolean(),
    });
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(8192, 1 << 18), fc.array(op, { minLength: 20, maxLength: 120 }), async (capacity, ops) => {
        const got = await roundTrip(capacity, ops);
        expect(got).toEqual(ops.map((o, seq) => ({ seq, len: o.size, stream: seq % 3 })));
      }),
      { numRuns: 40 },
    );
  });
});
