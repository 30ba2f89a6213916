/**
 * ErlangFrameWriter into ErlangFrameReader: every packet form (header, fragments,
 * pass-through) round-trips; a small message on another stream and a tick go between
 * the fragments of a large one while one stream keeps its order; a sink that says false
 * stops the flush and the next flush goes on where it stopped, to the same bytes.
 */
import { describe, expect, it } from 'vitest';
import {
  DFLAG_DIST_HDR_ATOM_CACHE, DFLAG_FRAGMENTS, ErlangFrameReader, ErlangFrameWriter, kErlangDefaultFlags, type ErlangMessage,
} from '../../src/dist/erlang/index.ts';
import { InvalidOptionError } from '../../src/core/errors.ts';

const ctl = (n: number): Uint8Array => Uint8Array.of(104, 2, 97, n, 106); // {n, []}
const bin = (size: number, seed: number): Uint8Array => {
  const b = new Uint8Array(5 + size);
  b[0] = 109;
  new DataView(b.buffer).setUint32(1, size);
  for (let i = 0; i < size; i++) b[5 + i] = (i * 7 + seed) & 0xff;
  return b;
};

function collector() {
  const chunks: Uint8Array[] = [];
  return { chunks, bytes: () => Buffer.concat(chunks), sink: { write: (c: Uint8Array[]) => { chunks.push(...c.map((x) => Uint8Array.from(x))); return true; } } };
}

function readAll(bytes: Uint8Array) {
  const events: (ErlangMessage | 'tick')[] = [];
  const r = new ErlangFrameReader({ onTick: () => events.push('tick'), onMessage: (m) => events.push(m) });
  r.push(bytes);
  return { events, reader: r };
}

const same = (a: Uint8Array | null, b: Uint8Array | null): boolean => a !== null && b !== null && Buffer.compare(a, b) === 0;

describe('ErlangFrameWriter -> ErlangFrameReader', () => {
  for (const [label, flags] of [
    ['atom cache header + fragments', kErlangDefaultFlags],
    ['fragments only (a header with no refs)', kErlangDefaultFlags & ~DFLAG_DIST_HDR_ATOM_CACHE],
    ['header only (no fragments)', kErlangDefaultFlags & ~DFLAG_FRAGMENTS],
    ['pass-through', kErlangDefaultFlags & ~DFLAG_DIST_HDR_ATOM_CACHE & ~DFLAG_FRAGMENTS],
  ] as const) {
    it(`${label}: messages with and without payload, small and large, come back equal`, () => {
      const c = collector();
      const w = new ErlangFrameWriter(c.sink, { flags, fragmentBytes: 1000 });
      const msgs: [Uint8Array, Uint8Array | undefined][] = [[ctl(1), undefined], [ctl(2), bin(10, 1)], [ctl(3), bin(5000, 2)], [bin(2500, 3), bin(3, 4)]];
      for (const [cc, p] of msgs) w.send(7, cc, p);
      w.flush();
      expect(w.pending).toBe(false);
      expect(w.queuedBytes).toBe(0);
      const { events, reader } = readAll(c.bytes());
      expect(events).toHaveLength(4);
      msgs.forEach(([cc, p], i) => {
        const m = events[i] as ErlangMessage;
        expect(same(m.control, cc)).toBe(true);
        if (p === undefined) expect(m.payload).toBeNull();
        else expect(same(m.payload, p)).toBe(true);
      });
      const fragments = (flags & DFLAG_FRAGMENTS) !== 0n;
      expect(w.fragmentsWritten > 0).toBe(fragments);
      expect(reader.fragmentsRead).toBe(w.fragmentsWritten);
      expect(reader.passThroughRead > 0).toBe((flags & (DFLAG_FRAGMENTS | DFLAG_DIST_HDR_ATOM_CACHE)) === 0n);
      if (fragments) {
        // {3, []} + 5005 bytes in fragments of 1000: 6 fragments (the first with the control);
        // a 2505-byte control + 8 bytes: a first fragment holding the whole control, then 1.
        expect(w.fragmentsWritten).toBe(6 + 2);
      }
      expect(w.bytesWritten).toBe(c.bytes().length);
    });
  }

  it('a small message on another stream and a tick go between the fragments of a large one; one stream keeps its order', () => {
    const c = collector();
    const w = new ErlangFrameWriter(c.sink, { flags: kErlangDefaultFlags, fragmentBytes: 1024 });
    w.send(1, ctl(1), bin(10_000, 9));
    w.send(1, ctl(2), undefined); // behind the large one on the same stream
    w.send(2, ctl(3), undefined);
    w.tick();
    w.flush();
    const { events } = readAll(c.bytes());
    const order = events.map((e) => (e === 'tick' ? 'tick' : (e.control[3] as number)));
    expect(order).toEqual(['tick', 3, 1, 2]);
    expect(w.ticksWritten).toBe(1);
  });

  it('a tick queued while a large message is being written goes out before its next fragment', () => {
    let calls = 0;
    const c = collector();
    const w = new ErlangFrameWriter({ write: (chunks) => { c.sink.write(chunks); calls++; return calls !== 1; } }, { flags: kErlangDefaultFlags, fragmentBytes: 1000, maxBatchBytes: 1 });
    w.send(1, ctl(1), bin(5000, 1));
    w.flush(); // the sink says false after the first batch (one fragment)
    expect(w.pending).toBe(true);
    w.tick();
    w.flush();
    const { events } = readAll(c.bytes());
    expect(events[0]).toBe('tick');
    expect((events[1] as ErlangMessage).payload!.length).toBe(5005);
  });

  it('backpressure: a sink that says false stops the flush; flushing again ends at the same bytes', () => {
    const build = (w: ErlangFrameWriter): void => {
      for (let i = 0; i < 20; i++) w.send(i % 3, ctl(i), bin(3000 + i, i));
    };
    const free = collector();
    const wf = new ErlangFrameWriter(free.sink, { flags: kErlangDefaultFlags, fragmentBytes: 2048, maxBatchBytes: 4096 });
    build(wf);
    wf.flush();

    const slow = collector();
    let full = false;
    const ws = new ErlangFrameWriter({ write: (ch) => { slow.sink.write(ch); full = !full; return !full; } }, { flags: kErlangDefaultFlags, fragmentBytes: 2048, maxBatchBytes: 4096 });
    build(ws);
    let flushes = 0;
    while (ws.pending) {
      const before = slow.chunks.length;
      ws.flush();
      flushes++;
      expect(slow.chunks.length).toBeGreaterThan(before);
      if (flushes > 1000) throw new Error('no progress');
    }
    expect(flushes).toBeGreaterThan(2);
    expect(Buffer.compare(slow.bytes(), free.bytes())).toBe(0);
    expect(readAll(slow.bytes()).events).toHaveLength(20);
  });

  it('options are checked', () => {
    const sink = { write: () => true };
    expect(() => new ErlangFrameWriter(sink, { flags: kErlangDefaultFlags, fragmentBytes: 0 })).toThrow(InvalidOptionError);
    expect(() => new ErlangFrameWriter(sink, { flags: 1 as unknown as bigint })).toThrow(InvalidOptionError);
    expect(() => new ErlangFrameWriter(sink, { flags: kErlangDefaultFlags, bogus: 1 } as never)).toThrow(/unknown option "bogus"/);
  });
});
