/**
 * skipTerm on terms encoded by a real erlang:term_to_binary (OTP 25, minor_version 2,
 * hex taken once from erl and kept here as data): each is skipped to its exact end,
 * every cut-short prefix is refused 'bad_term', and the tags the distribution never
 * carries or whose length needs decoding are refused.
 */
import { describe, expect, it } from 'vitest';
import { ErlangFrameError, skipTerm } from '../../src/dist/erlang/index.ts';

// {6, <0.42.0>, x, [1,2|c], #{a => 1.5, <<"k">> => ["str", 1 bsl 80, -1 bsl 2000]}, make_ref(),
//  fun lists:map/2, <<1:3>>, {}, [], "", 300, -5}
const kBig = '83680D610658770D6E6F6E6F6465406E6F686F73740000002A00000000000000007701786C00000002610161027701637400000002770161463FF80000000000006D000000016B6C000000036B00037374726E0B0000000000000000000000016EFB01'
  + '00'.repeat(250) + '016A5A0003770D6E6F6E6F6465406E6F686F73740000000000028BFE4388000129CF3E487177056C6973747377036D617061024D00000001032068006A6A620000012C62FFFFFFFB';
// fun() -> ok end (NEW_FUN_EXT)
const kFun = '83700000008800065361AA461590D1BDF1EB62D1A6EB080000002B00000001770865726C5F6576616C612B6200329B0D58770D6E6F6E6F6465406E6F686F7374000000090000000000000000680661016A77046E6F6E6577046E6F6E6574000000006C0000000168057706636C6175736561016A6A6C000000016803770461746F6D610177026F6B6A6A';
// a port (NEW_PORT_EXT)
const kPort = '8359770D6E6F6E6F6465406E6F686F73740000000000000000';

function badTerm(bytes: Uint8Array, at: number): void {
  let err: unknown = null;
  try {
    skipTerm(bytes, at);
  } catch (e) {
    err = e;
  }
  expect(err).toBeInstanceOf(ErlangFrameError);
  expect((err as ErlangFrameError).failure).toBe('bad_term');
}

describe('skipTerm', () => {
  for (const [name, hex] of [['a tuple of most term types', kBig], ['a fun', kFun], ['a port', kPort]] as const) {
    it(`${name}: skipped to its end; every prefix refused`, () => {
      const b = Buffer.from(hex, 'hex');
      expect(b[0]).toBe(131);
      expect(skipTerm(b, 1)).toBe(b.length);
      for (let n = 1; n < b.length; n++) badTerm(b.subarray(0, n), 1);
    });
  }

  it('two terms in a row: the first ends where the second starts', () => {
    const b = Uint8Array.of(104, 2, 82, 0, 106, 109, 0, 0, 0, 2, 1, 2);
    expect(skipTerm(b, 0)).toBe(5);
    expect(skipTerm(b, 5)).toBe(b.length);
  });

  it('compressed terms, LOCAL_EXT, the removed FUN_EXT and unknown tags are refused', () => {
    for (const tag of [80, 121, 117, 0, 255, 71]) badTerm(Uint8Array.of(tag, 0, 0, 0, 0, 0, 0, 0, 0), 0);
  });

  it('a count that the bytes left cannot hold is refused at once, not looped over', () => {
    const t0 = Date.now();
    badTerm(Uint8Array.of(108, 0xff, 0xff, 0xff, 0xff, 106), 0);
    badTerm(Uint8Array.of(116, 0x7f, 0xff, 0xff, 0xff), 0);
    badTerm(Uint8Array.of(88, 97, 1), 0); // a pid whose node is not an atom
    expect(Date.now() - t0).toBeLessThan(100);
  });
});
