/**
 * Senders held while a ring overflows (endpoint.ts, backpressure steps 3-4), on a
 * scheduler thread:
 *   1. A record to a destination whose ring is full goes to its overflow; the running
 *      actor's slice ends (`onOverflow`) and it is noted.
 *   2. After the slice (`afterSlice`) each noted actor still alive is suspended and listed
 *      on the link (`held`), once.
 *   3. When the link's overflow has drained (`onOverflowDrained`) its held actors resume.
 *   4. At the overflow bound, outside record handling, the thread waits right there
 *      (`waitForRoom`): flushing, draining its own inbound rings (records other than
 *      messages are deferred meanwhile, worker-records.ts), parking between attempts,
 *      until the consumer made room (the overflow is below the bound, or the consumer took
 *      as many bytes as it was over the bound on entry: forwarding may refill it) or died.
 * Guests are held and resumed like any actor (guest access is opened around both).
 */
import { kExiting } from '../core/actor.ts';
import type { Pid } from '../core/pid.ts';
import type { OutLink } from './endpoint.ts';
import { reductions } from '../core/reductions.ts';
import type { WorkerHost } from './worker-host.ts';
import { kDrainBatch } from './worker-records.ts';

export class HeldSenders {
  private readonly w: WorkerHost;
  /** Actors whose sends overflowed during the current slice: held after it. */
  private readonly holdNext: { pid: Pid; link: OutLink }[] = [];
  heldCount = 0;
  holds = 0;
  blockedWaits = 0;

  constructor(host: WorkerHost) {
    this.w = host;
  }

  /** Whether step 2 has work after this slice. */
  get pending(): boolean {
    return this.holdNext.length > 0;
  }

  /** Step 1 (and 4 at the bound). */
  onOverflow(link: OutLink): void {
    const w = this.w;
    const cur = w.sched.current;
    if (cur !== null) {
      // End the sender's slice; it is held after the slice (afterSlice).
      reductions.left = 0;
      this.holdNext.push({ pid: cur.pid, link });
    }
    if (link.overflowBytes >= w.overflowLimit && w.inDrain === 0) this.waitForRoom(link);
  }

  /** Step 3. */
  onOverflowDrained(link: OutLink): void {
    const held = link.held;
    if (held.length === 0) return;
    link.held = [];
    const w = this.w;
    w.guestAccess++; // a held guest is resumed too
    try {
      for (const pid of held) {
        this.heldCount--;
        if (w.sched.isAlive(pid)) w.sched.resume(pid);
      }
    } finally {
      w.guestAccess--;
    }
  }

  /** Step 2. */
  afterSlice(): void {
    const w = this.w;
    const hold = this.holdNext;
    w.guestAccess++; // a guest is held like any actor
    try {
      for (let i = 0; i < hold.length; i++) {
        const { pid, link } = hold[i]!;
        if (link.overflowBytes === 0 || link.dead) continue;
        if (link.held.some((p) => p === pid)) continue;
        const a = w.sched.lookup(pid);
        if (a === undefined || a.status >= kExiting || a.ext?.suspended === true) continue;
        w.sched.suspend(pid);
        link.held.push(pid);
        this.heldCount++;
        this.holds++;
      }
    } finally {
      hold.length = 0;
      w.guestAccess--;
    }
  }

  /** Step 4: at the overflow bound, wait here until the consumer made room. */
  private waitForRoom(link: OutLink): void {
    const w = this.w;
    this.blockedWaits++;
    const prevDefer = w.deferControl;
    w.deferControl = true;
    try {
      const roomOrDead = (): boolean => link.dead || !w.isAlive(link.dest) || link.producer.hasRoomFor(link.overflow[link.head]?.length ?? 0) || w.hasInbound();
      // Room made = bytes the consumer took from this overflow (flushes only take from it).
      // Draining may add to it (records for actors that moved away are forwarded), so the
      // wait also ends once the consumer took what was over the bound on entry: otherwise a
      // peer flooding a moved actor through us kept the overflow at the bound and this
      // thread in here for good (the fan-in stall of 'migrate').
      const need = link.overflowBytes - w.overflowLimit + 1;
      let taken = 0;
      while (link.overflowBytes >= w.overflowLimit && !link.dead) {
        const before = link.overflowBytes;
        w.flush();
        taken += before - link.overflowBytes;
        if (link.overflowBytes < w.overflowLimit || taken >= need) break;
        if (!w.isAlive(link.dest)) {
          w.markDead(link.dest);
          break;
        }
        // Keep our own inbound rings moving, so a peer blocked on us progresses.
        if (w.drain(kDrainBatch) > 0) continue;
        w.sleeper.park(roomOrDead, 5);
      }
    } finally {
      w.deferControl = prevDefer;
    }
  }
}
