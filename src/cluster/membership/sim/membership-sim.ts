/**
 * A deterministic, seeded, in-process network simulator that runs the REAL membership
 * state machine (../swim-node.ts) for many nodes on a virtual clock.
 *
 * How a run goes:
 *   1. every node is a SwimNode with its own random stream (forked from the seed) and an
 *      env whose `send` hands the message to the simulator;
 *   2. `send` measures the message's JSON size (json-size.ts: the exact UTF-8 byte length
 *      of JSON.stringify, which the byte counters add up), asks the network
 *      (sim-network.ts) for loss/partition/latency, and schedules the delivery. The
 *      receiver gets the same frozen-by-contract object (the state machine never mutates
 *      a message), or with `copyMessages` a JSON round-tripped copy;
 *   3. the event queue (event-queue.ts) runs deliveries, node wake-ups (at the node's
 *      `nextWakeAt()`, re-asked after every call into the node) and scripted actions in
 *      (time, insertion) order; the clock jumps from event to event;
 *   4. a crashed node is stopped (its state machine ignores everything) and messages to it
 *      are dropped; a restart makes a FRESH node with the same name (incarnation 0), which
 *      joins again through the given seeds;
 *   5. every event a node emits is recorded (time, observer, event) for the checks and for
 *      the determinism test (same seed -> same history).
 *
 * Nothing here reads Date.now or Math.random: a run is a function of its seed and script.
 *
 * Erlang mapping: none in OTP; it plays the part of a Jepsen-style test network for the
 * membership code alone (no actors, no TCP).
 */
import { BadArgError } from '../../../core/errors.ts';
import { SwimNode } from '../swim-node.ts';
import type { MembershipOptions } from '../options.ts';
import type { MemberName, MembershipEvent, Message } from '../types.ts';
import { EventQueue } from './event-queue.ts';
import { messageByteLength } from './json-size.ts';
import { SeededRandom } from './seeded-random.ts';
import { SimNetwork, type LinkOptions } from './sim-network.ts';

export interface SimOptions extends LinkOptions {
  readonly seed: number;
  /** Protocol options given to every node (seconds, as in production). */
  readonly membership?: MembershipOptions;
  /** Keep every event in `history` (default true). */
  readonly recordHistory?: boolean;
  /** Deliver a JSON.parse(JSON.stringify(msg)) copy instead of the object (slower). Default false. */
  readonly copyMessages?: boolean;
}

export interface SimEvent {
  readonly at: number;
  readonly observer: MemberName;
  readonly event: MembershipEvent;
}

/** Bytes and messages sent by one node (counted at the sender). */
export interface TrafficCounter {
  bytes: number;
  messages: number;
}

type Item =
  | { readonly kind: 'deliver'; readonly from: MemberName; readonly to: MemberName; readonly msg: Message }
  | { readonly kind: 'wake'; readonly node: MemberName; readonly gen: number }
  | { readonly kind: 'action'; readonly run: () => void };

interface SimNode {
  node: SwimNode;
  gen: number;
  up: boolean;
  wakeAt: number;
  readonly traffic: TrafficCounter;
}

export class MembershipSim {
  readonly network: SimNetwork;
  readonly history: SimEvent[] = [];
  /** Bytes sent per message kind over the whole run. */
  readonly bytesByKind = new Map<string, number>();
  private readonly queue = new EventQueue<Item>();
  private readonly nodes = new Map<MemberName, SimNode>();
  private readonly random: SeededRandom;
  private readonly opts: SimOptions;
  private readonly listeners: Array<(e: SimEvent) => void> = [];
  private clock = 0;
  private gens = 0;

  constructor(opts: SimOptions) {
    this.opts = opts;
    this.random = new SeededRandom(opts.seed);
    this.network = new SimNetwork(this.random.fork('network'), opts);
  }

  /** Virtual time, milliseconds since the start of the run. */
  get now(): number {
    return this.clock;
  }

  /** Call `fn` for every event any node emits from now on. */
  onEvent(fn: (e: SimEvent) => void): void {
    this.listeners.push(fn);
  }

  /** Step 1: a new node that joins through `seeds` now (no seeds: it starts the cluster). */
  addNode(name: MemberName, seeds: readonly MemberName[] = []): SwimNode {
    if (this.nodes.get(name)?.up === true) throw new BadArgError(`MembershipSim.addNode: node ${name} is already up`);
    const old = this.nodes.get(name);
    const gen = ++this.gens;
    const rnd = this.random.fork(`${name}#${gen}`);
    const env = {
      send: (to: MemberName, msg: Message) => this.send(name, gen, to, msg),
      random: () => rnd.next(),
      emit: (event: MembershipEvent) => this.record(name, gen, event),
    };
    const node = new SwimNode(name, env, { ...this.opts.membership, addr: `sim:${name}` });
    const sn: SimNode = { node, gen, up: true, wakeAt: Infinity, traffic: old?.traffic ?? { bytes: 0, messages: 0 } };
    this.nodes.set(name, sn);
    node.join(seeds, this.clock);
    this.reschedule(sn);
    return node;
  }

  /** Step 4: the node stops answering, at once and for good (kill -9). */
  crash(name: MemberName): void {
    const sn = this.mustGet(name);
    sn.node.stop();
    sn.up = false;
  }

  /** Step 4: a fresh node with the same name joins again. */
  restart(name: MemberName, seeds: readonly MemberName[]): SwimNode {
    if (this.mustGet(name).up) this.crash(name);
    return this.addNode(name, seeds);
  }

  /** A graceful leave: announce, gossip for `gossipMs`, then stop. */
  leave(name: MemberName, gossipMs = 2000): void {
    const sn = this.mustGet(name);
    sn.node.leave(this.clock);
    this.reschedule(sn);
    this.at(this.clock + gossipMs, () => {
      if (sn.up && this.nodes.get(name) === sn) this.crash(name);
    });
  }

  /** Run `fn` at virtual time `t`. */
  at(t: number, fn: () => void): void {
    this.queue.push(Math.max(t, this.clock), { kind: 'action', run: fn });
  }

  node(name: MemberName): SwimNode {
    return this.mustGet(name).node;
  }

  isUp(name: MemberName): boolean {
    return this.nodes.get(name)?.up === true;
  }

  upNodes(): MemberName[] {
    return [...this.nodes.values()].filter((s) => s.up).map((s) => s.node.name);
  }

  traffic(name: MemberName): TrafficCounter {
    return this.mustGet(name).traffic;
  }

  totalBytes(): number {
    let b = 0;
    for (const s of this.nodes.values()) b += s.traffic.bytes;
    return b;
  }

  /** Step 3: run every event up to virtual time `t` (inclusive). */
  runUntil(t: number): void {
    while (this.queue.peekTime() <= t) {
      const e = this.queue.pop()!;
      this.clock = e.at;
      this.dispatch(e.item);
    }
    this.clock = Math.max(this.clock, t);
  }

  runFor(ms: number): void {
    this.runUntil(this.clock + ms);
  }

  /**
   * Run until `done()` holds, checked every `stepMs`, for at most `maxMs`. Returns the
   * virtual time at which it first held, or undefined if it never did.
   */
  runUntilTrue(done: () => boolean, maxMs: number, stepMs = 250): number | undefined {
    const end = this.clock + maxMs;
    while (this.clock < end) {
      if (done()) return this.clock;
      this.runUntil(Math.min(end, this.clock + stepMs));
    }
    return done() ? this.clock : undefined;
  }

  /** Every up node sees exactly the other up nodes, all alive (none suspect). */
  converged(): boolean {
    const up = this.upNodes();
    const upSet = new Set(up);
    for (const name of up) if (!this.sees(name, upSet)) return false;
    return true;
  }

  /** Whether `observer` sees exactly `group` (minus itself) as alive, and nothing else live. */
  sees(observer: MemberName, group: ReadonlySet<MemberName>): boolean {
    const n = this.mustGet(observer).node;
    const live = n.liveMembers();
    const expected = group.has(observer) ? group.size - 1 : group.size;
    if (live.length !== expected) return false;
    for (const m of live) if (!group.has(m) || n.member(m)!.state !== 'alive') return false;
    return true;
  }

  private send(from: MemberName, gen: number, to: MemberName, msg: Message): void {
    const sender = this.nodes.get(from);
    if (sender === undefined || sender.gen !== gen || !sender.up) return;
    const bytes = messageByteLength(msg);
    sender.traffic.bytes += bytes;
    sender.traffic.messages++;
    this.bytesByKind.set(msg.k, (this.bytesByKind.get(msg.k) ?? 0) + bytes);
    const delay = this.network.decide(from, to);
    if (delay < 0) return;
    const copy = this.opts.copyMessages === true ? (JSON.parse(JSON.stringify(msg)) as Message) : msg;
    this.queue.push(this.clock + delay, { kind: 'deliver', from, to, msg: copy });
  }

  private dispatch(item: Item): void {
    switch (item.kind) {
      case 'action':
        item.run();
        return;
      case 'deliver': {
        const sn = this.nodes.get(item.to);
        if (sn === undefined || !sn.up) return;
        sn.node.onMessage(item.from, item.msg, this.clock);
        this.reschedule(sn);
        return;
      }
      case 'wake': {
        const sn = this.nodes.get(item.node);
        if (sn === undefined || sn.gen !== item.gen || !sn.up || sn.wakeAt !== this.clock) return;
        sn.wakeAt = Infinity;
        sn.node.onTick(this.clock);
        this.reschedule(sn);
        return;
      }
    }
  }

  private reschedule(sn: SimNode): void {
    if (!sn.up) return;
    let t = sn.node.nextWakeAt();
    if (t === Infinity) return;
    if (t <= this.clock) t = this.clock + 0.01; // a node never asks for "now" twice in a row
    if (t < sn.wakeAt) {
      sn.wakeAt = t;
      this.queue.push(t, { kind: 'wake', node: sn.node.name, gen: sn.gen });
    }
  }

  private record(observer: MemberName, gen: number, event: MembershipEvent): void {
    const sn = this.nodes.get(observer);
    if (sn === undefined || sn.gen !== gen) return;
    const e: SimEvent = { at: this.clock, observer, event };
    if (this.opts.recordHistory !== false) this.history.push(e);
    for (const l of this.listeners) l(e);
  }

  private mustGet(name: MemberName): SimNode {
    const sn = this.nodes.get(name);
    if (sn === undefined) throw new BadArgError(`MembershipSim: no node ${name}`);
    return sn;
  }
}
