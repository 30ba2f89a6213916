// ETF codec, one type family at a time: the exact bytes the encoder writes (the smallest
// ext, as erts writes it) and what the decoder makes of each ext, old formats included.
import { describe, expect, it } from 'vitest';
import {
  Atom, BitBinary, Charlist, ErlExportFun, ErlFloat, ErlPid, ErlPort, ErlRef, EtfDecoder, EtfEncoder, ImproperList, Tuple,
} from '../../src/codec/etf/index.ts';

const enc = new EtfEncoder();
const dec = new EtfDecoder();
const bytes = (...b: number[]) => new Uint8Array([131, ...b]);
const atomBytes = (s: string) => [119, Buffer.byteLength(s), ...Buffer.from(s)];
const nonode = atomBytes('nonode@nohost');

describe('etf: integers', () => {
  it('picks SMALL_INTEGER, INTEGER, SMALL_BIG by value, for numbers and bigints alike', () => {
    expect(enc.encode(0)).toEqual(bytes(97, 0));
    expect(enc.encode(255)).toEqual(bytes(97, 255));
    expect(enc.encode(256n)).toEqual(bytes(98, 0, 0, 1, 0));
    expect(enc.encode(-1)).toEqual(bytes(98, 255, 255, 255, 255));
    expect(enc.encode(-0x8000_0000)).toEqual(bytes(98, 0x80, 0, 0, 0));
    expect(enc.encode(0x8000_0000)).toEqual(bytes(110, 4, 0, 0, 0, 0, 0x80));
    expect(enc.encode(-0x1_0000_0001)).toEqual(bytes(110, 5, 1, 1, 0, 0, 0, 1));
    expect(enc.encode(2n ** 64n)).toEqual(bytes(110, 9, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1));
  });

  it('writes LARGE_BIG past 255 digit bytes', () => {
    const b = enc.encode(-(2n ** 2048n));
    expect(b.slice(0, 7)).toEqual(bytes(111, 0, 0, 1, 1, 1));
    expect(dec.decode(b)).toBe(-(2n ** 2048n));
  });

  it('decodes to number when the value is a safe integer, else bigint (whatever ext carried it)', () => {
    expect(dec.decode(bytes(98, 255, 255, 255, 254))).toBe(-2);
    expect(dec.decode(bytes(110, 7, 0, 255, 255, 255, 255, 255, 255, 31))).toBe(Number.MAX_SAFE_INTEGER);
    expect(dec.decode(bytes(110, 7, 1, 0, 0, 0, 0, 0, 0, 32))).toBe(-(2n ** 53n));
    expect(dec.decode(bytes(110, 8, 0, 5, 0, 0, 0, 0, 0, 0, 0))).toBe(5); // not canonical: high zero digits
    expect(dec.decode(bytes(111, 0, 0, 0, 0, 1))).toBe(0);
  });
});

describe('etf: floats', () => {
  it('encodes non-integral numbers and ErlFloat as NEW_FLOAT, integral numbers as integers', () => {
    expect(enc.encode(1.5)).toEqual(bytes(70, 0x3f, 0xf8, 0, 0, 0, 0, 0, 0));
    expect(enc.encode(new ErlFloat(1))).toEqual(bytes(70, 0x3f, 0xf0, 0, 0, 0, 0, 0, 0));
    expect(enc.encode(-0)[1]).toBe(70);
    expect(enc.encode(2 ** 60)[1]).toBe(70); // not a safe integer: a float
  });

  it('decodes integral floats to ErlFloat unless asked for numbers; decodes old FLOAT_EXT', () => {
    const two = bytes(70, 0x40, 0, 0, 0, 0, 0, 0, 0);
    expect(dec.decode(two)).toEqual(new ErlFloat(2));
    expect(new EtfDecoder({ integralFloats: 'number' }).decode(two)).toBe(2);
    const text = Buffer.alloc(31);
    text.write('1.50000000000000000000e+00');
    expect(dec.decode(bytes(99, ...text))).toBe(1.5);
  });
});

describe('etf: atoms', () => {
  it('interns atoms and maps true/false/undefined to JS values', () => {
    expect(Atom.of('ok')).toBe(Atom.of('ok'));
    expect(enc.encode(Atom.of('ok'))).toEqual(bytes(119, 2, 111, 107));
    expect(enc.encode(true)).toEqual(bytes(...atomBytes('true')));
    expect(enc.encode(undefined)).toEqual(bytes(...atomBytes('undefined')));
    expect(enc.encode(null)).toEqual(bytes(...atomBytes('null')));
    expect(dec.decode(bytes(...atomBytes('false')))).toBe(false);
    expect(dec.decode(bytes(...atomBytes('null')))).toBe(Atom.of('null'));
  });

  it('writes UTF-8 atoms, ATOM_UTF8_EXT past 255 bytes; decodes Latin-1 ATOM_EXT and SMALL_ATOM_EXT', () => {
    const long = 'ä'.repeat(200);
    const b = enc.encode(Atom.of(long));
    expect(b.slice(0, 4)).toEqual(bytes(118, 1, 144));
    expect(dec.decode(b)).toBe(Atom.of(long));
    expect(dec.decode(bytes(100, 0, 2, 0xe9, 0x74))).toBe(Atom.of('ét'));
    expect(dec.decode(bytes(115, 2, 0xe9, 0x74))).toBe(Atom.of('ét'));
  });

  it('resolves ATOM_CACHE_REF through the caller\'s table', () => {
    const term = new Uint8Array([104, 2, 82, 0, 82, 3]);
    const refs = [Atom.of('$gen_call'), undefined, undefined, Atom.of('ok')];
    expect(dec.decodeTerm(term, 0, term.length, refs)).toEqual(Tuple.of(Atom.of('$gen_call'), Atom.of('ok')));
    expect(dec.offset).toBe(6);
  });
});

describe('etf: binaries and bitstrings', () => {
  it('strings go as UTF-8 binaries, Uint8Array as binaries; binaries decode as Uint8Array or (option) strings', () => {
    expect(enc.encode('hé')).toEqual(bytes(109, 0, 0, 0, 3, 104, 0xc3, 0xa9));
    expect(enc.encode(new Uint8Array([1, 2]))).toEqual(bytes(109, 0, 0, 0, 2, 1, 2));
    expect(enc.encode(Buffer.from([7]))).toEqual(bytes(109, 0, 0, 0, 1, 7));
    const got = dec.decode(bytes(109, 0, 0, 0, 2, 1, 2));
    expect(got).toBeInstanceOf(Uint8Array);
    expect(Buffer.isBuffer(got)).toBe(false);
    const asText = new EtfDecoder({ binaries: 'utf8' });
    expect(asText.decode(enc.encode('hé'))).toBe('hé');
    expect(asText.decode(bytes(109, 0, 0, 0, 1, 0xff))).toEqual(new Uint8Array([0xff]));
  });

  it('binaries decoded from a Buffer (a socket chunk) are plain Uint8Array copies', () => {
    const chunk = Buffer.from([0, 0, ...enc.encode(Tuple.of(new Uint8Array([5, 6]), new BitBinary(new Uint8Array([0x80]), 1)))]);
    const t = dec.decode(chunk, 2) as Tuple;
    const bin = t.get(0) as Uint8Array;
    expect(bin.constructor).toBe(Uint8Array);
    expect((t.get(1) as BitBinary).bytes.constructor).toBe(Uint8Array);
    chunk.fill(0);
    expect(bin).toEqual(new Uint8Array([5, 6]));
  });

  it('bitstrings: BIT_BINARY_EXT with the bits of the last byte', () => {
    const bb = new BitBinary(new Uint8Array([0xff, 0xff]), 11);
    expect(bb.bytes).toEqual(new Uint8Array([0xff, 0xe0]));
    expect(enc.encode(bb)).toEqual(bytes(77, 0, 0, 0, 2, 3, 0xff, 0xe0));
    expect(dec.decode(bytes(77, 0, 0, 0, 2, 3, 0xff, 0xe0))).toEqual(bb);
    expect(dec.decode(bytes(77, 0, 0, 0, 1, 8, 9))).toEqual(new Uint8Array([9]));
    expect(dec.decode(bytes(77, 0, 0, 0, 0, 0))).toEqual(new Uint8Array(0));
    expect(enc.encode(new BitBinary(new Uint8Array([1]), 8))).toEqual(bytes(109, 0, 0, 0, 1, 1));
  });
});

describe('etf: lists', () => {
  it('[] is NIL, lists of bytes are STRING_EXT, others LIST_EXT', () => {
    expect(enc.encode([])).toEqual(bytes(106));
    expect(enc.encode([104, 105])).toEqual(bytes(107, 0, 2, 104, 105));
    expect(enc.encode([1, 256])).toEqual(bytes(108, 0, 0, 0, 2, 97, 1, 98, 0, 0, 1, 0, 106));
    expect(enc.encode(new Array(70000).fill(1)).slice(0, 6)).toEqual(bytes(108, 0, 1, 0x11, 0x70));
    expect(dec.decode(bytes(107, 0, 2, 104, 105))).toEqual([104, 105]);
    expect(new EtfDecoder({ strings: 'charlist' }).decode(bytes(107, 0, 2, 104, 105))).toEqual(new Charlist('hi'));
  });

  it('Charlist encodes code points; improper lists keep their tail', () => {
    expect(enc.encode(new Charlist('hi'))).toEqual(bytes(107, 0, 2, 104, 105));
    expect(dec.decode(enc.encode(new Charlist('hé€')))).toEqual([104, 233, 8364]);
    const il = new ImproperList([1], Atom.of('b'));
    expect(enc.encode(il)).toEqual(bytes(108, 0, 0, 0, 1, 97, 1, ...atomBytes('b')));
    expect(dec.decode(enc.encode(il))).toEqual(il);
    expect(() => new ImproperList([1], [2])).toThrow(/tail must not be a list/);
  });

  it('a non-canonical list tail that is itself a list is joined', () => {
    expect(dec.decode(bytes(108, 0, 0, 0, 1, 97, 1, 107, 0, 1, 2))).toEqual([1, 2]);
    expect(dec.decode(bytes(108, 0, 0, 0, 1, 97, 1, 108, 0, 0, 0, 1, 97, 2, 97, 3))).toEqual(new ImproperList([1, 2], 3));
  });
});

describe('etf: tuples and maps', () => {
  it('SMALL_TUPLE up to 255 elements, LARGE_TUPLE past it', () => {
    expect(enc.encode(Tuple.of(Atom.of('ok'), 1))).toEqual(bytes(104, 2, 119, 2, 111, 107, 97, 1));
    const big = new Tuple(new Array(300).fill(0));
    expect(enc.encode(big).slice(0, 6)).toEqual(bytes(105, 0, 0, 1, 44));
    expect(dec.decode(enc.encode(big))).toEqual(big);
    const given = [1, 2];
    const t = new Tuple(given);
    given.push(3);
    expect(t.elements).toEqual([1, 2]); // copied in
  });

  it('Map -> MAP_EXT with any keys; plain objects -> maps with atom keys; maps decode as Map', () => {
    const m = new Map<unknown, unknown>([[Atom.of('a'), 1], [new Uint8Array([1]), Tuple.of()]]);
    expect(dec.decode(enc.encode(m))).toEqual(m);
    expect(enc.encode({ a: 1 })).toEqual(bytes(116, 0, 0, 0, 1, 119, 1, 97, 97, 1));
    expect(dec.decode(enc.encode({ a: 1, b: [] }))).toEqual(new Map<unknown, unknown>([[Atom.of('a'), 1], [Atom.of('b'), []]]));
  });
});

describe('etf: pids, refs, ports, funs', () => {
  const node = Atom.of('nonode@nohost');

  it('pids: NEW_PID_EXT written, PID_EXT read', () => {
    const pid = new ErlPid(node, 42, 1, 7);
    expect(enc.encode(pid)).toEqual(bytes(88, ...nonode, 0, 0, 0, 42, 0, 0, 0, 1, 0, 0, 0, 7));
    expect(dec.decode(bytes(103, ...nonode, 0, 0, 0, 42, 0, 0, 0, 1, 3))).toEqual(new ErlPid(node, 42, 1, 3));
    expect(pid.equals(new ErlPid(node, 42, 1, 7))).toBe(true);
    expect(String(pid)).toBe('<nonode@nohost.42.1>');
  });

  it('refs: NEWER_REFERENCE_EXT written; NEW_REFERENCE_EXT and REFERENCE_EXT read', () => {
    const ref = new ErlRef(node, 9, [1, 2, 3]);
    expect(enc.encode(ref)).toEqual(bytes(90, 0, 3, ...nonode, 0, 0, 0, 9, 0, 0, 0, 1, 0, 0, 0, 2, 0, 0, 0, 3));
    expect(dec.decode(bytes(114, 0, 1, ...nonode, 2, 0, 0, 0, 5))).toEqual(new ErlRef(node, 2, [5]));
    expect(dec.decode(bytes(101, ...nonode, 0, 0, 0, 5, 2))).toEqual(new ErlRef(node, 2, [5]));
  });

  it('ports: NEW_PORT_EXT for 32-bit ids, V4_PORT_EXT past them; PORT_EXT read', () => {
    expect(enc.encode(new ErlPort(node, 5n, 1))).toEqual(bytes(89, ...nonode, 0, 0, 0, 5, 0, 0, 0, 1));
    const v4 = new ErlPort(node, 2n ** 40n, 1);
    expect(enc.encode(v4)).toEqual(bytes(120, ...nonode, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 1));
    expect(dec.decode(enc.encode(v4))).toEqual(v4);
    expect(dec.decode(bytes(102, ...nonode, 0, 0, 0, 5, 1))).toEqual(new ErlPort(node, 5n, 1));
  });

  it('export funs: EXPORT_EXT both ways', () => {
    const f = new ErlExportFun(Atom.of('lists'), Atom.of('map'), 2);
    expect(enc.encode(f)).toEqual(bytes(113, ...atomBytes('lists'), ...atomBytes('map'), 97, 2));
    expect(dec.decode(enc.encode(f))).toEqual(f);
  });
});
