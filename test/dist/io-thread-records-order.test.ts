import { afterEach, describe, expect, it } from 'vitest';
import { kInMessage, kOutMessage } from '../../src/dist/io-protocol.ts';
import { freePort } from './fixtures/free-port.ts';
import { startSide, stopAll, testConfig, type NodeSide } from './fixtures/io-host-helpers.ts';
import { makePayload, payloadIs } from './fixtures/io-link-helpers.ts';

let sides: NodeSide[] = [];
afterEach(async () => {
  await stopAll(sides);
  sides = [];
});

async function connectedPair(): Promise<{ a: NodeSide; b: NodeSide; aToB: number; bToA: number }> {
  const pm = await freePort();
  const a = await startSide(testConfig('a@127.0.0.1', pm));
  sides.push(a);
  const b = await startSide(testConfig('b@127.0.0.1', pm));
  sides.push(b);
  a.connect('b@127.0.0.1');
  const [upB, upA] = await Promise.all([a.nodeUp('b@127.0.0.1'), b.nodeUp('a@127.0.0.1')]);
  return { a, b, aToB: upB.conn, bToA: upA.conn };
}

describe('io thread: records cross the connection in order, both ways', () => {
  it('delivers A -> B and echoes B -> A, each stream in order', async () => {
    const { a, b, aToB, bToA } = await connectedPair();
    const n = 2000;
    const streams = 5;
    // B's node side echoes every message back on its own connection id.
    let echoed = 0;
    const from = b.records.length;
    const echo = (): void => {
      for (; echoed + from < b.records.length; echoed++) {
        const r = b.records[from + echoed]!;
        if (r.kind === kInMessage) b.host.link.write(kOutMessage, bToA, r.stream, r.payload);
      }
      b.host.link.flush();
    };
    const last = b.waitFor((r) => r.kind === kInMessage && r.stream === (n - 1) % streams && new DataView(r.payload.buffer, r.payload.byteOffset).getUint32(0, true) === n - 1);
    b.afterDrain = echo; // the test's own node side: hands B's records back
    {
      for (let seq = 0; seq < n; seq++) {
        a.host.link.write(kOutMessage, aToB, seq % streams, makePayload(seq, 8 + (seq % 300)));
        if (seq % 64 === 0) a.host.link.flush();
      }
      a.host.link.flush();
      await last;
      const back = await a.waitFor((r) => r.kind === kInMessage && new DataView(r.payload.buffer, r.payload.byteOffset).getUint32(0, true) === n - 1);
      expect(back.stream).toBe((n - 1) % streams);
    }
    for (const side of [b, a]) {
      const msgs = side.records.filter((r) => r.kind === kInMessage);
      expect(msgs).toHaveLength(n);
      for (let s = 0; s < streams; s++) {
        const seqs = msgs.filter((r) => r.stream === s).map((r) => new DataView(r.payload.buffer, r.payload.byteOffset).getUint32(0, true));
        expect(seqs).toEqual(Array.from({ length: n / streams }, (_, i) => i * streams + s));
      }
      for (const r of msgs) {
        const seq = new DataView(r.payload.buffer, r.payload.byteOffset).getUint32(0, true);
        expect(payloadIs(r.payload, seq, 8 + (seq % 300))).toBe(true);
      }
    }
  });

  it('carries a 20 MiB payload whole among small ones on other streams', async () => {
    const { a, b, aToB } = await connectedPair();
    const big = 20 << 20;
    a.host.link.write(kOutMessage, aToB, 1, makePayload(0, big));
    for (let seq = 1; seq <= 200; seq++) a.host.link.write(kOutMessage, aToB, 2, makePayload(seq, 100));
    a.host.link.write(kOutMessage, aToB, 1, makePayload(201, 10));
    a.host.link.flush();
    await b.waitFor((r) => r.kind === kInMessage && r.stream === 1 && r.payload.length === 10);
    await b.waitFor((r) => r.kind === kInMessage && r.stream === 2 && r.payload.length === 100 && new DataView(r.payload.buffer, r.payload.byteOffset).getUint32(0, true) === 200);
    const msgs = b.records.filter((r) => r.kind === kInMessage);
    const s1 = msgs.filter((r) => r.stream === 1);
    expect(s1.map((r) => r.payload.length)).toEqual([big, 10]);
    expect(payloadIs(s1[0]!.payload, 0, big)).toBe(true);
    // Fragments interleave: the small messages, queued after the big one, are not held
    // behind it (each waits behind at most one 64 KiB fragment per turn).
    expect(msgs.indexOf(msgs.find((r) => r.stream === 2 && r.payload.length === 100 && new DataView(r.payload.buffer, r.payload.byteOffset).getUint32(0, true) === 200)!)).toBeLessThan(msgs.indexOf(s1[0]!));
    const s2 = msgs.filter((r) => r.stream === 2);
    expect(s2.map((r) => new DataView(r.payload.buffer, r.payload.byteOffset).getUint32(0, true))).toEqual(Array.from({ length: 200 }, (_, i) => i + 1));
    // Over the port both times: node A -> I/O A, then I/O B -> node B.
    expect(a.host.link.stats.largeOut).toBe(1);
    expect((await a.host.stats()).link.largeIn).toBe(1);
    expect((await b.host.stats()).link.largeOut).toBe(1);
    expect(b.host.link.stats.largeIn).toBe(1);
  });
});
