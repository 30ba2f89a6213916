import { afterEach, describe, expect, it } from 'vitest';
import { kInMessage, kOutMessage } from '../../src/dist/io-protocol.ts';
import { collect, makePayload, payloadIs, startEcho, type EchoLink } from './fixtures/io-link-helpers.ts';

let link: EchoLink | null = null;
afterEach(async () => {
  await link?.stop();
  link = null;
});

describe('io link: a full ring never drops', () => {
  it('queues records in order when the ring is full and delivers every one, both ways', async () => {
    link = await startEcho(4096); // a 4 KiB ring: a few dozen records fill it
    const { end } = link;
    const n = 5000;
    const done = collect(end, n);
    for (let seq = 0; seq < n; seq++) end.write(kOutMessage, seq, seq & 3, makePayload(seq, 40 + (seq % 97)));
    expect(end.stats.overflowed).toBeGreaterThan(n / 2); // most waited in the overflow queue
    end.flush();
    const got = await done;
    expect(got).toHaveLength(n);
    got.forEach((r, seq) => {
      expect(r.kind).toBe(kInMessage);
      expect(r.conn).toBe(seq);
      expect(payloadIs(r.payload, seq, 40 + (seq % 97))).toBe(true);
    });
    expect(end.overflowLength).toBe(0);
    // The echo side overflowed too (its ring to us is as small): stats come with 'closed'.
    const closed = link.next();
    end.write(4 /* kOutDisconnect */, 0, 0, new Uint8Array(0));
    end.flush();
    const m = (await closed) as { type: string; stats: { overflowed: number; recordsOut: number } };
    expect(m.type).toBe('closed');
    expect(m.stats.recordsOut).toBe(n);
    expect(m.stats.overflowed).toBeGreaterThan(0);
  });
});
