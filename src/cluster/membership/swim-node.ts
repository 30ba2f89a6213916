/**
 * One membership node: SWIM (Das, Gupta, Motivala 2002) with suspicion, and Lifeguard's
 * three extensions (Dadgar et al. 2018: local health, dynamic suspicion, buddy system),
 * arranged the way hashicorp/memberlist does. A pure state machine: the host calls
 * `join`, `onMessage`, `onTick` with the current time and asks `nextWakeAt()` when to tick
 * next; everything goes out through the injected MembershipEnv. No clock, no randomness,
 * no I/O of its own, so the simulator (sim/) runs this exact code for 1,000 nodes.
 *
 * Protocol, per node:
 *   1. Join: send our state (`sync`, join) to the seeds; each answers with its full state;
 *      we merge it (step 8) and gossip our own alive claim. Retried every 2 probe
 *      intervals until one seed answers.
 *   2. Probe, once per probe interval (× local health): the next member of a shuffled
 *      round-robin order (probe-order.ts) gets a `ping` (with `sus` = the incarnation we
 *      suspect it at, so it can refute at once).
 *   3. No ack within the probe timeout (× local health): ask `indirectChecks` random
 *      members with `pingReq`; each pings the target for us, forwards its ack, or sends a
 *      `nack` if the target stayed silent for 80% of the probe timeout.
 *   4. No ack by the end of the probe interval: the probe failed; local health gets +1 per
 *      missing nack (or +1 if no relay was asked); we claim the target `suspect`.
 *      A successful probe gives local health -1.
 *      With `phiAccrual` (phi-accrual.ts) a failed probe only counts for local health:
 *      every message from a member is its heartbeat, and at each probe start every alive
 *      member whose silence has φ above the threshold is claimed `suspect` (a refutation
 *      of it restarts its silence, without adding an interval).
 *   5. A suspect gets a suspicion timer (suspicion.ts) from max down to min as other
 *      members confirm; when it fires unrefuted we claim it `dead` (event nodedown).
 *   6. Every claim we accept (a new one, or one with a newer incarnation) is queued
 *      (broadcast-queue.ts) and piggybacked on every outgoing message, λ·log n times; claims
 *      that found no message ride on a `gossip` message to `gossipNodes` random live
 *      members (and recently dead ones) every gossip interval.
 *   7. A claim that we are suspect or dead at our current incarnation is refuted: we
 *      increase our incarnation and claim ourselves alive (local health +1).
 *   8. Full-state sync (push-pull) with one random live member every push-pull period
 *      (right after joining it syncs every probe interval for as long as it keeps
 *      learning of new members, then doubles the interval up to the push-pull period:
 *      anti-entropy rounds that merge whole views make a mass join converge in O(log n)
 *      rounds instead of waiting for n claims to trickle through bounded gossip), and with one random DEAD member every reconnect interval: this is what heals a
 *      partition (the far side refutes its death when it sees our state, and we see its
 *      newer incarnations). Remote `dead` entries are merged as suspicions (memberlist's
 *      rule), so one node's stale view cannot kill members at once.
 *   9. Leave: claim ourselves dead (from = ourselves, which means "left") and keep
 *      gossiping until the host stops us. Dead and left members are reaped after
 *      `deadRetentionSec` (event memberLeft).
 *
 * Ordering of claims about one member: higher incarnation wins; at equal incarnation
 * dead/left > suspect > alive. Only the member itself raises its incarnation.
 *
 * Erlang mapping: net_kernel's node monitoring, but nodedown comes from confirmed
 * suspicion rather than one missed tick, and membership is gossiped instead of one TCP
 * connection per pair.
 */
import { BroadcastQueue } from './broadcast-queue.ts';
import { LocalHealth } from './local-health.ts';
import { MemberTable, memberInfo, type MemberRecord } from './member-table.ts';
import { pushPullPeriod, resolveMembershipOptions, retransmitLimit, suspicionWindow, type MembershipConfig, type MembershipOptions } from './options.ts';
import { ProbeOrder } from './probe-order.ts';
import { SuspicionTimer } from './suspicion.ts';
import { MembershipStoppedError } from './errors.ts';
import { HeartbeatHistory } from './phi-accrual.ts';
import type { Claim, MemberInfo, MemberName, MembershipEnv, Message, StateEntry } from './types.ts';

type Status = 'idle' | 'joining' | 'running' | 'leaving' | 'stopped';

interface Probe {
  readonly seq: number;
  readonly target: MemberName;
  readonly directDeadline: number;
  readonly end: number;
  indirectSent: boolean;
  expectedNacks: number;
  nacks: number;
}

interface Relay {
  readonly origin: MemberName;
  readonly originSeq: number;
  readonly wantNack: boolean;
  readonly nackAt: number;
  readonly expiresAt: number;
  done: boolean;
}

const kReapSweepMs = 10_000;

export class SwimNode {
  readonly name: MemberName;
  readonly addr: string;
  readonly config: MembershipConfig;
  private readonly env: MembershipEnv;
  private readonly table = new MemberTable();
  private readonly queue = new BroadcastQueue();
  private readonly health: LocalHealth;
  private readonly order: ProbeOrder;
  private readonly suspects = new Set<MemberName>();
  private readonly gone = new Set<MemberName>(); // dead or left, not yet reaped
  private readonly relays = new Map<number, Relay>();
  /** φ-accrual (step 4): heartbeat histories by member; null: off. */
  private readonly heartbeats: Map<MemberName, HeartbeatHistory> | null;
  private status: Status = 'idle';
  private inc = 0;
  private seq = 0;
  private seeds: MemberName[] = [];
  private probe: Probe | undefined;
  private nextProbeAt = Infinity;
  private nextGossipAt = Infinity;
  private nextSyncAt = Infinity;
  private nextReconnectAt = Infinity;
  private nextJoinRetryAt = Infinity;
  private nextReapAt = Infinity;
  private suspicionDue = Infinity;
  private syncBackoffMs = 0;
  private newsSinceSync = false;

  constructor(name: MemberName, env: MembershipEnv, options?: MembershipOptions & { addr?: string }) {
    const { addr, ...rest } = options ?? {};
    this.config = resolveMembershipOptions('SwimNode', rest);
    this.name = name;
    this.addr = addr ?? '';
    this.env = env;
    this.health = new LocalHealth(this.config.awarenessMaxMultiplier);
    this.order = new ProbeOrder(() => env.random(), () => this.table.liveNames());
    this.heartbeats = this.config.phiAccrual === null ? null : new Map();
  }

  /** φ of `member`'s silence now (step 4); undefined without phiAccrual or before its first message. */
  phi(member: MemberName, now: number): number | undefined {
    const h = this.heartbeats?.get(member);
    return h === undefined ? undefined : h.phi(now);
  }

  // ---- host API -------------------------------------------------------------------------

  /** Our incarnation number. */
  get incarnation(): number {
    return this.inc;
  }

  /** Lifeguard's local health score (0 = healthy). */
  get localHealth(): number {
    return this.health.score;
  }

  /** 'joining' until a seed answered (or 'running' at once without seeds). */
  get state(): Status {
    return this.status;
  }

  /** Every member we know except ourselves, in any state. */
  members(): MemberInfo[] {
    return [...this.table.records()].map(memberInfo);
  }

  member(name: MemberName): MemberInfo | undefined {
    const r = this.table.get(name);
    return r === undefined ? undefined : memberInfo(r);
  }

  /** The members we consider up (alive or suspect), ourselves excluded. */
  liveMembers(): MemberName[] {
    return this.table.liveNames();
  }

  /** Step 1. Seeds may include our own name (it is skipped); none: we start a cluster. */
  join(seeds: readonly MemberName[], now: number): void {
    if (this.status === 'stopped' || this.status === 'leaving') throw new MembershipStoppedError(this.name, 'join');
    this.seeds = seeds.filter((s) => s !== this.name);
    if (this.status === 'idle') {
      const c = this.config;
      this.nextProbeAt = now + this.env.random() * c.probeIntervalMs;
      this.nextGossipAt = now + c.gossipIntervalMs;
      this.syncBackoffMs = c.probeIntervalMs;
      this.newsSinceSync = true;
      this.nextSyncAt = now + c.probeIntervalMs * (0.5 + this.env.random());
      this.nextReconnectAt = now + c.reconnectIntervalMs * (0.5 + this.env.random());
      this.nextReapAt = now + kReapSweepMs;
      this.queue.push(this.selfAlive());
    }
    this.status = this.seeds.length === 0 ? 'running' : 'joining';
    this.sendJoin(now);
  }

  /** Step 9: announce that we leave. Keep ticking a few gossip rounds, then `stop()`. */
  leave(now: number): void {
    if (this.status === 'stopped') throw new MembershipStoppedError(this.name, 'leave');
    this.status = 'leaving';
    this.queue.push({ t: 'dead', node: this.name, inc: this.inc, from: this.name });
    this.nextGossipAt = Math.min(this.nextGossipAt, now);
  }

  /** Stop for good: every later call is ignored (a crashed or stopped node). */
  stop(): void {
    this.status = 'stopped';
    this.queue.clear();
    this.probe = undefined;
    this.relays.clear();
  }

  /** When the host must call `onTick` next (Infinity: only messages can wake it). */
  nextWakeAt(): number {
    if (this.status === 'idle' || this.status === 'stopped') return Infinity;
    let t = Math.min(this.nextProbeAt, this.nextSyncAt, this.nextReconnectAt, this.nextReapAt, this.suspicionDue);
    if (this.queue.size > 0) t = Math.min(t, this.nextGossipAt);
    if (this.status === 'joining') t = Math.min(t, this.nextJoinRetryAt);
    const p = this.probe;
    if (p !== undefined) t = Math.min(t, p.indirectSent ? p.end : p.directDeadline);
    for (const r of this.relays.values()) t = Math.min(t, r.done || !r.wantNack ? r.expiresAt : r.nackAt);
    return t;
  }

  /** Run everything that is due at `now`. */
  onTick(now: number): void {
    if (this.status === 'idle' || this.status === 'stopped') return;
    const p = this.probe;
    if (p !== undefined && !p.indirectSent && now >= p.directDeadline) this.sendIndirect(p);
    if (this.probe !== undefined && now >= this.probe.end) this.probeFailed(this.probe, now);
    if (now >= this.nextProbeAt) this.startProbe(now);
    if (this.relays.size > 0) this.tickRelays(now);
    if (now >= this.suspicionDue) this.expireSuspicions(now);
    if (now >= this.nextGossipAt) this.gossipRound(now);
    if (now >= this.nextSyncAt) this.syncRound(now);
    if (now >= this.nextReconnectAt) this.reconnectRound(now);
    if (this.status === 'joining' && now >= this.nextJoinRetryAt) this.sendJoin(now);
    if (now >= this.nextReapAt) this.reap(now);
  }

  /** Handle one message from `from`. */
  onMessage(from: MemberName, msg: Message, now: number): void {
    if (this.status === 'idle' || this.status === 'stopped') return;
    if (this.heartbeats !== null && (msg.k === 'ping' || msg.k === 'ack') && from !== this.name) this.heartbeat(this.heartbeats, from, now);
    for (const c of msg.g) this.applyClaim(c, now);
    switch (msg.k) {
      case 'ping':
        if (msg.target !== this.name) return; // meant for an earlier owner of the address
        if (msg.sus >= this.inc) this.refute(msg.sus);
        this.env.send(from, { k: 'ack', seq: msg.seq, g: this.claims() });
        return;
      case 'ack':
        this.onAck(msg.seq);
        return;
      case 'nack':
        if (this.probe !== undefined && this.probe.seq === msg.seq) this.probe.nacks++;
        return;
      case 'pingReq':
        this.onPingReq(from, msg.seq, msg.target, msg.nack, now);
        return;
      case 'gossip':
        return;
      case 'sync':
        this.mergeState(from, msg.state, now);
        if (msg.reply) this.env.send(from, { k: 'sync', reply: false, join: false, state: this.stateEntries(), g: this.claims() });
        else if (this.status === 'joining') this.status = 'running';
        return;
    }
  }

  // ---- probing (steps 2-4) --------------------------------------------------------------

  private heartbeat(hs: Map<MemberName, HeartbeatHistory>, from: MemberName, now: number): void {
    let h = hs.get(from);
    if (h === undefined) {
      const cfg = this.config.phiAccrual!;
      h = new HeartbeatHistory(cfg, cfg.firstHeartbeatEstimateMs ?? (this.table.liveCount + 1) * this.config.probeIntervalMs);
      hs.set(from, h);
    }
    h.heartbeat(now);
  }

  /** Step 4 with phiAccrual: suspect every alive member whose silence is too unlikely. */
  private checkPhi(hs: Map<MemberName, HeartbeatHistory>, now: number): void {
    const threshold = this.config.phiAccrual!.threshold;
    for (const [name, h] of hs) {
      const r = this.table.get(name);
      if (r === undefined || r.state !== 'alive') continue;
      if (h.phi(now) > threshold) this.applyClaim({ t: 'suspect', node: name, inc: r.incarnation, from: this.name }, now);
    }
  }

  private startProbe(now: number): void {
    const period = this.health.scale(this.config.probeIntervalMs);
    this.nextProbeAt = now + period;
    if (this.status === 'leaving') return;
    if (this.heartbeats !== null) this.checkPhi(this.heartbeats, now);
    const target = this.order.next((n) => {
      const r = this.table.get(n);
      return r !== undefined && (r.state === 'alive' || r.state === 'suspect');
    });
    if (target === undefined) return;
    const r = this.table.get(target)!;
    const seq = ++this.seq;
    this.probe = {
      seq, target, directDeadline: now + this.health.scale(this.config.probeTimeoutMs), end: now + period,
      indirectSent: false, expectedNacks: 0, nacks: 0,
    };
    this.env.send(target, { k: 'ping', seq, target, sus: r.state === 'suspect' ? r.incarnation : -1, g: this.claims() });
  }

  private sendIndirect(p: Probe): void {
    p.indirectSent = true;
    const relays = this.table.randomLive(this.config.indirectChecks, (n) => n === p.target, () => this.env.random());
    p.expectedNacks = relays.length;
    for (const via of relays) this.env.send(via, { k: 'pingReq', seq: p.seq, target: p.target, nack: true, g: this.claims() });
  }

  private onAck(seq: number): void {
    const p = this.probe;
    if (p !== undefined && p.seq === seq) {
      this.probe = undefined;
      this.health.apply(-1);
      return;
    }
    const relay = this.relays.get(seq);
    if (relay !== undefined && !relay.done) {
      relay.done = true;
      this.env.send(relay.origin, { k: 'ack', seq: relay.originSeq, g: this.claims() });
    }
  }

  private probeFailed(p: Probe, now: number): void {
    this.probe = undefined;
    this.health.apply(p.expectedNacks > 0 ? p.expectedNacks - p.nacks : 1);
    if (this.heartbeats !== null) return; // φ decides when to suspect (step 4)
    const r = this.table.get(p.target);
    if (r === undefined || r.state !== 'alive') {
      if (r !== undefined && r.state === 'suspect') this.applyClaim({ t: 'suspect', node: r.name, inc: r.incarnation, from: this.name }, now);
      return;
    }
    this.applyClaim({ t: 'suspect', node: r.name, inc: r.incarnation, from: this.name }, now);
  }

  private onPingReq(from: MemberName, originSeq: number, target: MemberName, wantNack: boolean, now: number): void {
    const seq = ++this.seq;
    const r = this.table.get(target);
    const timeout = this.config.probeTimeoutMs;
    this.relays.set(seq, { origin: from, originSeq, wantNack, nackAt: now + 0.8 * timeout, expiresAt: now + timeout, done: false });
    this.env.send(target, { k: 'ping', seq, target, sus: r !== undefined && r.state === 'suspect' ? r.incarnation : -1, g: this.claims() });
  }

  private tickRelays(now: number): void {
    for (const [seq, r] of this.relays) {
      if (!r.done && r.wantNack && now >= r.nackAt) {
        r.done = true;
        this.env.send(r.origin, { k: 'nack', seq: r.originSeq, g: this.claims() });
      }
      if (now >= r.expiresAt) this.relays.delete(seq);
    }
  }

  // ---- claims (steps 5-7) ---------------------------------------------------------------

  private applyClaim(c: Claim, now: number): void {
    if (c.t === 'alive') this.applyAlive(c.node, c.inc, c.addr, now);
    else if (c.t === 'suspect') this.applySuspect(c, now);
    else this.applyDead(c, now);
  }

  private applyAlive(node: MemberName, inc: number, addr: string, now: number): void {
    if (node === this.name) {
      if (inc > this.inc) this.refute(inc); // a claim of an earlier run of ours
      return;
    }
    const r = this.table.get(node);
    if (r === undefined) {
      this.table.upsert({ name: node, addr, state: 'alive', incarnation: inc, since: now, suspicion: undefined });
      this.newsSinceSync = true;
      this.order.add(node);
      this.queue.push({ t: 'alive', node, inc, addr });
      this.env.emit({ type: 'memberJoined', node, addr });
      this.env.emit({ type: 'nodeup', node });
      return;
    }
    if (inc <= r.incarnation) return;
    const prev = r.state;
    if (prev === 'suspect') this.heartbeats?.get(node)?.restamp(now);
    r.incarnation = inc;
    if (addr !== '') r.addr = addr;
    r.state = 'alive';
    r.since = now;
    r.suspicion = undefined;
    this.suspects.delete(node);
    this.gone.delete(node);
    this.table.track(r);
    this.queue.push({ t: 'alive', node, inc, addr: r.addr });
    if (prev === 'dead' || prev === 'left') {
      this.order.add(node);
      if (prev === 'left') this.env.emit({ type: 'memberJoined', node, addr: r.addr });
      this.env.emit({ type: 'nodeup', node });
    }
  }

  private applySuspect(c: { node: MemberName; inc: number; from: MemberName }, now: number): void {
    if (c.node === this.name) {
      if (c.inc >= this.inc && this.status !== 'leaving') {
        this.refute(c.inc);
        this.health.apply(1);
      }
      return;
    }
    const r = this.table.get(c.node);
    if (r === undefined || c.inc < r.incarnation || r.state === 'dead' || r.state === 'left') return;
    if (r.state === 'suspect' && r.suspicion !== undefined) {
      if (c.inc > r.incarnation) r.incarnation = c.inc;
      if (r.suspicion.confirm(c.from)) {
        this.queue.push({ t: 'suspect', node: c.node, inc: r.incarnation, from: c.from });
        this.suspicionDue = Math.min(this.suspicionDue, r.suspicion.deadline);
      }
      return;
    }
    const w = suspicionWindow(this.config, this.table.liveCount + 1);
    r.state = 'suspect';
    r.incarnation = c.inc;
    r.since = now;
    r.suspicion = new SuspicionTimer(now, c.from, w.minMs, w.maxMs, w.expectedConfirmations);
    this.suspects.add(c.node);
    this.suspicionDue = Math.min(this.suspicionDue, r.suspicion.deadline);
    this.table.track(r);
    this.queue.push({ t: 'suspect', node: c.node, inc: c.inc, from: c.from });
    this.env.emit({ type: 'nodeSuspect', node: c.node, by: c.from });
  }

  private applyDead(c: { node: MemberName; inc: number; from: MemberName }, now: number): void {
    const leaving = c.from === c.node;
    if (c.node === this.name) {
      if (!leaving && c.inc >= this.inc && this.status !== 'leaving') {
        this.refute(c.inc);
        this.health.apply(1);
      }
      return;
    }
    const r = this.table.get(c.node);
    if (r === undefined || c.inc < r.incarnation || r.state === 'left') return;
    if (r.state === 'dead') {
      if (!leaving) return;
      r.state = 'left'; // it left while we thought it dead: it will not come back
      this.queue.push({ t: 'dead', node: c.node, inc: c.inc, from: c.from });
      this.env.emit({ type: 'memberLeft', node: c.node, reason: 'left' });
      return;
    }
    r.state = leaving ? 'left' : 'dead';
    this.heartbeats?.delete(c.node); // back alive later: a fresh history
    r.incarnation = c.inc;
    r.since = now;
    r.suspicion = undefined;
    this.suspects.delete(c.node);
    this.gone.add(c.node);
    this.table.track(r);
    this.queue.push({ t: 'dead', node: c.node, inc: c.inc, from: c.from });
    this.env.emit({ type: 'nodedown', node: c.node, reason: leaving ? 'left' : 'failed' });
    if (leaving) this.env.emit({ type: 'memberLeft', node: c.node, reason: 'left' });
  }

  /** Step 7: outbid the accusation made at incarnation `accusedInc`. */
  private refute(accusedInc: number): void {
    if (this.status === 'leaving') return; // our "left" claim must stand
    this.inc = Math.max(this.inc, accusedInc) + 1;
    this.queue.push(this.selfAlive());
  }

  private expireSuspicions(now: number): void {
    let next = Infinity;
    for (const name of [...this.suspects]) {
      const r = this.table.get(name)!;
      const d = r.suspicion!.deadline;
      if (d <= now) this.applyDead({ node: name, inc: r.incarnation, from: this.name }, now);
      else next = Math.min(next, d);
    }
    this.suspicionDue = next;
  }

  // ---- dissemination and sync (steps 6, 8) ----------------------------------------------

  private claims(): Claim[] {
    if (this.queue.size === 0) return [];
    return this.queue.take(this.config.maxClaimsPerMessage, retransmitLimit(this.config, this.table.liveCount + 1));
  }

  private gossipRound(now: number): void {
    this.nextGossipAt = now + this.config.gossipIntervalMs;
    if (this.queue.size === 0) return;
    const targets = this.table.randomLive(this.config.gossipNodes, () => false, () => this.env.random());
    const recent = this.recentlyGone(now);
    if (recent !== undefined) targets.push(recent);
    for (const to of targets) {
      const g = this.claims();
      if (g.length === 0) break;
      this.env.send(to, { k: 'gossip', g });
    }
  }

  /** One random member that died less than gossipToTheDead ago (it may be alive after all). */
  private recentlyGone(now: number): MemberName | undefined {
    if (this.gone.size === 0) return undefined;
    const fresh: MemberName[] = [];
    for (const n of this.gone) {
      const r = this.table.get(n)!;
      if (r.state === 'dead' && now - r.since < this.config.gossipToTheDeadMs) fresh.push(n);
    }
    return fresh.length === 0 ? undefined : fresh[Math.floor(this.env.random() * fresh.length)];
  }

  private syncRound(now: number): void {
    const period = pushPullPeriod(this.config, this.table.liveCount + 1);
    if (this.syncBackoffMs < period) {
      // Joining: sync every probe interval while syncs keep teaching us new members,
      // then back off by doubling up to the push-pull period.
      if (!this.newsSinceSync) this.syncBackoffMs *= 2;
      this.newsSinceSync = false;
      this.nextSyncAt = now + Math.min(this.syncBackoffMs, period) * (0.75 + 0.5 * this.env.random());
    } else {
      this.syncBackoffMs = period;
      this.nextSyncAt = now + period * (0.75 + 0.5 * this.env.random());
    }
    const [peer] = this.table.randomLive(1, () => false, () => this.env.random());
    if (peer !== undefined) this.sendSync(peer, false);
  }

  private reconnectRound(now: number): void {
    this.nextReconnectAt = now + this.config.reconnectIntervalMs;
    const dead = [...this.gone].filter((n) => this.table.get(n)!.state === 'dead');
    if (dead.length > 0) this.sendSync(dead[Math.floor(this.env.random() * dead.length)]!, false);
  }

  private sendJoin(now: number): void {
    this.nextJoinRetryAt = now + 2 * this.config.probeIntervalMs;
    for (const s of this.seeds) this.sendSync(s, true);
  }

  private sendSync(to: MemberName, join: boolean): void {
    this.env.send(to, { k: 'sync', reply: true, join, state: this.stateEntries(), g: this.claims() });
  }

  private stateEntries(): StateEntry[] {
    const out: StateEntry[] = [{ node: this.name, addr: this.addr, inc: this.inc, state: this.status === 'leaving' ? 'left' : 'alive' }];
    for (const r of this.table.records()) out.push({ node: r.name, addr: r.addr, inc: r.incarnation, state: r.state });
    return out;
  }

  /** Step 8's merge rules. */
  private mergeState(from: MemberName, state: readonly StateEntry[], now: number): void {
    for (const e of state) {
      switch (e.state) {
        case 'alive':
          this.applyAlive(e.node, e.inc, e.addr, now);
          break;
        case 'suspect':
        case 'dead':
          this.applySuspect({ node: e.node, inc: e.inc, from }, now);
          break;
        case 'left':
          this.applyDead({ node: e.node, inc: e.inc, from: e.node }, now);
          break;
      }
    }
  }

  private selfAlive(): Claim {
    return { t: 'alive', node: this.name, inc: this.inc, addr: this.addr };
  }

  private reap(now: number): void {
    this.nextReapAt = now + kReapSweepMs;
    for (const n of [...this.gone]) {
      const r: MemberRecord = this.table.get(n)!;
      if (now - r.since < this.config.deadRetentionMs) continue;
      this.gone.delete(n);
      this.table.remove(n);
      this.heartbeats?.delete(n);
      if (r.state === 'dead') this.env.emit({ type: 'memberLeft', node: n, reason: 'reaped' });
    }
  }
}
