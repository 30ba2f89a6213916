import { afterEach, describe, expect, it } from 'vitest';
import { kInMessage, kMaxInlinePayload, kOutMessage } from '../../src/dist/io-protocol.ts';
import { collect, makePayload, payloadIs, startEcho, type EchoLink } from './fixtures/io-link-helpers.ts';

let link: EchoLink | null = null;
afterEach(async () => {
  await link?.stop();
  link = null;
});

describe('io link: records come back in the order they were written', () => {
  it('keeps order across inline and large records on one stream and many', async () => {
    link = await startEcho();
    const { end } = link;
    // Sizes cycle through inline (0 .. the limit) and large (limit + 1, 1 MiB, 200 KiB).
    const sizes = [0, 5, kMaxInlinePayload, kMaxInlinePayload + 1, 17, 1 << 20, 300, 200 << 10, 1, 64];
    const n = 200;
    const done = collect(end, n);
    for (let seq = 0; seq < n; seq++) {
      const len = sizes[seq % sizes.length]! + (seq % 3);
      end.write(kOutMessage, seq % 7, seq % 3, makePayload(seq, len));
      if (seq % 11 === 0) end.flush();
    }
    end.flush();
    const got = await done;
    expect(got).toHaveLength(n);
    for (let seq = 0; seq < n; seq++) {
      const r = got[seq]!;
      const len = sizes[seq % sizes.length]! + (seq % 3);
      expect([r.kind, r.conn, r.stream]).toEqual([kInMessage, seq % 7, seq % 3]);
      expect(payloadIs(r.payload, seq, len)).toBe(true);
    }
    let large = 0;
    for (let seq = 0; seq < n; seq++) if (sizes[seq % sizes.length]! + (seq % 3) > kMaxInlinePayload) large++;
    expect(large).toBeGreaterThan(n / 4);
    expect(end.stats.largeOut).toBe(large);
    expect(end.stats.largeIn).toBe(large);
    expect(end.stats.recordsOut).toBe(n);
    expect(end.stats.recordsIn).toBe(n);
  });
});
