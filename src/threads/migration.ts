/**
 * Live migration: a scheduler that stays overloaded by actors that already exist moves
 * some of them, running, to a scheduler that idles (`startNode({ balance: 'migrate' })`).
 * The spawn-time balancer (balancer.ts) only places *new* actors; this moves old ones.
 *
 * Design: forwarding through the home. A pid names its home scheduler (`id % E`,
 * layout.ts) and keeps it for life, so every other thread keeps sending to the home.
 * The home keeps a forwarding entry for the moved actor's slot ("moved to k") and
 * forwards every record addressed to it, unchanged, through its ring to k, where the
 * actor runs as a *guest* under its original pid (Scheduler.guests). The slot is not
 * reused while the entry exists.
 *
 *   sender j --ring j->h--> home h: forwarding entry id -> k --ring h->k--> host k: guest
 *                                                                         |
 *   guest's own records (messages, signals, replies) go straight from k   v  ring k->x
 *
 * Protocol (h = home, k = host, G = the moving actor):
 *   1. Choice (h, `tick`, every kTickMs of busy time, after a slice and a flush): h's
 *      runnable actors have stayed above kOverloadedAt for kSustainMs, the last batch is
 *      done and kCooldownMs old, and the lightest other scheduler k (its stats block, read
 *      without messaging: parked/spinning counts as 0) is not overloaded itself (below
 *      kOverloadedAt), is lighter by more than kMoveMargin, and k's published `migrationsIn` already counts every actor h sent it
 *      (so its published load includes them: no overshoot). h's load is its own runnable
 *      actors (guests excluded: they never move again). h then takes up to kBatch movable
 *      runnable actors (`movable`), at most half the difference.
 *   2. Snapshot (h): G's behaviour ref, state, mailbox, links, monitors it holds and
 *      those held on it, flags (trapExit), priority, counters, name and parent are encoded
 *      into a MIGRATE record. If encoding fails (a closure in the state, say), G stays and
 *      is not tried again for kRetryMs. Otherwise G is detached from h's table and run
 *      queue (its slot stays reserved) and gets a forwarding entry in state *departing*.
 *   3. Fences (h): G's earlier records to third endpoints j (not h, not k) are in h's ring
 *      h->j; its later ones will leave from k on ring k->j, which j may read first. So the
 *      batch records, for every such j, the tail of ring h->j (every link flushed, no
 *      overflow: otherwise the batch waits for the next tick), and MIGRATE is sent only
 *      once each j has consumed its ring up to that tail (its head passed it; j handles
 *      records before releasing them) or is down. Meanwhile every record for G that
 *      reaches h — from a ring or from h's own actors — is kept, in arrival order.
 *   4. Send (h): MIGRATE goes on ring h->k, then the kept records, and the entry becomes
 *      *forwarding*: from now on each record for G's id is copied to ring h->k as it
 *      arrives (one map look-up on the miss path of a record or of a local send: nothing
 *      on the path of a message to a resident actor). Per-pair order holds: G's records
 *      to k were in ring h->k before MIGRATE, its records to j were consumed before, and
 *      everything sent to G, from anywhere, passes through h in order.
 *   5. Install (k): k rebuilds G (pids interned, refs of one MIGRATE interned so the
 *      state's refs and the monitor tables stay the same objects), loads its module if
 *      needed, and runs it. On k, G is found for its own operations and for ring records;
 *      k's other actors reach it through h like everyone else (so their earlier messages,
 *      still travelling via h, are never overtaken).
 *   6. Exit (k): when G ends, its links and monitors fire from k; then k sends UNFORWARD
 *      to h, which drops the entry and frees the slot. Records reaching h after that get
 *      the dead-pid treatment there (noproc for link/monitor, messages dropped); those
 *      forwarded in between get it on k.
 *   7. Host down: when k dies, h drops its entries for k, puts back actors still
 *      departing to k, frees their names, and sends GUESTSDOWN { ids, serials, reason }
 *      to every other endpoint (and applies it itself): links and monitors to those
 *      guests fire with the schedulerDown reason, the gateway rejects calls to them.
 *      Home down: every endpoint already treats pids of h as dead (their links and
 *      monitors fire with h's reason); k ends h's guests with that reason too (untrappable,
 *      no terminate), so no actor lives on unreachable.
 *
 * Movable (`movable`): runnable, at most kMaxMovedMailbox messages queued (a flooded
 * receiver stays where its senders reach it directly), handler style (no generator: its
 * frame cannot be carried), a module-defined behaviour with a known export, the current version, not
 * running, not suspended or held, no maxHeapSize / maxMailbox limits (their byte
 * accounting is not carried), no timed-out call refs kept, no local call waiting on it
 * (its pending-call markers name actors of this scheduler: core/local-call.ts), no dirty task outstanding,
 * and living on its home (a guest never moves again: no forwarding chains, and no
 * ping-pong). An actor whose init has not run yet moves with its init arguments (its
 * state is made on the host), if they encode.
 *
 * Limitations (documented): an actor stuck in an instrumented loop on its host is ended
 * by an exit signal only when the host drains its rings (the shared kill flag is
 * announced to the home, kill-flags.ts); an actor between its snapshot and its MIGRATE
 * record when the node stops gets no terminate callback; guests on a host whose home
 * died end without terminate (as 'kill' would).
 */

import { Actor, fProcess, fLimits, fStarted, fQueued, fTrapExit } from '../core/actor.ts';
import { Pid, Ref } from '../core/pid.ts';
import { hasLocalCallers } from '../core/local-call.ts';
import type { Scheduler } from '../core/scheduler.ts';
import { detach, installGuest, reattach, releaseSlot, runnableActors } from '../core/process-table.ts';
import { MessageDecoder, MessageEncoder } from '../codec/index.ts';
import { kRecMigrate, kRecUnforward, kRecGuestsDown, ringNodeHooks } from './endpoint.ts';
import { ringOffset, statsOffset, type NodeLayout } from './layout.ts';
import { kCacheLineBytes } from './spsc-ring.ts';
import { readStats } from './stats.ts';

/** Runnable actors above which a scheduler counts as overloaded. */
export const kOverloadedAt = 16;
/** Milliseconds a scheduler must stay overloaded before it moves anything. */
export const kSustainMs = 10;
/** Milliseconds between two batches of moves (after the previous one was sent). */
export const kCooldownMs = 10;
/** Actors moved per batch, at most. */
export const kBatch = 64;
/** How much lighter (in runnable actors) the target must be. */
export const kMoveMargin = 16;
/** Milliseconds before an actor whose snapshot failed is tried again. */
export const kRetryMs = 1000;
/** Milliseconds between two looks at the load. */
export const kTickMs = 2;
/**
 * Queued messages above which an actor does not move: a receiver others flood (a fan-in
 * sink) gains nothing on another thread, and every message to it would then take the
 * forwarding hop through its home.
 */
export const kMaxMovedMailbox = 16;
/** Table slots looked at per batch. */
const kScan = 4096;

// Ring header words (spsc-ring.ts): the consumer's head, the producer's tail.
const kHeadWord = kCacheLineBytes / 4;
const kTailWord = (2 * kCacheLineBytes) / 4;

export type BalanceMode = 'steal' | 'spawn' | 'migrate';

/** What the worker host gives the migration (its endpoint and scheduler). */
export interface MigrationPort {
  readonly sched: Scheduler;
  readonly index: number;
  readonly endpoints: number;
  readonly layout: NodeLayout;
  readonly sab: SharedArrayBuffer;
  isAlive(endpoint: number): boolean;
  emitRaw(dest: number, rec: Uint8Array): boolean;
  internPid(id: number, serial: number): Pid;
  /** Handle `rec` now, as a record from endpoint `src` (kept records of an actor put back). */
  replay(src: number, rec: Uint8Array): void;
  /** Links of endpoint `dest` hold overflow records. */
  overflowing(dest: number): boolean;
  /** Fire links and monitors of local actors to the guests `dead` (id -> serial). */
  guestsDown(host: number, dead: Map<number, number>, reason: unknown): void;
}

/** A moving actor between its snapshot and its MIGRATE record (steps 2-4). */
interface Departure {
  readonly actor: Actor;
  readonly rec: Uint8Array;
  readonly kept: Uint8Array[];
}

/** Forwarding entry of a moved actor's id, on its home. */
interface Forward {
  readonly host: number;
  readonly serial: number;
  departure: Departure | null;
}

interface Batch {
  readonly host: number;
  /** Per fenced endpoint: its ring header words, and the tail to wait for. */
  readonly fences: { j: number; words: Int32Array; tail: number }[];
  readonly ids: number[];
}

interface MigratePayload {
  m: string;
  e: string;
  state: unknown;
  mail: unknown[];
  links: Pid[];
  monitors: [Ref, Pid][];
  monitoredBy: [Ref, Pid][];
  flags: number;
  priority: number;
  reductions: number;
  msgsIn: number;
  msgsOut: number;
  name: string | null;
  parent: Pid | null;
  mrpm: number;
  /** init's arguments, while init has not run yet (flags without fStarted). */
  args: unknown[] | null;
}

export class LiveMigration {
  readonly mode: BalanceMode;
  private readonly port: MigrationPort;
  private readonly s: Scheduler;
  /** Home side: forwarding entries by id (the scheduler's router sees them through `isMoved`). */
  private readonly forwards = new Map<number, Forward>();
  private readonly batches: Batch[] = [];
  private readonly failedAt = new WeakMap<Actor, number>();
  /** Dirty tasks outstanding, by actor id (such an actor does not move). */
  private readonly dirty = new Map<number, number>();
  private readonly encoder = new MessageEncoder(4096, ringNodeHooks);
  private readonly decoder: MessageDecoder;
  private readonly refs = new Map<string, Ref>();
  /** Ring header words of ring (this -> j), by j. */
  private readonly ringWords: (Int32Array | null)[] = [];
  private overSince = -1;
  private lastTick = -Infinity;
  /** Actors sent to each scheduler (compared with its published migrationsIn). */
  private readonly sentTo: number[];
  private lastMove = -Infinity;
  migrationsOut = 0;
  migrationsIn = 0;
  forwarded = 0;

  constructor(port: MigrationPort, mode: BalanceMode) {
    this.port = port;
    this.mode = mode;
    this.s = port.sched;
    this.decoder = new MessageDecoder({
      decodeNode: ringNodeHooks.decodeNode,
      makePid: (node, id, serial) => (node === 0 ? port.internPid(id, serial) : new Pid(node, id, serial)),
      makeRef: (node, sched, n) => {
        const key = `${node}:${sched}:${n}`;
        let r = this.refs.get(key);
        if (r === undefined) this.refs.set(key, (r = new Ref(node, sched, n)));
        return r;
      },
    });
    this.sentTo = new Array<number>(port.endpoints).fill(0);
    for (let j = 0; j < port.endpoints; j++) {
      this.ringWords.push(j === port.index ? null : new Int32Array(port.sab, ringOffset(port.layout, port.index, j), 3 * kCacheLineBytes / 4));
    }
  }

  /** Guests running here now. */
  get guests(): number {
    return this.s.guests?.size ?? 0;
  }

  /** Batches waiting for their fences (the loop polls them; parking stays short). */
  get pending(): boolean {
    return this.batches.length > 0;
  }

  // ---------------------------------------------------------------------------------
  // Home side: records for moved actors (steps 3-4)
  // ---------------------------------------------------------------------------------

  /** Is local `id` moved (forwarded or departing)? */
  isMoved(id: number): boolean {
    return this.forwards.has(id);
  }

  /**
   * A ring record for local `id` found no actor: forward it (or keep it) if the actor
   * moved. `rec` is copied before this returns. False: not moved.
   */
  forwardRecord(id: number, rec: Uint8Array): boolean {
    const f = this.forwards.get(id);
    if (f === undefined) return false;
    if (f.departure !== null) f.departure.kept.push(rec.slice());
    else this.port.emitRaw(f.host, rec);
    this.forwarded++;
    return true;
  }

  /**
   * A record built by this thread (header words `h[0..n)`, then `value`) for moved `id`.
   * @throws UnsendableError as `emit` does (nothing is kept then)
   */
  forwardLocal(id: number, h: Int32Array, n: number, value: unknown, hasValue: boolean): boolean {
    if (!this.forwards.has(id)) return false;
    const rec = this.encodeRecord(h, n, value, hasValue);
    return this.forwardRecord(id, rec);
  }

  /** Records one dirty task started (+1) or settled (-1) for actor `id`. */
  noteDirty(id: number, delta: number): void {
    const n = (this.dirty.get(id) ?? 0) + delta;
    if (n > 0) this.dirty.set(id, n);
    else this.dirty.delete(id);
  }

  // ---------------------------------------------------------------------------------
  // Home side: the policy and the moves (steps 1-4)
  // ---------------------------------------------------------------------------------

  /**
   * Called by the host after each slice and each round, right after a flush: sends the
   * batches whose fences passed, and every kTickMs looks at the load (`tick`). True if it
   * wrote records (the caller flushes).
   */
  poll(now: number): boolean {
    let wrote = false;
    if (this.batches.length > 0) wrote = this.progress();
    if (now - this.lastTick >= kTickMs) {
      this.lastTick = now;
      wrote = this.tick(now) || wrote;
    }
    return wrote;
  }

  /** Look at the load; maybe start a batch (step 1). True if it wrote records. */
  tick(now: number): boolean {
    if (this.mode !== 'migrate') return false;
    const s = this.s;
    const load = Math.min(s.runQueueLength, s.size - this.guests);
    if (load < kOverloadedAt) {
      this.overSince = -1;
      return false;
    }
    if (this.overSince < 0) this.overSince = now;
    if (now - this.overSince < kSustainMs || now - this.lastMove < kCooldownMs || this.batches.length > 0) return false;
    const p = this.port;
    const N = p.layout.schedulers;
    let best = -1;
    let bestLoad = Infinity;
    for (let k = 0; k < N; k++) {
      if (k === p.index || !p.isAlive(k)) continue;
      const st = readStats(p.sab, statsOffset(p.layout, k), k);
      if (st.state === 'down' || st.state === 'stopped' || st.state === 'starting') continue;
      // Our last batch to k is not in its published load yet: wait for it (no overshoot).
      if (st.migrationsIn < this.sentTo[k]!) return false;
      const l = st.state === 'parked' || st.state === 'spinning' ? 0 : st.runQueue;
      if (l < bestLoad) {
        best = k;
        bestLoad = l;
      }
    }
    // Only to a scheduler that is not overloaded itself: between two busy ones a move gains
    // no parallelism and costs a forwarding hop per message (and with both sides under
    // backpressure it was the fan-in stall: each side forwarding into the other's full ring).
    if (best < 0 || bestLoad >= kOverloadedAt || load - bestLoad <= kMoveMargin) return false;
    // Fences need every link flushed and without overflow (step 3).
    for (let j = 0; j < p.endpoints; j++) if (j !== p.index && j !== best && p.overflowing(j)) return false;
    const count = Math.min(kBatch, Math.floor((load - bestLoad) / 2));
    const picked = runnableActors(s, count, kScan, (a) => this.movable(a, now));
    if (picked.length === 0) return false;
    const ids: number[] = [];
    for (const a of picked) if (this.depart(a, best, now)) ids.push(a.pid.id);
    if (ids.length === 0) return false;
    const fences: Batch['fences'] = [];
    for (let j = 0; j < p.endpoints; j++) {
      if (j === p.index || j === best || !p.isAlive(j)) continue;
      const words = this.ringWords[j]!;
      // The producer's committed tail of ring (this -> j): everything G wrote to j is
      // before it (we flushed, nothing overflows). Only this thread writes it.
      fences.push({ j, words, tail: Atomics.load(words, kTailWord) });
    }
    this.batches.push({ host: best, fences, ids });
    this.lastMove = now;
    return this.progress();
  }

  /** Send the batches whose fences passed (step 4). True if it wrote records. */
  progress(): boolean {
    const p = this.port;
    let wrote = false;
    while (this.batches.length > 0) {
      const b = this.batches[0]!;
      for (const f of b.fences) {
        // The consumer's head of ring (this -> j): j released (so handled) every record
        // before it. Wrap-safe 32-bit comparison of free-running positions.
        if (p.isAlive(f.j) && ((Atomics.load(f.words, kHeadWord) - f.tail) | 0) < 0) return wrote;
      }
      wrote = true;
      this.batches.shift();
      this.lastMove = performance.now();
      for (const id of b.ids) {
        const f = this.forwards.get(id);
        const d = f?.departure;
        if (f === undefined || d === null || d === undefined) continue;
        if (!p.emitRaw(b.host, d.rec)) {
          this.putBack(id, f);
          continue;
        }
        for (const r of d.kept) p.emitRaw(b.host, r);
        f.departure = null;
        this.migrationsOut++;
        this.sentTo[b.host]!++;
      }
    }
    return wrote;
  }

  private movable(a: Actor, now: number): boolean {
    if ((a.flags & (fProcess | fLimits)) !== 0 || a.mlen > kMaxMovedMailbox) return false;
    const beh = a.behaviour;
    if (beh === null || beh.module === null || beh.exportName === null || beh.upgrade !== null) return false;
    const x = a.ext;
    if (x !== null && (x.suspended || x.timer !== null || x.expiredCalls !== null || x.sizes !== null || hasLocalCallers(a))) return false;
    if (this.dirty.has(a.pid.id)) return false;
    const failed = this.failedAt.get(a);
    return failed === undefined || now - failed >= kRetryMs;
  }

  /** Snapshot and detach `a` for host `k` (step 2). False: it stays. */
  private depart(a: Actor, k: number, now: number): boolean {
    const x = a.ext;
    const mail: unknown[] = [];
    for (let i = 0; i < a.mlen; i++) mail.push(a.at(i));
    const payload: MigratePayload = {
      m: a.behaviour!.module!,
      e: a.behaviour!.exportName!,
      state: a.state,
      mail,
      links: x?.links ? [...x.links] : [],
      monitors: x?.monitors ? [...x.monitors] : [],
      monitoredBy: x?.monitoredBy ? [...x.monitoredBy] : [],
      flags: a.flags & (fTrapExit | fStarted),
      priority: a.priority,
      reductions: a.reductions,
      msgsIn: a.msgsIn,
      msgsOut: a.msgsOut,
      name: x?.name ?? null,
      parent: a.parent,
      mrpm: x?.maxReductionsPerMessage ?? 0,
      args: x?.args ?? null,
    };
    const h = new Int32Array(3);
    h[0] = kRecMigrate;
    h[1] = a.pid.id;
    h[2] = a.pid.serial;
    let rec: Uint8Array;
    try {
      rec = this.encodeRecord(h, 3, payload, true);
    } catch {
      this.failedAt.set(a, now);
      return false;
    }
    detach(this.s, a);
    this.forwards.set(a.pid.id, { host: k, serial: a.pid.serial, departure: { actor: a, rec, kept: [] } });
    return true;
  }

  /** A departure that cannot happen (its host is down): the actor runs here again. */
  private putBack(id: number, f: Forward): void {
    const d = f.departure!;
    this.forwards.delete(id);
    reattach(this.s, d.actor);
    for (const r of d.kept) this.port.replay(this.port.index, r);
  }

  private encodeRecord(h: Int32Array, n: number, value: unknown, hasValue: boolean): Uint8Array {
    const m = hasValue ? this.encoder.encodeToScratch(value) : 0;
    const rec = new Uint8Array(n * 4 + m);
    new Int32Array(rec.buffer, 0, n).set(h.subarray(0, n));
    if (m > 0) rec.set(this.encoder.scratch.subarray(0, m), n * 4);
    return rec;
  }

  /** UNFORWARD from the host: the guest `id` ended there (step 6). */
  onUnforward(id: number, serial: number): void {
    const f = this.forwards.get(id);
    if (f === undefined || f.serial !== serial || f.departure !== null) return;
    this.forwards.delete(id);
    releaseSlot(this.s, id);
  }

  // ---------------------------------------------------------------------------------
  // Host side (steps 5-6)
  // ---------------------------------------------------------------------------------

  /** MIGRATE from `home`: install the guest. */
  onMigrate(id: number, serial: number, bytes: Uint8Array, offset: number, length: number): void {
    this.refs.clear();
    const b = this.decoder.decode(bytes, offset, length) as MigratePayload;
    this.refs.clear();
    const pid = this.port.internPid(id, serial);
    const a = new Actor(pid, -1, null);
    a.state = b.state;
    for (const msg of b.mail) a.push(msg);
    a.flags = b.flags & ~fQueued;
    a.priority = b.priority;
    a.reductions = b.reductions;
    a.msgsIn = b.msgsIn;
    a.msgsOut = b.msgsOut;
    const x = a.x();
    if (b.links.length > 0) x.links = new Set(b.links);
    if (b.monitors.length > 0) x.monitors = new Map(b.monitors);
    if (b.monitoredBy.length > 0) x.monitoredBy = new Map(b.monitoredBy);
    x.name = b.name;
    a.parent = b.parent;
    x.maxReductionsPerMessage = b.mrpm;
    x.args = b.args;
    this.shareRefs(a);
    installGuest(this.s, a, { module: b.m, export: b.e });
    this.migrationsIn++;
  }

  /**
   * A monitor between the guest and an actor living here is matched by ref identity on
   * this thread (Scheduler.finalize): make both sides hold the same Ref object. The
   * watcher's object wins (its code may hold it: `monitor` returned it), so a monitor the
   * guest holds keeps the guest's object, one held on the guest takes the watcher's.
   */
  private shareRefs(g: Actor): void {
    const s = this.s;
    const E = this.port.endpoints;
    const me = this.port.index;
    const same = (p: Ref, q: Ref): boolean => p.node === q.node && p.sched === q.sched && p.n === q.n;
    const x = g.ext!;
    if (x.monitoredBy !== null) {
      for (const [ref, w] of [...x.monitoredBy]) {
        if (w.node !== 0 || w.id % E !== me) continue;
        const mons = s.lookupId(w.id, w.serial)?.ext?.monitors;
        if (mons == null) continue;
        for (const r of mons.keys()) {
          if (r !== ref && same(r, ref)) {
            x.monitoredBy.delete(ref);
            x.monitoredBy.set(r, w);
            break;
          }
        }
      }
    }
    if (x.monitors !== null) {
      for (const [ref, t] of x.monitors) {
        if (t.node !== 0 || t.id % E !== me) continue;
        const by = s.lookupId(t.id, t.serial)?.ext?.monitoredBy;
        if (by == null) continue;
        for (const [r, who] of [...by]) {
          if (r !== ref && same(r, ref)) {
            by.delete(r);
            by.set(ref, who);
            break;
          }
        }
      }
    }
  }

  /** A guest ended here (SchedulerHost.guestExited): its home drops the forwarding entry. */
  guestExited(pid: Pid): void {
    const home = pid.id % this.port.endpoints;
    if (!this.port.isAlive(home)) return;
    const h = new Int32Array(3);
    h[0] = kRecUnforward;
    h[1] = pid.id;
    h[2] = pid.serial;
    this.port.emitRaw(home, this.encodeRecord(h, 3, undefined, false));
  }

  // ---------------------------------------------------------------------------------
  // A scheduler went down (step 7)
  // ---------------------------------------------------------------------------------

  /** Scheduler `k` died with `reason` (called after the host fired its own links to k). */
  onSchedulerDown(k: number, reason: unknown): void {
    const p = this.port;
    const s = this.s;
    // Home side: guests on k are dead; departures to k come back.
    const dead = new Map<number, number>();
    for (const [id, f] of [...this.forwards]) {
      if (f.host !== k) continue;
      if (f.departure !== null) {
        this.putBack(id, f);
        continue;
      }
      this.forwards.delete(id);
      releaseSlot(s, id);
      dead.set(id, f.serial);
    }
    for (let i = this.batches.length - 1; i >= 0; i--) if (this.batches[i]!.host === k) this.batches.splice(i, 1);
    if (dead.size > 0) {
      for (const name of s.registry.registered()) {
        const pid = s.registry.whereis(name);
        if (pid !== undefined && dead.get(pid.id) === pid.serial) s.registry.remove(name, pid);
      }
      const h = new Int32Array(2);
      h[0] = kRecGuestsDown;
      h[1] = k;
      const rec = this.encodeRecord(h, 2, { ids: [...dead.keys()], serials: [...dead.values()], reason }, true);
      for (let j = 0; j < p.endpoints; j++) if (j !== p.index && j !== k && p.isAlive(j)) p.emitRaw(j, rec);
      p.guestsDown(k, dead, reason);
    }
    // Host side: guests whose home was k end with k's reason.
    const guests = s.guests;
    if (guests !== null && guests.size > 0) {
      for (const a of [...guests.values()]) if (a.pid.id % p.endpoints === k) s.kill(a.pid, reason);
    }
  }
}
