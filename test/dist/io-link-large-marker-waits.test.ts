import { MessageChannel } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { IoLinkEnd, createIoLinkBuffers } from '../../src/dist/io-link.ts';
import { kOutMessage } from '../../src/dist/io-protocol.ts';

describe('io link: a large marker whose port payload has not arrived stops the drain', () => {
  it('hands nothing after the marker until its bytes arrive, then everything in order', async () => {
    const buffers = createIoLinkBuffers(1 << 18);
    const { port1, port2 } = new MessageChannel();
    const node = new IoLinkEnd(buffers, 'node', port1);
    const io = new IoLinkEnd(buffers, 'io', port2);
    try {
      const got: number[] = [];
      const onRecord = (_k: number, conn: number, _s: number, p: Uint8Array): void => void got.push(conn, p.length);
      node.write(kOutMessage, 1, 0, new Uint8Array(3));
      node.write(kOutMessage, 2, 0, new Uint8Array(1 << 20));
      node.write(kOutMessage, 3, 0, new Uint8Array(5));
      node.flush();
      // Same thread: the port message cannot have been delivered yet (it needs a turn of the loop).
      expect(io.drain(onRecord)).toBe(1);
      expect(got).toEqual([1, 3]);
      expect(io.drain(onRecord)).toBe(0);
      // The port's message rings io's own bell: onReadable runs and the drain goes on.
      await new Promise<void>((resolve) => io.onReadable(() => {
        io.drain(onRecord);
        if (got.length === 6) resolve();
      }));
      expect(got).toEqual([1, 3, 2, 1 << 20, 3, 5]);
      expect(io.stats).toEqual({ recordsOut: 0, recordsIn: 3, overflowed: 0, largeOut: 0, largeIn: 1 });
    } finally {
      node.close();
      io.close();
    }
  });
});
