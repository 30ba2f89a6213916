import { afterEach, describe, expect, it } from 'vitest';
import { kInMessage, kInNodeDown, kOutMessage } from '../../src/dist/io-protocol.ts';
import { freePort } from './fixtures/free-port.ts';
import { startSide, stopAll, testConfig, type NodeSide } from './fixtures/io-host-helpers.ts';
import { makePayload, payloadIs } from './fixtures/io-link-helpers.ts';

let sides: NodeSide[] = [];
afterEach(async () => {
  await stopAll(sides);
  sides = [];
});

describe('io thread: peers with different fragment sizes understand each other', () => {
  it('takes whole messages and fragments of a peer that cuts at 4 MiB while cutting at 64 KiB itself', async () => {
    const pm = await freePort();
    const a = await startSide(testConfig('a@127.0.0.1', pm, { fragmentBytes: 4 << 20 }));
    sides.push(a);
    const b = await startSide(testConfig('b@127.0.0.1', pm));
    sides.push(b);
    a.connect('b@127.0.0.1');
    const [upB] = await Promise.all([a.nodeUp('b@127.0.0.1'), b.nodeUp('a@127.0.0.1')]);
    const sizes = [3 << 20, 9 << 20]; // one whole 3 MiB frame, one message in 4 MiB fragments
    sizes.forEach((len, seq) => a.host.link.write(kOutMessage, upB.conn, 0, makePayload(seq, len)));
    a.host.link.flush();
    // The last message, or the loss of the connection (a reader that refuses the frames).
    const end = await b.waitFor((r) => (r.kind === kInMessage && r.payload.length === sizes[1]) || r.kind === kInNodeDown);
    expect(end.kind).toBe(kInMessage);
    const got = b.records.filter((r) => r.kind === kInMessage);
    expect(got.map((r) => r.payload.length)).toEqual(sizes);
    got.forEach((r, seq) => expect(payloadIs(r.payload, seq, sizes[seq]!)).toBe(true));
  });
});
