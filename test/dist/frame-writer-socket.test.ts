import net from 'node:net';
import { once } from 'node:events';
import { describe, expect, it } from 'vitest';
import { FrameWriter, type FrameSink } from '../../src/dist/frame-writer.ts';
import { FrameReader } from '../../src/dist/frame-reader.ts';
import { RecordingHandler } from './fixtures/frame-sinks.ts';

/** The sink an I/O thread gives a writer: one corked write per batch, false past the socket's highWaterMark. */
function socketSink(socket: net.Socket): FrameSink {
  return {
    write(chunks: Uint8Array[]): boolean {
      socket.cork();
      let ok = true;
      for (const c of chunks) ok = socket.write(c);
      socket.uncork();
      return ok;
    },
  };
}

describe('FrameWriter over a real loopback socket, FrameReader on the other end', () => {
  it('a 10 MiB message, small messages and ticks: all arrive intact and in order; the small ones before the large one ends', async () => {
    const server = net.createServer();
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const { port } = server.address() as net.AddressInfo;
    const accepted = once(server, 'connection') as Promise<[net.Socket]>;
    const client = net.connect(port, '127.0.0.1');
    await once(client, 'connect');
    const [peer] = await accepted;

    const big = Buffer.allocUnsafe(10 * 1024 * 1024);
    for (let i = 0; i < big.length; i += 4096) big[i] = (i >> 12) & 0xff;
    const h = new RecordingHandler();
    const reader = new FrameReader(h);
    const done = new Promise<void>((resolve, reject) => {
      peer.on('data', (chunk: Buffer) => {
        try {
          reader.push(chunk);
        } catch (err) {
          reject(err as Error);
        }
        if (reader.messagesRead === 1 + 400) resolve();
      });
    });

    const w = new FrameWriter(socketSink(client));
    client.on('drain', () => w.flush());
    w.message(1, big);
    for (let i = 0; i < 400; i++) {
      w.message(2 + (i % 4), Uint8Array.of(i & 0xff, i >> 8));
      if (i % 100 === 0) w.tick();
    }
    w.flush();
    await done;

    const msgs = h.got.flatMap((d) => (d.kind === 'message' ? [d] : []));
    const bigIndex = msgs.findIndex((d) => d.stream === 1);
    expect(msgs[bigIndex]!.payload.equals(big)).toBe(true);
    expect(bigIndex).toBe(400);
    for (let s = 2; s < 6; s++) {
      const got = msgs.filter((d) => d.stream === s).map((d) => d.payload[0]! | (d.payload[1]! << 8));
      expect(got).toEqual(Array.from({ length: 100 }, (_, k) => s - 2 + 4 * k));
    }
    expect(h.got.filter((d) => d.kind === 'tick').length).toBe(4);
    expect(reader.bytesRead).toBe(w.bytesWritten);
    expect(w.pending).toBe(false);

    client.destroy();
    peer.destroy();
    server.close();
    await once(server, 'close');
  });
});
