/**
 * SharedRegistry: the node-wide name table (register / unregister / whereis), one
 * open-addressing hash table in the node's SharedArrayBuffer, so every scheduler and the
 * embedding thread see the same names, synchronously, without messaging anyone.
 *
 * Why not a table owned by the main thread with replicated caches: `ctx.register` must
 * answer at once, atomically (two actors on two schedulers registering the same name:
 * exactly one wins, the other gets NameTakenError), and `send(name)` must see a name the
 * moment `register` returned. A shared table gives both; writes are rare, reads are
 * lock-free.
 *
 *   header (256 bytes, Int32 words)           slot i (kSlotBytes = 256)
 *   +--------+------------------------+       +-----+-------+------+-------+--------+-----+
 *   | [0]    | lock: 0 free, else the |       | seq | state | hash | pidId | serial | len |
 *   |        | owner's endpoint + 1   |       +-----+-------+------+-------+--------+-----+
 *   | [32]   | generation (removals)  |       | key: `len` bytes of UTF-8 (<= 224)        |
 *   | [33]   | live names             |       +-------------------------------------------+
 *   +--------+------------------------+
 *   slots: a power of two >= 2 x maxNames; state 0 empty, 1 live, 2 tombstone.
 *
 * Writers (add, remove; rare) serialise on the lock word (compare-exchange, spinning; the
 * critical section is a few dozen stores). A writer changes a slot inside a seqlock:
 * Atomics.add(seq) to odd, the fields, Atomics.add(seq) back to even.
 * Readers (whereis, on every send by name) take no lock: hash the name, probe from
 * `hash & mask`; for each slot load seq (odd: retry the slot), the fields (Atomics.load),
 * compare the key, and load seq again (changed: retry the slot). An empty slot ends the
 * probe. A removal leaves a tombstone (so probes for later names in the chain go on),
 * unless the next slot is empty: then it and the tombstones right before it become empty.
 *
 * A per-thread cache maps names to pids; it is dropped whenever the generation word
 * (bumped after every removal) changed, so a cached pid is never one whose name was freed.
 *
 * A worker that dies holding the lock (it cannot happen between JS statements of the
 * worker's own code, only by `worker.terminate()` mid-section) is recovered by the main
 * thread: `recoverFrom(endpoint)` turns half-written slots into tombstones and frees the
 * lock; `removeOwnedBy(endpoint)` drops the names of a dead scheduler's processes.
 *
 * Limits: names are at most kMaxNameBytes bytes of UTF-8 (Erlang caps atoms at 255
 * characters); at most `maxNames` names at once (BadArgError beyond).
 */

import { BadArgError, NameTakenError } from '../core/errors.ts';
import { Pid } from '../core/pid.ts';
import { Registry } from '../core/registry.ts';

const kHeaderBytes = 256;
const kSlotBytes = 256;
const kSlotWords = kSlotBytes / 4;
const kKeyOffset = 32; // bytes into the slot
export const kMaxNameBytes = kSlotBytes - kKeyOffset;

const kLock = 0;
const kGeneration = 32;
const kCount = 33;

// Slot words.
const kSeq = 0;
const kState = 1;
const kHash = 2;
const kPidId = 3;
const kPidSerial = 4;
const kLen = 5;

const kEmpty = 0;
const kLive = 1;
const kTombstone = 2;

function slotCount(maxNames: number): number {
  let n = 16;
  while (n < maxNames * 2) n *= 2;
  return n;
}

export function sharedRegistryBytes(maxNames: number): number {
  return kHeaderBytes + slotCount(maxNames) * kSlotBytes;
}

export function initSharedRegistry(sab: SharedArrayBuffer, byteOffset: number, maxNames: number): void {
  new Uint8Array(sab, byteOffset, sharedRegistryBytes(maxNames)).fill(0);
}

const utf8 = new TextEncoder();
const utf8Decoder = new TextDecoder();

export interface SharedRegistryHooks {
  /** Make (or intern) the pid for a name's entry. */
  makePid?: (id: number, serial: number) => Pid;
  /**
   * Called after `remove(name)` (no pid: an unregister) freed a name whose process lives
   * on another endpoint: that endpoint should forget the name on the actor record.
   */
  onForeignRemove?: (name: string, pid: Pid) => void;
}

export class SharedRegistry extends Registry {
  private readonly words: Int32Array;
  private readonly bytes: Uint8Array;
  private readonly mask: number;
  private readonly slotBase: number; // word index of slot 0
  private readonly maxNames: number;
  private readonly owner: number;
  private readonly stride: number;
  private readonly key = new Uint8Array(kMaxNameBytes);
  private keyLen = 0;
  private keyHash = 0;
  private readonly cache = new Map<string, Pid>();
  private cacheGeneration = -1;
  private readonly hooks: SharedRegistryHooks;

  /**
   * @param owner this thread's endpoint index (lock owner tag, and "local" for hooks)
   * @param stride the node's number of endpoints (pid routing)
   */
  constructor(sab: SharedArrayBuffer, byteOffset: number, maxNames: number, owner: number, stride: number, hooks: SharedRegistryHooks = {}) {
    super();
    const total = sharedRegistryBytes(maxNames);
    this.words = new Int32Array(sab, byteOffset, total / 4);
    this.bytes = new Uint8Array(sab, byteOffset, total);
    this.mask = slotCount(maxNames) - 1;
    this.slotBase = kHeaderBytes / 4;
    this.maxNames = maxNames;
    this.owner = owner;
    this.stride = stride;
    this.hooks = hooks;
  }

  override check(name: string): void {
    this.encodeKey(name, 'register');
    if (this.whereis(name) !== undefined) throw new NameTakenError(name);
  }

  override add(name: string, pid: Pid): void {
    this.encodeKey(name, 'register');
    this.lock();
    try {
      if (this.find() >= 0) throw new NameTakenError(name);
      if (Atomics.load(this.words, kCount) >= this.maxNames) {
        throw new BadArgError(`register: the node's name table is full (maxNames = ${this.maxNames})`);
      }
      const h = this.keyHash;
      let free = -1;
      for (let i = 0; i <= this.mask; i++) {
        const s = (h + i) & this.mask;
        const st = this.words[this.slotBase + s * kSlotWords + kState]!;
        if (st !== kLive) {
          free = s;
          break;
        }
      }
      // maxNames <= half the slots, so a free slot always exists.
      const w = this.slotBase + free * kSlotWords;
      Atomics.add(this.words, w + kSeq, 1);
      Atomics.store(this.words, w + kHash, h);
      Atomics.store(this.words, w + kPidId, pid.id);
      Atomics.store(this.words, w + kPidSerial, pid.serial);
      Atomics.store(this.words, w + kLen, this.keyLen);
      this.bytes.set(this.key.subarray(0, this.keyLen), w * 4 + kKeyOffset);
      Atomics.store(this.words, w + kState, kLive);
      Atomics.add(this.words, w + kSeq, 1);
      Atomics.add(this.words, kCount, 1);
    } finally {
      this.unlock();
    }
    this.cache.set(name, pid);
  }

  /** Remove `name`; with `pid`, only while the name still maps to that process. */
  override remove(name: string, pid?: Pid): void {
    if (!this.tryEncodeKey(name)) return;
    let removedId = -1;
    let removedSerial = -1;
    this.lock();
    try {
      const s = this.find();
      if (s < 0) return;
      const w = this.slotBase + s * kSlotWords;
      const id = this.words[w + kPidId]! >>> 0;
      const serial = this.words[w + kPidSerial]! >>> 0;
      if (pid !== undefined && (pid.id !== id || pid.serial !== serial)) return;
      this.clearSlot(s);
      removedId = id;
      removedSerial = serial;
    } finally {
      this.unlock();
    }
    this.cache.delete(name);
    if (pid === undefined && removedId % this.stride !== this.owner && this.hooks.onForeignRemove !== undefined) {
      this.hooks.onForeignRemove(name, this.pidOf(removedId, removedSerial));
    }
  }

  override whereis(name: string): Pid | undefined {
    const g = Atomics.load(this.words, kGeneration);
    if (g !== this.cacheGeneration) {
      this.cache.clear();
      this.cacheGeneration = g;
    }
    const hit = this.cache.get(name);
    if (hit !== undefined) return hit;
    if (!this.tryEncodeKey(name)) return undefined;
    const h = this.keyHash;
    const words = this.words;
    for (let i = 0; i <= this.mask; i++) {
      const s = (h + i) & this.mask;
      const w = this.slotBase + s * kSlotWords;
      for (;;) {
        const s1 = Atomics.load(words, w + kSeq);
        if ((s1 & 1) !== 0) continue; // a writer is in this slot: retry it
        const st = Atomics.load(words, w + kState);
        if (st === kEmpty) {
          if (Atomics.load(words, w + kSeq) !== s1) continue;
          return undefined;
        }
        let match = false;
        let id = 0;
        let serial = 0;
        if (st === kLive && Atomics.load(words, w + kHash) === h && Atomics.load(words, w + kLen) === this.keyLen) {
          match = this.keyEquals(w * 4 + kKeyOffset);
          id = Atomics.load(words, w + kPidId) >>> 0;
          serial = Atomics.load(words, w + kPidSerial) >>> 0;
        }
        if (Atomics.load(words, w + kSeq) !== s1) continue;
        if (match) {
          const pid = this.pidOf(id, serial);
          this.cache.set(name, pid);
          return pid;
        }
        break; // next slot
      }
    }
    return undefined;
  }

  override registered(): string[] {
    const out: string[] = [];
    this.lock();
    try {
      for (let s = 0; s <= this.mask; s++) {
        const w = this.slotBase + s * kSlotWords;
        if (this.words[w + kState] !== kLive) continue;
        const off = w * 4 + kKeyOffset;
        out.push(utf8Decoder.decode(this.bytes.slice(off, off + this.words[w + kLen]!)));
      }
    } finally {
      this.unlock();
    }
    return out;
  }

  /** Remove every name of a process owned by `endpoint` (its scheduler died). */
  removeOwnedBy(endpoint: number): number {
    let n = 0;
    this.lock();
    try {
      for (let s = 0; s <= this.mask; s++) {
        const w = this.slotBase + s * kSlotWords;
        if (this.words[w + kState] !== kLive) continue;
        if ((this.words[w + kPidId]! >>> 0) % this.stride !== endpoint) continue;
        this.clearSlot(s);
        n++;
      }
    } finally {
      this.unlock();
    }
    this.cache.clear();
    return n;
  }

  /** Free the lock if dead `endpoint` held it, repairing a half-written slot. */
  recoverFrom(endpoint: number): void {
    if (Atomics.load(this.words, kLock) !== endpoint + 1) return;
    for (let s = 0; s <= this.mask; s++) {
      const w = this.slotBase + s * kSlotWords;
      const seq = this.words[w + kSeq]!;
      if ((seq & 1) === 0) continue;
      Atomics.store(this.words, w + kState, kTombstone);
      Atomics.add(this.words, w + kSeq, 1);
    }
    Atomics.add(this.words, kGeneration, 1);
    Atomics.compareExchange(this.words, kLock, endpoint + 1, 0);
  }

  // ---------------------------------------------------------------------------------

  private pidOf(id: number, serial: number): Pid {
    return this.hooks.makePid !== undefined ? this.hooks.makePid(id, serial) : new Pid(0, id, serial);
  }

  /** Under the lock: mark slot `s` removed, and bump the generation. */
  private clearSlot(s: number): void {
    const words = this.words;
    const w = this.slotBase + s * kSlotWords;
    const nextEmpty = words[this.slotBase + ((s + 1) & this.mask) * kSlotWords + kState] === kEmpty;
    Atomics.add(words, w + kSeq, 1);
    Atomics.store(words, w + kState, nextEmpty ? kEmpty : kTombstone);
    Atomics.add(words, w + kSeq, 1);
    if (nextEmpty) {
      // No chain runs past this slot: the tombstones right before it end nothing either.
      for (let i = 1; i <= this.mask; i++) {
        const p = this.slotBase + ((s - i) & this.mask) * kSlotWords;
        if (words[p + kState] !== kTombstone) break;
        Atomics.add(words, p + kSeq, 1);
        Atomics.store(words, p + kState, kEmpty);
        Atomics.add(words, p + kSeq, 1);
      }
    }
    Atomics.sub(words, kCount, 1);
    // After the slot changed: a reader that sees the new generation drops its cache.
    Atomics.add(words, kGeneration, 1);
  }

  /** Under the lock: the slot of the encoded key, or -1. */
  private find(): number {
    const h = this.keyHash;
    for (let i = 0; i <= this.mask; i++) {
      const s = (h + i) & this.mask;
      const w = this.slotBase + s * kSlotWords;
      const st = this.words[w + kState];
      if (st === kEmpty) return -1;
      if (st === kLive && this.words[w + kHash] === h && this.words[w + kLen] === this.keyLen && this.keyEquals(w * 4 + kKeyOffset)) return s;
    }
    return -1;
  }

  private keyEquals(off: number): boolean {
    const b = this.bytes;
    const k = this.key;
    for (let i = 0; i < this.keyLen; i++) if (b[off + i] !== k[i]) return false;
    return true;
  }

  private encodeKey(name: string, op: string): void {
    if (typeof name !== 'string' || name.length === 0) {
      throw new BadArgError(`${op}: name must be a non-empty string, got ${typeof name === 'string' ? '""' : typeof name}`);
    }
    if (!this.tryEncodeKey(name)) throw new BadArgError(`${op}: name longer than ${kMaxNameBytes} bytes of UTF-8`);
  }

  private tryEncodeKey(name: string): boolean {
    if (typeof name !== 'string' || name.length > kMaxNameBytes) return false;
    const r = utf8.encodeInto(name, this.key);
    if (r.read !== name.length) return false;
    const n = r.written;
    let h = 0x811c9dc5;
    for (let i = 0; i < n; i++) h = Math.imul(h ^ this.key[i]!, 0x01000193);
    this.keyLen = n;
    this.keyHash = h >>> 1; // non-negative, fits an Int32
    return true;
  }

  private lock(): void {
    const tag = this.owner + 1;
    let spins = 0;
    while (Atomics.compareExchange(this.words, kLock, 0, tag) !== 0) {
      if (++spins > 1_000_000_000) throw new Error('shared registry: lock not released');
    }
  }

  private unlock(): void {
    Atomics.store(this.words, kLock, 0);
  }
}
