/**
 * OpDispatch: what a node thread does with an op another node sent (dist-ops.ts), once
 * decoded: hand it to the scheduler's inbound side (core/signals.ts), as a thread
 * transport does, or serve it here (a registered-name send, a spawn request).
 *
 *   kOpSend          inbound.deliverTo(to, msg)             (dropped if `to` is gone)
 *   kOpRegSend       the name's pid, then deliverTo          (dropped if not registered, as Erlang)
 *   kOpExit          inbound.exitIn(to, from, reason, viaLink)
 *   kOpLink/Unlink   inbound.linkIn / unlinkIn(to, from)    (link to a gone pid: EXIT 'noproc' back)
 *   kOpMonitor       inbound.monitorIn(to, watcher, ref)     (gone: DOWN 'noproc' back)
 *   kOpDemonitor     inbound.demonitorIn(to, ref); for a `{ name, node }` monitor (its
 *                    placeholder pid) the pid the name had when monitored
 *   kOpDown          inbound.downIn(to, ref, pid, reason)
 *   kOpSpawnRequest  resolve the module by this node's code root, spawn, link if asked,
 *                    answer kOpSpawnReply on the requester's stream
 *   kOpSpawnReply    to the spawn's waiter (Distribution.spawnReplied)
 *   kOpMonitorName   the name's pid now, monitorIn; unregistered: DOWN 'noproc' back
 *
 * (A spawn request's and a registered-name send's first field is the sender, of the other node.) A destination pid that is not of this node (node index != 0) is never routed on: an op
 * can only name this node's processes, so such an op is dropped (counted).
 */
import { Pid, kNoPid, type Ref } from '../core/pid.ts';
import type { Registry } from '../core/registry.ts';
import type { Inbound } from '../core/router.ts';
import { errorInfo } from '../threads/dirty-pool.ts';
import {
  kOpDemonitor, kOpDown, kOpExit, kOpLink, kOpMonitor, kOpMonitorName, kOpRegSend, kOpSend, kOpSpawnReply, kOpSpawnRequest, kOpUnlink,
} from '../codec/dist-ops.ts';
import { resolveModule } from './module-paths.ts';
import { isNamePlaceholder } from '../core/remote-name.ts';
import type { NodeTransport } from './node-transport.ts';

/** A ref as a map key: its node index (the watcher's node here), scheduler and number. */
function refKey(ref: Ref): string {
  return `${ref.node}.${ref.sched}.${ref.n}`;
}


/** Spawn on this node: at once (a LocalNode) or through a request (a ThreadedNode's schedulers). */
export type SpawnHere = (target: unknown, args: readonly unknown[]) => Pid | Promise<Pid>;

/** A spawn reply for this node's requester `to`. */
export type SpawnReplied = (to: Pid, ref: Ref, pid: Pid | null, error: unknown, link: boolean) => void;

export class OpDispatch {
  private readonly inbound: Inbound;
  private readonly registry: Pick<Registry, 'whereis'>;
  private readonly spawnHere: SpawnHere;
  private readonly transport: NodeTransport;
  private readonly rootUrl: string;
  private readonly spawnReplied: SpawnReplied;
  notLocal = 0;
  /**
   * Monitors other nodes set by name here, by ref: the pid each is on, for their
   * demonitor (which names only the placeholder). Forgotten at their DOWN (NodeTransport
   * tells) and at their node's nodedown.
   */
  private readonly nameMonitors = new Map<string, Pid>();

  constructor(inbound: Inbound, registry: Pick<Registry, 'whereis'>, spawnHere: SpawnHere, transport: NodeTransport, rootUrl: string, spawnReplied: SpawnReplied) {
    this.inbound = inbound;
    this.registry = registry;
    this.spawnHere = spawnHere;
    this.transport = transport;
    this.rootUrl = rootUrl;
    this.spawnReplied = spawnReplied;
    transport.downOut = (ref) => {
      if (this.nameMonitors.size !== 0) this.nameMonitors.delete(refKey(ref));
    };
  }

  /** Node `index` is down: the monitors its actors held here by name are gone (peerGone dropped them). */
  forgetNode(index: number): void {
    const prefix = `${index}.`;
    for (const k of this.nameMonitors.keys()) if (k.startsWith(prefix)) this.nameMonitors.delete(k);
  }

  /** How many `{ name, node }` monitors of other nodes are set here. */
  get nameMonitorCount(): number {
    return this.nameMonitors.size;
  }

  /** Serve one decoded op; `bytes` is its size (a mailbox's accounting). */
  dispatch(op: unknown[], bytes: number): void {
    const to = op[1] as Pid;
    if (op[0] === kOpSpawnRequest) {
      this.spawnRequest(op);
      return;
    }
    if (op[0] === kOpMonitorName) {
      this.monitorName(to, op[2] as Ref, op[3] as string);
      return;
    }
    if (op[0] === kOpDemonitor && isNamePlaceholder(to)) {
      // The demonitor of a `{ name, node }` monitor: its ref says which pid it was set on.
      const key = refKey(op[2] as Ref);
      const pid = this.nameMonitors.get(key);
      if (pid !== undefined) {
        this.nameMonitors.delete(key);
        this.inbound.demonitorIn(pid, op[2] as Ref);
      }
      return;
    }
    if (op[0] === kOpRegSend) {
      const pid = this.registry.whereis(op[2] as string);
      if (pid !== undefined) this.inbound.deliverTo(pid, op[3], bytes);
      return;
    }
    if (to.node !== 0) {
      this.notLocal++;
      return;
    }
    const inb = this.inbound;
    switch (op[0] as number) {
      case kOpSend:
        inb.deliverTo(to, op[2], bytes);
        return;
      case kOpExit:
        inb.exitIn(to, op[2] as Pid, op[3], op[4] as boolean);
        return;
      case kOpLink:
        inb.linkIn(to, op[2] as Pid);
        return;
      case kOpUnlink:
        inb.unlinkIn(to, op[2] as Pid);
        return;
      case kOpMonitor:
        inb.monitorIn(to, op[2] as Pid, op[3] as Ref);
        return;
      case kOpDemonitor:
        inb.demonitorIn(to, op[2] as Ref);
        return;
      case kOpDown:
        inb.downIn(to, op[2] as Ref, op[3] as Pid, op[4]);
        return;
      case kOpSpawnReply:
        this.spawnReplied(to, op[2] as Ref, op[3] as Pid | null, op[4], op[5] as boolean);
        return;
    }
  }

  /** [11, watcher, ref, name]: monitor the pid the name has now, or DOWN 'noproc' back. */
  private monitorName(watcher: Pid, ref: Ref, name: string): void {
    const pid = this.registry.whereis(name);
    if (pid !== undefined) {
      this.nameMonitors.set(refKey(ref), pid);
      this.inbound.monitorIn(pid, watcher, ref);
      return;
    }
    const t = this.transport;
    t.out(watcher.node, watcher.id, t.ops.down(watcher, ref, kNoPid, 'noproc'));
  }

  /** [9, from, ref, module, export, args, link]: spawn here, answer on the requester's stream. */
  private spawnRequest(op: unknown[]): void {
    const from = op[1] as Pid;
    const ref = op[2] as Ref;
    const link = op[6] as boolean;
    let spawned: Pid | Promise<Pid>;
    try {
      const module = resolveModule(op[3] as string, this.rootUrl);
      spawned = this.spawnHere({ module, export: op[4] as string }, op[5] as unknown[]);
    } catch (e) {
      this.spawnAnswer(from, ref, null, e, link);
      return;
    }
    if (spawned instanceof Pid) this.spawnAnswer(from, ref, spawned, null, link);
    else spawned.then((pid) => this.spawnAnswer(from, ref, pid, null, link), (e: unknown) => this.spawnAnswer(from, ref, null, e, link));
  }

  /** Link the new actor if asked, and answer kOpSpawnReply on the requester's stream. */
  private spawnAnswer(from: Pid, ref: Ref, pid: Pid | null, e: unknown, link: boolean): void {
    if (pid !== null && link) this.inbound.linkIn(pid, from);
    const t = this.transport;
    t.out(from.node, from.id, t.ops.spawnReply(from, ref, pid, pid === null ? errorInfo(e) : null, link));
  }
}
