/**
 * The framing after the handshake against a real OTP node: what erl sends (REG_SEND with
 * its payload, with and without the atom cache header; a message larger than 64 KiB,
 * which erl fragments) is read into control and payload bytes equal to what
 * term_to_binary gives in erl for the same terms; and what our writer sends (whole,
 * fragmented, a small message interleaved between the fragments of a large one,
 * pass-through) is received by erl as the terms we encoded.
 */
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lookupNode } from '../../src/dist/port-mapper-client.ts';
import { DFLAG_DIST_HDR_ATOM_CACHE, DFLAG_FRAGMENTS, kErlangDefaultFlags, type ErlangHandshakeSelf } from '../../src/dist/erlang/index.ts';
import { hasEpmd, hasErl, startRealEpmd, type RealEpmd } from './fixtures/erlang-tools.ts';
import { freePort } from './fixtures/free-port.ts';
import { startErlPeer, type ErlPeer } from './fixtures/erlang-peer.ts';
import { attachLink, dialErlang, type Link } from './fixtures/erlang-peer-link.ts';
import { atom, binary, pid, resolveAtomRefs, smallInt, tuple } from './fixtures/erlang-peer-terms.ts';

const ok = hasErl && hasEpmd;
if (!ok) console.warn('erlang-framing-real-erl: skipped, `erl`/`epmd` are not installed (apt-get install erlang-nox)');

const kCookie = 'sbframecookie';
const kSb = 'sb@127.0.0.1';
const kErl = 'e@127.0.0.1';
const kCreation = 0x1234567;

const equal = (a: Uint8Array, b: Uint8Array): boolean => Buffer.compare(a, b) === 0;
/** term_to_binary output without its version byte. */
const noVersion = (b: Uint8Array): Uint8Array => {
  expect(b[0]).toBe(131);
  return b.subarray(1);
};

describe.skipIf(!ok)('Erlang framing with a real erl node', () => {
  let epmd: RealEpmd;
  let erl: ErlPeer;
  let erlPort: number;

  async function connect(flags: bigint, fragmentBytes?: number): Promise<Link> {
    const self: ErlangHandshakeSelf = { name: kSb, creation: kCreation, cookie: kCookie, setupTimeMs: 5000, flags };
    const { socket, result } = await dialErlang(erlPort, self, kErl);
    return attachLink(socket, result, fragmentBytes !== undefined ? { fragmentBytes } : undefined);
  }

  async function disconnect(link: Link): Promise<void> {
    link.close();
    const deadline = Date.now() + 5000;
    while ((await erl.value(`lists:member('${kSb}', nodes()).`)) === 'true') {
      if (Date.now() > deadline) throw new Error('erl still lists us');
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  /** What erl's `{reg, sb} ! Msg` must produce: REG_SEND {6, self(), '', reg} and Msg. */
  async function expectedRegSend(msg: string): Promise<{ control: Uint8Array; payload: Uint8Array }> {
    return {
      control: noVersion(await erl.binary("term_to_binary({6, self(), '', reg}, [{minor_version, 2}]).")),
      payload: noVersion(await erl.binary(`term_to_binary(${msg}, [{minor_version, 2}]).`, 20_000)),
    };
  }

  beforeAll(async () => {
    epmd = await startRealEpmd(await freePort());
    erl = await startErlPeer({ name: kErl, cookie: kCookie, epmdPort: epmd.port });
    erlPort = (await lookupNode('e', { port: epmd.port }))!.port;
    await erl.value('register(sink, self()).');
  }, 20_000);

  afterAll(async () => {
    await erl?.stop();
    await epmd?.stop();
  });

  it('with the atom cache header: REG_SEND control and payload equal term_to_binary, atoms resolved through the header', async () => {
    const link = await connect(kErlangDefaultFlags);
    try {
      expect(link.peer.flags & DFLAG_DIST_HDR_ATOM_CACHE).not.toBe(0n);
      const want = await expectedRegSend('{hello, <<1,2,3>>}');
      expect(await erl.value(`{reg, '${kSb}'} ! {hello, <<1,2,3>>}, ok.`)).toBe('ok');
      const m = await link.waitMessage((x) => equal(resolveAtomRefs(x.control, x.atoms), want.control), 5000, 'the REG_SEND to reg');
      expect(m.atoms).toContain('reg');
      expect(m.atoms).toContain(kErl);
      expect(m.control.includes(82)).toBe(true); // at least one ATOM_CACHE_REF in the raw bytes
      expect(equal(resolveAtomRefs(m.payload!, m.atoms), want.payload)).toBe(true);
      expect(link.reader.atomCache.size).toBeGreaterThan(0);
    } finally {
      await disconnect(link);
    }
  });

  it('with FRAGMENTS but no atom cache: a header with no refs, the raw bytes equal term_to_binary as they are', async () => {
    const link = await connect(kErlangDefaultFlags & ~DFLAG_DIST_HDR_ATOM_CACHE);
    try {
      expect(link.peer.flags & DFLAG_DIST_HDR_ATOM_CACHE).toBe(0n);
      const want = await expectedRegSend('{hello, <<1,2,3>>}');
      await erl.value(`{reg, '${kSb}'} ! {hello, <<1,2,3>>}, ok.`);
      const m = await link.waitMessage((x) => equal(x.control, want.control), 5000, 'the REG_SEND to reg');
      expect(m.atoms).toEqual([]);
      expect(equal(m.payload!, want.payload)).toBe(true);
      expect(link.reader.passThroughRead).toBe(0);
      link.writer.send(1, tuple(smallInt(6), pid(kSb, 1, 0, kCreation), atom(''), atom('sink')), tuple(atom('nohdr'), binary(Uint8Array.of(8))));
      link.writer.flush();
      expect(await erl.value('receive M -> M after 5000 -> timeout end.')).toBe('{nohdr,<<8>>}');
    } finally {
      await disconnect(link);
    }
  });

  it('with neither (pass-through, 112): the raw bytes equal term_to_binary as they are', async () => {
    const link = await connect(kErlangDefaultFlags & ~DFLAG_DIST_HDR_ATOM_CACHE & ~DFLAG_FRAGMENTS);
    try {
      expect(link.peer.flags & (DFLAG_DIST_HDR_ATOM_CACHE | DFLAG_FRAGMENTS)).toBe(0n);
      const want = await expectedRegSend('{hello, <<1,2,3>>}');
      await erl.value(`{reg, '${kSb}'} ! {hello, <<1,2,3>>}, ok.`);
      const m = await link.waitMessage((x) => equal(x.control, want.control), 5000, 'the REG_SEND to reg');
      expect(m.atoms).toEqual([]);
      expect(equal(m.payload!, want.payload)).toBe(true);
      expect(link.reader.passThroughRead).toBeGreaterThan(0);
    } finally {
      await disconnect(link);
    }
  });

  it('a 300 KB message from erl comes in fragments and is reassembled to term_to_binary bytes', async () => {
    const link = await connect(kErlangDefaultFlags);
    try {
      expect(link.peer.flags & DFLAG_FRAGMENTS).not.toBe(0n);
      const msg = '{big, binary:copy(<<7,8,9>>, 100000)}';
      const want = await expectedRegSend(msg);
      await erl.value(`{reg, '${kSb}'} ! ${msg}, ok.`);
      const m = await link.waitMessage((x) => x.payload !== null && x.payload.length > 300_000, 10_000, 'the big message');
      expect(equal(resolveAtomRefs(m.control, m.atoms), want.control)).toBe(true);
      expect(equal(resolveAtomRefs(m.payload!, m.atoms), want.payload)).toBe(true);
      expect(link.reader.fragmentsRead).toBeGreaterThanOrEqual(5); // 300 KB in 64 KiB fragments
      expect(link.reader.partialSequences).toBe(0);
    } finally {
      await disconnect(link);
    }
  });

  it('our writer: a REG_SEND, then a fragmented 300 KB message with a small one and a tick between its fragments', async () => {
    const link = await connect(kErlangDefaultFlags, 16 * 1024);
    try {
      const from = pid(kSb, 1, 0, kCreation);
      const regSend = tuple(smallInt(6), from, atom(''), atom('sink'));
      link.writer.send(1, regSend, tuple(atom('from_sb'), binary(Uint8Array.of(1, 2, 3))));
      link.writer.flush();
      expect(await erl.value('receive M -> M after 5000 -> timeout end.')).toBe('{from_sb,<<1,2,3>>}');

      const big = Buffer.alloc(300_000);
      for (let i = 0; i < big.length; i++) big[i] = (i * 31) & 0xff;
      link.writer.send(1, regSend, tuple(atom('big'), binary(big)));
      link.writer.tick();
      link.writer.send(2, tuple(smallInt(6), pid(kSb, 2, 0, kCreation), atom(''), atom('sink')), tuple(atom('small'), smallInt(5)));
      link.writer.flush();
      expect(link.writer.fragmentsWritten).toBeGreaterThanOrEqual(19);
      // The small message (stream 2) went between the big one's fragments, so it is first in erl's mailbox.
      expect(await erl.value('receive {small, 5} -> receive {big, B} -> {first_small, byte_size(B)} after 5000 -> no_big end after 5000 -> no_small end.')).toBe('{first_small,300000}');
      link.writer.send(1, regSend, tuple(atom('big'), binary(big)));
      link.writer.flush();
      const md5 = await erl.binary('receive {big, B} -> erlang:md5(B) after 5000 -> <<>> end.');
      expect(Buffer.from(md5).toString('hex')).toBe(createHash('md5').update(big).digest('hex'));
    } finally {
      await disconnect(link);
    }
  });

  it('our writer in pass-through form (112) is understood by erl', async () => {
    const link = await connect(kErlangDefaultFlags & ~DFLAG_DIST_HDR_ATOM_CACHE & ~DFLAG_FRAGMENTS);
    try {
      link.writer.send(1, tuple(smallInt(6), pid(kSb, 1, 0, kCreation), atom(''), atom('sink')), tuple(atom('pt'), binary(Uint8Array.of(9))));
      link.writer.flush();
      expect(await erl.value('receive M -> M after 5000 -> timeout end.')).toBe('{pt,<<9>>}');
    } finally {
      await disconnect(link);
    }
  });
});
