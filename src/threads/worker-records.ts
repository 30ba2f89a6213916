/**
 * Inbound ring records on a scheduler thread (records.ts): messages and signals go to the
 * scheduler's inbound API through signal-records.ts (the one copy of that protocol, which
 * the gateway uses too); peer gone to `peerGone`; the rest to the parts of this host
 * (spawn into a reserved slot, migration, dirty results, CONTROL requests: worker-control.ts).
 *
 * Before a record is handled (`onSignal`; MSG records take the fast path in
 * WorkerHost.onRecord first):
 *   1. one addressed to a slot reserved here whose SPAWN has not arrived yet is kept
 *      (`keepEarly`) and replayed right after the spawn (placement.ts, step 3);
 *   2. one addressed to an actor of ours that moved away is forwarded to where it went
 *      (migration.ts, step 4).
 *
 * Peer gone. SCHEDDOWN (scheduler k died) first drains what k committed before dying
 * (per-pair order: its messages, then the DOWNs), marks k dead, then fires everything
 * local that points at k's pids through the one peer-gone path, `sched.peerGone`, with the
 * reason of the record ({kind:'schedulerDown', ...}); GUESTSDOWN does the same for the
 * guests that died with their host.
 */
import { kExiting } from '../core/actor.ts';
import { Pid, Ref } from '../core/pid.ts';
import { isReservedSlot, spawnInSlot } from '../core/process-table.ts';
import type { SpawnOptions } from '../core/scheduler.ts';
import {
  kRecMsg, kRecExit, kRecLink, kRecUnlink, kRecMonitor, kRecDemonitor, kRecDown, kRecControl, kRecNameClear,
  kRecSchedDown, kRecSpawn, kRecDirty, kRecMigrate, kRecUnforward, kRecGuestsDown, kRecDistIn, kOpInfo, kOpRegister,
} from './records.ts';
import type { WorkerHost } from './worker-host.ts';
import { onControl } from './worker-control.ts';
import { onSignalRecord } from './signal-records.ts';

/**
 * Records taken from each inbound ring per round. Kept at 1000 so a consumer's mailbox
 * stays within the core mailbox's retained capacity (1024) under a steady stream.
 */
export const kDrainBatch = 1000;

/** A record kept for later: its source endpoint and a copy of its bytes. */
export interface Deferred {
  src: number;
  rec: Uint8Array;
}

type SpawnBody = { module: string; export: string; args: unknown[]; opts: SpawnOptions | undefined };

export function onSignal(w: WorkerHost, src: number, words: Int32Array, i: number, bytes: Uint8Array, len: number): void {
  const kind = words[i]!;
  const s = w.sched;
  if (kind <= kRecNameClear && kind !== kRecControl && kind !== kRecDown && words[i + 2] === 0) {
    // Step 1: addressed to a pid another thread reserved here and has not spawned yet?
    const id = words[i + 1]! >>> 0;
    if (s.lookupId(id, 0) === undefined && isReservedSlot(s, id)) {
      keepEarly(w, src, id, bytes, i, len);
      return;
    }
  }
  const migr = w.migr;
  if (migr !== null && (kind <= kRecNameClear || kind === kRecDirty) && kind !== kRecControl && migr.isMoved(words[i + 1]! >>> 0)) {
    // Step 2: addressed to an actor of ours that moved away.
    const id = words[i + 1]! >>> 0;
    if (s.lookupId(id, words[i + 2]! >>> 0) === undefined && migr.forwardRecord(id, bytes.subarray(i * 4, i * 4 + len))) return;
  }
  switch (kind) {
    case kRecMsg:
    case kRecExit:
    case kRecLink:
    case kRecUnlink:
    case kRecMonitor:
    case kRecDemonitor:
    case kRecDown:
      onSignalRecord(s, w, words, i, bytes, len);
      return;
    case kRecNameClear: {
      const a = s.lookupId(words[i + 1]! >>> 0, words[i + 2]! >>> 0);
      const name = w.decodeValue(bytes, i, 3, len);
      if (a?.ext != null && a.ext.name === name) a.ext.name = null;
      return;
    }
    case kRecControl: {
      const op = words[i + 2]!;
      const body = w.decodeValue(bytes, i, 3, len);
      if (migr !== null && (op === kOpInfo || op === kOpRegister)) {
        // A request about an actor that moved away goes where it went (migration.ts).
        const pid = op === kOpInfo ? body : (body as { pid?: unknown } | null)?.pid;
        if (pid instanceof Pid && s.lookup(pid) === undefined && migr.forwardRecord(pid.id, bytes.subarray(i * 4, i * 4 + len))) return;
      }
      onControl(w, words[i + 1]!, op, body);
      return;
    }
    case kRecMigrate:
      migr?.onMigrate(words[i + 1]! >>> 0, words[i + 2]! >>> 0, bytes, (i + 3) * 4, len - 12);
      return;
    case kRecUnforward:
      migr?.onUnforward(words[i + 1]! >>> 0, words[i + 2]! >>> 0);
      return;
    case kRecGuestsDown: {
      const b = w.decodeValue(bytes, i, 2, len) as { ids: number[]; serials: number[]; reason: unknown };
      const dead = new Map<number, number>();
      for (let j = 0; j < b.ids.length; j++) dead.set(b.ids[j]!, b.serials[j]!);
      guestsDown(w, words[i + 1]!, dead, b.reason);
      return;
    }
    case kRecSchedDown:
      schedulerDown(w, words[i + 1]!, w.decodeValue(bytes, i, 2, len));
      return;
    case kRecDirty: {
      // The outcome of a dirty task (dirty-pool.ts, step 3).
      const n = words[i + 3]! >>> 0;
      const ref = w.dirtyRefs.get(n) ?? new Ref(0, w.index, n);
      w.dirtyRefs.delete(n);
      migr?.noteDirty(words[i + 1]! >>> 0, -1);
      const a = s.lookupId(words[i + 1]! >>> 0, words[i + 2]! >>> 0);
      if (a === undefined || a.status >= kExiting) return;
      const out = w.decodeValue(bytes, i, 4, len) as { ok: boolean; value?: unknown; error?: unknown };
      const msg = out.ok ? { type: '$dirty', ref, ok: true, value: out.value } : { type: '$dirty', ref, ok: false, error: out.error };
      s.deliver(a, Object.freeze(msg), len);
      return;
    }
    case kRecDistIn: {
      // What another node did to an actor here (dist-forward.ts); an actor that moved away
      // gets it where it went (its record is forwarded as is).
      const args = w.decodeValue(bytes, i, 2, len) as unknown[];
      const to = args[0];
      if (migr !== null && to instanceof Pid && to.node === 0 && s.lookup(to) === undefined && migr.isMoved(to.id)
        && migr.forwardRecord(to.id, bytes.subarray(i * 4, i * 4 + len))) return;
      w.distForward?.onIn(words[i + 1]!, args, len);
      return;
    }
    case kRecSpawn:
      spawnReserved(w, words[i + 1]! >>> 0, w.internPid(words[i + 2]! >>> 0, words[i + 3]! >>> 0), words[i + 4] === 1, w.decodeValue(bytes, i, 5, len) as SpawnBody);
      return;
    default:
      throw new RangeError(`ring protocol: unknown record kind ${kind} from endpoint ${src}`);
  }
}

/** Keep a record for a reserved slot not spawned into yet (step 1). */
export function keepEarly(w: WorkerHost, src: number, id: number, bytes: Uint8Array, i: number, len: number): void {
  let list = w.early.get(id);
  if (list === undefined) w.early.set(id, (list = []));
  list.push({ src, rec: bytes.slice(i * 4, i * 4 + len) });
}

/** SPAWN from another scheduler (placement.ts, step 4), then the records kept for it. */
function spawnReserved(w: WorkerHost, id: number, parent: Pid, link: boolean, b: SpawnBody): void {
  const s = w.sched;
  const name = b.opts?.name;
  let opts = b.opts;
  if (name !== undefined) {
    const { name: _n, ...others } = b.opts!;
    opts = others;
  }
  const slot = (id - w.index) / w.endpoints;
  const pid = spawnInSlot(s, slot, { module: b.module, export: b.export }, b.args ?? [], opts, parent, link);
  w.remoteSpawns++;
  if (name !== undefined) {
    try {
      s.register(name, pid);
    } catch {
      s.exit(pid, Object.freeze({ kind: 'nameTaken', name }));
    }
  }
  const kept = w.early.get(id);
  if (kept !== undefined) {
    w.early.delete(id);
    for (const d of kept) replay(w, d);
  }
}

function replay(w: WorkerHost, d: Deferred): void {
  onSignal(w, d.src, new Int32Array(d.rec.buffer, d.rec.byteOffset, d.rec.length >> 2), 0, d.rec, d.rec.length);
}

/** Handle the records deferred while this thread waited for ring space (worker-backpressure.ts). */
export function runDeferred(w: WorkerHost): void {
  w.inDrain++;
  try {
    while (w.deferred.length > 0) replay(w, w.deferred.shift()!);
  } finally {
    w.inDrain--;
    w.deferring.length = 0;
  }
}

/** Drain what endpoint `k` committed before it died (per-pair order: its records come first). */
function drainDead(w: WorkerHost, k: number): void {
  const inl = w.inBySrc[k];
  if (inl !== null && inl !== undefined) while (w.drainLink(inl, kDrainBatch) > 0);
}

/** Scheduler `k` died: links and monitors to its processes fire with `reason` (peer gone). */
function schedulerDown(w: WorkerHost, k: number, reason: unknown): void {
  drainDead(w, k);
  w.markDead(k);
  const E = w.endpoints;
  w.sched.inbound.peerGone((p) => p.node === 0 && p.id % E === k, reason);
  w.migr?.onSchedulerDown(k, reason);
}

/**
 * Guests of `host` died with it (GUESTSDOWN, migration.ts step 7): links and monitors of
 * local actors to them fire with `reason` (peer gone). `dead`: id -> serial.
 */
export function guestsDown(w: WorkerHost, host: number, dead: Map<number, number>, reason: unknown): void {
  if (!w.out[host]?.dead) drainDead(w, host);
  w.sched.inbound.peerGone((p) => p.node === 0 && dead.get(p.id) === p.serial, reason);
}
