import { afterEach, describe, expect, it } from 'vitest';
import { kInMessage, kOutMessage } from '../../src/dist/io-protocol.ts';
import { collect, makePayload, payloadIs, startEcho, type EchoLink } from './fixtures/io-link-helpers.ts';

let link: EchoLink | null = null;
afterEach(async () => {
  await link?.stop();
  link = null;
});

describe('io link: large payloads go over the port', () => {
  it('carries 1 MiB and 50 MiB payloads whole, transferring a buffer the payload owns', async () => {
    link = await startEcho();
    const { end } = link;
    const sizes = [1 << 20, 50 << 20, 3];
    const done = collect(end, sizes.length);
    const owned = makePayload(0, sizes[0]!);
    end.write(kOutMessage, 1, 2, owned);
    expect(owned.buffer.byteLength).toBe(0); // transferred, not copied
    end.write(kOutMessage, 1, 2, makePayload(1, sizes[1]!));
    end.write(kOutMessage, 1, 2, makePayload(2, sizes[2]!));
    end.flush();
    const got = await done;
    expect(got.map((r) => [r.kind, r.conn, r.stream, r.payload.length])).toEqual(sizes.map((s) => [kInMessage, 1, 2, s]));
    got.forEach((r, seq) => expect(payloadIs(r.payload, seq, sizes[seq]!)).toBe(true));
    expect(end.stats.largeIn).toBe(2);
  });

  it('copies a payload that is a view into a bigger buffer, leaving the caller its bytes', async () => {
    link = await startEcho();
    const { end } = link;
    const whole = makePayload(7, 2 << 20);
    const view = whole.subarray(0, 1 << 20);
    const done = collect(end, 1);
    end.write(kOutMessage, 0, 0, view);
    end.flush();
    expect(whole.buffer.byteLength).toBe(2 << 20); // not detached
    const [r] = await done;
    expect(r!.payload.length).toBe(1 << 20);
    expect(Buffer.from(r!.payload).equals(Buffer.from(view))).toBe(true);
  });
});
