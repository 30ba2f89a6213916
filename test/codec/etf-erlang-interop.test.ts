// ETF codec against a real Erlang VM (one `erl -noshell` for the file, test/codec/fixtures/
// etf-erl-peer.ts): what our encoder writes, erlang:binary_to_term decodes to the term
// Erlang builds itself (=:=), byte for byte what term_to_binary(T, [{minor_version, 2}])
// writes; what term_to_binary writes (plain, compressed, minor versions 0, 1, 2) decodes
// to the expected JS values; pids, refs, ports and funs made by Erlang come back =:= after
// a trip through our decoder and encoder.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  Atom, BitBinary, Charlist, ErlClosure, ErlExportFun, ErlFloat, ErlPid, ErlPort, ErlRef, EtfDecoder, EtfEncoder, ImproperList, Tuple,
} from '../../src/codec/etf/index.ts';
import { startErlPeer, type ErlPeer } from './fixtures/etf-erl-peer.ts';

const a = (s: string) => Atom.of(s);
const utf8 = (s: string) => new Uint8Array(Buffer.from(s, 'utf8'));

interface Case {
  /** The Erlang expression building the term. */
  erl: string;
  /** The JS value we encode. */
  js: unknown;
  /** What the decoder gives for Erlang's encoding, when it differs from `js`. */
  decoded?: unknown;
  /** Our bytes equal term_to_binary(T, [{minor_version, 2}]) (false where erts orders map keys differently). */
  exact?: boolean;
}

const longAtom = 'x'.repeat(255);
const wideAtom = 'é'.repeat(200); // 400 bytes of UTF-8: ATOM_UTF8_EXT

const cases: Case[] = [
  { erl: '0', js: 0 },
  { erl: '255', js: 255 },
  { erl: '256', js: 256 },
  { erl: '-1', js: -1 },
  { erl: '-2147483648', js: -2147483648 },
  { erl: '2147483648', js: 2147483648 },
  { erl: '-2147483649', js: -2147483649 },
  { erl: '9007199254740991', js: Number.MAX_SAFE_INTEGER },
  { erl: '-9007199254740992', js: -(2n ** 53n) },
  { erl: '1 bsl 100', js: 2n ** 100n },
  { erl: '-(1 bsl 2048)', js: -(2n ** 2048n) },
  { erl: '255', js: 255n, decoded: 255 },
  { erl: '1.5', js: 1.5 },
  { erl: '2.0', js: new ErlFloat(2) },
  { erl: '-1.0e300', js: new ErlFloat(-1e300) },
  { erl: '5.0e-324', js: 5e-324 },
  { erl: '0.1', js: 0.1 },
  { erl: 'ok', js: a('ok') },
  { erl: "'hé€llo'", js: a('hé€llo') },
  { erl: "''", js: a('') },
  { erl: `'${longAtom}'`, js: a(longAtom) },
  { erl: `'${wideAtom}'`, js: a(wideAtom) },
  { erl: '{true, false, undefined, null}', js: Tuple.of(true, false, undefined, null), decoded: Tuple.of(true, false, undefined, a('null')) },
  { erl: '<<>>', js: new Uint8Array(0) },
  { erl: '<<1,2,255>>', js: new Uint8Array([1, 2, 255]) },
  { erl: '<<"hé€"/utf8>>', js: 'hé€', decoded: utf8('hé€') },
  { erl: '<<1:3>>', js: new BitBinary(new Uint8Array([0x20]), 3) },
  { erl: '<<255, 7:5>>', js: new BitBinary(new Uint8Array([255, 0x38]), 13) },
  { erl: '[]', js: [] },
  { erl: '"abc"', js: [97, 98, 99] },
  { erl: '"hé€"', js: new Charlist('hé€'), decoded: [104, 233, 8364] },
  { erl: '[1, 256, -1, a]', js: [1, 256, -1, a('a')] },
  { erl: '[a | b]', js: new ImproperList([a('a')], a('b')) },
  { erl: '[1, 2 | <<3>>]', js: new ImproperList([1, 2], new Uint8Array([3])) },
  { erl: 'lists:duplicate(70000, 1)', js: new Array(70000).fill(1) },
  { erl: '{}', js: Tuple.of() },
  { erl: '{ok, {1, [2]}}', js: Tuple.of(a('ok'), Tuple.of(1, [2])) },
  { erl: 'list_to_tuple(lists:seq(1, 300))', js: new Tuple(Array.from({ length: 300 }, (_, i) => i + 1)) },
  { erl: '#{}', js: new Map() },
  { erl: '#{a => 1}', js: { a: 1 }, decoded: new Map([[a('a'), 1]]) },
  {
    erl: '#{a => 1, <<"k">> => [x], {t} => #{}}',
    js: new Map<unknown, unknown>([[a('a'), 1], [utf8('k'), [a('x')]], [Tuple.of(a('t')), new Map()]]),
    exact: false,
  },
  { erl: "fun lists:map/2", js: new ErlExportFun(a('lists'), a('map'), 2) },
  { erl: "c:pid(0, 42, 1)", js: new ErlPid(a('nonode@nohost'), 42, 1, 0) },
  {
    erl: '{reply, [{<<"id">>, 12345678901234567890}, {<<"ok">>, true}], 3.25}',
    js: Tuple.of(a('reply'), [Tuple.of('id', 12345678901234567890n), Tuple.of('ok', true)], 3.25),
    decoded: Tuple.of(a('reply'), [Tuple.of(utf8('id'), 12345678901234567890n), Tuple.of(utf8('ok'), true)], 3.25),
  },
];

describe('etf: against a real Erlang VM', () => {
  let erl: ErlPeer;
  const enc = new EtfEncoder();
  const dec = new EtfDecoder();

  beforeAll(async () => {
    erl = await startErlPeer();
  });
  afterAll(async () => {
    await erl?.close();
  });

  it('binary_to_term of our encoding =:= the term Erlang builds', async () => {
    for (const c of cases) expect([c.erl, await erl.compare(enc.encode(c.js), c.erl)]).toEqual([c.erl, true]);
    // The harness reports a mismatch, and Erlang refuses bytes that are not a term.
    expect(await erl.compare(enc.encode(Tuple.of(1.5)), '{1}')).toBe('false {1.5}');
    await expect(erl.compare(new Uint8Array([131, 200]), 'x')).rejects.toThrow(/badarg/);
  });

  it('our encoding is byte for byte term_to_binary(T, [{minor_version, 2}])', async () => {
    for (const c of cases) {
      if (c.exact === false) continue;
      const theirs = Buffer.from(await erl.encode(c.erl, '[{minor_version, 2}]')).toString('hex');
      expect([c.erl, Buffer.from(enc.encode(c.js)).toString('hex')]).toEqual([c.erl, theirs]);
    }
  });

  it('term_to_binary output (minor versions 0, 1, 2 and compressed) decodes to the expected JS values', async () => {
    for (const opts of ['[]', '[{minor_version, 0}]', '[{minor_version, 1}]', '[{minor_version, 2}]', '[compressed]', '[{compressed, 9}, {minor_version, 0}]']) {
      for (const c of cases) {
        const got = dec.decode(await erl.encode(c.erl, opts));
        expect([opts, c.erl, got]).toEqual([opts, c.erl, 'decoded' in c ? c.decoded : c.js]);
      }
    }
  });

  it('plain objects with objectKeys: \'binary\' are maps with binary keys', async () => {
    const bin = new EtfEncoder({ objectKeys: 'binary' });
    expect(await erl.compare(bin.encode({ a: 1, 'é': [{ b: true }] }), '#{<<"a">> => 1, <<"é"/utf8>> => [#{<<"b">> => true}]}')).toBe(true);
  });

  it('our compressed terms decode in Erlang, and Erlang compresses what ours does', async () => {
    const packed = new EtfEncoder({ compressed: 9 }).encode(new Array(5000).fill(a('abc')));
    expect(packed[1]).toBe(80);
    expect(await erl.compare(packed, 'lists:duplicate(5000, abc)')).toBe(true);
    const theirs = await erl.encode('lists:duplicate(5000, abc)', '[compressed]');
    expect(theirs[1]).toBe(80);
    expect(dec.decode(theirs)).toEqual(new Array(5000).fill(a('abc')));
  });

  it('Erlang pids, refs, ports and funs come back =:= after our decoder and encoder', async () => {
    const made =
      'put(k, {self(), make_ref(), hd(erlang:ports()), fun lists:map/2, fun(X) -> X end, ' +
      '(fun(Y) -> fun(X) -> {X, Y} end end)({free, <<"v">>, [1.5]}), alias()}), get(k)';
    for (const opts of ['[]', '[{minor_version, 0}]', '[compressed]']) {
      const term = dec.decode(await erl.encode(made, opts)) as Tuple;
      const [pid, ref, port, exp, fun0, fun1, alias] = term.elements;
      expect(pid).toBeInstanceOf(ErlPid);
      expect(ref).toBeInstanceOf(ErlRef);
      expect(port).toBeInstanceOf(ErlPort);
      expect(exp).toEqual(new ErlExportFun(a('lists'), a('map'), 2));
      expect(fun0).toBeInstanceOf(ErlClosure);
      expect((fun1 as ErlClosure).module).toBe(a('erl_eval'));
      expect(alias).toBeInstanceOf(ErlRef);
      expect((pid as ErlPid).node).toBe(a('nonode@nohost'));
      expect(await erl.compare(enc.encode(term), 'get(k)')).toBe(true);
    }
  });

  it('pids, refs and ports of another node: Erlang decodes ours and writes them back in the same bytes', async () => {
    const node = a('e@127.0.0.1');
    const terms = [new ErlPid(node, 42, 1, 0x5eed), new ErlRef(node, 0x5eed, [1, 2, 3]), new ErlRef(node, 7, [1, 2, 3, 4, 5]), new ErlPort(node, 5n, 9), new ErlPort(node, 2n ** 40n, 9)];
    for (const t of terms) {
      const ours = enc.encode(t);
      const theirs = await erl.reencode(ours, '[{minor_version, 2}]');
      expect([String(t), Buffer.from(theirs).toString('hex')]).toEqual([String(t), Buffer.from(ours).toString('hex')]);
      expect(dec.decode(theirs)).toEqual(t);
    }
    const pidHex = Buffer.from(enc.encode(terms[0])).toString('hex').toUpperCase();
    expect(await erl.compare(enc.encode(node), `node(binary_to_term(binary:decode_hex(<<"${pidHex}">>)))`)).toBe(true);
  });
});
