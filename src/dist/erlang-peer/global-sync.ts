/**
 * This node's side of OTP global's connect protocol with an Erlang node (global.erl,
 * protocol version 8), so that an Erlang node connecting to us completes its global sync
 * (`global:sync()` returns, `global:register_name` does not wait for us) — with NO names
 * shared: we tell erl we have none, and names erl registers are acknowledged, not kept.
 * Switchboard's own Global (cluster/global) is not part of it.
 *
 * Messages to our (unregistered) `global_name_server` are served here (ErlangDispatch):
 *
 *   1. {'$gen_cast', {init_connect, {Vsn, HisTag}, Node, {locker, _, _, HisLocker}}}
 *        (sent by erl's global at nodeup) -> to erl's global_name_server, in this order:
 *        {'$gen_cast', {init_connect, {8, MyTag}, Us, {locker, no_longer_a_pid, [], OurLocker}}}
 *        {init_connect_ack, Us, HisTag, MyTag}
 *      erl's locker now knows ours and picks us to lock with.
 *   2. calls {set_lock, Id} -> true and {del_lock, Id} -> true (we hold no names, so no
 *      lock of ours is ever in the way); {register | register_ext, ...} -> yes,
 *      {unregister, _} -> ok (acknowledged, not kept), get_known / get_synced -> [],
 *      get_protocol_version -> 8, get_names_ext -> []; any other call: no answer (as
 *      global's own handle_call(_) logs and ignores it).
 *   3. {'$gen_cast', {lock_set, HisLocker, true, _, MyTag}} (erl's locker set the lock on
 *      both nodes) -> {'$gen_cast', {lock_set, OurLocker, true, [], HisTag}} back: "set here too".
 *   4. {'$gen_cast', {exchange, Node, Names, _, MyTag}} (erl's names) -> our exchange (no
 *      names) and our resolved (nothing resolved, no known nodes), both with HisTag:
 *        {'$gen_cast', {exchange, Us, [], [], HisTag}}
 *        {'$gen_cast', {resolved, Us, [], [], unused, [], HisTag}}
 *      erl then counts us as synced and releases the lock (del_lock calls, step 2).
 *   5. everything else (resolved, new_nodes, in_sync, cancel_connect, lost_connection,
 *      ...): dropped, counted. A message whose tag is not the one we gave: dropped.
 * The tags are forgotten at nodedown (forget()).
 *
 * OurLocker and the sender of these messages are pids of this node no actor has (ids
 * above any actor's): what erl sends them is dropped.
 */
import { Atom, ErlPid, EtfEncoder, Tuple } from '../../codec/etf/index.ts';
import { nodeTable } from '../../core/node-table.ts';
import { Pid } from '../../core/pid.ts';
import * as C from './control-messages.ts';
import { packOutbound } from './erlang-payload.ts';
import type { ErlangPeerState } from './erlang-peer-state.ts';
import { erlangGenCall, genReplyPayload } from './gen-reply.ts';
import { pidToErl } from './term-mapping.ts';

export type GlobalAnswer = (peer: ErlangPeerState, stream: number, bytes: Uint8Array) => void;

export interface ErlangGlobalSyncStats {
  /** init_connects answered (step 1). */
  connects: number;
  /** syncs completed on our side (step 4). */
  syncs: number;
  /** calls answered (step 2). */
  calls: number;
  /** messages dropped (step 5, or a stale tag). */
  dropped: number;
}

const A = Atom.of;
const kGenCast = A('$gen_cast');
const kInitConnect = A('init_connect');
const kInitConnectAck = A('init_connect_ack');
const kLocker = A('locker');
const kNoLongerAPid = A('no_longer_a_pid');
const kLockSet = A('lock_set');
const kExchange = A('exchange');
const kResolved = A('resolved');
const kUnused = A('unused');
const kGlobalNameServer = A('global_name_server');
const kEmpty = A('');
const kVsn = 8;

/** Pids of this layer's stand-ins for erl (no actor has ids this high; see rpc-server.ts's runs). */
const kLockerId = 0xefff_fff0;
const kServerId = 0xefff_fff1;

export class ErlangGlobalSync {
  private readonly enc = new EtfEncoder();
  /** Per peer name: the tag we gave it and the tag it gave us. */
  private readonly tags = new Map<string, { readonly mine: number; readonly his: unknown }>();
  private nextTag = 0;
  readonly stats: ErlangGlobalSyncStats = { connects: 0, syncs: 0, calls: 0, dropped: 0 };

  constructor(private readonly answer: GlobalAnswer) {}

  /** A message to our unregistered global_name_server from `peer`. */
  serve(peer: ErlangPeerState, raw: unknown): void {
    const call = erlangGenCall(raw);
    if (call !== null) return this.call(peer, call.from, call.tag, call.req);
    if (!(raw instanceof Tuple) || raw.elements.length !== 2 || raw.elements[0] !== kGenCast || !(raw.elements[1] instanceof Tuple)) return void this.stats.dropped++;
    const m = raw.elements[1].elements;
    if (m[0] === kInitConnect && m.length === 4 && m[1] instanceof Tuple && m[1].elements.length >= 2) return this.initConnect(peer, m[1].elements[1]);
    const t = this.tags.get(peer.name);
    if (t === undefined) return void this.stats.dropped++;
    if (m[0] === kLockSet && m.length === 5 && m[2] === true && m[4] === t.mine) {
      return this.cast(peer, Tuple.of(kLockSet, this.locker(), true, [], t.his));
    }
    if (m[0] === kExchange && m.length === 5 && m[4] === t.mine) {
      this.cast(peer, Tuple.of(kExchange, A(nodeTable.local.name), [], [], t.his));
      this.cast(peer, Tuple.of(kResolved, A(nodeTable.local.name), [], [], kUnused, [], t.his));
      this.stats.syncs++;
      return;
    }
    this.stats.dropped++;
  }

  /** nodedown of the peer: its tags go (a new connection starts over with a new init_connect). */
  forget(name: string): void {
    this.tags.delete(name);
  }

  /** Step 1. */
  private initConnect(peer: ErlangPeerState, hisTag: unknown): void {
    const mine = ++this.nextTag;
    this.tags.set(peer.name, { mine, his: hisTag });
    this.stats.connects++;
    const us = A(nodeTable.local.name);
    this.cast(peer, Tuple.of(kInitConnect, Tuple.of(kVsn, mine), us, Tuple.of(kLocker, kNoLongerAPid, [], this.locker())));
    this.send(peer, Tuple.of(kInitConnectAck, us, hisTag, mine));
  }

  /** Step 2. */
  private call(peer: ErlangPeerState, from: ErlPid, tag: unknown, req: unknown): void {
    const op = req instanceof Tuple ? req.elements[0] : req;
    let reply: unknown;
    if (op === A('set_lock') || op === A('del_lock')) reply = true;
    else if (op === A('register') || op === A('register_ext')) reply = A('yes');
    else if (op === A('unregister')) reply = A('ok');
    else if (op === A('get_known') || op === A('get_synced') || op === A('get_names_ext')) reply = [];
    else if (op === A('get_protocol_version')) reply = kVsn;
    else return void this.stats.dropped++;
    this.stats.calls++;
    this.answer(peer, from.id, genReplyPayload(this.enc, from, tag, reply));
  }

  private locker(): ErlPid {
    return pidToErl(new Pid(0, kLockerId, 0));
  }

  /** gen_server:cast({global_name_server, Peer}, Msg). */
  private cast(peer: ErlangPeerState, msg: Tuple): void {
    this.send(peer, Tuple.of(kGenCast, msg));
  }

  /** {global_name_server, Peer} ! Msg, from our stand-in (one stream: the peer sees them in order). */
  private send(peer: ErlangPeerState, msg: unknown): void {
    const control = Tuple.of(C.kCtlRegSend, pidToErl(new Pid(0, kServerId, 0)), kEmpty, kGlobalNameServer);
    this.answer(peer, kServerId, packOutbound(this.enc.encodeTerm(control), this.enc.encodeTerm(msg)));
  }
}
