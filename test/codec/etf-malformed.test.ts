// ETF decoder (and encoder) on bad input: random bytes, mutated and truncated valid terms
// give only the typed errors of src/codec/etf/errors.ts, quickly; specific defects give
// the error class, code and path they should; every limit is enforced.
import { deflateSync } from 'node:zlib';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  Atom, EtfDecoder, EtfEncoder, EtfLimitError, EtfMalformedError, EtfUnsupportedError, Tuple,
} from '../../src/codec/etf/index.ts';
import { termArb } from './fixtures/etf-arbitrary.ts';

const enc = new EtfEncoder();
const dec = new EtfDecoder();
const bytes = (...b: number[]) => new Uint8Array([131, ...b]);

function isTyped(e: unknown): boolean {
  return e instanceof EtfMalformedError || e instanceof EtfUnsupportedError || e instanceof EtfLimitError;
}

/** Decode, and fail the property on any exception but the typed ones. */
function decodeOrTyped(d: EtfDecoder, b: Uint8Array): void {
  try {
    d.decode(b);
  } catch (e) {
    if (!isTyped(e)) throw new Error(`untyped ${String(e)} for ${Buffer.from(b).toString('hex')}`);
  }
}

function thrown(f: () => unknown): unknown {
  try {
    f();
  } catch (e) {
    return e;
  }
  throw new Error('did not throw');
}

describe('etf: fuzzing the decoder', () => {
  it('random bytes (with and without the version byte) raise only typed errors, fast', () => {
    const start = Date.now();
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 0, maxLength: 80 }), fc.boolean(), (b, versioned) => {
        decodeOrTyped(dec, versioned ? new Uint8Array([131, ...b]) : b);
      }),
      { numRuns: 10000 },
    );
    expect(Date.now() - start).toBeLessThan(10_000);
  });

  it('random bytes after each tag raise only typed errors', () => {
    const tags = [70, 77, 80, 82, 88, 89, 90, 97, 98, 99, 100, 101, 102, 103, 104, 105, 106, 107, 108, 109, 110, 111, 112, 113, 114, 115, 116, 117, 118, 119, 120, 121];
    fc.assert(
      fc.property(fc.constantFrom(...tags), fc.uint8Array({ maxLength: 60 }), (tag, b) => {
        decodeOrTyped(dec, new Uint8Array([131, tag, ...b]));
      }),
      { numRuns: 10000 },
    );
  });

  it('mutated valid encodings raise only typed errors (or decode)', () => {
    const small = new EtfDecoder({ maxBytes: 1 << 20, maxBigIntBytes: 64 });
    fc.assert(
      fc.property(termArb(3), fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 }), fc.constantFrom('set', 'insert', 'delete')), { minLength: 1, maxLength: 4 }), fc.boolean(), (t, edits, packed) => {
        const b = Array.from(packed ? new EtfEncoder({ compressed: true }).encode(t) : enc.encode(t));
        for (const [at, v, op] of edits) {
          const i = at % (b.length + 1);
          if (op === 'set' && i < b.length) b[i] = v;
          else if (op === 'insert') b.splice(i, 0, v);
          else if (op === 'delete' && i < b.length) b.splice(i, 1);
        }
        decodeOrTyped(small, new Uint8Array(b));
      }),
      { numRuns: 1500 },
    );
  });

  it('every truncation of a valid term is EtfMalformedError, and trailing bytes too', () => {
    fc.assert(
      fc.property(termArb(3), (t) => {
        const b = enc.encode(t);
        // Every cut of short terms; about 100 evenly spread cuts (the last byte's included) of long ones.
        const step = Math.max(1, Math.floor(b.length / 100));
        for (let cut = b.length - 1; cut >= 0; cut -= step) expect(() => dec.decode(b, 0, cut)).toThrow(EtfMalformedError);
        const longer = new Uint8Array(b.length + 1);
        longer.set(b);
        expect(() => dec.decode(longer)).toThrow(/1 trailing bytes/);
      }),
      { numRuns: 200 },
    );
  });
});

describe('etf: specific defects', () => {
  it('names the path of the bad part: term[2].key', () => {
    const bad = bytes(104, 3, 119, 1, 97, 119, 1, 98, 116, 0, 0, 0, 1, 119, 3, 107, 101, 121, 250);
    const e = thrown(() => dec.decode(bad)) as EtfMalformedError;
    expect(e).toBeInstanceOf(EtfMalformedError);
    expect(e.code).toBe('ERR_SB_ETF_MALFORMED');
    expect(e.path).toBe('term[2].key');
    expect(e.offset).toBe(19);
    expect(e.message).toBe('malformed external term at term[2].key (byte 19): unknown tag 250');
    const inList = thrown(() => dec.decode(bytes(108, 0, 0, 0, 2, 97, 1, 104, 1, 250, 106))) as EtfMalformedError;
    expect(inList.path).toBe('term[1][0]');
    const inTail = thrown(() => dec.decode(bytes(108, 0, 0, 0, 1, 97, 1, 250))) as EtfMalformedError;
    expect(inTail.path).toBe('term.tail');
    const inKey = thrown(() => dec.decode(bytes(116, 0, 0, 0, 1, 250, 97, 1))) as EtfMalformedError;
    expect(inKey.path).toBe('term[#0 key]');
  });

  it('the encoder names the path of what it cannot encode', () => {
    const e = thrown(() => enc.encode(Tuple.of(1, 2, { key: Symbol('s') }))) as EtfUnsupportedError;
    expect(e).toBeInstanceOf(EtfUnsupportedError);
    expect(e.code).toBe('ERR_SB_ETF_UNSUPPORTED');
    expect(e.message).toBe('cannot encode term[2].key: a symbol');
    expect((thrown(() => enc.encode([1, NaN])) as EtfUnsupportedError).message).toBe('cannot encode term[1]: NaN (Erlang floats are finite)');
    expect((thrown(() => enc.encode(new Map([[Atom.of('k'), () => 1]]))) as EtfUnsupportedError).path).toBe('term.k');
    expect((thrown(() => enc.encode(new Date())) as EtfUnsupportedError).message).toMatch(/an instance of Date/);
    expect((thrown(() => enc.encode(new Int16Array(2))) as EtfUnsupportedError).message).toMatch(/Int16Array/);
    expect((thrown(() => enc.encode(new Set())) as EtfUnsupportedError).message).toMatch(/Set/);
  });

  it('refuses FUN_EXT and LOCAL_EXT as unsupported, unknown tags and a nested compressed tag as malformed', () => {
    expect(() => dec.decode(bytes(117, 0, 0, 0, 0))).toThrow(EtfUnsupportedError);
    expect(() => dec.decode(bytes(121, 1, 2))).toThrow(/LOCAL_EXT/);
    expect(() => dec.decode(bytes(200))).toThrow(/unknown tag 200/);
    expect(() => dec.decode(bytes(104, 1, 80, 0))).toThrow(/compressed term inside/);
    expect(() => dec.decode(new Uint8Array([130, 106]))).toThrow(/version byte 130/);
    expect(() => dec.decode(new Uint8Array(0))).toThrow(/empty input/);
  });

  it('rejects forged counts before allocating them', () => {
    const start = Date.now();
    expect(() => dec.decode(bytes(108, 0xff, 0xff, 0xff, 0xff, 106))).toThrow(/a list of 4294967295 does not fit/);
    expect(() => dec.decode(bytes(105, 0xff, 0xff, 0xff, 0xff))).toThrow(EtfMalformedError);
    expect(() => dec.decode(bytes(116, 0x7f, 0xff, 0xff, 0xff, 97, 1))).toThrow(EtfMalformedError);
    expect(() => dec.decode(bytes(109, 0xff, 0xff, 0xff, 0xff, 1))).toThrow(/truncated/);
    expect(Date.now() - start).toBeLessThan(1000);
  });

  it('rejects bad atoms, floats, bignum signs, bit counts, duplicate map keys', () => {
    expect(() => dec.decode(bytes(119, 2, 0xc3, 0x28))).toThrow(/not valid UTF-8/);
    expect(() => dec.decode(bytes(100, 1, 0, ...new Array(256).fill(97)))).toThrow(/an atom of 256 bytes/);
    expect(() => dec.decode(bytes(70, 0x7f, 0xf0, 0, 0, 0, 0, 0, 0))).toThrow(/not finite/);
    expect(() => dec.decode(bytes(99, ...Buffer.alloc(31, 'x')))).toThrow(/FLOAT_EXT text/);
    expect(() => dec.decode(bytes(110, 1, 2, 5))).toThrow(/sign byte 2/);
    expect(() => dec.decode(bytes(77, 0, 0, 0, 1, 0, 5))).toThrow(/0 bits in the last byte/);
    expect(() => dec.decode(bytes(77, 0, 0, 0, 0, 3))).toThrow(EtfMalformedError);
    expect(() => dec.decode(bytes(116, 0, 0, 0, 2, 97, 1, 97, 2, 97, 1, 97, 3))).toThrow(/duplicate map key/);
    expect(() => dec.decode(bytes(90, 0, 6, 119, 1, 97, 0, 0, 0, 0))).toThrow(/a reference of 6 words/);
    expect(() => dec.decode(bytes(113, 119, 1, 109, 119, 1, 102, 98, 0, 0, 0, 1))).toThrow(/arity of EXPORT_EXT/);
  });

  it('ATOM_CACHE_REF needs the caller\'s table and an entry in it', () => {
    expect(() => dec.decode(bytes(82, 0))).toThrow(/ATOM_CACHE_REF 0 with no atom cache/);
    const b = new Uint8Array([82, 1]);
    expect(() => dec.decodeTerm(b, 0, 2, [Atom.of('a')])).toThrow(/ATOM_CACHE_REF 1 is not in the atom cache/);
  });

  it('compressed terms: bad zlib data, a size that lies, a size past maxBytes', () => {
    const body = enc.encode(new Array(1000).fill(Atom.of('x'))).subarray(1);
    const z = deflateSync(body);
    const packed = (size: number, data: Uint8Array) => new Uint8Array([131, 80, size >>> 24, (size >>> 16) & 255, (size >>> 8) & 255, size & 255, ...data]);
    expect(dec.decode(packed(body.length, z))).toHaveLength(1000);
    expect(() => dec.decode(packed(body.length, z.subarray(0, 10)))).toThrow(/bad zlib data|inflates to/);
    expect(() => dec.decode(packed(body.length - 1, z))).toThrow(EtfMalformedError);
    expect(() => dec.decode(packed(body.length + 1, z))).toThrow(/inflates to/);
    expect(() => dec.decode(packed(0, z))).toThrow(/0 bytes/);
    const bomb = deflateSync(new Uint8Array(8 << 20));
    const e = thrown(() => new EtfDecoder({ maxBytes: 1 << 20 }).decode(packed(8 << 20, bomb))) as EtfLimitError;
    expect(e).toBeInstanceOf(EtfLimitError);
    expect(e.limit).toBe('bytes');
    expect(e.code).toBe('ERR_SB_ETF_LIMIT');
    // A size that claims less than the stream holds stops inflating at the claimed size.
    expect(() => new EtfDecoder({ maxBytes: 1 << 20 }).decode(packed(1000, bomb))).toThrow(EtfMalformedError);
  });
});

describe('etf: limits', () => {
  it('depth: a decoded term nested past maxDepth, an encoded value too (a cycle included)', () => {
    const deep: number[] = [];
    for (let i = 0; i < 50; i++) deep.push(108, 0, 0, 0, 1);
    deep.push(106);
    for (let i = 0; i < 50; i++) deep.push(106);
    const b = bytes(...deep);
    expect(() => dec.decode(b)).not.toThrow();
    const e = thrown(() => new EtfDecoder({ maxDepth: 10 }).decode(b)) as EtfLimitError;
    expect(e.limit).toBe('depth');
    expect(e.path).toBe('term' + '[0]'.repeat(10));
    const cyclic: unknown[] = [1];
    cyclic.push(cyclic);
    expect((thrown(() => enc.encode(cyclic)) as EtfLimitError).limit).toBe('depth');
    expect((thrown(() => new EtfEncoder({ maxDepth: 3 }).encode([[[[true]]]])) as EtfLimitError).path).toBe('term[0][0][0]');
  });

  it('a very deep term within maxDepth never overflows the JS stack untyped (decoder and encoder)', () => {
    const deep = new Uint8Array(2 + 2 * 200_000).fill(1);
    deep[0] = 131;
    for (let i = 0; i < 200_000; i++) deep[1 + 2 * i] = 104;
    deep[deep.length - 1] = 106;
    const e = thrown(() => new EtfDecoder({ maxDepth: 1_000_000 }).decode(deep));
    expect(e).toBeInstanceOf(EtfLimitError);
    let nested: unknown = 1;
    for (let i = 0; i < 200_000; i++) nested = Tuple.of(nested);
    const onEncode = thrown(() => new EtfEncoder({ maxDepth: 1_000_000 }).encode(nested)) as EtfLimitError;
    expect(onEncode).toBeInstanceOf(EtfLimitError);
    expect(onEncode.limit).toBe('depth');
  });

  it('bytes: input longer than maxBytes', () => {
    const e = thrown(() => new EtfDecoder({ maxBytes: 10 }).decode(enc.encode(new Uint8Array(20)))) as EtfLimitError;
    expect(e.limit).toBe('bytes');
  });

  it('bigint: bignums with more digit bytes than maxBigIntBytes', () => {
    const b = enc.encode(2n ** 1000n);
    expect(dec.decode(b)).toBe(2n ** 1000n);
    expect((thrown(() => new EtfDecoder({ maxBigIntBytes: 64 }).decode(b)) as EtfLimitError).limit).toBe('bigint');
  });

  it('atoms: existingAtomsOnly refuses new atoms; atoms longer than 255 characters are refused', () => {
    const fresh = `fresh_${Date.now()}_${Math.random()}`;
    const b = bytes(104, 1, 119, fresh.length, ...Buffer.from(fresh));
    const e = thrown(() => new EtfDecoder({ existingAtomsOnly: true }).decode(b)) as EtfLimitError;
    expect(e.limit).toBe('atoms');
    expect(e.path).toBe('term[0]');
    expect(Atom.existing(fresh)).toBeUndefined();
    const ok = Atom.of('ok');
    expect(new EtfDecoder({ existingAtomsOnly: true }).decode(bytes(119, 2, 111, 107))).toBe(ok);
    expect((thrown(() => Atom.of('a'.repeat(256))) as EtfLimitError).limit).toBe('atom_length');
    expect(Atom.of('€'.repeat(255)).name).toHaveLength(255);
    expect((thrown(() => enc.encode({ ['k'.repeat(300)]: 1 })) as EtfLimitError).path).toBe(`term.${'k'.repeat(300)}`);
  });

  it('atoms: maxNewAtoms bounds the new atoms of one term; the table limit bounds them all', () => {
    const names = Array.from({ length: 4 }, (_, i) => `new_${i}_${Date.now()}_${Math.random()}`);
    const wire = bytes(104, 4, ...names.flatMap((n) => [119, n.length, ...Buffer.from(n)]));
    const e = thrown(() => new EtfDecoder({ maxNewAtoms: 3 }).decode(wire)) as EtfLimitError;
    expect(e.limit).toBe('atoms');
    expect(e.path).toBe('term[3]');
    expect(new EtfDecoder({ maxNewAtoms: 4 }).decode(wire)).toBeInstanceOf(Tuple); // the first 3 exist now: 1 new
    const ok = Atom.of('ok');
    const previous = Atom.setTableLimit(Atom.count() + 1);
    try {
      Atom.of(`one_more_${Math.random()}`);
      const full = thrown(() => dec.decode(bytes(119, 3, 122, 122, 122))) as EtfLimitError;
      expect(full.limit).toBe('atoms');
      expect(full.message).toMatch(/the atom table is full/);
      expect(Atom.of('ok')).toBe(ok); // existing atoms still resolve
      expect(dec.decode(bytes(119, 2, 111, 107))).toBe(ok);
    } finally {
      Atom.setTableLimit(previous);
    }
  });

  it('options are validated', () => {
    expect(() => new EtfDecoder({ maxDepth: 0 })).toThrow('EtfDecoder: option "maxDepth" must be a positive integer');
    expect(() => new EtfDecoder({ binaries: 'text' as 'utf8' })).toThrow(`EtfDecoder: option "binaries" must be one of 'bytes', 'utf8'`);
    expect(() => new EtfDecoder({ nope: 1 } as object)).toThrow('EtfDecoder: unknown option "nope"');
    expect(() => new EtfDecoder({ maxNewAtoms: -1 })).toThrow('EtfDecoder: option "maxNewAtoms" must be a positive integer');
    expect(() => new EtfEncoder({ objectKeys: 'x' as 'atom' })).toThrow(`EtfEncoder: option "objectKeys" must be one of 'atom', 'binary'`);
    expect(() => new EtfEncoder({ compressed: 12 })).toThrow('EtfEncoder: option "compressed" must be a boolean or a zlib level 0..9');
  });
});
