/**
 * What the node thread does with a message from an Erlang peer (erlang-payload.ts's
 * inbound layout): decode the control tuple (and the message, for those that have one)
 * with the ETF decoder, the header's atoms standing for ATOM_CACHE_REF, map the values
 * (term-mapping.ts) and hand the signal to the scheduler's inbound side, as op-dispatch.ts
 * does for Switchboard peers.
 *
 *   control (Erlang)                          here
 *   ----------------------------------------------------------------------------------------
 *   SEND {2,_,To} / SEND_TT 12 /              deliverTo(To, Msg); a reply {OurRef, V} to a
 *     SEND_SENDER 22 / 23 + Msg               call of ours becomes { type: '$reply', ref, value }
 *   REG_SEND {6,From,_,Name} / 16 + Msg       the name's pid, deliverTo; not registered: dropped
 *                                             (as Erlang); 'net_kernel' unregistered: this node
 *                                             answers {is_auth, _} calls with yes (net_adm:ping)
 *     Msg {'$gen_call', {Pid, Tag}, Req}      callRequest({ pid, ref: R }, Req), R -> Tag kept
 *                                             (erlang-peer-state.ts) until the reply leaves
 *     Msg {'$gen_cast', M}                    castRequest(M)
 *   LINK {1,From,To}                          linkIn(To, From)
 *   UNLINK {4,From,To}                        unlinkIn(To, From)
 *   UNLINK_ID {35,Id,From,To}                 unlinkIn(To, From), UNLINK_ID_ACK {36,Id,To,From} back
 *   UNLINK_ID_ACK 36                          nothing (our unlink took effect here at once)
 *   EXIT {3,From,To,R} / EXIT_TT 13 /         exitIn(To, From, R, viaLink = true)
 *     PAYLOAD_EXIT 24 / 25 (R as message)
 *   EXIT2 {8,From,To,R} / 18 / 26 / 27        exitIn(To, From, R, viaLink = false)
 *   MONITOR_P {19,From,To|Name,Ref}           monitorIn(pid, From, R) for a fresh core ref R
 *                                             (Ref <-> R kept); a name not registered: a
 *                                             MONITOR_P_EXIT noproc back (but net_kernel's,
 *                                             which this layer stands for: accepted, silent)
 *   DEMONITOR_P {20,From,To|Name,Ref}         demonitorIn(pid, R)
 *   MONITOR_P_EXIT {21,Pid|Name,To,Ref,R} /   downIn(To, OurRef, Pid (a name: the `{ name, node }`
 *     PAYLOAD_MONITOR_P_EXIT 28               placeholder), R)
 *   REG_SEND to an unregistered 'rex'         rpc-server.ts (rpc:call / gen_server:call to rex)
 *   REG_SEND to 'global_name_server'          global-sync.ts (OTP global's protocol), registered
 *                                             here or not (cluster/global's server is not erl's)
 *   SEND / MONITOR_P to global-sync.ts's       its answers (the replies to its calls); the
 *     stand-in pids                             monitor is accepted, silent
 *   REG_SEND to another unregistered name,    a message translator may take it (message-
 *     SEND to a pid                             translators.ts: OTP pg's scope protocol)
 *   SPAWN_REQUEST {29,..} / _TT 30 + Args     rpc-server.ts: erpc:execute_call/cast runs an
 *                                             exported function; any other MFA: notsup
 *   ALIAS_SEND 33 / 34                        dropped, counted (this node gives out no aliases)
 *   anything else (group leader, ...)         dropped, counted
 *
 * A destination pid that is not of this node is dropped (counted), as op-dispatch.ts.
 * @throws the ETF decoder's errors, RangeError for a bad layout, BadArgError for a control
 * message of the wrong shape: the caller closes the connection (a peer that sends garbage
 * is not served).
 */
import { Atom, ErlPid, ErlRef, EtfDecoder, EtfEncoder, Tuple, ImproperList } from '../../codec/etf/index.ts';
import { callReply, callRequest, castRequest } from '../../core/call-protocol.ts';
import { BadArgError } from '../../core/errors.ts';
import { Pid } from '../../core/pid.ts';
import type { Registry } from '../../core/registry.ts';
import { namePlaceholder } from '../../core/remote-name.ts';
import type { Inbound } from '../../core/router.ts';
import * as C from './control-messages.ts';
import { packOutbound, unpackInbound } from './erlang-payload.ts';
import type { ErlangPeerState } from './erlang-peer-state.ts';
import { ErlangGlobalSync } from './global-sync.ts';
import { erlangTranslators } from './message-translators.ts';
import { ErlangRpcServer } from './rpc-server.ts';
import { fromErlang, ownRefFromErl, pidFromErl, reasonFromErlang } from './term-mapping.ts';

const kGenCall = Atom.of('$gen_call');
const kGenCast = Atom.of('$gen_cast');
const kIsAuth = Atom.of('is_auth');
const kYes = Atom.of('yes');
const kNoproc = Atom.of('noproc');
const kNetKernel = Atom.of('net_kernel');
const kRex = Atom.of('rex');
const kGlobalNameServer = Atom.of('global_name_server');
/** The lowest id of global-sync.ts's stand-in pids (one compare per SEND before asking it). */
const kStandInIds = 0xefff_fff0;
const kNoAtoms: Atom[] = [];

/** Where answers to the peer go (NodeTransport.outByName with the peer's name). */
export type ErlangAnswer = (peer: ErlangPeerState, stream: number, bytes: Uint8Array) => void;

export interface ErlangDispatchStats {
  messagesIn: number;
  droppedUnknownControl: number;
  droppedNotLocal: number;
  droppedUnregistered: number;
  pingsAnswered: number;
}

export class ErlangDispatch {
  private readonly dec = new EtfDecoder();
  private readonly enc = new EtfEncoder();
  readonly stats: ErlangDispatchStats = { messagesIn: 0, droppedUnknownControl: 0, droppedNotLocal: 0, droppedUnregistered: 0, pingsAnswered: 0 };
  /** rpc and erpc from the peer (rpc-server.ts). */
  readonly rpc: ErlangRpcServer;
  /** OTP global's protocol (global-sync.ts). */
  readonly global: ErlangGlobalSync;

  constructor(
    private readonly inbound: Inbound,
    private readonly registry: Pick<Registry, 'whereis'>,
    private readonly answer: ErlangAnswer,
    peerNamed: (name: string) => ErlangPeerState | undefined = () => undefined,
  ) {
    this.rpc = new ErlangRpcServer(answer);
    this.global = new ErlangGlobalSync(answer, inbound, registry, peerNamed);
  }

  dispatch(peer: ErlangPeerState, bytes: Uint8Array): void {
    this.stats.messagesIn++;
    const parts = unpackInbound(bytes);
    const names = parts.atoms;
    const atoms: Atom[] = names.length === 0 ? kNoAtoms : names.map((a) => Atom.of(a));
    const control = this.dec.decodeTerm(bytes, parts.controlStart, parts.controlEnd, atoms);
    if (!(control instanceof Tuple) || control.elements.length < 1 || typeof control.elements[0] !== 'number') throw new BadArgError('erlang control: not a tuple with an operation');
    const el = control.elements;
    const hasMessage = parts.controlEnd < bytes.length;
    const message = (): unknown => {
      if (!hasMessage) throw new BadArgError(`erlang control ${String(el[0])}: no message`);
      return this.dec.decodeTerm(bytes, parts.controlEnd, bytes.length, atoms);
    };
    const size = bytes.length;
    switch (el[0] as number) {
      case C.kCtlSend:
      case C.kCtlSendTT:
      case C.kCtlSendSender:
      case C.kCtlSendSenderTT:
        return this.send(peer, pid(el[2]), message(), size);
      case C.kCtlRegSend:
      case C.kCtlRegSendTT:
        return this.regSend(peer, pid(el[1]), atom(el[3]), message(), size);
      case C.kCtlLink:
        return this.local(pid(el[2]), (to) => this.inbound.linkIn(to, pid(el[1])));
      case C.kCtlUnlink:
        return this.local(pid(el[2]), (to) => this.inbound.unlinkIn(to, pid(el[1])));
      case C.kCtlUnlinkId: {
        const from = el[2] as ErlPid;
        const to = el[3] as ErlPid;
        const fromPid = pid(from);
        this.local(pid(to), (p) => this.inbound.unlinkIn(p, fromPid));
        this.answer(peer, from.id, packOutbound(this.enc.encodeTerm(Tuple.of(C.kCtlUnlinkIdAck, el[1], to, from)), null));
        return;
      }
      case C.kCtlUnlinkIdAck:
        return;
      case C.kCtlExit:
        return this.local(pid(el[2]), (to) => this.inbound.exitIn(to, pid(el[1]), reasonFromErlang(el[3]), true));
      case C.kCtlExitTT:
        return this.local(pid(el[2]), (to) => this.inbound.exitIn(to, pid(el[1]), reasonFromErlang(el[4]), true));
      case C.kCtlPayloadExit:
      case C.kCtlPayloadExitTT:
        return this.local(pid(el[2]), (to) => this.inbound.exitIn(to, pid(el[1]), reasonFromErlang(message()), true));
      case C.kCtlExit2:
        return this.local(pid(el[2]), (to) => this.inbound.exitIn(to, pid(el[1]), reasonFromErlang(el[3]), false));
      case C.kCtlExit2TT:
        return this.local(pid(el[2]), (to) => this.inbound.exitIn(to, pid(el[1]), reasonFromErlang(el[4]), false));
      case C.kCtlPayloadExit2:
      case C.kCtlPayloadExit2TT:
        return this.local(pid(el[2]), (to) => this.inbound.exitIn(to, pid(el[1]), reasonFromErlang(message()), false));
      case C.kCtlMonitorP:
        return this.monitor(peer, el[1] as ErlPid, el[2], ref(el[3]));
      case C.kCtlDemonitorP: {
        const m = peer.takeMonitorInByErl(ref(el[3]));
        if (m !== undefined) this.inbound.demonitorIn(m.target, m.ref);
        return;
      }
      case C.kCtlMonitorPExit:
        return this.down(peer, el[1], pid(el[2]), ref(el[3]), el[4]);
      case C.kCtlPayloadMonitorPExit:
        return this.down(peer, el[1], pid(el[2]), ref(el[3]), message());
      case C.kCtlSpawnRequest:
      case C.kCtlSpawnRequestTT:
        return this.rpc.spawnRequest(peer, el, message());
      default:
        this.stats.droppedUnknownControl++;
    }
  }

  private local(to: Pid, f: (to: Pid) => void): void {
    if (to.node !== 0) {
      this.stats.droppedNotLocal++;
      return;
    }
    f(to);
  }

  private send(peer: ErlangPeerState, to: Pid, raw: unknown, size: number): void {
    if (to.node !== 0) {
      this.stats.droppedNotLocal++;
      return;
    }
    if (to.id >= kStandInIds && this.global.isStandIn(to)) return this.global.reply(raw);
    if (erlangTranslators.length !== 0) {
      for (const t of erlangTranslators) {
        const m = t.sendIn(to, raw);
        if (m !== undefined) {
          this.inbound.deliverTo(to, m, size);
          return;
        }
      }
    }
    const msg = this.incoming(peer, raw);
    this.inbound.deliverTo(to, msg, size);
  }

  private regSend(peer: ErlangPeerState, from: Pid, name: Atom, raw: unknown, size: number): void {
    // erl's global speaks to erl's global_name_server: ours (global-sync.ts), whoever is registered here.
    if (name === kGlobalNameServer) return this.global.serve(peer, raw);
    const pid = this.registry.whereis(name.name);
    if (pid === undefined) {
      if (name.name === 'net_kernel' && this.answerIsAuth(peer, raw)) return;
      if (name.name === 'rex') return this.rpc.rex(peer, raw);
      for (const t of erlangTranslators) {
        const m = t.regSendIn(name.name, raw, (n) => this.registry.whereis(n));
        if (m !== undefined) {
          this.inbound.deliverTo(m.to, m.msg, size);
          return;
        }
      }
      this.stats.droppedUnregistered++;
      return;
    }
    void from;
    this.inbound.deliverTo(pid, this.incoming(peer, raw), size);
  }

  /** net_adm:ping's `{'$gen_call', {Pid, Tag}, {is_auth, Node}}`: answer `{Tag, yes}` (the cookie was checked by the handshake). */
  private answerIsAuth(peer: ErlangPeerState, raw: unknown): boolean {
    const call = genCall(raw);
    if (call === null || !(call.req instanceof Tuple) || call.req.elements[0] !== kIsAuth) return false;
    const to = call.from;
    const control = this.enc.encodeTerm(Tuple.of(C.kCtlSend, Atom.of(''), to));
    this.answer(peer, to.id, packOutbound(control, this.enc.encodeTerm(Tuple.of(call.tag, kYes))));
    this.stats.pingsAnswered++;
    return true;
  }

  /** A message as the actor gets it: the call protocol translated, pids and our refs mapped. */
  private incoming(peer: ErlangPeerState, raw: unknown): unknown {
    if (raw instanceof Tuple) {
      const e = raw.elements;
      const call = genCall(raw);
      if (call !== null) return callRequest({ pid: pidFromErl(call.from), ref: peer.openCall(call.tag) }, fromErlang(call.req));
      if (e.length === 2 && e[0] === kGenCast) return castRequest(fromErlang(e[1]));
      if (e.length === 2 && e[0] instanceof ErlRef) {
        const r = ownRefFromErl(e[0]);
        if (r !== undefined) return callReply(r, fromErlang(e[1]));
      }
    }
    return fromErlang(raw);
  }

  private monitor(peer: ErlangPeerState, from: ErlPid, target: unknown, erlRef: ErlRef): void {
    if (!(from instanceof ErlPid)) throw new BadArgError('erlang MONITOR_P: the watcher is not a pid');
    let to: Pid | undefined;
    let name: Atom | null = null;
    if (target instanceof Atom) {
      name = target;
      to = this.registry.whereis(target.name);
      // net_adm:ping monitors net_kernel before its is_auth call, gen_server:call to rex
      // monitors rex, global's multi_call monitors global_name_server; this layer answers
      // them itself, so the monitor is accepted and
      // never fires (the connection's loss is the DOWN erts gives it).
      if (to === undefined && (target === kNetKernel || target === kRex || target === kGlobalNameServer)) return;
    } else {
      to = pid(target);
      // global's lock on erl monitors the stand-in that holds it (global-sync.ts): never fires.
      if (this.global.isStandIn(to)) return;
    }
    if (to === undefined || to.node !== 0) {
      const control = Tuple.of(C.kCtlMonitorPExit, target, from, erlRef, kNoproc);
      this.answer(peer, from.id, packOutbound(this.enc.encodeTerm(control), null));
      return;
    }
    const m = peer.addMonitorIn(erlRef, to, name);
    this.inbound.monitorIn(to, pidFromErl(from), m.ref);
  }

  private down(peer: ErlangPeerState, fromProc: unknown, watcher: Pid, erlRef: ErlRef, reason: unknown): void {
    const r = ownRefFromErl(erlRef);
    if (r === undefined || watcher.node !== 0) {
      this.stats.droppedNotLocal++;
      return;
    }
    peer.takeMonitorOut(r);
    const pidOf = fromProc instanceof ErlPid ? pidFromErl(fromProc) : namePlaceholder(peer.name);
    this.inbound.downIn(watcher, r, pidOf, reasonFromErlang(reason));
  }
}

function pid(v: unknown): Pid {
  if (!(v instanceof ErlPid)) throw new BadArgError('erlang control: expected a pid');
  return pidFromErl(v);
}

function ref(v: unknown): ErlRef {
  if (!(v instanceof ErlRef)) throw new BadArgError('erlang control: expected a reference');
  return v;
}

function atom(v: unknown): Atom {
  if (!(v instanceof Atom)) throw new BadArgError('erlang control: expected an atom');
  return v;
}

/** `{'$gen_call', {Pid, Tag}, Req}` (Tag a ref, or [alias | Ref] on OTP 24+), or null. */
function genCall(raw: unknown): { from: ErlPid; tag: unknown; req: unknown } | null {
  if (!(raw instanceof Tuple)) return null;
  const e = raw.elements;
  if (e.length !== 3 || e[0] !== kGenCall || !(e[1] instanceof Tuple)) return null;
  const f = e[1].elements;
  if (f.length !== 2 || !(f[0] instanceof ErlPid) || !(f[1] instanceof ErlRef || f[1] instanceof ImproperList || Array.isArray(f[1]))) return null;
  return { from: f[0], tag: f[1], req: e[2] };
}
