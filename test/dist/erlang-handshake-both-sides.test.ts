/**
 * Our Erlang handshake against itself over loopback sockets, for what a real erl cannot
 * be made to do on cue: each status ('ok_simultaneous', 'nok', 'not_allowed', 'alive'
 * answered true or false), a peer without the mandatory flags, a peer that is not the
 * node dialled, a silent peer (timeout), the flags in use (the intersection), the
 * simultaneous-connect rule, and the digest as dist_util computes it.
 */
import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import {
  acceptErlangHandshake, connectErlangHandshake, DFLAG_DIST_HDR_ATOM_CACHE, DFLAG_FRAGMENTS, DFLAG_MAP_TAG, DFLAG_MANDATORY_25_DIGEST,
  DFLAG_PUBLISHED, ErlangAliveError, ErlangBadCookieError, ErlangHandshakeTimeoutError, ErlangMalformedHandshakeError,
  ErlangMissingFlagsError, ErlangNotAllowedError, ErlangSimultaneousConnectError, erlangDigest, erlangKeepsOutgoing,
  kErlangDefaultFlags, kErlangMandatory25, type ErlangAcceptDecision, type ErlangHandshakeSelf,
} from '../../src/dist/erlang/index.ts';

const a: ErlangHandshakeSelf = { name: 'a@127.0.0.1', creation: 11, cookie: 'c', setupTimeMs: 3000 };
const b: ErlangHandshakeSelf = { name: 'b@127.0.0.1', creation: 22, cookie: 'c', setupTimeMs: 3000 };

const open: net.Socket[] = [];
afterEach(() => {
  for (const s of open.splice(0)) s.destroy();
});

async function pair(): Promise<[net.Socket, net.Socket]> {
  const server = net.createServer();
  await new Promise<void>((r) => server.listen({ host: '127.0.0.1', port: 0 }, r));
  const accepted = new Promise<net.Socket>((r) => server.once('connection', r));
  const client = net.connect((server.address() as net.AddressInfo).port, '127.0.0.1');
  const s = await accepted;
  server.close();
  open.push(client, s);
  return [client, s];
}

async function both(
  init: ErlangHandshakeSelf,
  acc: ErlangHandshakeSelf,
  decide: () => ErlangAcceptDecision = () => 'ok',
  extra?: { answerAlive?: () => boolean; oldConnectionGone?: () => Promise<void>; expected?: string },
) {
  const [c, s] = await pair();
  const connectOpts = extra?.answerAlive !== undefined ? { answerAlive: extra.answerAlive } : undefined;
  const acceptOpts = extra?.oldConnectionGone !== undefined ? { oldConnectionGone: extra.oldConnectionGone } : undefined;
  const [ci, ai] = await Promise.allSettled([
    connectErlangHandshake(c, init, extra?.expected ?? acc.name, connectOpts),
    acceptErlangHandshake(s, acc, decide, acceptOpts),
  ]);
  return { c, s, ci, ai };
}

const reason = (r: PromiseSettledResult<unknown>): unknown => (r.status === 'rejected' ? r.reason : null);

describe('Erlang handshake, our two sides', () => {
  it('ok: both resolve, with the peer, its creation, and the flags both offered', async () => {
    const { ci, ai } = await both(a, { ...b, flags: kErlangDefaultFlags & ~DFLAG_FRAGMENTS });
    expect(ci.status).toBe('fulfilled');
    expect(ai.status).toBe('fulfilled');
    if (ci.status !== 'fulfilled' || ai.status !== 'fulfilled') return;
    expect(ci.value.peer).toMatchObject({ name: b.name, creation: 22, hidden: false });
    expect(ai.value.peer).toMatchObject({ name: a.name, creation: 11, hidden: false });
    expect(ci.value.peer.flags & DFLAG_FRAGMENTS).toBe(0n);
    expect(ci.value.peer.flags & DFLAG_DIST_HDR_ATOM_CACHE).not.toBe(0n);
    expect(ci.value.peer.flags).toBe(ai.value.peer.flags);
    expect(ci.value.rest.length).toBe(0);
  });

  it('bytes the acceptor sends right after its ack are handed over in the initiator\'s rest, and a hidden side is hidden', async () => {
    const [c, s] = await pair();
    const acc = acceptErlangHandshake(s, b, () => 'ok').then((r) => {
      s.write(Uint8Array.of(0, 0, 0, 0)); // a tick, straight after the ack
      return r;
    });
    const init = connectErlangHandshake(c, { ...a, hidden: true }, b.name);
    const [ir, ar] = await Promise.all([init, acc]);
    expect(ar.peer.hidden).toBe(true);
    expect(ar.peer.flags & DFLAG_PUBLISHED).toBe(0n);
    // The tick may arrive with the ack or after: either in rest or on the paused socket.
    const more = ir.rest.length >= 4 ? ir.rest : await new Promise<Uint8Array>((r) => { c.once('data', (d: Buffer) => r(Buffer.concat([ir.rest, d]))); c.resume(); });
    expect([...more.subarray(0, 4)]).toEqual([0, 0, 0, 0]);
  });

  it('another cookie: the acceptor refuses (BadCookie, by us), the initiator sees the close (BadCookie, by the peer)', async () => {
    const { ci, ai } = await both(a, { ...b, cookie: 'other' });
    expect(reason(ai)).toBeInstanceOf(ErlangBadCookieError);
    expect((reason(ai) as ErlangBadCookieError).detectedBy).toBe('us');
    expect(reason(ci)).toBeInstanceOf(ErlangBadCookieError);
    expect((reason(ci) as ErlangBadCookieError).detectedBy).toBe('peer');
  });

  it("'ok_simultaneous' goes on; 'nok' and 'not_allowed' refuse both sides with their errors", async () => {
    const sim = await both(a, b, () => 'ok_simultaneous');
    expect(sim.ci.status).toBe('fulfilled');
    expect(sim.ai.status).toBe('fulfilled');
    const nok = await both(a, b, () => 'nok');
    expect(reason(nok.ci)).toBeInstanceOf(ErlangSimultaneousConnectError);
    expect((reason(nok.ci) as ErlangSimultaneousConnectError).code).toBe('ERR_SB_ERLANG_NOK');
    expect(reason(nok.ai)).toBeInstanceOf(ErlangSimultaneousConnectError);
    const na = await both(a, b, () => 'not_allowed');
    expect(reason(na.ci)).toBeInstanceOf(ErlangNotAllowedError);
    expect(reason(na.ai)).toBeInstanceOf(ErlangNotAllowedError);
  });

  it("'alive': the initiator's true goes on after the old connection is gone, false refuses both", async () => {
    const order: string[] = [];
    const yes = await both(a, b, () => 'alive', {
      answerAlive: () => { order.push('asked'); return true; },
      oldConnectionGone: async () => { order.push('old gone'); },
    });
    expect(yes.ci.status).toBe('fulfilled');
    expect(yes.ai.status).toBe('fulfilled');
    expect(order).toEqual(['asked', 'old gone']);
    const no = await both(a, b, () => 'alive', { answerAlive: () => false });
    expect(reason(no.ci)).toBeInstanceOf(ErlangAliveError);
    expect(reason(no.ai)).toBeInstanceOf(ErlangAliveError);
  });

  it("a peer without the mandatory flags: the acceptor answers 'not_allowed', the initiator refuses a challenge without them", async () => {
    const poor = kErlangDefaultFlags & ~DFLAG_MAP_TAG & ~DFLAG_MANDATORY_25_DIGEST;
    const r1 = await both({ ...a, flags: poor }, b);
    expect(reason(r1.ai)).toBeInstanceOf(ErlangMissingFlagsError);
    expect((reason(r1.ai) as ErlangMissingFlagsError).missing).toEqual(['MAP_TAG']);
    expect(reason(r1.ci)).toBeInstanceOf(ErlangNotAllowedError);
    const r2 = await both(a, { ...b, flags: poor });
    expect(reason(r2.ci)).toBeInstanceOf(ErlangMissingFlagsError);
    expect(reason(r2.ai)).not.toBeNull();
    // MANDATORY_25_DIGEST alone stands for the whole OTP 25 set.
    const digestOnly = (kErlangDefaultFlags & ~kErlangMandatory25) | DFLAG_MANDATORY_25_DIGEST;
    const r3 = await both({ ...a, flags: digestOnly }, b);
    expect(r3.ci.status).toBe('fulfilled');
    expect(r3.ai.status).toBe('fulfilled');
  });

  it('the node that answers is not the one dialled: malformed, not connected', async () => {
    const { ci } = await both(a, b, () => 'ok', { expected: 'z@127.0.0.1' });
    expect(reason(ci)).toBeInstanceOf(ErlangMalformedHandshakeError);
    expect((reason(ci) as Error).message).toContain('z@127.0.0.1');
  });

  it('a silent peer: both sides time out with the typed error, and the socket is destroyed', async () => {
    const [, s] = await pair();
    const t0 = Date.now();
    const err = await acceptErlangHandshake(s, { ...b, setupTimeMs: 200 }, () => 'ok').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ErlangHandshakeTimeoutError);
    expect(s.destroyed).toBe(true);
    const [c] = await pair(); // the other end reads our send_name and says nothing
    const err2 = await connectErlangHandshake(c, { ...a, setupTimeMs: 200 }, b.name).catch((e: unknown) => e);
    expect(err2).toBeInstanceOf(ErlangHandshakeTimeoutError);
    expect(Date.now() - t0).toBeLessThan(2000);
  });

  it('the simultaneous-connect rule is net_kernel\'s: the greater name keeps its outgoing connection', () => {
    expect(erlangKeepsOutgoing('b@h', 'a@h')).toBe(true);
    expect(erlangKeepsOutgoing('a@h', 'b@h')).toBe(false);
    expect(erlangKeepsOutgoing('sb@127.0.0.1', 'e@127.0.0.1')).toBe(true);
  });

  it('the digest is MD5 of the cookie text then the challenge in unsigned decimal', () => {
    // md5("sbcookie" ++ "3735928559"), computed independently.
    expect(Buffer.from(erlangDigest(0xdeadbeef, 'sbcookie')).toString('hex')).toBe('cb300944946777c1284aae234e702944');
  });
});
