/**
 * This node's side of OTP global's protocol with an Erlang node (global.erl, protocol
 * version 8): the connect protocol, so that an Erlang node connecting to us completes its
 * global sync (`global:sync()` returns), the name exchange at connect, the Erlang node's
 * registrations after it, and our registrations pushed to it under its lock. What our
 * names are is the global handler's (global-handler.ts, set by cluster/global); with none
 * set, we tell erl we have no names and keep none of its.
 *
 * Messages to our `global_name_server` from an Erlang node are served here (ErlangDispatch
 * routes them here even when a process of ours is registered under that name):
 *
 *   1. {'$gen_cast', {init_connect, {Vsn, HisTag}, Node, {locker, _, _, HisLocker}}}
 *        (sent by erl's global at nodeup) -> to erl's global_name_server, in this order:
 *        {'$gen_cast', {init_connect, {8, MyTag}, Us, {locker, no_longer_a_pid, [], OurLocker}}}
 *        {init_connect_ack, Us, HisTag, MyTag}
 *      erl's locker now knows ours and picks us to lock with.
 *   2. calls: {set_lock, Id} / {del_lock, Id} -> true (erl's own node holds the lock that
 *      counts: our registrations take it there, io.lock); {register | register_ext, Name,
 *      Pid, Method, ...} -> the view (below) and the handler learn Name -> Pid, yes;
 *      {unregister, Name} -> both forget it, ok; get_known / get_synced / get_names_ext ->
 *      [], get_protocol_version -> 8; any other call: no answer (as global's handle_call(_)).
 *   3. {'$gen_cast', {lock_set, HisLocker, true, _, MyTag}} (erl's locker set the lock on
 *      both nodes) -> {'$gen_cast', {lock_set, OurLocker, true, [], HisTag}} back.
 *   4. {'$gen_cast', {exchange, Node, Names, _, MyTag}} (erl's names [{Name, Pid, Method}])
 *      -> each erl name we lack is ours too (handler.erlangChanged); the same pid: nothing;
 *      a clash (another owner here) is resolved by the node whose name sorts first, as
 *      global does: if that is us, our owner keeps the name and erl's is killed (EXIT2
 *      kill, as random_exit_name kills one), and we tell erl {insert, {Name, Ours, M}};
 *      if it is erl, its resolved message (step 5) says what it chose. Then, with HisTag:
 *        {'$gen_cast', {exchange, Us, OurNames, [], HisTag}}
 *        {'$gen_cast', {resolved, Us, OurResolved, [], unused, [], HisTag}}
 *      erl then inserts our names, counts us as synced and releases the lock.
 *   5. {'$gen_cast', {resolved, Node, HisResolved, _, _, _, MyTag}}: each {insert, {Name,
 *      Pid, _}} / {delete, Name} is applied here too (handler.erlangChanged).
 *   6. everything else (new_nodes, in_sync, cancel_connect, lost_connection, ...): dropped,
 *      counted. A message whose tag is not the one we gave: dropped.
 * The view: per Erlang node, the names it holds as far as we know (erl's exchange list, our
 * names it took, its register / unregister calls, the resolved ops, our pushes). Its
 * registrations reach us while it holds its lock, ours reach it while we hold it, so the
 * view is exact whenever we hold the lock (what io.owner answers then). Names that are not
 * atoms (erl allows any term) are not shared.
 *
 * Our calls (ErlangGlobalIo, used by the handler): from the stand-in pid StandIn, with tags
 * of ours, to {global_name_server, Peer}: {set_lock, {global, StandIn}} (the answer {Tag,
 * Bool} comes to StandIn: reply()), {register, Name, Pid, fun global:random_exit_name/3}
 * (notify_all_name for 'notify_all'), {unregister, Name}, {del_lock, {global, StandIn}};
 * erl monitors StandIn while it holds the lock (accepted, never fires: ErlangDispatch).
 * A lock asked before step 5 is sent after it (our server's sync with the node merges with
 * its names, not with an empty view taken before its exchange).
 * Everything to one peer goes on one stream, so erl sees it in order. The state of a peer
 * goes at its nodedown (forget()); a lock answer still awaited is then never given.
 *
 * OurLocker and StandIn are pids of this node no actor has (ids above any actor's): what
 * erl sends them, but the answers to our calls, is dropped.
 */
import { Atom, ErlExportFun, ErlPid, ErlRef, EtfEncoder, Tuple } from '../../codec/etf/index.ts';
import { nodeTable } from '../../core/node-table.ts';
import { Pid, Ref } from '../../core/pid.ts';
import type { Registry } from '../../core/registry.ts';
import type { Inbound } from '../../core/router.ts';
import * as C from './control-messages.ts';
import { packOutbound } from './erlang-payload.ts';
import type { ErlangPeerState } from './erlang-peer-state.ts';
import { erlangGenCall, genReplyPayload } from './gen-reply.ts';
import { erlangGlobalHandler, type ErlangGlobalIo } from './global-handler.ts';
import { ownRefFromErl, pidFromErl, pidToErl, refToErl } from './term-mapping.ts';

export type GlobalAnswer = (peer: ErlangPeerState, stream: number, bytes: Uint8Array) => void;

export interface ErlangGlobalSyncStats {
  /** init_connects answered (step 1). */
  connects: number;
  /** syncs completed on our side (step 4). */
  syncs: number;
  /** calls answered (step 2). */
  calls: number;
  /** names erl told us (steps 2, 4, 5). */
  namesIn: number;
  /** register / unregister calls we sent. */
  namesOut: number;
  /** clashes we resolved (step 4). */
  resolved: number;
  /** messages dropped (step 6, or a stale tag). */
  dropped: number;
}

const A = Atom.of;
const kGenCast = A('$gen_cast');
const kGenCall = A('$gen_call');
const kInitConnect = A('init_connect');
const kInitConnectAck = A('init_connect_ack');
const kLocker = A('locker');
const kNoLongerAPid = A('no_longer_a_pid');
const kLockSet = A('lock_set');
const kExchange = A('exchange');
const kResolved = A('resolved');
const kUnused = A('unused');
const kInsert = A('insert');
const kDelete = A('delete');
const kGlobal = A('global');
const kKill = A('kill');
const kGlobalNameServer = A('global_name_server');
const kEmpty = A('');
const kVsn = 8;
const kRandomExit = new ErlExportFun(kGlobal, A('random_exit_name'), 3);
const kNotifyAll = new ErlExportFun(kGlobal, A('notify_all_name'), 3);

/** Pids of this layer's stand-ins for erl (no actor has ids this high; see rpc-server.ts's runs). */
const kLockerId = 0xefff_fff0;
const kServerId = 0xefff_fff1;
/** The `sched` part of the refs we tag our calls with. */
const kTagSched = 0xefff;

interface GlobalPeer {
  /** The tag we gave it and the tag it gave us (null before its init_connect). */
  mine: number;
  his: unknown;
  /** Step 4's view: its names as far as we know. */
  readonly view: Map<string, Pid>;
  /** Step 5 seen: the connect's exchange is over (before it, the view is not yet its names). */
  synced: boolean;
  /** Our lock requests made before that: sent once it is (io.lock). */
  readonly early: Array<() => void>;
}

const fitsAtom = (s: string): boolean => s.length > 0 && s.length <= 255;

export class ErlangGlobalSync implements ErlangGlobalIo {
  private readonly enc = new EtfEncoder();
  private readonly peers = new Map<string, GlobalPeer>();
  /** Our lock calls awaiting their answer: tag number -> [peer name, done]. */
  private readonly waiting = new Map<number, readonly [string, (granted: boolean) => void]>();
  private nextTag = 0;
  private nextRef = 0;
  readonly standIn = new Pid(0, kServerId, 0);
  readonly stats: ErlangGlobalSyncStats = { connects: 0, syncs: 0, calls: 0, namesIn: 0, namesOut: 0, resolved: 0, dropped: 0 };

  constructor(
    private readonly answer: GlobalAnswer,
    private readonly inbound: Pick<Inbound, 'deliverTo'> | null = null,
    private readonly registry: Pick<Registry, 'whereis'> | null = null,
    private readonly peerNamed: (name: string) => ErlangPeerState | undefined = () => undefined,
  ) {}

  /** Whether `p` is one of this layer's stand-in pids (ErlangDispatch: answers and monitors to them). */
  isStandIn(p: Pid): boolean {
    return p.node === 0 && (p.id === kServerId || p.id === kLockerId);
  }

  /** A message to our global_name_server from `peer`. */
  serve(peer: ErlangPeerState, raw: unknown): void {
    const call = erlangGenCall(raw);
    if (call !== null) return this.call(peer, call.from, call.tag, call.req);
    if (!(raw instanceof Tuple) || raw.elements.length !== 2 || raw.elements[0] !== kGenCast || !(raw.elements[1] instanceof Tuple)) return void this.stats.dropped++;
    const m = raw.elements[1].elements;
    if (m[0] === kInitConnect && m.length === 4 && m[1] instanceof Tuple && m[1].elements.length >= 2) return this.initConnect(peer, m[1].elements[1]);
    const t = this.peers.get(peer.name);
    if (t === undefined || t.mine === 0) return void this.stats.dropped++;
    if (m[0] === kLockSet && m.length === 5 && m[2] === true && m[4] === t.mine) {
      return this.cast(peer, Tuple.of(kLockSet, this.locker(), true, [], t.his));
    }
    if (m[0] === kExchange && m.length === 5 && m[4] === t.mine) return this.exchange(peer, t, m[2]);
    if (m[0] === kResolved && m.length === 7 && m[6] === t.mine) return this.resolvedIn(t, m[2]);
    this.stats.dropped++;
  }

  /** A message to a stand-in pid: the answer `{Tag, Reply}` to one of our calls, or dropped. */
  reply(raw: unknown): void {
    if (raw instanceof Tuple && raw.elements.length === 2 && raw.elements[0] instanceof ErlRef) {
      const r = ownRefFromErl(raw.elements[0]);
      if (r !== undefined && r.sched === kTagSched) {
        const w = this.waiting.get(r.n);
        if (w !== undefined) {
          this.waiting.delete(r.n);
          w[1](raw.elements[1] === true);
        }
        return;
      }
    }
    this.stats.dropped++;
  }

  /**
   * The op encoder's hook: a message of ours to `{global_name_server, peer}`. True when the
   * handler takes it (the encoder then sends nothing); what it does runs in a microtask.
   */
  outbound(peer: ErlangPeerState, raw: unknown): boolean {
    const h = erlangGlobalHandler();
    if (h === null) return false;
    const run = h.outbound(peer.name, raw, this);
    if (run === null) return false;
    queueMicrotask(run);
    return true;
  }

  /** nodedown of the peer: its state goes (a new connection starts over with a new init_connect). */
  forget(name: string): void {
    this.peers.delete(name);
    for (const [k, w] of this.waiting) if (w[0] === name) this.waiting.delete(k);
  }

  // --- ErlangGlobalIo (the handler's side) ---

  deliver(to: Pid, msg: unknown): void {
    this.inbound?.deliverTo(to, msg, 0);
  }

  whereis(name: string): Pid | undefined {
    return this.registry?.whereis(name);
  }

  isErlangPeer(name: string): boolean {
    return this.peerNamed(name) !== undefined;
  }

  owner(peer: string, name: string): Pid | null {
    return this.peers.get(peer)?.view.get(name) ?? null;
  }

  view(peer: string): Iterable<readonly [string, Pid]> {
    return this.peers.get(peer)?.view ?? new Map<string, Pid>();
  }

  lock(peerName: string, done: (granted: boolean) => void): void {
    const peer = this.peerNamed(peerName);
    if (peer === undefined) return;
    const p = this.peerState(peerName);
    if (!p.synced) {
      // Our server syncs with a new Erlang node once its connect exchange is over, so the
      // view it merges with is the node's names (its lock would refuse us meanwhile anyway).
      p.early.push(() => this.lock(peerName, done));
      return;
    }
    const tag = ++this.nextRef;
    this.waiting.set(tag, [peerName, done]);
    this.callOut(peer, tag, Tuple.of(A('set_lock'), this.lockId()));
  }

  unlock(peerName: string): void {
    const peer = this.peerNamed(peerName);
    if (peer !== undefined) this.callOut(peer, ++this.nextRef, Tuple.of(A('del_lock'), this.lockId()));
  }

  register(peerName: string, name: string, pid: Pid, notifyAll: boolean): void {
    const peer = this.peerNamed(peerName);
    if (peer === undefined || !fitsAtom(name)) return;
    this.peerState(peerName).view.set(name, pid);
    this.stats.namesOut++;
    this.callOut(peer, ++this.nextRef, Tuple.of(A('register'), A(name), pidToErl(pid), notifyAll ? kNotifyAll : kRandomExit));
  }

  unregister(peerName: string, name: string): void {
    const peer = this.peerNamed(peerName);
    if (peer === undefined || !fitsAtom(name)) return;
    this.peerState(peerName).view.delete(name);
    this.stats.namesOut++;
    this.callOut(peer, ++this.nextRef, Tuple.of(A('unregister'), A(name)));
  }

  // --- the protocol ---

  private peerState(name: string): GlobalPeer {
    let p = this.peers.get(name);
    if (p === undefined) {
      p = { mine: 0, his: null, view: new Map(), synced: false, early: [] };
      this.peers.set(name, p);
    }
    return p;
  }

  /** Step 1. */
  private initConnect(peer: ErlangPeerState, hisTag: unknown): void {
    const p = this.peerState(peer.name);
    p.mine = ++this.nextTag;
    p.his = hisTag;
    this.stats.connects++;
    const us = A(nodeTable.local.name);
    this.cast(peer, Tuple.of(kInitConnect, Tuple.of(kVsn, p.mine), us, Tuple.of(kLocker, kNoLongerAPid, [], this.locker())));
    this.send(peer, Tuple.of(kInitConnectAck, us, hisTag, p.mine));
  }

  /** Step 2. */
  private call(peer: ErlangPeerState, from: ErlPid, tag: unknown, req: unknown): void {
    const e = req instanceof Tuple ? req.elements : null;
    const op = e !== null ? e[0] : req;
    let reply: unknown;
    if (op === A('set_lock') || op === A('del_lock')) reply = true;
    else if (e !== null && (op === A('register') || op === A('register_ext')) && e.length >= 4) {
      if (e[1] instanceof Atom && e[2] instanceof ErlPid) this.learn(this.peerState(peer.name), e[1].name, pidFromErl(e[2]));
      reply = A('yes');
    } else if (e !== null && op === A('unregister') && e.length === 2) {
      if (e[1] instanceof Atom) this.learn(this.peerState(peer.name), e[1].name, null);
      reply = A('ok');
    } else if (op === A('get_known') || op === A('get_synced') || op === A('get_names_ext')) reply = [];
    else if (op === A('get_protocol_version')) reply = kVsn;
    else return void this.stats.dropped++;
    this.stats.calls++;
    this.answer(peer, from.id, genReplyPayload(this.enc, from, tag, reply));
  }

  /** erl holds `name` as `pid` now (null: not at all): the view and our table follow. */
  private learn(p: GlobalPeer, name: string, pid: Pid | null): void {
    if (pid === null) p.view.delete(name);
    else p.view.set(name, pid);
    this.stats.namesIn++;
    erlangGlobalHandler()?.erlangChanged(name, pid, this);
  }

  /** Step 4. */
  private exchange(peer: ErlangPeerState, p: GlobalPeer, names: unknown): void {
    const h = erlangGlobalHandler();
    const ours: Tuple[] = [];
    const resolved: Tuple[] = [];
    if (h !== null) {
      const theirs = new Map<string, Pid>();
      if (Array.isArray(names)) {
        for (const item of names as unknown[]) {
          if (!(item instanceof Tuple) || item.elements.length !== 3) continue;
          const [n, pid] = item.elements;
          if (n instanceof Atom && pid instanceof ErlPid) theirs.set(n.name, pidFromErl(pid));
        }
      }
      const weResolve = nodeTable.local.name < peer.name;
      for (const [name, pid, notifyAll] of h.names()) {
        if (!fitsAtom(name)) continue;
        const method = notifyAll ? kNotifyAll : kRandomExit;
        ours.push(Tuple.of(A(name), pidToErl(pid), method));
        const other = theirs.get(name);
        if (other === undefined) p.view.set(name, pid);
        else if (!other.equals(pid) && weResolve) {
          // The clash is ours to resolve (our name sorts first): our owner keeps it.
          this.exit2(peer, other);
          resolved.push(Tuple.of(kInsert, Tuple.of(A(name), pidToErl(pid), method)));
          p.view.set(name, pid);
          this.stats.resolved++;
        }
      }
      for (const [name, pid] of theirs) {
        const mine = h.whereis(name);
        if (mine === undefined) this.learn(p, name, pid);
        else if (mine.equals(pid)) p.view.set(name, pid);
        // else: a clash, resolved above (ours) or by erl (its resolved message, step 5).
      }
    }
    const us = A(nodeTable.local.name);
    this.cast(peer, Tuple.of(kExchange, us, ours, [], p.his));
    this.cast(peer, Tuple.of(kResolved, us, resolved, [], kUnused, [], p.his));
    this.stats.syncs++;
  }

  /** Step 5. */
  private resolvedIn(p: GlobalPeer, ops: unknown): void {
    if (Array.isArray(ops) && erlangGlobalHandler() !== null) {
      for (const op of ops as unknown[]) {
        if (!(op instanceof Tuple) || op.elements.length !== 2) continue;
        const [kind, arg] = op.elements;
        if (kind === kDelete && arg instanceof Atom) this.learn(p, arg.name, null);
        else if (kind === kInsert && arg instanceof Tuple && arg.elements[0] instanceof Atom && arg.elements[1] instanceof ErlPid) {
          this.learn(p, arg.elements[0].name, pidFromErl(arg.elements[1]));
        }
      }
    }
    p.synced = true;
    for (const f of p.early.splice(0)) f();
  }

  private lockId(): Tuple {
    return Tuple.of(kGlobal, pidToErl(this.standIn));
  }

  private locker(): ErlPid {
    return pidToErl(new Pid(0, kLockerId, 0));
  }

  /** exit(Pid, kill) from our stand-in (step 4's loser of a clash). */
  private exit2(peer: ErlangPeerState, to: Pid): void {
    this.answer(peer, kServerId, packOutbound(this.enc.encodeTerm(Tuple.of(C.kCtlExit2, pidToErl(this.standIn), pidToErl(to), kKill)), null));
  }

  /** gen_server:call({global_name_server, Peer}, Req) from our stand-in, tag `tag` (the answer: reply()). */
  private callOut(peer: ErlangPeerState, tag: number, req: Tuple): void {
    const from = Tuple.of(pidToErl(this.standIn), refToErl(new Ref(0, kTagSched, tag)));
    this.send(peer, Tuple.of(kGenCall, from, req));
  }

  /** gen_server:cast({global_name_server, Peer}, Msg). */
  private cast(peer: ErlangPeerState, msg: Tuple): void {
    this.send(peer, Tuple.of(kGenCast, msg));
  }

  /** {global_name_server, Peer} ! Msg, from our stand-in (one stream: the peer sees them in order). */
  private send(peer: ErlangPeerState, msg: unknown): void {
    const control = Tuple.of(C.kCtlRegSend, pidToErl(this.standIn), kEmpty, kGlobalNameServer);
    this.answer(peer, kServerId, packOutbound(this.enc.encodeTerm(control), this.enc.encodeTerm(msg)));
  }
}
