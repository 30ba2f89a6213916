import { MessageChannel } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { BadArgError } from '../../src/core/errors.ts';
import { IoLinkError } from '../../src/dist/io-errors.ts';
import { IoLinkEnd, createIoLinkBuffers } from '../../src/dist/io-link.ts';
import { kInLarge, kInNodeUp, kMaxInlinePayload, kOutLarge, kOutMessage } from '../../src/dist/io-protocol.ts';

function pair(): { node: IoLinkEnd; io: IoLinkEnd; close(): void } {
  const buffers = createIoLinkBuffers(1 << 18);
  const { port1, port2 } = new MessageChannel();
  const node = new IoLinkEnd(buffers, 'node', port1);
  const io = new IoLinkEnd(buffers, 'io', port2);
  return { node, io, close: () => (node.close(), io.close()) };
}

describe('io link: misuse is a typed error', () => {
  it('refuses writes after close, large non-message records, and the marker kind', () => {
    const { node, io, close } = pair();
    try {
      expect(() => io.write(kInNodeUp, 1, 0, new Uint8Array(kMaxInlinePayload + 1))).toThrow(
        new IoLinkError('bad_large', `IoLinkEnd.write: a record of kind ${kInNodeUp} with ${kMaxInlinePayload + 1} payload bytes (over ${kMaxInlinePayload}); only messages may be large`),
      );
      expect(() => node.write(kOutLarge, 1, 0, new Uint8Array(4))).toThrow(BadArgError);
      expect(() => io.write(kInLarge, 1, 0, new Uint8Array(4))).toThrow(
        new BadArgError(`IoLinkEnd.write: kind ${kInLarge} is the link's own large marker; write the message kind`),
      );
      node.close();
      let err: unknown;
      try {
        node.write(kOutMessage, 1, 0, new Uint8Array(1));
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(IoLinkError);
      expect((err as IoLinkError).code).toBe('ERR_SB_IO_LINK');
      expect((err as IoLinkError).failure).toBe('closed');
    } finally {
      close();
    }
  });

  it('refuses a side that is neither node nor io', () => {
    const { port1, port2 } = new MessageChannel();
    expect(() => new IoLinkEnd(createIoLinkBuffers(1 << 16), 'x' as 'node', port1)).toThrow(
      new BadArgError("IoLinkEnd: side must be 'node' or 'io', got x"),
    );
    port1.close();
    port2.close();
  });
});
