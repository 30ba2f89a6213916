/**
 * Which protocol an accepted socket speaks, from its first bytes (io-service.ts step 6b:
 * one listener, two protocols):
 *
 *   Switchboard's handshake   u32 length (<= 4096) | 'H' ...   byte 2 is 0x00..0x10
 *   Erlang's handshake        u16 length | 'N' (0x4E) ...      byte 2 is 0x4E
 *                             u16 length | 'n' (0x6E) ...      (version 5: the Erlang
 *                                                              handshake refuses it, typed)
 *
 * Steps
 *   1. Read until 3 bytes are in (within `timeoutMs`; a close or the deadline: null).
 *   2. Pause the socket and put every byte read back (unshift), so the handshake that
 *      runs next reads the stream from its start.
 *   3. Byte 2 says 'erlang' (0x4E / 0x6E) or 'switchboard' (anything else).
 */
import type { Socket } from 'node:net';
import type { KitProtocol } from './channel-kit.ts';

const kErlangNameTag = 0x4e;
const kErlangOldNameTag = 0x6e;

export function sniffProtocol(socket: Socket, timeoutMs: number): Promise<KitProtocol | null> {
  return new Promise((resolve) => {
    let head: Buffer = Buffer.alloc(0);
    const done = (p: KitProtocol | null): void => {
      clearTimeout(timer);
      socket.off('data', onData);
      socket.off('close', onClose);
      resolve(p);
    };
    const timer = setTimeout(() => done(null), timeoutMs);
    const onData = (chunk: Buffer): void => {
      head = head.length === 0 ? chunk : Buffer.concat([head, chunk]);
      if (head.length < 3) return;
      socket.pause();
      socket.unshift(head);
      const tag = head[2];
      done(tag === kErlangNameTag || tag === kErlangOldNameTag ? 'erlang' : 'switchboard');
    };
    const onClose = (): void => done(null);
    socket.on('data', onData);
    socket.once('close', onClose);
  });
}
