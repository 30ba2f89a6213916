/**
 * Endpoint: one thread's side of a node's rings — the writing end of its ring to every
 * other endpoint, the reading end of every other endpoint's ring to it, its doorbell, and
 * the record protocol. The worker host (a scheduler) and the gateway (the embedding
 * thread) are both Endpoints.
 *
 * Records: the kinds and their layouts are in records.ts; one header writer per kind is
 * here (`hdrMsg`, `hdrExit`, ...: each fills `h` and returns the word count for `emit`).
 *
 * Writing (per destination, `OutLink`). A record is reserved in the ring, its header
 * written and its value encoded in place (`encodeInto` a guess of its size; if it does
 * not fit, encode to scratch and copy). Nothing is visible to the receiver until `flush()`
 * commits every ring written since the last flush with ONE tail store each, and rings a
 * receiver's doorbell only if it is parked (doorbell.ts). The scheduler flushes at the end
 * of every slice and whenever its run queue empties; the gateway at the end of the
 * current microtask.
 *
 * Backpressure (the exact policy):
 *   1. A record goes into the ring if it fits and the destination's overflow is empty.
 *   2. Otherwise it is copied into the destination's overflow, a FIFO of encoded records
 *      (so per-pair order holds: once the overflow is non-empty, every later record to that
 *      destination queues behind it). The producer sets spaceWanted[ring] and is woken by
 *      the consumer after it releases space; every flush moves overflow records into the
 *      ring as space allows.
 *   3. The sending actor's slice ends, and it is descheduled (held, like a suspended
 *      process) until that destination's overflow is empty again (worker-backpressure.ts).
 *   4. The overflow is bounded by `overflowBytes`: a record is accepted while the overflow
 *      holds less than that (so it never exceeds the bound by more than one record). At the
 *      bound, a scheduler thread waits right there for the consumer — flushing, draining
 *      its own inbound rings into mailboxes (so two schedulers blocked on each other both
 *      make progress), parking on its doorbell between attempts — and the embedding thread
 *      (which never blocks) refuses the send with BackpressureError.
 *   5. Nothing is ever dropped, except records for an endpoint that is down (its actors are
 *      all dead; links and monitors to them fire instead).
 *   A record bigger than half a ring is cut into FRAG records (each <= half a ring) that
 *   the receiver reassembles before handling; they take the same path, in order.
 *
 * Reading. `drain(max)` takes up to `max` records from each inbound ring, hands each to
 * `onRecord`, then releases each ring with one head store, and rings the producer's
 * doorbell if it asked for space.
 */

import { kMsCodec, microstateWord } from '../core/microstate.ts';
import { BadArgError } from '../core/errors.ts';
import { Pid, type Ref } from '../core/pid.ts';
import { MessageDecoder } from '../codec/index.ts';
import { isScalarTag, kNotScalar, readScalar, writeScalar } from '../codec/scalar-values.ts';
import { DoorbellRinger, DoorbellSleeper } from './doorbell.ts';
import { kCtlAliveBase, doorbellOffset, type NodeLayout } from './layout.ts';
import { InLink, OutLink, kMinGuess, ringNodeHooks } from './ring-links.ts';
import {
  kRecMsg, kRecExit, kRecLink, kRecUnlink, kRecMonitor, kRecDemonitor, kRecDown, kRecControl, kRecNameClear,
  kRecSchedDown, kRecFrag, kRecSpawn, kRecDirty,
} from './records.ts';

export {
  kRecMsg, kRecExit, kRecLink, kRecUnlink, kRecMonitor, kRecDemonitor, kRecDown, kRecControl, kRecNameClear,
  kRecSchedDown, kRecFrag, kRecSpawn, kRecDirty, kRecMigrate, kRecUnforward, kRecGuestsDown, kRecDistOut, kRecDistIn,
  kOpSpawn, kOpInfo, kOpRegister, kOpStop, kOpApply, kOpOk, kOpError,
} from './records.ts';

/**
 * A link with this many records written since its last commit is committed at once, in
 * the middle of a slice: the receiver starts on them while the sender writes the rest
 * (pipelining), instead of idling - or parking - until the slice ends.
 */
const kCommitEvery = 256;
/** While a link overflows, retry moving its overflow into the ring every this many records. */
const kRepumpEvery = 16;
const kFragHeaderBytes = 12;

export { ringNodeHooks, OutLink, InLink } from './ring-links.ts';

export abstract class Endpoint {
  readonly index: number;
  readonly endpoints: number;
  readonly layout: NodeLayout;
  readonly sab: SharedArrayBuffer;
  /** By destination endpoint; null for this endpoint itself. */
  readonly out: (OutLink | null)[] = [];
  readonly inLinks: InLink[] = [];
  readonly inBySrc: (InLink | null)[] = [];
  /** @internal */ readonly control: Int32Array;
  /** @internal */ readonly sleeper: DoorbellSleeper;
  /** @internal */ readonly selfBell: DoorbellRinger;
  /** Header words of the record being emitted (filled by the caller of `emit`). */
  protected readonly h = new Int32Array(8);
  protected readonly decoder: MessageDecoder;
  private readonly dirtyList: OutLink[] = [];
  protected readonly overflowing: OutLink[] = [];
  overflowLimit: number;
  /** Foreign pids seen on this thread, by id (the highest serial seen): interned. */
  private readonly foreignPids = new Map<number, Pid>();

  recordsIn = 0;
  recordsOut = 0;
  ringFull = 0;
  /** This thread's current-microstate word (core/microstate.ts): codec around encode/decode. */
  readonly ms: Int32Array;

  constructor(sab: SharedArrayBuffer, layout: NodeLayout, index: number, overflowLimit: number) {
    this.sab = sab;
    this.layout = layout;
    this.index = index;
    this.endpoints = layout.endpoints;
    this.overflowLimit = overflowLimit;
    this.control = new Int32Array(sab, 0, layout.controlWords);
    this.ms = microstateWord(sab, layout.msaccOffset, index);
    for (let e = 0; e < layout.endpoints; e++) {
      if (e === index) {
        this.out.push(null);
        this.inBySrc.push(null);
        continue;
      }
      this.out.push(new OutLink(sab, layout, index, e));
      const inl = new InLink(sab, layout, e, index);
      this.inLinks.push(inl);
      this.inBySrc.push(inl);
    }
    this.sleeper = new DoorbellSleeper(sab, doorbellOffset(layout, index));
    this.selfBell = new DoorbellRinger(sab, doorbellOffset(layout, index));
    this.decoder = new MessageDecoder({
      decodeNode: ringNodeHooks.decodeNode,
      makePid: (node, id, serial) => (node === 0 ? this.internPid(id, serial) : new Pid(node, id, serial)),
    });
  }

  // ---------------------------------------------------------------------------------
  // Pids
  // ---------------------------------------------------------------------------------

  /** The pid for (id, serial) of this node: local ones canonical, foreign ones interned. */
  internPid(id: number, serial: number): Pid {
    if (id % this.endpoints === this.index) return this.localPid(id, serial);
    const p = this.foreignPids.get(id);
    if (p !== undefined && p.serial === serial) return p;
    const fresh = new Pid(0, id, serial);
    if (p === undefined || serial > p.serial) this.foreignPids.set(id, fresh);
    return fresh;
  }

  /** The canonical pid object for a pid this endpoint owns. */
  protected abstract localPid(id: number, serial: number): Pid;

  isAlive(endpoint: number): boolean {
    return Atomics.load(this.control, kCtlAliveBase + endpoint) === 1;
  }

  // ---------------------------------------------------------------------------------
  // Record headers: one writer per kind (records.ts); each fills `h` and returns the
  // number of header words, for `emit(dest, n, value, hasValue)`.
  // ---------------------------------------------------------------------------------

  hdrMsg(to: Pid): number {
    const h = this.h;
    h[0] = kRecMsg; h[1] = to.id; h[2] = to.serial;
    return 3;
  }

  hdrExit(to: Pid, from: Pid, viaLink: boolean): number {
    const h = this.h;
    h[0] = kRecExit; h[1] = to.id; h[2] = to.serial; h[3] = from.id; h[4] = from.serial; h[5] = viaLink ? 1 : 0;
    return 6;
  }

  hdrLink(to: Pid, from: Pid): number {
    return this.hdrToFrom(kRecLink, to, from);
  }

  hdrUnlink(to: Pid, from: Pid): number {
    return this.hdrToFrom(kRecUnlink, to, from);
  }

  /** LINK and UNLINK share their layout: to.id to.serial from.id from.serial. */
  private hdrToFrom(kind: number, to: Pid, from: Pid): number {
    const h = this.h;
    h[0] = kind; h[1] = to.id; h[2] = to.serial; h[3] = from.id; h[4] = from.serial;
    return 5;
  }

  hdrMonitor(to: Pid, watcher: Pid, ref: Ref): number {
    const h = this.h;
    h[0] = kRecMonitor; h[1] = to.id; h[2] = to.serial; h[3] = watcher.id; h[4] = watcher.serial; h[5] = ref.sched; h[6] = ref.n;
    return 7;
  }

  hdrDemonitor(to: Pid, ref: Ref): number {
    const h = this.h;
    h[0] = kRecDemonitor; h[1] = to.id; h[2] = to.serial; h[3] = ref.sched; h[4] = ref.n;
    return 5;
  }

  /** DOWN to `to`, the watcher, of its monitor `ref` on `pid`. */
  hdrDown(to: Pid, pid: Pid, ref: Ref): number {
    const h = this.h;
    h[0] = kRecDown; h[1] = to.id; h[2] = to.serial; h[3] = pid.id; h[4] = pid.serial; h[5] = ref.sched; h[6] = ref.n;
    return 7;
  }

  hdrControl(requestId: number, op: number): number {
    const h = this.h;
    h[0] = kRecControl; h[1] = requestId; h[2] = op;
    return 3;
  }

  hdrNameClear(pid: Pid): number {
    const h = this.h;
    h[0] = kRecNameClear; h[1] = pid.id; h[2] = pid.serial;
    return 3;
  }

  hdrSchedDown(endpoint: number): number {
    const h = this.h;
    h[0] = kRecSchedDown; h[1] = endpoint;
    return 2;
  }

  hdrSpawn(id: number, parent: Pid, link: boolean): number {
    const h = this.h;
    h[0] = kRecSpawn; h[1] = id; h[2] = parent.id; h[3] = parent.serial; h[4] = link ? 1 : 0;
    return 5;
  }

  hdrDirty(id: number, serial: number, n: number): number {
    const h = this.h;
    h[0] = kRecDirty; h[1] = id; h[2] = serial; h[3] = n;
    return 4;
  }

  /** DISTOUT / DISTIN (`kind`) carrying dist op `op` (dist-records.ts); the value is its args. */
  hdrDist(kind: number, op: number): number {
    const h = this.h;
    h[0] = kind; h[1] = op;
    return 2;
  }

  // ---------------------------------------------------------------------------------
  // Writing
  // ---------------------------------------------------------------------------------

  /**
   * Emit a record to `dest`: header words `h[0..n)` (h[0] = kind), then `value` if
   * `hasValue`. Returns false if `dest` is down (the record is dropped).
   * @throws UnsendableError (nothing is written then)
   */
  emit(dest: number, n: number, value: unknown, hasValue: boolean): boolean {
    const link = this.out[dest];
    if (link === null || link === undefined) throw new BadArgError(`no ring to endpoint ${dest}`);
    if (link.dead) return false;
    const hb = n << 2;
    // Overflowing: every kRepumpEvery records, see whether the consumer made room, so a
    // burst goes back to the fast path as soon as it can (order is kept: the overflow
    // goes first).
    if (link.overflowBytes > 0 && (++link.sinceRepump & (kRepumpEvery - 1)) === 0) this.pumpOverflow(link);
    if (link.overflowBytes === 0) {
      const p = link.producer;
      let guess = hasValue ? link.guess : hb;
      if (guess > link.maxPayload) guess = link.maxPayload;
      const off = p.tryReserve(guess);
      if (off >= 0) {
        const words = link.words;
        const w = off >> 2;
        const h = this.h;
        for (let i = 0; i < n; i++) words[w + i] = h[i]!;
        if (!hasValue) {
          this.wrote(link);
          return true;
        }
        // A lone scalar (a number, a short string, ...) is written in one call, no encoder
        // setup and no microstate switch (codec/scalar-values.ts; the same bytes).
        let m = typeof value !== 'object' ? writeScalar(value, link.bytes, off + hb, off + guess) : -1;
        if (m < 0) {
          const ms = this.ms;
          const was = ms[0]!;
          ms[0] = kMsCodec;
          try {
            m = link.encoder.encodeInto(value, link.bytes, off + hb, off + guess);
          } catch (e) {
            ms[0] = was;
            p.cancelLast();
            throw e;
          }
          ms[0] = was;
        }
        if (m >= 0) {
          p.trimLast(hb + m);
          this.wrote(link);
          return true;
        }
        p.cancelLast();
      }
    }
    return this.emitSlow(link, n, value, hasValue);
  }

  private emitSlow(link: OutLink, n: number, value: unknown, hasValue: boolean): boolean {
    const hb = n << 2;
    const header = this.h.slice(0, n);
    let m = 0;
    let scratch: Uint8Array | null = null;
    if (hasValue) {
      const ms = this.ms;
      const was = ms[0]!;
      ms[0] = kMsCodec;
      try {
        m = link.encoder.encodeToScratch(value);
      } finally {
        ms[0] = was;
      }
      scratch = link.encoder.scratch;
      const g = hb + m + (m >> 1) + 16;
      link.guess = g < kMinGuess ? kMinGuess : g;
    }
    const total = hb + m;
    if (total <= link.maxPayload) {
      if (link.overflowBytes === 0) {
        const off = link.producer.tryReserve(total);
        if (off >= 0) {
          link.words.set(header, off >> 2);
          if (scratch !== null) link.bytes.set(scratch.subarray(0, m), off + hb);
          this.wrote(link);
          return true;
        }
        this.ringFull++;
      }
      const rec = new Uint8Array(total);
      new Int32Array(rec.buffer, 0, n).set(header);
      if (scratch !== null) rec.set(scratch.subarray(0, m), hb);
      this.pushOverflow(link, rec);
      return true;
    }
    // Larger than half a ring: the whole record, cut into FRAG records.
    const whole = new Uint8Array(total);
    new Int32Array(whole.buffer, 0, n).set(header);
    if (scratch !== null) whole.set(scratch.subarray(0, m), hb);
    return this.emitFragments(link, whole);
  }

  /**
   * Emit a whole record already encoded (header words and value: `rec`, 4-byte aligned
   * start), e.g. one received from another endpoint and forwarded (migration.ts). The
   * bytes are copied before this returns. Returns false if `dest` is down.
   */
  emitRaw(dest: number, rec: Uint8Array): boolean {
    const link = this.out[dest];
    if (link === null || link === undefined) throw new BadArgError(`no ring to endpoint ${dest}`);
    if (link.dead) return false;
    const total = rec.length;
    if (total > link.maxPayload) return this.emitFragments(link, rec.slice());
    if (link.overflowBytes === 0) {
      const off = link.producer.tryReserve(total);
      if (off >= 0) {
        link.bytes.set(rec, off);
        this.wrote(link);
        return true;
      }
      this.ringFull++;
    }
    this.pushOverflow(link, rec.slice());
    return true;
  }

  private emitFragments(link: OutLink, whole: Uint8Array): boolean {
    const total = whole.length;
    const chunk = (link.maxPayload - kFragHeaderBytes) & ~7;
    for (let at = 0, i = 0; at < total; at += chunk, i++) {
      const len = Math.min(chunk, total - at);
      const rec = new Uint8Array(kFragHeaderBytes + len);
      const rw = new Int32Array(rec.buffer, 0, 3);
      rw[0] = kRecFrag;
      rw[1] = total;
      rw[2] = i;
      rec.set(whole.subarray(at, at + len), kFragHeaderBytes);
      if (link.dead) return false;
      if (link.overflowBytes === 0) {
        const off = link.producer.tryReserve(rec.length);
        if (off >= 0) {
          link.bytes.set(rec, off);
          this.wrote(link);
          continue;
        }
        this.ringFull++;
      }
      this.pushOverflow(link, rec);
    }
    return true;
  }

  private wrote(link: OutLink): void {
    this.recordsOut++;
    if (++link.uncommitted >= kCommitEvery) {
      link.uncommitted = 0;
      if (link.producer.commit()) link.ringer.ring();
    }
    if (!link.dirty) {
      link.dirty = true;
      this.dirtyList.push(link);
      this.onDirty();
    }
  }

  private pushOverflow(link: OutLink, rec: Uint8Array): void {
    this.recordsOut++;
    if (link.overflowBytes === 0) this.overflowing.push(link);
    link.overflow.push(rec);
    link.overflowBytes += rec.length;
    // Ask the consumer to ring us when it frees space (see layout.ts).
    Atomics.store(this.control, link.spaceIndex, 1);
    if (!link.dirty) {
      link.dirty = true;
      this.dirtyList.push(link);
      this.onDirty();
    }
    this.onOverflow(link);
  }

  /** Hook: a link got its first dirty record since the last flush. */
  protected onDirty(): void {}
  /** Hook: a record went to `link`'s overflow. */
  protected onOverflow(_link: OutLink): void {}
  /** Hook: `link`'s overflow is empty again (or the destination went down). */
  protected onOverflowDrained(_link: OutLink): void {}

  /** Move overflow records into `link`'s ring while they fit. */
  protected pumpOverflow(link: OutLink): void {
    const p = link.producer;
    while (link.head < link.overflow.length) {
      const rec = link.overflow[link.head]!;
      const off = p.tryReserve(rec.length);
      if (off < 0) {
        // Still waiting: make sure the consumer will ring us (it clears the flag).
        Atomics.store(this.control, link.spaceIndex, 1);
        return;
      }
      link.bytes.set(rec, off);
      link.overflow[link.head++] = undefined as unknown as Uint8Array;
      link.overflowBytes -= rec.length;
    }
    link.overflow = [];
    link.head = 0;
    link.overflowBytes = 0;
    Atomics.store(this.control, link.spaceIndex, 0);
  }

  /** Commit every ring written since the last flush; pump overflows; ring doorbells. */
  flush(): void {
    const ov = this.overflowing;
    if (ov.length > 0) {
      for (let i = 0; i < ov.length; i++) {
        const link = ov[i]!;
        if (!link.dead) this.pumpOverflow(link);
        if (link.producer.commit()) link.ringer.ring();
      }
      let j = 0;
      for (let i = 0; i < ov.length; i++) {
        const link = ov[i]!;
        if (link.overflowBytes > 0 && !link.dead) ov[j++] = link;
        else this.onOverflowDrained(link);
      }
      ov.length = j;
    }
    const list = this.dirtyList;
    for (let i = 0; i < list.length; i++) {
      const link = list[i]!;
      link.dirty = false;
      link.uncommitted = 0;
      if (link.producer.commit()) link.ringer.ring();
    }
    list.length = 0;
  }

  /** Does some overflowing link have room for its next record now? (for park re-checks) */
  overflowHasRoom(): boolean {
    const ov = this.overflowing;
    for (let i = 0; i < ov.length; i++) {
      const link = ov[i]!;
      if (link.dead || link.producer.hasRoomFor(link.overflow[link.head]!.length)) return true;
    }
    return false;
  }

  get overflowBytes(): number {
    let n = 0;
    for (const l of this.overflowing) n += l.overflowBytes;
    return n;
  }

  /** Endpoint `dest` is down: drop its overflow, write nothing more to it. */
  markDead(dest: number): void {
    const link = this.out[dest];
    if (link === null || link === undefined || link.dead) return;
    link.dead = true;
    link.overflow = [];
    link.head = 0;
    link.overflowBytes = 0;
    const i = this.overflowing.indexOf(link);
    if (i >= 0) this.overflowing.splice(i, 1);
    this.onOverflowDrained(link);
  }

  // ---------------------------------------------------------------------------------
  // Reading
  // ---------------------------------------------------------------------------------

  /** Is there an unread record in some inbound ring? (Atomics loads of the tails) */
  hasInbound(): boolean {
    const l = this.inLinks;
    for (let i = 0; i < l.length; i++) if (l[i]!.consumer.hasRecords()) return true;
    return false;
  }

  /** Handle up to `max` records from each inbound ring. Returns how many were handled. */
  drain(max: number): number {
    let total = 0;
    const l = this.inLinks;
    for (let i = 0; i < l.length; i++) total += this.drainLink(l[i]!, max);
    return total;
  }

  /** Handle up to `max` records of one inbound ring. */
  drainLink(link: InLink, max: number): number {
    const c = link.consumer;
    let k = 0;
    let off: number;
    try {
      while (k < max && (off = c.next()) >= 0) {
        k++;
        this.dispatch(link, off, c.recordLength);
      }
    } finally {
      if (k > 0) {
        this.recordsIn += k;
        // One head store for the batch; then wake the producer if it waits for space.
        if (c.release() && Atomics.load(this.control, link.spaceIndex) !== 0) {
          if (Atomics.compareExchange(this.control, link.spaceIndex, 1, 0) === 1) link.producerBell.ring();
        }
      }
    }
    return k;
  }

  private dispatch(link: InLink, off: number, len: number): void {
    const words = link.words;
    const w = off >> 2;
    if (words[w] !== kRecFrag) {
      this.onRecord(link.src, words, w, link.bytes, len);
      return;
    }
    const total = words[w + 1]!;
    if (words[w + 2] === 0) {
      link.frag = new Uint8Array(total);
      link.fragFill = 0;
    }
    const frag = link.frag;
    if (frag === null) throw new RangeError('ring protocol: fragment without a start');
    const n = len - kFragHeaderBytes;
    frag.set(link.bytes.subarray(off + kFragHeaderBytes, off + len), link.fragFill);
    link.fragFill += n;
    if (link.fragFill >= total) {
      link.frag = null;
      this.onRecord(link.src, new Int32Array(frag.buffer, 0, frag.length >> 2), 0, frag, total);
    }
  }

  /**
   * Handle one record from endpoint `src`: its header words start at `words[w]`, its
   * bytes at `bytes[w * 4]`, `len` bytes in all.
   */
  protected abstract onRecord(src: number, words: Int32Array, w: number, bytes: Uint8Array, len: number): void;

  /** Decode the value of a record whose header has `n` words. */
  decodeValue(bytes: Uint8Array, w: number, n: number, len: number): unknown {
    // A lone scalar needs no decoder (codec/scalar-values.ts), nor a microstate switch.
    const at = (w + n) * 4;
    if (isScalarTag(bytes[at]!)) {
      const scalar = readScalar(bytes, at, len - n * 4);
      if (scalar !== kNotScalar) return scalar;
    }
    const ms = this.ms;
    const was = ms[0]!;
    ms[0] = kMsCodec;
    try {
      return this.decoder.decode(bytes, (w + n) * 4, len - n * 4);
    } finally {
      ms[0] = was;
    }
  }
}
