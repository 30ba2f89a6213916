/**
 * What the node thread keeps per connected Erlang peer (created at its nodeup, dropped at
 * its nodedown), so that Erlang's and Switchboard's protocols meet:
 *
 *   calls in      an Erlang gen_server:call `{'$gen_call', {Pid, Tag}, Req}` is handed to
 *                 the actor as callRequest({ pid, ref: R }) for a fresh core Ref R;
 *                 R -> Tag here until the reply (`{ type: '$reply', ref: R }` to that pid
 *                 goes out as `{Tag, Value}`). Bounded: the oldest entry goes past
 *                 kMaxOpenCalls (a caller that timed out never hears anyway).
 *   monitors in   MONITOR_P from the peer carries its ErlRef; core needs a Ref: a fresh
 *                 one per monitor, ErlRef <-> Ref both ways, with what was monitored (a
 *                 pid, or a registered name: its DOWN names the atom), dropped at DOWN /
 *                 DEMONITOR_P / nodedown.
 *   monitors out  monitors of ours on the peer: ref -> watcher (and the name of a
 *                 `{ name, node }` monitor), for the DEMONITOR_P (which names both).
 */
import type { Atom, ErlRef } from '../../codec/etf/index.ts';
import { Ref, type Pid } from '../../core/pid.ts';

/** Refs this layer makes for Erlang's calls and monitors: their own `sched` lane. */
export const kErlangRefLane = 0x7ffd;
const kMaxOpenCalls = 100_000;

export function refKey(r: Ref): string {
  return `${r.node}.${r.sched}.${r.n}`;
}

export function erlRefKey(r: ErlRef): string {
  return `${r.node.name}/${r.creation}/${r.ids.join('.')}`;
}

export interface MonitorIn {
  readonly erlRef: ErlRef;
  readonly ref: Ref;
  /** The monitored process of ours. */
  readonly target: Pid;
  /** Set when it was monitored by name: the DOWN names the atom. */
  readonly name: Atom | null;
}

let serial = 0;

export class ErlangPeerState {
  readonly name: string;
  /** The peer's node-table index (its incarnation). */
  readonly index: number;
  /** Negotiated flags (a number: see erlang-channel-kit.ts). */
  readonly flags: bigint;
  private readonly calls = new Map<string, unknown>();
  private readonly monitorsByErl = new Map<string, MonitorIn>();
  private readonly monitorsByRef = new Map<string, MonitorIn>();
  private readonly monitorsOut = new Map<string, { readonly watcher: Pid; readonly name: string | null }>();
  private unlinkId = 0n;

  constructor(name: string, index: number, flags: number) {
    this.name = name;
    this.index = index;
    this.flags = BigInt(flags);
  }

  freshRef(): Ref {
    serial = (serial + 1) >>> 0;
    return new Ref(this.index, kErlangRefLane, serial);
  }

  /** A call came in with `tag`: the core ref that stands for it. */
  openCall(tag: unknown): Ref {
    const r = this.freshRef();
    if (this.calls.size >= kMaxOpenCalls) this.calls.delete(this.calls.keys().next().value!);
    this.calls.set(refKey(r), tag);
    return r;
  }

  /** The reply to call `ref` leaves: its Erlang tag (forgotten), or undefined if not one of the peer's calls. */
  closeCall(ref: Ref): unknown {
    const k = refKey(ref);
    const tag = this.calls.get(k);
    if (tag !== undefined) this.calls.delete(k);
    return tag;
  }

  addMonitorIn(erlRef: ErlRef, target: Pid, name: Atom | null): MonitorIn {
    const m: MonitorIn = { erlRef, ref: this.freshRef(), target, name };
    this.monitorsByErl.set(erlRefKey(erlRef), m);
    this.monitorsByRef.set(refKey(m.ref), m);
    return m;
  }

  /** DEMONITOR_P from the peer: the monitor (forgotten). */
  takeMonitorInByErl(erlRef: ErlRef): MonitorIn | undefined {
    const m = this.monitorsByErl.get(erlRefKey(erlRef));
    if (m !== undefined) this.forget(m);
    return m;
  }

  /** A DOWN leaves for the peer's watcher: the monitor (forgotten). */
  takeMonitorInByRef(ref: Ref): MonitorIn | undefined {
    const m = this.monitorsByRef.get(refKey(ref));
    if (m !== undefined) this.forget(m);
    return m;
  }

  private forget(m: MonitorIn): void {
    this.monitorsByErl.delete(erlRefKey(m.erlRef));
    this.monitorsByRef.delete(refKey(m.ref));
  }

  /** A monitor of ours on the peer (MONITOR_P out): who watches, and the name when by name. */
  rememberMonitorOut(ref: Ref, watcher: Pid, name: string | null): void {
    this.monitorsOut.set(refKey(ref), { watcher, name });
  }

  /** Its DEMONITOR_P, or its DOWN came: forgotten. */
  takeMonitorOut(ref: Ref): { readonly watcher: Pid; readonly name: string | null } | undefined {
    const k = refKey(ref);
    const m = this.monitorsOut.get(k);
    if (m !== undefined) this.monitorsOut.delete(k);
    return m;
  }

  nextUnlinkId(): bigint {
    this.unlinkId = (this.unlinkId + 1n) & 0xffff_ffff_ffff_ffffn;
    if (this.unlinkId === 0n) this.unlinkId = 1n;
    return this.unlinkId;
  }

  get openCalls(): number {
    return this.calls.size;
  }

  get monitorsIn(): number {
    return this.monitorsByErl.size;
  }
}
