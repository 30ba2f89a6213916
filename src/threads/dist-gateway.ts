/**
 * DistGateway: the gateway's side of distribution on a named ThreadedNode (dist-records.ts).
 * The node's one Distribution (src/dist/distribution.ts) runs on the embedding thread; this
 * is what connects it to the scheduler threads:
 *
 *   1. DISTOUT from scheduler k (an op of one of its actors on another node): decoded, then
 *      the same member of the Distribution's NodeTransport is called (exit, link, ...;
 *      monitorNode and spawnRequest go to its hooks). The transport encodes the op for the
 *      I/O thread as for an actor of this thread. Sends and named sends come encoded as
 *      the dist op already (kDoSendEncoded, kDoSendNamedEncoded): their bytes go to the
 *      transport's sendEncoded / sendNamedEncoded as they are.
 *   2. The Inbound the Distribution is attached with (what other nodes do to this node's
 *      actors) routes by the pid's owner:
 *        owner = the gateway            -> the gateway scheduler's own inbound
 *        owner = scheduler k            -> a DISTIN record to k (k down: a link answers
 *                                          EXIT 'noproc', a monitor DOWN 'noproc', as the
 *                                          pid's owner would; a message is dropped)
 *      peerGone(node index): the gateway's scheduler, and a DISTIN PEERGONE to every
 *      scheduler carrying that index's node identity (each translates it into its own
 *      node table's index).
 *   3. At every nodeup and nodedown the node lists go to every scheduler (DISTIN NODES)
 *      before the event is emitted, so an actor asked after 'nodeup' sees the node.
 *   4. Large payloads (a send whose message holds a big binary, src/codec/op-parts.ts) skip
 *      the decode and encode here: DISTOUT kDoSendLarge / kDoSendNamedLarge name the op
 *      bytes the scheduler made, taken from its side channel (dist-large-port.ts) and
 *      written to the I/O link as they are (transport.sendEncoded); inbound, the
 *      Distribution offers such an op's payload whole (deliverPayload), and it goes to the
 *      owner's side channel with a DISTIN kDoSendLarge [seq]: transferred, never copied.
 */
import { nodeTable } from '../core/node-table.ts';
import type { NodeDistribution } from '../core/node.ts';
import type { Pid, Ref } from '../core/pid.ts';
import type { Inbound } from '../core/router.ts';
import { errorInfo } from './dirty-pool.ts';
import {
  kDoDemonitor, kDoDown, kDoExit, kDoLink, kDoMonitor, kDoMonitorName, kDoMonitorNode, kDoMonitorNodes, kDoNodes, kDoPeerGone,
  kDoSend, kDoSendEncoded, kDoSendLarge, kDoSendNamedEncoded, kDoSendNamedLarge, kDoSpawnRequest, kDoUnlink,
} from './dist-records.ts';

/** What the node transport (src/dist/node-transport.ts) offers for ops encoded on a scheduler thread. */
interface EncodedSends {
  sendEncoded(to: Pid, payload: Uint8Array): void;
  sendNamedEncoded(node: string, name: string, payload: Uint8Array): void;
}
import type { DistLargePort } from './dist-large-port.ts';
import type { Gateway } from './gateway.ts';
import { kRecDistIn } from './records.ts';

export class DistGateway implements Inbound {
  private readonly gw: Gateway;
  private readonly dist: NodeDistribution;
  private readonly a2: unknown[] = [null, null];
  private readonly a3: unknown[] = [null, null, null];
  private readonly a4: unknown[] = [null, null, null, null];
  /** DISTOUT records whose op failed here (counted; the op is lost, as a send to a dead pid). */
  failedOut = 0;
  /** Ops for a scheduler that is down (dropped, or answered 'noproc'). */
  droppedIn = 0;
  /** Side channel to scheduler k (index k), or none. */
  private readonly large: readonly DistLargePort[];

  constructor(gw: Gateway, dist: NodeDistribution, large: readonly DistLargePort[] = []) {
    this.gw = gw;
    this.dist = dist;
    this.large = large;
  }

  /** The node stops: close the side channels. */
  close(): void {
    for (const p of this.large) p.close();
  }

  // --- step 1: DISTOUT ---

  /** A DISTOUT record from scheduler `src`: op `op`, args `a` (decoded). */
  onOut(src: number, op: number, a: unknown[]): void {
    const t = this.dist.transport;
    try {
      switch (op) {
        case kDoSendEncoded:
          (t as unknown as EncodedSends).sendEncoded(a[0] as Pid, a[1] as Uint8Array);
          return;
        case kDoExit:
          t.exit(a[0] as Pid, a[1] as Pid, a[2], a[3] as boolean);
          return;
        case kDoLink:
          t.link(a[0] as Pid, a[1] as Pid);
          return;
        case kDoUnlink:
          t.unlink(a[0] as Pid, a[1] as Pid);
          return;
        case kDoMonitor:
          t.monitor(a[0] as Pid, a[1] as Pid, a[2] as Ref);
          return;
        case kDoDemonitor:
          t.demonitor(a[0] as Pid, a[1] as Ref);
          return;
        case kDoDown:
          t.down(a[0] as Pid, a[1] as Ref, a[2] as Pid, a[3]);
          return;
        case kDoSendNamedEncoded:
          (t as unknown as EncodedSends).sendNamedEncoded(a[0] as string, a[1] as string, a[2] as Uint8Array);
          return;
        case kDoMonitorName:
          // The scheduler made the placeholder pid itself; this one (of this thread's table) is not needed.
          t.monitorName?.(a[0] as string, a[1] as string, a[2] as Pid, a[3] as Ref);
          return;
        case kDoMonitorNode:
          this.dist.hooks.monitorNode(a[0] as Pid, a[1] as string, a[2] as boolean);
          return;
        case kDoMonitorNodes:
          this.dist.hooks.monitorNodes(a[0] as Pid, a[1] as boolean);
          return;
        case kDoSpawnRequest:
          this.spawnRequest(a);
          return;
        case kDoSendLarge: {
          const payload = this.large[src]!.take(a[1] as number);
          (t as unknown as EncodedSends).sendEncoded(a[0] as Pid, payload);
          return;
        }
        case kDoSendNamedLarge: {
          const payload = this.large[src]!.take(a[2] as number);
          (t as unknown as EncodedSends).sendNamedEncoded(a[0] as string, a[1] as string, payload);
          return;
        }
        default:
          this.failedOut++;
      }
    } catch {
      void src;
      this.failedOut++;
    }
  }

  /** [from, node, { module, export }, args, link, ref]: the answer comes to `from` as a message. */
  private spawnRequest(a: unknown[]): void {
    const from = a[0] as Pid;
    const ref = a[5] as Ref;
    try {
      this.dist.hooks.spawnRequest(from, a[1] as string, a[2], a[3] as unknown[], a[4] as boolean, ref);
    } catch (e) {
      this.deliverTo(from, Object.freeze({ type: 'spawn_reply', ref, ok: false, error: errorInfo(e) }), 64);
    }
  }

  // --- step 2: the routing Inbound ---

  deliverTo(to: Pid, msg: unknown, bytes: number): boolean {
    const k = this.owner(to);
    if (k < 0) return this.gw.sched.inbound.deliverTo(to, msg, bytes);
    const a = this.a2;
    a[0] = to; a[1] = msg;
    return this.into(k, kDoSend, a);
  }

  /**
   * Step 4, inbound: a send op's whole payload (with large binaries) for `to`; false when
   * `to` is the gateway's own (the Distribution then delivers the decoded op as usual).
   */
  deliverPayload(to: Pid, payload: Uint8Array): boolean {
    const k = this.owner(to);
    const port = k < 0 ? undefined : this.large[k];
    if (port === undefined) return false;
    if (this.gw.closed || !this.gw.isAlive(k)) {
      this.droppedIn++;
      return true;
    }
    const a = this.a2;
    a[0] = to;
    a[1] = port.post(payload);
    this.into(k, kDoSendLarge, a);
    return true;
  }

  /** Inbound.backlogged: a scheduler's ring is full and its overflow at the bound, or its side channel holds as much. */
  backlogged(): boolean {
    if (this.gw.behind) return true;
    // Step 4's side channels count as the rings do: over the bound, what comes in waits.
    for (let k = 0; k < this.large.length; k++) if (this.large[k]!.backlogBytes >= this.gw.overflowLimit) return true;
    return false;
  }

  exitIn(to: Pid, from: Pid, reason: unknown, viaLink: boolean): void {
    const k = this.owner(to);
    if (k < 0) return this.gw.sched.inbound.exitIn(to, from, reason, viaLink);
    const a = this.a4;
    a[0] = to; a[1] = from; a[2] = reason; a[3] = viaLink;
    this.into(k, kDoExit, a);
  }

  linkIn(to: Pid, from: Pid): void {
    const k = this.owner(to);
    if (k < 0) return this.gw.sched.inbound.linkIn(to, from);
    const a = this.a2;
    a[0] = to; a[1] = from;
    if (!this.into(k, kDoLink, a)) this.dist.transport.exit(from, to, 'noproc', true);
  }

  unlinkIn(to: Pid, from: Pid): void {
    const k = this.owner(to);
    if (k < 0) return this.gw.sched.inbound.unlinkIn(to, from);
    const a = this.a2;
    a[0] = to; a[1] = from;
    this.into(k, kDoUnlink, a);
  }

  monitorIn(to: Pid, watcher: Pid, ref: Ref): void {
    const k = this.owner(to);
    if (k < 0) return this.gw.sched.inbound.monitorIn(to, watcher, ref);
    const a = this.a3;
    a[0] = to; a[1] = watcher; a[2] = ref;
    if (!this.into(k, kDoMonitor, a)) this.dist.transport.down(watcher, ref, to, 'noproc');
  }

  demonitorIn(to: Pid, ref: Ref): void {
    const k = this.owner(to);
    if (k < 0) return this.gw.sched.inbound.demonitorIn(to, ref);
    const a = this.a2;
    a[0] = to; a[1] = ref;
    this.into(k, kDoDemonitor, a);
  }

  downIn(watcher: Pid, ref: Ref, pid: Pid, reason: unknown): void {
    const k = this.owner(watcher);
    if (k < 0) return this.gw.sched.inbound.downIn(watcher, ref, pid, reason);
    const a = this.a4;
    a[0] = watcher; a[1] = ref; a[2] = pid; a[3] = reason;
    this.into(k, kDoDown, a);
  }

  peerGone(peer: number | ((pid: Pid) => boolean), reason: unknown): void {
    this.gw.sched.inbound.peerGone(peer, reason);
    if (typeof peer !== 'number') return;
    const identity = nodeTable.identity(peer);
    if (identity === undefined || peer === 0) return;
    const a = this.a2;
    for (let k = 0; k < this.gw.layout.schedulers; k++) {
      a[0] = identity; a[1] = reason;
      this.into(k, kDoPeerGone, a);
    }
  }

  // --- step 3 ---

  /** The node lists to every scheduler (before 'nodeup' / 'nodedown' is emitted). */
  pushNodes(): void {
    const visible = this.dist.nodes('visible');
    const hidden = this.dist.nodes('hidden');
    const a = this.a2;
    for (let k = 0; k < this.gw.layout.schedulers; k++) {
      a[0] = visible; a[1] = hidden;
      this.into(k, kDoNodes, a);
    }
  }

  // ---

  /** The scheduler that owns `pid`, or -1 for the gateway's own (and for a pid of another node: its inbound drops it). */
  private owner(pid: Pid): number {
    if (pid.node !== 0) return -1;
    const k = pid.id % this.gw.endpoints;
    return k === this.gw.gateway ? -1 : k;
  }

  /** A DISTIN record to scheduler `k`; false when it is down (nothing written). */
  private into(k: number, op: number, a: unknown[]): boolean {
    const gw = this.gw;
    try {
      if (gw.closed || !gw.emit(k, gw.hdrDist(kRecDistIn, op), a, true)) {
        this.droppedIn++;
        return false;
      }
      return true;
    } catch {
      // A value another node sent that this thread cannot encode again: lost, counted.
      this.droppedIn++;
      return false;
    } finally {
      a.fill(null);
    }
  }
}
