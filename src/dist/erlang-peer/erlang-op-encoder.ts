/**
 * The node thread's encoder for ops to an Erlang peer: a dist-ops.ts op (the same op
 * arrays NodeTransport makes for Switchboard peers) becomes an Erlang control message
 * and, where it has one, a message term, in erlang-payload.ts's outbound layout.
 *
 *   op (dist-ops.ts)                      control tuple (+ message)                   Erlang
 *   ----------------------------------------------------------------------------------------
 *   [send, to, msg]                       {2, '', To} + Msg                            SEND
 *     (a reply to a call tagged [alias|A]) {33, From, A} + {Tag, Value}                  ALIAS_SEND
 *   [regSend, from, name, msg]            {6, From, '', Name} + Msg                    REG_SEND
 *   [exit, to, from, reason, true]        {3, From, To, Reason}                        EXIT
 *   [exit, to, from, reason, false]       {8, From, To, Reason}                        EXIT2
 *   [link, to, from]                      {1, From, To}                                LINK
 *   [unlink, to, from]                    {35, Id, From, To} (UNLINK_ID), else {4, From, To}
 *   [monitor, to, watcher, ref]           {19, Watcher, To, Ref}                       MONITOR_P
 *   [monitorName, watcher, ref, name]     {19, Watcher, Name, Ref}                     MONITOR_P (name)
 *   [demonitor, to, ref]                  {20, Watcher?, To | Name, Ref}               DEMONITOR_P
 *   [down, to, ref, pid, reason]          {21, Pid | Name, To, ErlRef, Reason}         MONITOR_P_EXIT
 *   spawn request / reply                 refused: SPAWN is not offered (the requester
 *                                         gets 'noconnection'-free failure: see dispatch)
 *
 * A REG_SEND to `global_name_server` of an Erlang node first goes to global-sync.ts (our
 * Global's messages become OTP global's there, global-handler.ts); a registered message
 * translator (message-translators.ts) may then replace a SEND's or
 * REG_SEND's message (and name), or drop it (null: not sent).
 * Messages (SEND / REG_SEND) are mapped first (term-mapping.ts), and the call protocol is
 * translated (core/call-protocol.ts):
 *   { type: '$call', from: { pid, ref }, msg }  ->  {'$gen_call', {Pid, Ref}, Msg}
 *   { type: '$cast', msg }                      ->  {'$gen_cast', Msg}
 *   { type: '$reply', ref, value }              ->  {Tag, Value} when ref stands for a call
 *                                                   the peer made (its Tag), else {Ref, Value}
 * DEMONITOR_P names the watcher and the target (the name of a `{ name, node }` monitor)
 * remembered at MONITOR_P (erlang-peer-state.ts); none is sent once the DOWN came.
 *
 * @throws EtfUnsupportedError / EtfLimitError (from the ETF encoder) for a value with no
 * Erlang term: the sender gets it, nothing is sent.
 */
import { Atom, ErlRef, EtfEncoder, ImproperList, Tuple } from '../../codec/etf/index.ts';
import { isCall, isCast, isReply } from '../../core/call-protocol.ts';
import { Pid, Ref, kNoPid } from '../../core/pid.ts';
import {
  kOpDemonitor, kOpDown, kOpExit, kOpLink, kOpMonitor, kOpMonitorName, kOpRegSend, kOpSend, kOpUnlink,
} from '../../codec/dist-ops.ts';
import { DFLAG_ALIAS, DFLAG_UNLINK_ID } from '../erlang/flags.ts';
import * as C from './control-messages.ts';
import { packOutbound } from './erlang-payload.ts';
import { erlangTranslators } from './message-translators.ts';
import type { ErlangPeerState } from './erlang-peer-state.ts';
import type { ErlangGlobalSync } from './global-sync.ts';
import { pidToErl, reasonToErlang, refToErl, toErlang } from './term-mapping.ts';

const kEmptyAtom = Atom.of('');
const kGenCall = Atom.of('$gen_call');
const kGenCast = Atom.of('$gen_cast');
const kAlias = Atom.of('alias');
const kGlobalNameServer = 'global_name_server';
/** pack()'s "control only" (a message may be any value, null and undefined included). */
const kNoMessage: unique symbol = Symbol('no message');

export class ErlangOpEncoder {
  private readonly enc = new EtfEncoder();
  /** The message's encoder (the control's scratch is still in use while it runs). */
  private readonly encMsg = new EtfEncoder();
  /** Set by the bridge at attach: where REG_SENDs to an Erlang node's global_name_server go first. */
  global: ErlangGlobalSync | null = null;
  /** Set by message() for a reply whose call tag is `[alias | Ref]`. */
  private replyAlias: ErlRef | null = null;

  /** The outbound payload for `op` to `peer`, or null when the op has no Erlang form (not sent). */
  encode(peer: ErlangPeerState, op: readonly unknown[]): Uint8Array | null {
    switch (op[0]) {
      case kOpSend: {
        const to = pidToErl(op[1] as Pid);
        let raw = op[2];
        if (erlangTranslators.length !== 0) {
          for (const t of erlangTranslators) {
            const m = t.sendOut(raw);
            if (m === null) return null;
            if (m !== undefined) {
              raw = m;
              break;
            }
          }
        }
        const msg = this.message(peer, raw);
        // A reply to an OTP 24+ call goes to its alias (erl drops it once the call is over).
        const alias = this.replyAlias;
        this.replyAlias = null;
        if (alias !== null && (peer.flags & DFLAG_ALIAS) !== 0n) return this.pack(Tuple.of(C.kCtlAliasSend, pidToErl(kNoPid), alias), msg);
        return this.pack(Tuple.of(C.kCtlSend, kEmptyAtom, to), msg);
      }
      case kOpRegSend: {
        let name = op[2] as string;
        let raw = op[3];
        if (name === kGlobalNameServer && this.global !== null && this.global.outbound(peer, raw)) return null;
        if (erlangTranslators.length !== 0) {
          for (const t of erlangTranslators) {
            const m = t.regSendOut(name, raw);
            if (m === null) return null;
            if (m !== undefined) {
              name = m.name;
              raw = m.msg;
              break;
            }
          }
        }
        return this.pack(Tuple.of(C.kCtlRegSend, pidToErl(op[1] as Pid), kEmptyAtom, Atom.of(name)), this.message(peer, raw));
      }
      case kOpExit:
        return this.pack(Tuple.of(op[4] === true ? C.kCtlExit : C.kCtlExit2, pidToErl(op[2] as Pid), pidToErl(op[1] as Pid), reasonToErlang(op[3])));
      case kOpLink:
        return this.pack(Tuple.of(C.kCtlLink, pidToErl(op[2] as Pid), pidToErl(op[1] as Pid)));
      case kOpUnlink:
        if ((peer.flags & DFLAG_UNLINK_ID) !== 0n) {
          return this.pack(Tuple.of(C.kCtlUnlinkId, peer.nextUnlinkId(), pidToErl(op[2] as Pid), pidToErl(op[1] as Pid)));
        }
        return this.pack(Tuple.of(C.kCtlUnlink, pidToErl(op[2] as Pid), pidToErl(op[1] as Pid)));
      case kOpMonitor:
        peer.rememberMonitorOut(op[3] as Ref, op[2] as Pid, null);
        return this.pack(Tuple.of(C.kCtlMonitorP, pidToErl(op[2] as Pid), pidToErl(op[1] as Pid), refToErl(op[3] as Ref)));
      case kOpMonitorName:
        peer.rememberMonitorOut(op[2] as Ref, op[1] as Pid, op[3] as string);
        return this.pack(Tuple.of(C.kCtlMonitorP, pidToErl(op[1] as Pid), Atom.of(op[3] as string), refToErl(op[2] as Ref)));
      case kOpDemonitor: {
        const to = op[1] as Pid;
        const ref = op[2] as Ref;
        const m = peer.takeMonitorOut(ref);
        if (m === undefined) return null; // its DOWN came already: nothing to take back
        const target = m.name !== null ? Atom.of(m.name) : pidToErl(to);
        return this.pack(Tuple.of(C.kCtlDemonitorP, pidToErl(m.watcher), target, refToErl(ref)));
      }
      case kOpDown: {
        const m = peer.takeMonitorInByRef(op[2] as Ref);
        if (m === undefined) return null; // not a monitor the peer set (or already gone)
        const from = m.name ?? pidToErl(op[3] as Pid);
        return this.pack(Tuple.of(C.kCtlMonitorPExit, from, pidToErl(op[1] as Pid), m.erlRef, reasonToErlang(op[4])));
      }
      default:
        return null;
    }
  }

  /** A message for Erlang: the call protocol translated, then pids and refs mapped. */
  private message(peer: ErlangPeerState, msg: unknown): unknown {
    if (isCall(msg) && msg.from !== undefined && msg.from.pid instanceof Pid && msg.from.ref instanceof Ref) {
      return Tuple.of(kGenCall, Tuple.of(pidToErl(msg.from.pid), refToErl(msg.from.ref)), toErlang(msg.msg));
    }
    if (isCast(msg)) return Tuple.of(kGenCast, toErlang(msg.msg));
    if (isReply(msg) && msg.ref instanceof Ref) {
      const tag = peer.closeCall(msg.ref);
      if (tag instanceof ImproperList && tag.items.length === 1 && tag.items[0] === kAlias && tag.tail instanceof ErlRef) this.replyAlias = tag.tail;
      return Tuple.of(tag !== undefined ? tag : refToErl(msg.ref), toErlang(msg.value));
    }
    return toErlang(msg);
  }

  /**
   * Control only, or control and a message (a message may be null: the atom 'null'), in
   * erlang-payload.ts's outbound layout. Each is encoded into its encoder's scratch and both
   * are copied once into the one output array (per message: one allocation, no DataView).
   */
  private pack(control: Tuple, message: unknown = kNoMessage): Uint8Array {
    const hasMessage = message !== kNoMessage;
    const nc = this.enc.encodeToScratch(control, false);
    const nm = hasMessage ? this.encMsg.encodeToScratch(message, false) : 0;
    const out = new Uint8Array(4 + nc + nm);
    out[0] = nc >>> 24;
    out[1] = (nc >>> 16) & 0xff;
    out[2] = (nc >>> 8) & 0xff;
    out[3] = nc & 0xff;
    out.set(this.enc.scratch.subarray(0, nc), 4);
    if (hasMessage) {
      out.set(this.encMsg.scratch.subarray(0, nm), 4 + nc);
      this.encMsg.releaseScratch();
    }
    this.enc.releaseScratch();
    return out;
  }
}
