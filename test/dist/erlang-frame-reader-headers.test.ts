/**
 * ErlangFrameReader on hand-built packets: ticks, the distribution header's atom cache
 * refs (new and cached entries, even and odd counts, long atoms), the fragmented example
 * of OTP's External Term Format guide reassembled, pass-through packets, input split at
 * every byte, and each malformed case refused with its ErlangFrameError failure (the
 * reader dead afterwards).
 */
import { describe, expect, it } from 'vitest';
import { ErlangFrameError, ErlangFrameReader, type ErlangFrameReaderLimits, type ErlangMessage } from '../../src/dist/erlang/index.ts';

const enc = (s: string): number[] => [...Buffer.from(s, 'utf8')];
const packet = (body: number[]): number[] => {
  const n = body.length;
  return [n >>> 24, (n >>> 16) & 0xff, (n >>> 8) & 0xff, n & 0xff, ...body];
};
const u64 = (v: number): number[] => [0, 0, 0, 0, v >>> 24, (v >>> 16) & 0xff, (v >>> 8) & 0xff, v & 0xff];

function reader(limits?: ErlangFrameReaderLimits) {
  const got: ErlangMessage[] = [];
  let ticks = 0;
  const r = new ErlangFrameReader({ onTick: () => { ticks++; }, onMessage: (m) => { got.push({ atoms: [...m.atoms], control: Uint8Array.from(m.control), payload: m.payload === null ? null : Uint8Array.from(m.payload) }); } }, limits);
  return { r, got, ticks: () => ticks };
}

/** A header with 3 refs: 'reg' new (segment 1, index 5), 'call' new (0/9), 'reg' cached (1/5). */
const threeRefs = [131, 68, 3, 0x89, 0x01, 5, 3, ...enc('reg'), 9, 4, ...enc('call'), 5];
const control = [104, 2, 82, 0, 82, 2];

function failure(f: () => void): string {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(ErlangFrameError);
    return (e as ErlangFrameError).failure;
  }
  throw new Error('no error');
}

describe('ErlangFrameReader', () => {
  it('a zero-length packet is a tick; several ticks in one chunk are several ticks', () => {
    const { r, got, ticks } = reader();
    r.push(Uint8Array.of(0, 0, 0, 0, 0, 0, 0, 0, 0, 0));
    r.push(Uint8Array.of(0, 0));
    expect(ticks()).toBe(3);
    expect(got).toEqual([]);
  });

  it('header refs set and read the connection cache; control and payload are split after one term', () => {
    const { r, got } = reader();
    r.push(Uint8Array.from(packet([...threeRefs, ...control, 106])));
    expect(got).toHaveLength(1);
    expect(got[0]!.atoms).toEqual(['reg', 'call', 'reg']);
    expect([...got[0]!.control]).toEqual(control);
    expect([...got[0]!.payload!]).toEqual([106]);
    // A later header reads the cached entries only (1 ref: segment 0, index 9; an even
    // count puts the extra nibble in the low half of the next byte).
    r.push(Uint8Array.from(packet([131, 68, 1, 0x00, 9, 82, 0])));
    expect(got[1]!.atoms).toEqual(['call']);
    expect(got[1]!.payload).toBeNull();
    expect(r.atomCache.get(1, 5)).toBe('reg');
    expect(r.atomCache.size).toBe(2);
  });

  it('long atoms: 2-byte atom lengths when the extra nibble says so', () => {
    const { r, got } = reader();
    const long = 'é'.repeat(200); // 400 bytes, 200 characters
    const b = Buffer.from(long, 'utf8');
    r.push(Uint8Array.from(packet([131, 68, 1, 0x18, 7, b.length >> 8, b.length & 0xff, ...b, 82, 0])));
    expect(got[0]!.atoms).toEqual([long]);
    expect(r.atomCache.get(0, 7)).toBe(long);
  });

  it("the fragmented example of OTP's guide (fragment size 128) is reassembled", () => {
    const { r, got } = reader();
    // The two node names are cached already in the example.
    r.atomCache.set(4, 10, 'a@h');
    r.atomCache.set(0, 5, 'b@h');
    const head = [131, 69, 0, 0, 2, 168, 0, 0, 5, 83, ...u64(2)];
    const refs = [5, 4, 137, 9, 10, 5, 236, 3, ...enc('reg'), 9, 4, ...enc('call'), 238, 13, ...enc('set_get_state')];
    const ctl = [104, 4, 97, 6, 103, 82, 0, 0, 0, 0, 85, 0, 0, 0, 0, 2, 82, 1, 82, 2];
    const payloadStart = [104, 3, 82, 3, 103, 82, 0, 0, 0, 0, 245, 0, 0, 0, 2, 2, 104, 2, 82, 4, 109, 0, 0, 0, 128];
    const first = [...head, ...refs, ...ctl, ...payloadStart, ...new Array<number>(103).fill(0)];
    const second = [131, 70, 0, 0, 2, 168, 0, 0, 5, 83, ...u64(1), ...new Array<number>(25).fill(0)];
    r.push(Uint8Array.from(packet(first)));
    expect(got).toHaveLength(0);
    expect(r.partialSequences).toBe(1);
    r.push(Uint8Array.from(packet(second)));
    expect(got).toHaveLength(1);
    expect(got[0]!.atoms).toEqual(['a@h', 'b@h', 'reg', 'call', 'set_get_state']);
    expect([...got[0]!.control]).toEqual(ctl);
    expect([...got[0]!.payload!]).toEqual([...payloadStart, ...new Array<number>(128).fill(0)]);
    expect(r.partialSequences).toBe(0);
    expect(r.fragmentsRead).toBe(2);
    expect(r.bufferedBytes).toBe(0);
  });

  it('pass-through packets (112): terms with their version bytes, no atoms', () => {
    const { r, got } = reader();
    r.push(Uint8Array.from(packet([112, 131, 104, 1, 97, 2, 131, 106])));
    expect(got[0]).toEqual({ atoms: [], control: Uint8Array.of(104, 1, 97, 2), payload: Uint8Array.of(106) });
    expect(r.passThroughRead).toBe(1);
  });

  it('split at every byte, the same messages and ticks come out', () => {
    const stream = [
      ...packet([...threeRefs, ...control, 106]), 0, 0, 0, 0,
      ...packet([131, 69, ...u64(9), ...u64(3), 0, 104, 1, 97]), ...packet([131, 70, ...u64(9), ...u64(2), 7]),
      ...packet([131, 70, ...u64(9), ...u64(1), 109, 0, 0, 0, 1, 42]),
    ];
    const whole = reader();
    whole.r.push(Uint8Array.from(stream));
    const bytewise = reader();
    for (const b of stream) bytewise.r.push(Uint8Array.of(b));
    expect(bytewise.got).toEqual(whole.got);
    expect(bytewise.ticks()).toBe(1);
    expect(whole.got).toHaveLength(2);
    expect([...whole.got[1]!.control]).toEqual([104, 1, 97, 7]);
    expect([...whole.got[1]!.payload!]).toEqual([109, 0, 0, 0, 1, 42]);
  });

  it('malformed input: each case its failure, and the reader is dead afterwards', () => {
    const cases: [number[], string, ErlangFrameReaderLimits?][] = [
      [packet([7, 1, 2]), 'bad_header'],
      [packet([131, 99, 0]), 'bad_header'],
      [packet([131, 68, 2, 0x00]), 'bad_header'], // flags cut short
      [packet([131, 68, 1, 0x00, 3, 106]), 'unknown_atom_ref'],
      [packet([131, 68, 1, 0x08, 3, 2, 0xff, 0xfe, 106]), 'bad_atom'],
      [packet([131, 70, ...u64(1), ...u64(1), 0]), 'bad_fragment'],
      [[...packet([131, 69, ...u64(1), ...u64(3), 0, 104]), ...packet([131, 70, ...u64(1), ...u64(1), 0])], 'bad_fragment'],
      [[...packet([131, 69, ...u64(1), ...u64(3), 0, 104]), ...packet([131, 69, ...u64(1), ...u64(2), 0])], 'bad_fragment'],
      [packet([131, 69, ...u64(1), ...u64(0), 0]), 'bad_fragment'],
      [packet([131, 68, 0, 104, 3, 97]), 'bad_term'],
      [packet([131, 68, 0, 80, 0, 0, 0, 1]), 'bad_term'],
      [packet([131, 68, 0, 106, 106]), 'too_large', { maxPacketBytes: 4 }],
      [[...packet([131, 69, ...u64(1), ...u64(3), 0, 104]), ...packet([131, 69, ...u64(2), ...u64(3), 0, 104])], 'too_much_buffered', { maxPartialSequences: 1 }],
      [[...packet([131, 69, ...u64(1), ...u64(3), 0, 104, 1, 2]), ...packet([131, 70, ...u64(1), ...u64(2), 1, 2, 3])], 'too_large', { maxMessageBytes: 4 }],
    ];
    for (const [bytes, want, limits] of cases) {
      const { r } = reader(limits);
      expect(failure(() => r.push(Uint8Array.from(bytes))), JSON.stringify(bytes)).toBe(want);
      expect(r.failed).toBe(true);
      expect(failure(() => r.push(Uint8Array.of(0, 0, 0, 0)))).toBe('dead');
    }
  });
});
