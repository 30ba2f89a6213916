/**
 * The Erlang handshake against a real OTP node, both ways: erl connects to our accept
 * side (net_kernel:connect_node/1 returns true, and erl finds us through the real epmd
 * where we registered with versions 6..6), our connect side connects to erl (erl's
 * nodes() lists us), a wrong cookie is refused both ways with ErlangBadCookieError, and
 * a simultaneous connect ends as net_kernel's rule says (the greater name's outgoing
 * connection is kept).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lookupNode, registerNode, type PortMapperRegistration } from '../../src/dist/port-mapper-client.ts';
import {
  ErlangBadCookieError, erlangKeepsOutgoing, ErlangSimultaneousConnectError, type ErlangHandshakeResult, type ErlangHandshakeSelf,
} from '../../src/dist/erlang/index.ts';
import type net from 'node:net';
import { hasEpmd, hasErl, startRealEpmd, type RealEpmd } from './fixtures/erlang-tools.ts';
import { freePort } from './fixtures/free-port.ts';
import { startErlPeer, type ErlPeer } from './fixtures/erlang-peer.ts';
import { attachLink, dialErlang, startSbListener, type SbListener } from './fixtures/erlang-peer-link.ts';

const ok = hasErl && hasEpmd;
if (!ok) console.warn('erlang-handshake-real-erl: skipped, `erl`/`epmd` are not installed (apt-get install erlang-nox)');

const kCookie = 'sbtestcookie';
const kSb = 'sb@127.0.0.1';
const kErl = 'e@127.0.0.1';

describe.skipIf(!ok)('Erlang handshake with a real erl node', () => {
  let epmd: RealEpmd;
  let erl: ErlPeer;
  let listener: SbListener;
  let reg: PortMapperRegistration;
  let self: ErlangHandshakeSelf;

  /** Until erl no longer lists us (the previous connection's close reached it). */
  async function untilErlForgetsUs(): Promise<void> {
    const deadline = Date.now() + 5000;
    while ((await erl.value(`lists:member('${kSb}', nodes()).`)) === 'true') {
      if (Date.now() > deadline) throw new Error('erl still lists us');
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  beforeAll(async () => {
    epmd = await startRealEpmd(await freePort());
    listener = await startSbListener({ name: kSb, creation: 1, cookie: kCookie, setupTimeMs: 5000 });
    reg = await registerNode({ port: epmd.port, name: 'sb', listenPort: listener.port });
    self = { name: kSb, creation: reg.creation, cookie: kCookie, setupTimeMs: 5000 };
    listener.setSelf(self);
    erl = await startErlPeer({ name: kErl, cookie: kCookie, epmdPort: epmd.port });
  }, 20_000);

  afterAll(async () => {
    await erl?.stop();
    await listener?.close();
    reg?.close();
    await epmd?.stop();
  });

  it('erl connects to our accept side: connect_node returns true, and it found us in epmd', async () => {
    expect(await erl.value(`lists:member({"sb", ${listener.port}}, element(2, net_adm:names())).`)).toBe('true');
    const connected = erl.value(`net_kernel:connect_node('${kSb}').`);
    const outcome = await listener.next(5000);
    expect(outcome.error).toBeUndefined();
    const link = attachLink(outcome.socket, outcome.result!);
    expect(await connected).toBe('true');
    expect(link.peer.name).toBe(kErl);
    expect(link.peer.creation).toBeGreaterThan(0);
    expect(link.peer.hidden).toBe(false);
    expect(await erl.value(`lists:member('${kSb}', nodes()).`)).toBe('true');
    link.close();
    await untilErlForgetsUs();
  });

  it('erl with another cookie is refused by our accept side (BadCookie, detected by us) and connect_node returns false', async () => {
    listener.setSelf({ ...self, cookie: 'not-the-cookie' });
    try {
      const connected = erl.value(`net_kernel:connect_node('${kSb}').`);
      const outcome = await listener.next(5000);
      expect(outcome.error).toBeInstanceOf(ErlangBadCookieError);
      expect((outcome.error as ErlangBadCookieError).code).toBe('ERR_SB_ERLANG_BAD_COOKIE');
      expect((outcome.error as ErlangBadCookieError).detectedBy).toBe('us');
      expect((outcome.error as ErlangBadCookieError).peer).toBe(kErl);
      expect(await connected).toBe('false');
    } finally {
      listener.setSelf(self);
    }
  });

  it('our connect side connects to erl, and erl lists us in nodes()', async () => {
    const entry = await lookupNode('e', { port: epmd.port });
    expect(entry?.highestVersion).toBe(6);
    const { socket, result } = await dialErlang(entry!.port, self, kErl);
    const link = attachLink(socket, result);
    expect(link.peer.name).toBe(kErl);
    expect(await erl.value(`lists:member('${kSb}', nodes()).`)).toBe('true');
    link.close();
    await untilErlForgetsUs();
  });

  it('our connect side with another cookie is refused by erl (BadCookie, detected by the peer)', async () => {
    const entry = await lookupNode('e', { port: epmd.port });
    const err = await dialErlang(entry!.port, { ...self, cookie: 'not-the-cookie' }, kErl).then(() => null, (e: unknown) => e);
    expect(err).toBeInstanceOf(ErlangBadCookieError);
    expect((err as ErlangBadCookieError).detectedBy).toBe('peer');
    expect(await erl.value(`lists:member('${kSb}', nodes()).`)).toBe('false');
  });

  it("a simultaneous connect: erl (the smaller name) answers our attempt 'ok_simultaneous' and drops its own, we answer its 'nok'", async () => {
    const entry = await lookupNode('e', { port: epmd.port });
    let ours: Promise<{ socket: net.Socket; result: ErlangHandshakeResult }> | null = null;
    listener.setDecide(async (peer) => {
      // erl's attempt to us is pending at erl (waiting for this status): dial erl now.
      ours = dialErlang(entry!.port, self, kErl);
      await ours;
      return erlangKeepsOutgoing(kSb, peer.name) ? 'nok' : 'ok_simultaneous';
    });
    try {
      const connected = erl.value(`net_kernel:connect_node('${kSb}').`);
      const outcome = await listener.next(5000);
      expect(outcome.error).toBeInstanceOf(ErlangSimultaneousConnectError);
      const { socket, result } = await ours!;
      expect(result.status).toBe('ok_simultaneous');
      const link = attachLink(socket, result);
      expect(await connected).toBe('true');
      expect(await erl.value(`lists:member('${kSb}', nodes()).`)).toBe('true');
      link.close();
      await untilErlForgetsUs();
    } finally {
      listener.setDecide(() => 'ok');
    }
  });
});
