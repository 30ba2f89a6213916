/**
 * The loop of a scheduler thread (one "round" repeats until the quantum is spent, then
 * yields to the worker's event loop with setImmediate so module imports and Node
 * callbacks progress):
 *
 *   1. drain inbound rings (<= kDrainBatch records per ring) -> deliver / apply signals;
 *      run the work queued for after a slice (`later`)
 *   2. fire due timers, finalise exits
 *   3. run up to kSlicesPerRound slices (fewer when heavy slices — most of a budget each —
 *      have run kRoundMs: a busy scheduler still drains its rings every few ms, so a
 *      processInfo request or a message from another thread does not wait for 64 full
 *      slices, which with a busy actor was over half a second); after each: hold a sender whose ring was full,
 *      finalise exits, flush (commit every ring written, ring doorbells of parked peers);
 *      every 4 slices with live migration: let it look at the load, publish stats
 *   4. nothing ran and nothing arrived: publish this scheduler's want of stolen spawns
 *      (stealing.ts; cleared at the next round), then
 *      a. spin polling the inbound tails (Atomics.load), timers, overflows, for the
 *         current spin length (adaptive, below); not when this busy period handed ops to
 *         distribution (dist-forward.ts `takeSentOut`): their answer is a network round
 *         trip away, carried by the embedding and I/O threads, which need the core a spin
 *         would hold (on 2 cores a 500 us spin per echo cost ~1 ms per round trip); a ring
 *         from another scheduler still wakes the blocking park of 4b in microseconds
 *      b. park *blocking* (Atomics.wait) for up to kBlockParkMs, if the event loop had a
 *         turn in the last kMaxBlockingMs
 *      c. park on this thread's doorbell with Atomics.waitAsync (so the worker's event
 *         loop keeps serving imports and callbacks), until a ring, the next timer, or a kick
 *
 * Adaptive spin (4a): the spin length starts at `spinMs` (the node's `spinUs`); a spin that
 * ends without work halves it, down to kMinSpinMs; a spin that finds work, or a park (4b,
 * 4c) that a ring ends within `spinMs` of its start (a longer spin would have caught it),
 * doubles it, up to `spinMs`. A thread in a tight exchange with another (a cross-thread
 * ping-pong or call) keeps spinning the full length; an idle thread whose spins keep coming
 * up empty (a thief waiting for spawns, timers tens of ms apart) burns kMinSpinMs per idle
 * episode instead of `spinMs`, so its core stays free for the threads with work (on a
 * machine with no more cores than schedulers, every spinning µs is taken from one of them).
 * An empty spin while actors are held for ring space (worker-backpressure.ts) does not
 * shorten it: the consumer frees space soon, and a parked producer would cost the consumer,
 * the busy side, a doorbell notify per release (a fan-in ran at a third of the rate so).
 * Erlang/OTP mapping: a BEAM scheduler also busy-waits a bounded time before it sleeps
 * (`+sbwt`, erl_process.c `scheduler_wait`); here the bound follows what the spins find.
 *
 * A ref'd MessagePort listener keeps the worker alive while parked (a pending waitAsync
 * alone does not); it is dropped at stop (worker-host.ts), so the worker exits by itself.
 * The loop's counters go into the thread's stats block (stats.ts) at most every 1 ms; its
 * state is published as it changes: 'spinning' (4a), 'parked' (4b, 4c), 'running' on
 * finding work or waking (once per wake, not per message).
 * Microstates (core/microstate.ts): one plain store per transition, no clock: ring around
 * drain and flush, timers, housekeeping (pending work, exits, holds, migration), actor
 * (runSlice), spin (4a), parked (4b, 4c), idle when it hands the thread to the event loop.
 */
import {
  kStState, kStBusyMs, kStSpinMs, kStParkedMs, kStRunQueue, kStReductions, kStMsgsIn, kStMsgsOut,
  kStRecordsIn, kStRecordsOut, kStActors, kStSlices, kStParks, kStRingFull, kStOverflowBytes, kStHeldActors,
  kStBlockedWaits, kStSpawns, kStExits, kStHolds, kStMigrations, kStRemoteSpawns, kStMigrationsOut, kStMigrationsIn, kStGuests,
  kStForwarded, kStateRunning, kStateSpinning, kStateParked,
} from './stats.ts';
import type { WorkerHost } from './worker-host.ts';
import { kMsHousekeeping, kMsIdle, kMsParked, kMsRing, kMsSpin, kMsTimers, microstateSlots } from '../core/microstate.ts';
import { observeGc } from '../core/msacc/gc-observer.ts';
import { kDrainBatch } from './worker-records.ts';
import type { ParkOutcome } from './doorbell.ts';

const kSlicesPerRound = 64;
/** Reductions one slice must use to count as heavy (a budget is 4000): see the round's clock check. */
const kHeavySliceReductions = 1000;
/** A round of heavy slices ends after about this long, so the inbound rings are drained again. */
const kRoundMs = 2;
/**
 * After its spin, an idle scheduler first parks *blocking* (Atomics.wait) for up to this
 * long: a ringer's notify then wakes it in microseconds, where a waitAsync park needs the
 * worker's event loop to come round (hundreds of µs on a loaded machine). Only then does
 * it park asynchronously (so imports, module hooks and any timers of user code progress).
 */
const kBlockParkMs = 2;
/** Blocking parks are allowed only this long after the loop last came from the event loop. */
const kMaxBlockingMs = 5;
/** Shortest adaptive spin (ms): 20 µs, a few cross-thread round trips of a quiet machine. */
export const kMinSpinMs = 0.02;

export class WorkerLoop {
  private readonly w: WorkerHost;
  private readonly spinMs: number;
  /** The current adaptive spin length (ms), in [min(kMinSpinMs, spinMs), spinMs]. */
  private spinNowMs: number;
  private readonly spinFloorMs: number;
  private readonly quantumMs: number;
  private parked = false;
  private kicked = false;
  private loopQueued = false;
  private parks = 0;
  private busyMs = 0;
  private spinTotalMs = 0;
  private parkedMs = 0;
  private parkStart = 0;
  private lastPublish = 0;
  /** When `run` last started from the event loop (setImmediate, an async unpark). */
  private lastTurn = 0;

  constructor(host: WorkerHost, spinMs: number, quantumMs: number) {
    this.w = host;
    this.spinMs = spinMs;
    this.spinNowMs = spinMs;
    this.spinFloorMs = Math.min(kMinSpinMs, spinMs);
    this.quantumMs = quantumMs;
    host.sched.ms = host.ms;
    // This thread's GC pauses, exactly, into its microstate block (profile/msacc/gc-observer.ts).
    observeGc(microstateSlots(host.sab, host.layout.msaccOffset, host.index));
  }

  /** Something arrived from outside a slice: run soon (ring our own doorbell if parked). */
  kick(): void {
    this.kicked = true;
    if (this.parked) this.w.selfBell.ring();
  }

  private readonly hasWork = (): boolean => {
    const w = this.w;
    return this.kicked || w.hasInbound() || w.sched.hasWork() || w.overflowHasRoom() || this.timerDue();
  };

  private timerDue(): boolean {
    return this.w.sched.msUntilNextTimer() === 0;
  }

  /** Steps 1-4. */
  readonly run = (): void => {
    this.loopQueued = false;
    const w = this.w;
    if (w.stopped || this.parked) return;
    const s = w.sched;
    const migr = w.migr;
    const start = performance.now();
    this.lastTurn = start;
    let seg = start; // start of the current busy segment
    let now = start;
    const steal = w.stealing;
    const ms = w.ms;
    for (;;) {
      this.kicked = false;
      // Awake with (maybe) work: an idle episode's want of stolen spawns ends (stealing.ts, step 4).
      if (steal !== null) steal.fed();
      ms[0] = kMsRing;
      let did = w.drain(kDrainBatch);
      ms[0] = kMsHousekeeping;
      if (w.pendingLocal.length > 0) {
        const fns = w.pendingLocal.splice(0);
        for (const fn of fns) fn();
        did++;
      }
      if (w.stopped) return;
      ms[0] = kMsTimers;
      s.fireDueTimers();
      ms[0] = kMsHousekeeping;
      s.processExits();
      let slices = 0;
      let red = s.counters.reductions;
      let roundStart = -1;
      while (slices < kSlicesPerRound && s.runSlice()) {
        slices++;
        // A heavy slice (most of a budget spent): read the clock, and end the round once it
        // has run kRoundMs, so signals, calls and messages from other threads wait at most
        // about that (plus one slice) for the next drain. Light slices read no clock.
        const used = s.counters.reductions - red;
        red += used;
        if (used >= kHeavySliceReductions) {
          const t = performance.now();
          if (roundStart < 0) roundStart = t;
          else if (t - roundStart >= kRoundMs) slices = kSlicesPerRound;
        }
        ms[0] = kMsHousekeeping;
        if (w.held.pending) w.held.afterSlice();
        s.processExits();
        ms[0] = kMsRing;
        w.flush();
        // Live migration looks at the load every few ms of busy time (migration.ts, step 1),
        // and the others look at this scheduler's: its stats stay fresh through long rounds
        // (one clock read every 4 slices).
        if (migr !== null && (slices & 3) === 0) {
          ms[0] = kMsHousekeeping;
          const t = performance.now();
          if (migr.poll(t)) w.flush();
          this.publish(t);
        }
      }
      ms[0] = kMsRing;
      w.flush();
      now = performance.now();
      if (slices + did > 0 || this.kicked) {
        ms[0] = kMsHousekeeping;
        if (migr !== null && migr.poll(now)) w.flush();
        if (now - start >= this.quantumMs) {
          // Quantum spent: let the worker's event loop run (imports, callbacks).
          this.busyMs += now - seg;
          this.publish(now);
          this.loopQueued = true;
          ms[0] = kMsIdle;
          setImmediate(this.run);
          return;
        }
        continue;
      }
      this.busyMs += now - seg;
      // Idle: ask the busy schedulers for their next spawns (stealing.ts, step 1), then spin
      // briefly, polling the rings' tails, then park.
      if (steal !== null) steal.hungry();
      if (this.spinMs > 0 && !this.sentToDistribution() && this.spin(now)) {
        seg = performance.now();
        continue;
      }
      if (this.parkBlocking()) {
        seg = performance.now();
        continue;
      }
      this.park();
      return;
    }
  };

  /** Step 4a's exception: did this busy period send ops to other nodes (cleared by asking)? */
  private sentToDistribution(): boolean {
    const d = this.w.distForward;
    return d !== null && d.takeSentOut();
  }

  /** Step 4a. */
  private spin(start: number): boolean {
    const w = this.w;
    w.stats.setState(kStateSpinning);
    w.ms[0] = kMsSpin;
    const until = start + this.spinNowMs;
    let i = 0;
    let now = start;
    let found = false;
    for (;;) {
      if (w.hasInbound() || w.overflowHasRoom() || this.kicked) {
        found = true;
        break;
      }
      if ((++i & 31) === 0) {
        now = performance.now();
        if (this.timerDue()) {
          found = true;
          break;
        }
        if (now >= until) break;
      }
    }
    this.spinTotalMs += performance.now() - start;
    if (found) {
      this.spinLonger();
      w.stats.setState(kStateRunning);
    } else if (w.held.heldCount === 0) {
      const half = this.spinNowMs / 2;
      this.spinNowMs = half > this.spinFloorMs ? half : this.spinFloorMs;
    }
    return found;
  }

  /** Adaptive spin: the last idle episode ended soon after it began; spin longer next time. */
  private spinLonger(): void {
    const twice = this.spinNowMs * 2;
    this.spinNowMs = twice < this.spinMs ? twice : this.spinMs;
  }

  /**
   * Step 4b. Returns true if it woke with work (or may have some): the caller loops on at
   * once. False: not allowed now (the event loop is due a turn, or live migration waits on
   * fences) or nothing came: park asynchronously.
   */
  private parkBlocking(): boolean {
    const w = this.w;
    const now = performance.now();
    if (now - this.lastTurn > kMaxBlockingMs || (w.migr !== null && w.migr.pending)) return false;
    const wait = w.sched.msUntilNextTimer();
    const t = wait < 0 ? kBlockParkMs : Math.min(wait, kBlockParkMs);
    this.parks++;
    w.ms[0] = kMsParked;
    // Everything counted so far is published with the state (as step 4c does): while this
    // thread sleeps in Atomics.wait, node.stats() reads 'parked' and the final counters,
    // not the 'spinning' of step 4a. Only when idle, so off the busy path.
    w.stats.fields[kStState] = kStateParked;
    this.publish(now);
    const r = w.sleeper.park(this.hasWork, t);
    const woke = performance.now();
    this.parkedMs += woke - now;
    // Rung awake within a full spin of parking: a longer spin would have caught it.
    if (r !== 'timed-out' && woke - now < this.spinMs) this.spinLonger();
    if (w.sched.tracer !== null) w.sched.tracer.parked(now, woke);
    // Once per wake: a slice that never ends (a stuck handler) reads 'running'.
    w.stats.setState(kStateRunning);
    return r !== 'timed-out' || t < kBlockParkMs || this.hasWork();
  }

  /** Step 4c. */
  private park(): void {
    const w = this.w;
    this.parks++;
    let wait = w.sched.msUntilNextTimer();
    // Moves waiting for their fences (migration.ts, step 3) are polled every millisecond.
    const migr = w.migr;
    if (migr !== null && migr.pending) {
      migr.progress();
      w.flush();
      if (migr.pending && (wait < 0 || wait > 1)) wait = 1;
    }
    w.stats.fields[kStState] = kStateParked;
    w.ms[0] = kMsParked;
    this.publish(performance.now());
    this.parked = true;
    this.parkStart = performance.now();
    w.sleeper.parkAsync(this.hasWork, wait < 0 ? Infinity : wait).then(this.unparked);
  }

  private readonly unparked = (r: ParkOutcome): void => {
    this.parked = false;
    const woke = performance.now();
    this.parkedMs += woke - this.parkStart;
    // As in step 4b: rung awake within a full spin of parking, spin longer next time.
    if (r !== 'timed-out' && woke - this.parkStart < this.spinMs) this.spinLonger();
    if (this.w.sched.tracer !== null) this.w.sched.tracer.parked(this.parkStart, woke);
    // Published at once (seqlock, stats.ts), once per wake: node.stats() reads 'running'
    // from here on, also if the next slice never ends (a stuck handler publishes nothing).
    this.w.stats.setState(kStateRunning);
    if (!this.loopQueued) this.run();
  };

  /** Write the counters into the stats block (at most every 1 ms unless parked). */
  publish(now: number): void {
    const w = this.w;
    if (now - this.lastPublish < 1 && w.stats.fields[kStState] !== kStateParked) return;
    this.lastPublish = now;
    const f = w.stats.fields;
    const s = w.sched;
    const c = s.counters;
    const held = w.held;
    f[kStBusyMs] = this.busyMs;
    f[kStSpinMs] = this.spinTotalMs;
    f[kStParkedMs] = this.parkedMs;
    f[kStRunQueue] = s.runQueueLength;
    f[kStReductions] = c.reductions;
    f[kStMsgsIn] = c.messagesIn;
    f[kStMsgsOut] = c.messagesOut;
    f[kStRecordsIn] = w.recordsIn;
    f[kStRecordsOut] = w.recordsOut;
    f[kStActors] = s.size;
    f[kStSlices] = c.slices;
    f[kStParks] = this.parks;
    f[kStRingFull] = w.ringFull;
    f[kStOverflowBytes] = w.overflowBytes;
    f[kStHeldActors] = held.heldCount;
    f[kStHolds] = held.holds;
    f[kStBlockedWaits] = held.blockedWaits;
    f[kStSpawns] = c.spawns;
    f[kStExits] = c.exits;
    f[kStMigrations] = w.balancer.migrations;
    f[kStRemoteSpawns] = w.remoteSpawns;
    const m = w.migr;
    if (m !== null) {
      f[kStMigrationsOut] = m.migrationsOut;
      f[kStMigrationsIn] = m.migrationsIn;
      f[kStGuests] = m.guests;
      f[kStForwarded] = m.forwarded;
    }
    w.stats.publish();
  }

  /** Publish a final state (stopped) at once. */
  publishState(state: number): void {
    const w = this.w;
    w.ms[0] = kMsIdle;
    w.stats.fields[kStState] = state;
    this.lastPublish = -Infinity;
    this.publish(performance.now());
    w.stats.setState(state);
  }
}
