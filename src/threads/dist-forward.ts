/**
 * DistForward: a scheduler thread's side of distribution (dist-records.ts) on a named
 * ThreadedNode. The node's Distribution lives on the embedding thread; here are
 *   - the scheduler's transport to other nodes' pids (SchedulerHost.node): every op
 *     becomes one DISTOUT record to the gateway, which calls the same member of the
 *     Distribution's NodeTransport; a send or named send is encoded here as the dist op
 *     itself (kDoSendEncoded, kDoSendNamedEncoded: the gateway writes its bytes as they
 *     are, no decode and encode of the message on the embedding thread);
 *   - the actors' DistHooks (SchedulerHost.dist): `nodeName` (fixed), `nodes()` (the
 *     lists the gateway pushes at every nodeup and nodedown, read here), `monitorNode` and
 *     `spawnRequest` (DISTOUT; the answers come back as messages through DISTIN);
 *   - DISTIN records: what other nodes do to this scheduler's actors, handed to its
 *     scheduler.inbound.
 *
 * `monitorName` returns the placeholder pid at once, made as NodeTransport.monitorName
 * makes it (<index of (node, kAnyCreation) in this thread's table, 0, -1>): the node's
 * nodedown fires it (PEERGONE for that identity), the name's owner answers the DOWN.
 *
 * A send (or named send) whose message holds a large binary (src/codec/op-parts.ts) is
 * encoded here as the dist op itself, its binary copied once into the op's buffer, which
 * goes to the gateway on the side channel (dist-large-port.ts) while the ring carries
 * kDoSendLarge [to, seq]; the gateway hands the bytes to the I/O link unchanged. DISTIN
 * kDoSendLarge brings a peer's op payload the same way, decoded here: its binaries are views
 * of the transferred bytes.
 *
 * Microstates (core/microstate.ts): planning and encoding a send's or named send's dist
 * op here (inline or large), and decoding a DISTIN kDoSendLarge payload, is `codec` time
 * of this thread (the scheduler's word saved, codec stored, the saved state put back:
 * two stores per op); copying the record into the ring is codec inside the endpoint's
 * emit too.
 *
 * Every op written sets `sentOut`; the worker loop takes it when the scheduler goes idle
 * (worker-loop.ts step 4a) and parks without spinning: the answer to an op comes back
 * through the gateway and the I/O thread, which need the core a spin would hold.
 *
 * Each op fills one preallocated args array (per arity), emits it and clears it: nothing
 * is allocated per op beyond its record. An exit reason that cannot be encoded crosses as
 * `{ kind: 'unsendableReason', description }` (as on the thread transport); an unsendable
 * message throws UnsendableError to the sender, nothing written.
 */
import { Behaviour } from '../core/behaviour.ts';
import { nodeTable } from '../core/node-table.ts';
import { Pid, type Ref } from '../core/pid.ts';
import { OpDecoder, OpEncoder, kOpSend } from '../codec/dist-ops.ts';
import { kMsCodec } from '../core/microstate.ts';
import { PartsPlanner } from '../codec/op-parts.ts';
import { DistLargePort, type DistLargeEnd } from './dist-large-port.ts';
import { namePlaceholder } from '../core/remote-name.ts';
import type { Transport } from '../core/router.ts';
import type { DistHooks } from '../core/scheduler-host.ts';
import { BadArgError } from '../core/errors.ts';
import { NotPortableError } from './errors.ts';
import {
  kDoDemonitor, kDoDown, kDoExit, kDoLink, kDoMonitor, kDoMonitorName, kDoMonitorNode, kDoMonitorNodes, kDoNodes, kDoPeerGone,
  kDoSend, kDoSendEncoded, kDoSendLarge, kDoSendNamedEncoded, kDoSendNamedLarge, kDoSpawnRequest, kDoUnlink, type CrossingIdentity,
} from './dist-records.ts';
import { kRecDistOut } from './records.ts';
import type { SchedulerEndpoint } from './scheduler-endpoint.ts';

export class DistForward implements Transport {
  private readonly w: SchedulerEndpoint;
  readonly hooks: DistHooks;
  private visible: string[] = [];
  private hidden: string[] = [];
  private readonly a2: unknown[] = [null, null];
  private readonly a3: unknown[] = [null, null, null];
  private readonly a4: unknown[] = [null, null, null, null];
  private readonly a6: unknown[] = [null, null, null, null, null, null];
  /** DISTIN records whose target was not here (gone), counted. */
  droppedIn = 0;
  /** The side channel for large op payloads (null: every op goes through the ring). */
  private readonly large: DistLargePort | null;
  private readonly parts = new PartsPlanner();
  private ops: OpEncoder | null = null;
  /** Sends without large binaries (hasParts said so): a view of its scratch, copied into the ring by emit. */
  private readonly inline = new OpEncoder(true, false);
  private decoder: OpDecoder | null = null;
  /** An op was written since the worker loop last asked (takeSentOut). */
  private sentOut = false;

  constructor(host: SchedulerEndpoint, nodeName: string, large: DistLargeEnd | null = null) {
    this.w = host;
    this.large = large === null ? null : new DistLargePort(large.port, large.taken, 'worker');
    const f = this;
    this.hooks = {
      nodeName,
      nodes: (which) => f.nodes(which),
      monitorNode: (watcher, node, on) => f.monitorNode(watcher, node, on),
      monitorNodes: (watcher, on) => f.monitorNodes(watcher, on),
      spawnRequest: (from, node, target, args, link) => f.spawnRequest(from, node, target, args, link),
    };
  }

  // --- Transport (DISTOUT) ---

  send(to: Pid, msg: unknown): void {
    const a = this.a2;
    const ms = this.w.ms;
    const was = ms[0]!;
    ms[0] = kMsCodec;
    let large: boolean;
    let bytes: Uint8Array;
    try {
      large = this.hasParts(msg);
      bytes = large ? (this.ops ??= new OpEncoder()).send(to, msg) : this.inline.send(to, msg);
    } finally {
      ms[0] = was;
    }
    if (large) {
      a[0] = to; a[1] = this.large!.post(bytes);
      this.out(kDoSendLarge, a);
      return;
    }
    a[0] = to; a[1] = bytes;
    this.out(kDoSendEncoded, a);
  }

  /** A message with a large binary, and a side channel to carry it. */
  private hasParts(msg: unknown): boolean {
    if (this.large === null || !this.parts.plan(msg)) return false;
    this.parts.clear();
    return true;
  }

  exit(to: Pid, from: Pid, reason: unknown, viaLink: boolean): void {
    const a = this.a4;
    a[0] = to; a[1] = from; a[2] = reason; a[3] = viaLink;
    this.outSignal(kDoExit, a, 2);
  }

  link(to: Pid, from: Pid): void {
    const a = this.a2;
    a[0] = to; a[1] = from;
    this.out(kDoLink, a);
  }

  unlink(to: Pid, from: Pid): void {
    const a = this.a2;
    a[0] = to; a[1] = from;
    this.out(kDoUnlink, a);
  }

  monitor(to: Pid, watcher: Pid, ref: Ref): void {
    const a = this.a3;
    a[0] = to; a[1] = watcher; a[2] = ref;
    this.out(kDoMonitor, a);
  }

  demonitor(to: Pid, ref: Ref): void {
    const a = this.a2;
    a[0] = to; a[1] = ref;
    this.out(kDoDemonitor, a);
  }

  down(to: Pid, ref: Ref, pid: Pid, reason: unknown): void {
    const a = this.a4;
    a[0] = to; a[1] = ref; a[2] = pid; a[3] = reason;
    this.outSignal(kDoDown, a, 3);
  }

  sendNamed(node: string, name: string, from: Pid, msg: unknown): void {
    const ms = this.w.ms;
    const was = ms[0]!;
    ms[0] = kMsCodec;
    let large: boolean;
    let bytes: Uint8Array;
    try {
      large = this.hasParts(msg);
      bytes = large ? (this.ops ??= new OpEncoder()).regSend(from, name, msg) : this.inline.regSend(from, name, msg);
    } finally {
      ms[0] = was;
    }
    const a = this.a3;
    a[0] = node; a[1] = name;
    if (large) {
      a[2] = this.large!.post(bytes);
      this.out(kDoSendNamedLarge, a);
      return;
    }
    a[2] = bytes;
    this.out(kDoSendNamedEncoded, a);
  }

  monitorName(node: string, name: string, watcher: Pid, ref: Ref): Pid {
    const a = this.a4;
    a[0] = node; a[1] = name; a[2] = watcher; a[3] = ref;
    this.out(kDoMonitorName, a);
    return namePlaceholder(node);
  }

  // --- DistHooks ---

  nodes(which: 'visible' | 'hidden' | 'connected' = 'visible'): string[] {
    if (which === 'visible') return this.visible.slice();
    if (which === 'hidden') return this.hidden.slice();
    if (which === 'connected') return [...this.visible, ...this.hidden];
    throw new BadArgError(`nodes: expected 'visible', 'hidden' or 'connected', got ${String(which)}`);
  }

  private monitorNode(watcher: Pid, node: string, on: boolean): void {
    const a = this.a3;
    a[0] = watcher; a[1] = node; a[2] = on;
    this.out(kDoMonitorNode, a);
  }

  private monitorNodes(watcher: Pid, on: boolean): void {
    const a = this.a2;
    a[0] = watcher; a[1] = on;
    this.out(kDoMonitorNodes, a);
  }

  private spawnRequest(from: Pid, node: string, target: unknown, args: readonly unknown[], link: boolean): Ref {
    const portable = portableTarget(target);
    const ref = this.w.sched.makeRef();
    const a = this.a6;
    a[0] = from; a[1] = node; a[2] = portable; a[3] = args; a[4] = link; a[5] = ref;
    this.out(kDoSpawnRequest, a);
    return ref;
  }

  // --- DISTIN ---

  /** A DISTIN record's op and args (decoded): hand it to the scheduler's inbound side. */
  onIn(op: number, a: unknown[], bytes: number): void {
    const inb = this.w.sched.inbound;
    switch (op) {
      case kDoSend:
        if (!inb.deliverTo(a[0] as Pid, a[1], bytes)) this.droppedIn++;
        return;
      case kDoExit:
        inb.exitIn(a[0] as Pid, a[1] as Pid, a[2], a[3] as boolean);
        return;
      case kDoLink:
        inb.linkIn(a[0] as Pid, a[1] as Pid);
        return;
      case kDoUnlink:
        inb.unlinkIn(a[0] as Pid, a[1] as Pid);
        return;
      case kDoMonitor:
        inb.monitorIn(a[0] as Pid, a[1] as Pid, a[2] as Ref);
        return;
      case kDoDemonitor:
        inb.demonitorIn(a[0] as Pid, a[1] as Ref);
        return;
      case kDoDown:
        inb.downIn(a[0] as Pid, a[1] as Ref, a[2] as Pid, a[3]);
        return;
      case kDoPeerGone: {
        const id = a[0] as CrossingIdentity;
        inb.peerGone(nodeTable.intern(id.name, id.creation), a[1]);
        return;
      }
      case kDoNodes:
        this.visible = a[0] as string[];
        this.hidden = a[1] as string[];
        return;
      case kDoSendLarge: {
        if (this.large === null) throw new RangeError('ring protocol: DISTIN kDoSendLarge without a side channel');
        const payload = this.large.take(a[1] as number);
        const ms = this.w.ms;
        const was = ms[0]!;
        ms[0] = kMsCodec;
        let op: unknown[];
        try {
          op = (this.decoder ??= new OpDecoder()).decode(payload);
        } finally {
          ms[0] = was;
        }
        // A send's message is op[2]; a named send's op[3] (the gateway resolved the name to `to`).
        if (!inb.deliverTo(a[0] as Pid, op[0] === kOpSend ? op[2] : op[3], payload.length)) this.droppedIn++;
        return;
      }
      default:
        throw new RangeError(`ring protocol: unknown DISTIN op ${op}`);
    }
  }

  /** Was an op written since the last call? Clears it (worker-loop.ts step 4a). */
  takeSentOut(): boolean {
    const was = this.sentOut;
    this.sentOut = false;
    return was;
  }

  // --- writing ---

  private out(op: number, a: unknown[]): void {
    const w = this.w;
    this.sentOut = true;
    try {
      w.emit(w.gateway, w.hdrDist(kRecDistOut, op), a, true);
    } finally {
      a.fill(null);
    }
  }

  /** An op with an exit reason at `a[at]`: an unencodable reason still crosses (see the header). */
  private outSignal(op: number, a: unknown[], at: number): void {
    const w = this.w;
    this.sentOut = true;
    try {
      try {
        w.emit(w.gateway, w.hdrDist(kRecDistOut, op), a, true);
      } catch (e) {
        a[at] = Object.freeze({ kind: 'unsendableReason', description: e instanceof Error ? e.message : String(e) });
        w.emit(w.gateway, w.hdrDist(kRecDistOut, op), a, true);
      }
    } finally {
      a.fill(null);
    }
  }
}

/** What a spawn request may name: a module-defined Behaviour or `{ module, export }` (as Distribution.spawnRequest checks). */
function portableTarget(target: unknown): { module: string; export: string } {
  if (target instanceof Behaviour) {
    if (target.module === null || target.exportName === null) {
      throw new NotPortableError('spawnRequest: the behaviour must be defined with defineActor(import.meta.url, impl, \'ExportName\')');
    }
    return { module: target.module, export: target.exportName };
  }
  const t = target as { module?: unknown; export?: unknown } | null;
  if (typeof t !== 'object' || t === null || typeof t.module !== 'string' || typeof t.export !== 'string') {
    throw new NotPortableError('spawnRequest: expected a module-defined Behaviour or { module, export }');
  }
  return { module: t.module, export: t.export };
}
