/**
 * The ChannelKit (channel-kit.ts) that speaks Erlang's distribution protocol, over
 * src/dist/erlang/ (handshake, packet reader and writer): what the I/O thread's
 * connection code uses for a peer that is an Erlang node.
 *
 *   connectHandshake  connectErlangHandshake (our flags: kErlangDefaultFlags)
 *   acceptHandshake   acceptErlangHandshake; the table's decision mapped to Erlang's
 *                     status: 'ok' -> ok, 'ok_simultaneous' -> ok_simultaneous (we drop
 *                     our own attempt), 'nok' -> nok, 'alive' -> not_allowed (a
 *                     connection of that name is up or being accepted: refused)
 *   keepsOutgoing     erlangKeepsOutgoing: the GREATER name keeps its outgoing (the
 *                     opposite of Switchboard's own rule)
 *   createWriter      message(stream, bytes): bytes are erlang-payload.ts's outbound
 *                     layout, split into control + message for ErlangFrameWriter.send;
 *                     control() (the Switchboard mesh) is not sent to Erlang peers
 *   createReader      ErlangFrameReader; each message handed on as the self-contained
 *                     inbound layout (atom cache refs resolved to names), stream 0
 *
 * Ticks: connection.ts's rule is net_kernel's (a tick every tickTimeMs / 4 when idle,
 * down after tickTimeMs of silence). On top of it, every tick heard from the Erlang node
 * is answered with a tick of ours when our writer is idle (tick echo), so erl hears us at
 * least every net_ticktime / 4 whatever our tickTimeMs: a larger tickTimeMs than erl's
 * net_ticktime is fine. A smaller one is not (we give up after tickTimeMs of silence while
 * erl ticks every net_ticktime / 4): tickTimeMs must be more than net_ticktime / 4 —
 * docs/erlang-interop.md, Limits. The echo pairs a connection's reader with its writer by
 * the object connection.ts hands both (itself: the writer's sink is the reader's
 * handler); a kit user that hands different objects gets no echo, nothing else changes.
 *
 * The peer's flags cross to the node thread as a number (they fit: bit 35 is the highest
 * defined); the writer gets them back as a bigint.
 */
import type { Duplex } from 'node:stream';
import type { ChannelKit, KitAcceptDecision, KitFrameHandler, KitFrameReader, KitFrameSink, KitFrameWriter, KitHandshakeResult, KitHandshakeSelf, KitPeerInfo } from '../channel-kit.ts';
import {
  ErlangFrameReader, ErlangFrameWriter, ErlangSimultaneousConnectError, acceptErlangHandshake, connectErlangHandshake, erlangKeepsOutgoing,
  DFLAG_ALIAS, DFLAG_DIST_MONITOR_NAME, DFLAG_SPAWN, kErlangDefaultFlags, type ErlangAcceptDecision, type ErlangHandshakeResult, type ErlangHandshakeSelf, type ErlangMessage,
} from '../erlang/index.ts';
import { packInbound, unpackOutbound } from './erlang-payload.ts';

/**
 * The framing's flags, and what the node thread's control-message layer handles:
 * ALIAS (a reply to an OTP 24+ gen_server:call goes to its alias, ALIAS_SEND, so erl drops
 * a late one; an ALIAS_SEND to us is dropped: this node hands out no aliases) and
 * DIST_MONITOR_NAME (MONITOR_P by registered name, both ways; without it erl neither
 * sends nor answers those) and SPAWN (SPAWN_REQUEST: erpc, which OTP 25's rpc:call is
 * built on, runs exported functions here — rpc-server.ts; any other MFA is answered
 * notsup).
 */
export const kErlangBridgeFlags = kErlangDefaultFlags | DFLAG_ALIAS | DFLAG_DIST_MONITOR_NAME | DFLAG_SPAWN;

function erlangSelf(self: KitHandshakeSelf): ErlangHandshakeSelf {
  return { name: self.name, creation: self.creation, cookie: self.cookie, setupTimeMs: self.setupTimeMs, hidden: self.hidden, flags: kErlangBridgeFlags };
}

function kitResult(r: ErlangHandshakeResult): KitHandshakeResult {
  const p = r.peer;
  return { peer: { name: p.name, creation: p.creation, hidden: p.hidden, flags: Number(p.flags) }, rest: r.rest };
}

const decisionOf: Record<KitAcceptDecision, ErlangAcceptDecision> = {
  ok: 'ok',
  ok_simultaneous: 'ok_simultaneous',
  nok: 'nok',
  alive: 'not_allowed',
};

class ErlangKitWriter implements KitFrameWriter {
  private readonly w: ErlangFrameWriter;
  /** Ticks sent in answer to the peer's (tick echo). */
  echoed = 0;
  constructor(sink: KitFrameSink, flags: number, fragmentBytes: number) {
    this.w = new ErlangFrameWriter(sink, { flags: BigInt(flags), fragmentBytes });
  }
  tick(): void {
    this.w.tick();
  }
  /** The peer ticked: answer with a tick if nothing of ours is on its way (tick echo). */
  echoTick(): void {
    if (this.w.pending || this.w.queuedBytes !== 0) return;
    this.echoed++;
    this.w.tick();
    this.w.flush();
  }
  control(): void {
    // The Switchboard mesh's node lists are not for Erlang nodes (their global does that).
  }
  message(stream: number, payload: Uint8Array): void {
    const { control, message } = unpackOutbound(payload);
    this.w.send(stream, control, message);
  }
  flush(): void {
    this.w.flush();
  }
  get queuedBytes(): number {
    return this.w.queuedBytes;
  }
  get pending(): boolean {
    return this.w.pending;
  }
}

class ErlangKitReader implements KitFrameReader {
  private readonly r: ErlangFrameReader;
  constructor(handler: KitFrameHandler, echo: ErlangKitWriter | undefined) {
    this.r = new ErlangFrameReader({
      onTick: () => {
        handler.onTick();
        echo?.echoTick();
      },
      onMessage: (m: ErlangMessage) => handler.onMessage(0, packInbound(m.atoms, m.control, m.payload)),
    });
  }
  push(chunk: Uint8Array): void {
    this.r.push(chunk);
  }
  get bufferedBytes(): number {
    return this.r.bufferedBytes;
  }
}

/** A connection's writer by the object it writes to (connection.ts: the connection, also the reader's handler). */
const writerOf = new WeakMap<object, ErlangKitWriter>();

export const erlangChannelKit: ChannelKit = {
  flags: Number(kErlangBridgeFlags),
  connectHandshake: async (socket: Duplex, self: KitHandshakeSelf, expectedPeer: string) => kitResult(await connectErlangHandshake(socket, erlangSelf(self), expectedPeer)),
  acceptHandshake: async (socket: Duplex, self: KitHandshakeSelf, decide: (peer: KitPeerInfo) => KitAcceptDecision) =>
    kitResult(await acceptErlangHandshake(socket, erlangSelf(self), (hello) => decisionOf[decide({ name: hello.name, creation: hello.creation, hidden: false, flags: Number(hello.offeredFlags) })])),
  lostSimultaneousConnect: (err) => err instanceof ErlangSimultaneousConnectError,
  keepsOutgoing: erlangKeepsOutgoing,
  createWriter: (sink, opts) => {
    const w = new ErlangKitWriter(sink, opts.peerFlags, opts.fragmentBytes);
    writerOf.set(sink, w);
    return w;
  },
  createReader: (handler) => new ErlangKitReader(handler, writerOf.get(handler)),
};
