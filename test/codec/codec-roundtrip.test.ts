import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Pid, Ref } from '../../src/core/pid.ts';
import { MessageDecoder, MessageEncoder, decodeMessage, encodeMessage } from '../../src/codec/index.ts';

// Leaves: every kind of primitive the codec has a tag for, plus pids, refs and dates.
const leaf = fc.oneof(
  fc.boolean(),
  fc.constantFrom(null, undefined, 0, -0, NaN, Infinity, -Infinity, 127, 128, -128, -129, 2 ** 31 - 1, -(2 ** 31), 2 ** 31, 2 ** 53),
  fc.integer(),
  fc.integer({ min: -200, max: 200 }),
  fc.double(),
  fc.bigInt(),
  fc.bigInt({ min: -(2n ** 200n), max: 2n ** 200n }),
  fc.string(),
  fc.string({ unit: 'binary', maxLength: 80 }), // lone surrogates, astral planes
  fc.string({ unit: 'grapheme', maxLength: 100 }),
  fc.string({ unit: fc.integer({ min: 0, max: 0xff }).map((c) => String.fromCharCode(c)), maxLength: 70 }), // Latin-1
  fc.string({ minLength: 65, maxLength: 300 }), // long ASCII: UTF-8 path
  fc.tuple(fc.nat(10), fc.nat(), fc.nat(1000)).map(([n, i, s]) => new Pid(n, i, s)),
  fc.tuple(fc.nat(10), fc.nat(64), fc.maxSafeNat()).map(([n, s, k]) => new Ref(n, s, k)),
  fc.date({ noInvalidDate: false }),
);

const anyValue = fc.anything({
  values: [leaf],
  maxDepth: 4,
  withBoxedValues: true,
  withMap: true,
  withSet: true,
  withBigInt: true,
  withDate: true,
  withTypedArray: true,
  withObjectString: true,
  stringUnit: 'binary',
});

const views = fc.oneof(
  fc.uint8Array(),
  fc.int8Array(),
  fc.int16Array(),
  fc.uint16Array(),
  fc.int32Array(),
  fc.uint32Array(),
  fc.float32Array(),
  fc.float64Array(),
  fc.bigInt64Array(),
  fc.bigUint64Array(),
  fc.uint8ClampedArray(),
);

describe('codec round-trip', () => {
  it('decodes what it encoded, for arbitrary values', () => {
    fc.assert(
      fc.property(anyValue, (value) => {
        const bytes = encodeMessage(value);
        expect(decodeMessage(bytes)).toStrictEqual(value);
      }),
      { numRuns: 2000 },
    );
  });

  it('gives the same bytes through the scratch buffer and through encodeInto at an offset', () => {
    const encoder = new MessageEncoder(64);
    const decoder = new MessageDecoder();
    const target = new Uint8Array(1 << 16);
    fc.assert(
      fc.property(anyValue, fc.nat(100), (value, offset) => {
        const n = encoder.encodeToScratch(value);
        const fromScratch = encoder.scratch.slice(0, n);
        const written = encoder.encodeInto(value, target, offset);
        if (written < 0) return; // larger than the target: covered elsewhere
        expect(written).toBe(n);
        expect(target.subarray(offset, offset + n)).toEqual(fromScratch);
        expect(decoder.decode(target, offset, n)).toStrictEqual(value);
      }),
      { numRuns: 500 },
    );
  });

  it('copies typed arrays, DataViews and ArrayBuffers, keeping only the bytes in the view', () => {
    fc.assert(
      fc.property(views, fc.nat(7), (view, skip) => {
        // A window into a bigger buffer: only the window is sent.
        const unit = view.BYTES_PER_ELEMENT;
        const big = new (view.constructor as new (n: number) => typeof view)(view.length + skip + 3);
        const window = new (view.constructor as new (b: ArrayBufferLike, o: number, n: number) => typeof view)(big.buffer, skip * unit, view.length);
        window.set(view as never);
        const out = decodeMessage(encodeMessage({ window })) as { window: typeof view };
        expect(out.window).toStrictEqual(view);
        expect(out.window.byteOffset).toBe(0);
        expect(out.window.buffer.byteLength).toBe(view.byteLength);
        expect(out.window.buffer).not.toBe(big.buffer);
      }),
    );
    const dv = new DataView(new Uint8Array([1, 2, 3, 4, 5]).buffer, 1, 3);
    const dvOut = decodeMessage(encodeMessage(dv)) as DataView;
    expect(dvOut).toBeInstanceOf(DataView);
    expect([...new Uint8Array(dvOut.buffer)]).toEqual([2, 3, 4]);
    const ab = new Uint8Array([9, 8, 7]).buffer;
    expect(new Uint8Array(decodeMessage(encodeMessage(ab)) as ArrayBuffer)).toEqual(new Uint8Array([9, 8, 7]));
    const buf = Buffer.from('hello');
    const bufOut = decodeMessage(encodeMessage(buf));
    expect(Buffer.isBuffer(bufOut)).toBe(true);
    expect((bufOut as Buffer).toString()).toBe('hello');
    const shared = new Uint8Array(new SharedArrayBuffer(4));
    shared[2] = 5;
    const sharedOut = decodeMessage(encodeMessage(shared)) as Uint8Array;
    expect(sharedOut.buffer).toBeInstanceOf(ArrayBuffer);
    expect([...sharedOut]).toEqual([0, 0, 5, 0]);
  });

  it('turns array holes into undefined and keeps null-prototype objects (as the local copy does)', () => {
    // eslint-disable-next-line no-sparse-arrays
    const sparse = [1, , 3];
    expect(decodeMessage(encodeMessage(sparse))).toStrictEqual([1, undefined, 3]);
    const bare = Object.create(null) as Record<string, unknown>;
    bare.a = 1;
    bare.__proto__ = 'data';
    const out = decodeMessage(encodeMessage({ bare })) as { bare: Record<string, unknown> };
    expect(Object.getPrototypeOf(out.bare)).toBe(null);
    expect(Object.keys(out.bare)).toEqual(['a', '__proto__']);
    expect(out.bare.__proto__).toBe('data');
  });

  it('keeps an own "__proto__" key as data, without touching the prototype', () => {
    const value = JSON.parse('{"__proto__": {"polluted": true}, "b": 2}') as Record<string, unknown>;
    const out = decodeMessage(encodeMessage(value)) as Record<string, unknown>;
    expect(Object.getPrototypeOf(out)).toBe(Object.prototype);
    expect(Object.keys(out)).toEqual(['__proto__', 'b']);
    expect(out.polluted).toBeUndefined();
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('lets the runtime intern pids and refs through decoder hooks', () => {
    const table = new Map<string, Pid>();
    const intern = (node: number, id: number, serial: number): Pid => {
      const key = `${node}.${id}.${serial}`;
      let pid = table.get(key);
      if (pid === undefined) table.set(key, (pid = new Pid(node, id, serial)));
      return pid;
    };
    const refs: Ref[] = [];
    const decoder = new MessageDecoder({
      makePid: intern,
      makeRef: (node, sched, n) => {
        const r = new Ref(node, sched, n);
        refs.push(r);
        return r;
      },
    });
    const msg = { from: new Pid(0, 42, 1), to: [new Pid(0, 42, 1)], ref: new Ref(0, 3, 2 ** 40) };
    const a = decoder.decode(encodeMessage(msg)) as typeof msg;
    const b = decoder.decode(encodeMessage(msg)) as typeof msg;
    expect(a.from).toBe(b.from);
    expect(a.to[0]).toBe(a.from);
    expect(refs).toHaveLength(2);
    expect(a.ref.n).toBe(2 ** 40);
  });
});
