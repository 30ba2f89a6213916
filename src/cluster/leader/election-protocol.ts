/**
 * The election protocol of GenLeader: which node of a connected partition leads. One
 * ElectionProtocol lives inside each GenLeader server (gen-leader.ts feeds it every
 * message and gets told, through ElectionHooks, when to run the user's callbacks).
 *
 * Members: `candidates` (a priority list: the first is the highest) and `workers` (follow,
 * never lead). Every member runs one server, registered under the election's name.
 *
 * Rule: the leader of a connected partition is its highest-priority candidate whose server
 * runs. A higher candidate that (re)joins takes over; the lower leader surrenders.
 *
 * Invariant: at no moment do two servers that see each other both lead — a candidate
 * starts leading only after every member it sees has answered its claim, and a leader
 * that answers a higher claim stops leading before it answers.
 *
 * Messages (plain data; `node` and `pid` name the sender's server):
 *   hello    { type: '$gl_hello', node, pid, inc, ack }    ack: please answer with a hello
 *   claim    { type: '$gl_claim', node, pid, epoch }       epoch = { node, inc, round }
 *   accept   { type: '$gl_accept', node, epoch }
 *   reject   { type: '$gl_reject', node, epoch }
 *   leader   { type: '$gl_leader', node, pid, epoch, synch, alive }   the leader's announcement
 *   stepdown { type: '$gl_stepdown', node, pid }          the sender no longer leads
 *   retry    { type: '$gl_retry', n }                     own timer after a reject
 *
 * Steps, per server:
 *   1. Start: take the incarnation `inc` (incarnation.ts); subscribe to nodeup/nodedown
 *      (ctx.monitorNodes); *probe* every other member: monitor `{ name, node }` and send it
 *      a hello with ack. (Monitoring a member's name also connects to its node, as
 *      gen_leader connects to its candidates.) A probe ends with the member's hello (it
 *      becomes a *peer*: its pid is monitored, the name monitor dropped) or with the name
 *      monitor's DOWN (noproc: no server there yet; noconnection: node unreachable).
 *      A nodeup of a member probes it again, and so does the DOWN of a peer or probe
 *      whose node is connected again by then (not a probe's noproc: no server there, it
 *      says hello when it starts). A hello from a member that is not a peer yet
 *      (it started later, or probed first) also makes it a peer; a hello with ack is
 *      answered with a hello without.
 *   2. Evaluate (after every change of peers, probes, claims): a candidate that has no
 *      probe outstanding, does not lead, has no claim out, and is the highest-priority
 *      candidate among itself and its peers *claims*: a new round, epoch
 *      `{ node, inc, round }`, sent to every peer (workers too); the set of peers it waits
 *      for is all of them. A claimant that sees a higher candidate join drops its claim;
 *      a lower member joining during a claim is sent the claim and waited for too.
 *   3. A member receiving a claim from peer C: if C is the highest-priority candidate among
 *      itself and its peers, it *accepts*: if it leads, it first stops leading (the
 *      `lost` hook, then a stepdown to every peer); it drops its own claim; then sends
 *      accept. Otherwise (it sees someone higher, or C is not its peer) it rejects.
 *   4. The claimant counts accepts of the current epoch; a peer that goes down is no
 *      longer waited for. Nobody left to wait for: it *leads* — the `elected` hook
 *      (undefined joiner) gives the synch, announced to every peer with the leader's view
 *      of the alive members; then the `memberDown` hook for every member that was alive in
 *      the previous election it knew and is gone now (e.g. the leader it replaces).
 *      A reject of the current epoch drops the claim and retries step 2 after `retryMs`.
 *   5. A leader that gets a new peer runs `elected` with that node as joiner: the synch
 *      goes to all peers or, for a `{ reply }` result, to the joiner only. A leader whose
 *      peer goes down runs `memberDown`.
 *   6. Followers: every announcement is recorded with a sequence number, a stepdown or
 *      DOWN removes its sender's; the followed leader is the last announcer still
 *      recorded (so a late announcement of a leader that already stepped down is undone by
 *      its stepdown, which follows it on the same channel). A new announcement runs the
 *      `surrendered` hook with its synch. A leader receiving the announcement of a higher
 *      candidate (two partitions merging) stops leading and follows it; of a lower one,
 *      ignores it (it will claim, step 2, and the lower one accept).
 *   7. Every change of the followed leader runs `leaderChanged` (gen-leader.ts then
 *      forwards or fails the leader calls waiting on it).
 *
 * Why two leaders cannot overlap while they see each other: say C2 leads while C1 leads
 * and both are peers of each other. Whichever claimed last, say C2, waited for C1's accept
 * (C1 was its peer when it claimed, or joined during the claim and was sent it); C1 accepts
 * only after it stopped leading (step 3), and an accept is only sent once C1 sees C2 as
 * the highest candidate. If C1 led only after C2's claim began, C1 waited for C2's accept,
 * which C2 gives only after dropping its own claim. Members that do not see each other
 * yet (a partition healing, a node not probed yet) may lead at once; step 1's probes make
 * a starting server learn of every reachable server before it claims, and after a heal the
 * nodeup probes bring the partitions' leaders together (step 6 or 3).
 *
 * Limits: within one *connected* partition (as gen_leader): no majority rule, so each side
 * of a partition elects its own leader. Connectivity that is not transitive (A sees B, B
 * sees C, A does not see C) can keep an election from finishing until it is. Members must
 * be given identical `candidates` and `workers` lists.
 *
 * Erlang mapping: gen_leader (Wiger, after Stoller's "Leader election in distributed
 * systems with crash failures"): priority by list position, incarnations, capture and
 * accept of lower nodes by the highest live candidate, the elected/surrendered/handle_DOWN
 * callbacks; workers as gen_leader's workers. The message formats are not gen_leader's.
 */
import type { Context } from '../../core/context.ts';
import type { Pid, Ref } from '../../core/pid.ts';
import { inElectionOrder, rankOf, type Election } from './election.ts';

/** The id of one claim: unique cluster-wide for ever (see incarnation.ts). */
export interface Epoch {
  readonly node: string;
  readonly inc: number;
  readonly round: number;
}

export interface ElectionConfig {
  readonly name: string;
  readonly node: string;
  readonly inc: number;
  readonly candidates: readonly string[];
  readonly workers: readonly string[];
  readonly retryMs: number;
}

/** What the protocol asks of the server it runs in (gen-leader.ts: the user's callbacks). */
export interface ElectionHooks {
  /** This server leads (joined undefined) or `joined` became a peer while it leads. */
  elected(joined: string | undefined, ctx: Context): { readonly synch: unknown; readonly toJoinedOnly: boolean };
  /** This server follows a leader that announced `synch`. */
  surrendered(synch: unknown, ctx: Context): void;
  /** This server leads and `node`'s server went down (or is gone since the last election). */
  memberDown(node: string, ctx: Context): void;
  /** This server led and stops leading (before it answers the claim that ends it). */
  lost(ctx: Context): void;
  /** The followed leader changed: `previous` (if any) went down when `died`. */
  leaderChanged(previous: string | undefined, died: boolean, ctx: Context): void;
}

interface Peer {
  readonly pid: Pid;
  readonly ref: Ref;
  readonly inc: number;
}

interface Announced {
  readonly pid: Pid;
  readonly epoch: Epoch;
  readonly seq: number;
}

interface Claim {
  readonly epoch: Epoch;
  readonly waiting: Set<string>;
}

type ProtocolMessage =
  | { type: '$gl_hello'; node: string; pid: Pid; inc: number; ack: boolean }
  | { type: '$gl_claim'; node: string; pid: Pid; epoch: Epoch }
  | { type: '$gl_accept'; node: string; epoch: Epoch }
  | { type: '$gl_reject'; node: string; epoch: Epoch }
  | { type: '$gl_leader'; node: string; pid: Pid; epoch: Epoch; synch: unknown; alive: string[] }
  | { type: '$gl_stepdown'; node: string; pid: Pid }
  | { type: '$gl_retry'; n: number };

function sameEpoch(a: Epoch, b: Epoch | undefined): boolean {
  return b !== undefined && a.node === b.node && a.inc === b.inc && a.round === b.round;
}

export class ElectionProtocol {
  readonly cfg: ElectionConfig;
  private readonly hooks: ElectionHooks;
  private readonly members: ReadonlySet<string>;
  private readonly isCandidate: boolean;
  private readonly peers = new Map<string, Peer>();
  private readonly probes = new Map<string, Ref>();
  private readonly announced = new Map<string, Announced>();
  private claim: Claim | null = null;
  private round = 0;
  private leading: Epoch | null = null;
  private followed: string | undefined = undefined;
  private announceSeq = 0;
  /** The alive members of the last election this server knew (its leader's view). */
  private lastAlive: readonly string[] = [];
  private retryTimer: Ref | null = null;
  private retrySerial = 0;
  private self: Pid | null = null;

  constructor(cfg: ElectionConfig, hooks: ElectionHooks) {
    this.cfg = cfg;
    this.hooks = hooks;
    this.members = new Set([...cfg.candidates, ...cfg.workers]);
    this.isCandidate = cfg.candidates.includes(cfg.node);
  }

  /** Step 1. */
  start(ctx: Context): void {
    this.self = ctx.self;
    ctx.monitorNodes(true);
    for (const n of this.members) if (n !== this.cfg.node) this.probe(n, ctx);
    this.evaluate(ctx);
  }

  /** The node followed as leader (this one when it leads), undefined during an election. */
  get leader(): string | undefined {
    return this.followed;
  }

  get isLeader(): boolean {
    return this.leading !== null;
  }

  /** The pid of the leader's server (undefined when none, or this server leads). */
  leaderPid(): Pid | undefined {
    if (this.followed === undefined || this.leading !== null) return undefined;
    return this.announced.get(this.followed)?.pid;
  }

  /** The followed leader's pid if it is `pid` (answers from a leader are checked by it). */
  peerPid(node: string): Pid | undefined {
    return this.peers.get(node)?.pid;
  }

  /** Every peer's server pid (the leader broadcasts to these). */
  peerPids(): Pid[] {
    return [...this.peers.values()].map((p) => p.pid);
  }

  snapshot(): Election {
    const leaderEpoch = this.leading ?? (this.followed !== undefined ? this.announced.get(this.followed)?.epoch : undefined);
    return Object.freeze({
      name: this.cfg.name,
      node: this.cfg.node,
      leader: this.followed,
      incarnation: leaderEpoch?.inc,
      round: leaderEpoch?.round,
      alive: Object.freeze(this.aliveNodes()),
      candidates: this.cfg.candidates,
      workers: this.cfg.workers,
    });
  }

  /**
   * Handle `msg` if it belongs to the protocol (its own messages, nodeup/nodedown, DOWN of
   * its own monitors); false for anything else (the user's handleInfo gets it).
   */
  handle(msg: unknown, ctx: Context): boolean {
    if (typeof msg !== 'object' || msg === null) return false;
    const type = (msg as { type?: unknown }).type;
    if (type === 'nodeup') {
      const node = (msg as { node: string }).node;
      if (this.members.has(node) && node !== this.cfg.node) this.probe(node, ctx);
      return true;
    }
    if (type === 'nodedown') return true; // the monitors of step 1 say which servers went
    if (type === 'DOWN') return this.down((msg as { ref: Ref }).ref, (msg as { reason?: unknown }).reason, ctx);
    if (typeof type !== 'string' || !type.startsWith('$gl_')) return false;
    const m = msg as ProtocolMessage;
    switch (m.type) {
      case '$gl_hello':
        this.hello(m.node, m.pid, m.inc, m.ack, ctx);
        return true;
      case '$gl_claim':
        this.claimed(m.node, m.pid, m.epoch, ctx);
        return true;
      case '$gl_accept':
        if (this.claim !== null && sameEpoch(m.epoch, this.claim.epoch)) {
          this.claim.waiting.delete(m.node);
          this.checkClaim(ctx);
        }
        return true;
      case '$gl_reject':
        if (this.claim !== null && sameEpoch(m.epoch, this.claim.epoch)) {
          this.claim = null;
          this.retryLater(ctx);
        }
        return true;
      case '$gl_leader':
        this.announcement(m.node, m.pid, m.epoch, m.synch, m.alive, ctx);
        return true;
      case '$gl_stepdown': {
        const a = this.announced.get(m.node);
        if (a !== undefined && a.pid.equals(m.pid)) {
          this.announced.delete(m.node);
          this.recomputeLeader(false, ctx);
        }
        return true;
      }
      case '$gl_retry':
        if (m.n === this.retrySerial && this.retryTimer !== null) {
          this.retryTimer = null;
          this.evaluate(ctx);
        }
        return true;
      default:
        return false;
    }
  }

  // --- step 1: probes and peers -------------------------------------------------------

  private probe(node: string, ctx: Context): void {
    if (this.peers.has(node) || this.probes.has(node)) return;
    const dest = { name: this.cfg.name, node };
    this.probes.set(node, ctx.monitor(dest));
    ctx.send(dest, this.helloMsg(true));
  }

  private helloMsg(ack: boolean): ProtocolMessage {
    return { type: '$gl_hello', node: this.cfg.node, pid: this.self!, inc: this.cfg.inc, ack };
  }

  private hello(node: string, pid: Pid, inc: number, ack: boolean, ctx: Context): void {
    if (!this.members.has(node) || node === this.cfg.node) return;
    const known = this.peers.get(node);
    if (known !== undefined && known.pid.equals(pid)) {
      if (ack) ctx.send(pid, this.helloMsg(false));
      return;
    }
    if (known !== undefined) this.peerGone(node, known, ctx); // an earlier life, its DOWN still on the way
    const probe = this.probes.get(node);
    if (probe !== undefined) {
      ctx.demonitor(probe, { flush: true });
      this.probes.delete(node);
    }
    this.peers.set(node, { pid, ref: ctx.monitor(pid), inc });
    if (ack) ctx.send(pid, this.helloMsg(false));
    this.peerJoined(node, ctx);
  }

  /**
   * The DOWN of a probe or of a peer. If the member's node is connected again by now (its
   * nodeup came before this DOWN), it is probed again — except after a probe's `noproc`
   * (no server there: it will say hello when it starts), so probing never loops.
   */
  private down(ref: Ref, reason: unknown, ctx: Context): boolean {
    for (const [node, r] of this.probes) {
      if (r === ref || r.equals(ref)) {
        this.probes.delete(node);
        if (reason !== 'noproc' && ctx.nodes().includes(node)) this.probe(node, ctx);
        this.evaluate(ctx);
        return true;
      }
    }
    for (const [node, p] of this.peers) {
      if (p.ref === ref || p.ref.equals(ref)) {
        this.peerGone(node, p, ctx);
        if (ctx.nodes().includes(node)) this.probe(node, ctx);
        this.evaluate(ctx);
        return true;
      }
    }
    return false;
  }

  /** Steps 2 and 5 for a member that became a peer. */
  private peerJoined(node: string, ctx: Context): void {
    if (this.leading !== null) {
      const r = this.hooks.elected(node, ctx);
      this.lastAlive = this.aliveNodes();
      this.announce(r.synch, r.toJoinedOnly ? [this.peers.get(node)!.pid] : this.peerPids(), ctx);
    } else if (this.claim !== null) {
      if (this.rank(node) < this.rank(this.cfg.node)) this.claim = null;
      else {
        this.claim.waiting.add(node);
        ctx.send(this.peers.get(node)!.pid, { type: '$gl_claim', node: this.cfg.node, pid: this.self!, epoch: this.claim.epoch });
      }
    }
    this.evaluate(ctx);
  }

  private peerGone(node: string, peer: Peer, ctx: Context): void {
    this.peers.delete(node);
    ctx.demonitor(peer.ref, { flush: true });
    if (this.claim !== null && this.claim.waiting.delete(node)) this.checkClaim(ctx);
    const wasFollowed = this.followed === node;
    this.announced.delete(node);
    if (this.leading !== null) {
      this.hooks.memberDown(node, ctx);
      this.lastAlive = this.aliveNodes();
    }
    this.recomputeLeader(wasFollowed, ctx);
  }

  // --- steps 2-4: claims ---------------------------------------------------------------

  private rank(node: string): number {
    return rankOf(this.cfg.candidates, node);
  }

  /** The highest-priority candidate among this server (if a candidate) and its peers. */
  private best(): string | undefined {
    let best: string | undefined = this.isCandidate ? this.cfg.node : undefined;
    for (const n of this.peers.keys()) if (this.rank(n) < (best === undefined ? Infinity : this.rank(best))) best = n;
    return best !== undefined && this.rank(best) !== Infinity ? best : undefined;
  }

  private evaluate(ctx: Context): void {
    if (!this.isCandidate || this.leading !== null || this.claim !== null || this.retryTimer !== null) return;
    if (this.probes.size > 0 || this.best() !== this.cfg.node) return;
    const epoch: Epoch = { node: this.cfg.node, inc: this.cfg.inc, round: ++this.round };
    this.claim = { epoch, waiting: new Set(this.peers.keys()) };
    const msg = { type: '$gl_claim', node: this.cfg.node, pid: this.self!, epoch };
    for (const p of this.peers.values()) ctx.send(p.pid, msg);
    this.checkClaim(ctx);
  }

  private claimed(node: string, pid: Pid, epoch: Epoch, ctx: Context): void {
    const peer = this.peers.get(node);
    if (peer === undefined || !peer.pid.equals(pid) || this.best() !== node) {
      ctx.send(pid, { type: '$gl_reject', node: this.cfg.node, epoch });
      this.evaluate(ctx);
      return;
    }
    if (this.leading !== null) this.stopLeading(ctx);
    this.claim = null;
    ctx.send(pid, { type: '$gl_accept', node: this.cfg.node, epoch });
  }

  private checkClaim(ctx: Context): void {
    const c = this.claim;
    if (c === null || c.waiting.size > 0) return;
    this.claim = null;
    this.leading = c.epoch;
    this.announced.clear();
    this.recomputeLeader(false, ctx, () => {
      const before = this.lastAlive;
      const r = this.hooks.elected(undefined, ctx);
      this.announce(r.synch, this.peerPids(), ctx);
      const now = new Set(this.aliveNodes());
      this.lastAlive = [...now];
      for (const n of before) if (!now.has(n) && n !== this.cfg.node) this.hooks.memberDown(n, ctx);
    });
  }

  private retryLater(ctx: Context): void {
    if (this.retryTimer !== null) ctx.cancelTimer(this.retryTimer);
    this.retryTimer = ctx.sendAfter(this.cfg.retryMs, ctx.self, { type: '$gl_retry', n: ++this.retrySerial });
  }

  private stopLeading(ctx: Context): void {
    this.leading = null;
    this.hooks.lost(ctx);
    const msg = { type: '$gl_stepdown', node: this.cfg.node, pid: this.self! };
    for (const p of this.peers.values()) ctx.send(p.pid, msg);
    this.recomputeLeader(false, ctx);
  }

  // --- steps 5-7: announcements --------------------------------------------------------

  private announce(synch: unknown, to: readonly Pid[], ctx: Context): void {
    const msg = { type: '$gl_leader', node: this.cfg.node, pid: this.self!, epoch: this.leading!, synch, alive: this.aliveNodes() };
    for (const pid of to) ctx.send(pid, msg);
  }

  private announcement(node: string, pid: Pid, epoch: Epoch, synch: unknown, alive: string[], ctx: Context): void {
    const peer = this.peers.get(node);
    if (peer === undefined || !peer.pid.equals(pid)) return;
    if (this.leading !== null) {
      if (this.rank(node) > this.rank(this.cfg.node)) return; // step 6: it will accept our claim
      this.stopLeading(ctx);
    }
    this.announced.set(node, { pid, epoch, seq: ++this.announceSeq });
    this.lastAlive = alive;
    this.recomputeLeader(false, ctx, () => this.hooks.surrendered(synch, ctx));
  }

  /**
   * Step 7: the followed leader is this server when it leads, else the last announcer
   * still recorded. `first` runs once the new leader is set, before `leaderChanged`.
   */
  private recomputeLeader(previousDied: boolean, ctx: Context, first?: () => void): void {
    let next: string | undefined;
    if (this.leading !== null) next = this.cfg.node;
    else {
      let seq = -1;
      for (const [n, a] of this.announced) {
        if (a.seq > seq) {
          seq = a.seq;
          next = n;
        }
      }
    }
    const previous = this.followed;
    this.followed = next;
    if (first !== undefined) first();
    if (next !== previous) this.hooks.leaderChanged(previous, previousDied, ctx);
  }

  private aliveNodes(): string[] {
    return inElectionOrder(this.cfg.candidates, this.cfg.workers, [this.cfg.node, ...this.peers.keys()]);
  }
}
