/**
 * ObserverSource: what the observer page (observe-server.ts) and `switchboard top` read a
 * node through, so one page serves a node of this process (LocalObserverSource, here) or
 * a remote named node reached over distribution (src/profile/remote/remote-source.ts,
 * which asks that node's profile agent the same questions).
 *
 * Queries:
 *   1. frame(seq)        one ObserverFrame (observer-frame.ts): an ActorView sample
 *                        (src/profile/actor-view.ts) plus node.stats(); calls never overlap
 *                        (the server waits for one before the next tick).
 *   2. snapshot(limit)   the ActorView snapshot itself (top's renderer wants Pid rows).
 *   3. processInfo(text) processInfo of the pid written `<a.b.c>` as JSON-ready data (pids
 *                        as the observed node's own text, as in frames); undefined when it
 *                        is not alive; BadArgError for text that is not a pid.
 *   4. supervision()     supervision-tree.ts's report.
 * Erlang mapping: observer_backend's per-tab queries (sys_info, etop collector,
 * process_info, application trees) that observer runs locally or by rpc on the target.
 */
import type { Node } from '../../core/node.ts';
import { parsePid } from '../../core/pid.ts';
import type { ProcessInfo } from '../../core/types.ts';
import { BadArgError } from '../../core/errors.ts';
import { ActorView, type ActorViewSnapshot } from '../actor-view.ts';
import { buildFrame, type ObserverFrame } from './observer-frame.ts';
import { supervisionReport, type SupervisionReport, type SupervisionWalkOptions } from './supervision-tree.ts';

export interface ObserverSource {
  /** The observed node's name. */
  readonly nodeName: string;
  frame(seq: number, actorRows: number): Promise<ObserverFrame>;
  /** `limit`: a remote source asks for the top `limit` rows by each sort only (a local one has them all). */
  snapshot(limit?: number): Promise<ActorViewSnapshot>;
  processInfo(pidText: string): Promise<ProcessInfo | Readonly<Record<string, unknown>> | undefined>;
  supervision(): Promise<SupervisionReport>;
  /** Ends what the source holds (a remote connection); a local source has nothing to end. */
  close(): Promise<void>;
}

/** `<a.b.c>` -> Pid, else BadArgError. */
export function pidFromText(api: string, text: string) {
  const pid = typeof text === 'string' ? parsePid(text) : undefined;
  if (pid === undefined) throw new BadArgError(`${api}: ${JSON.stringify(text)} is not a pid (<node.id.serial>)`);
  return pid;
}

/** Queries 1-4 on a node of this process. */
export class LocalObserverSource implements ObserverSource {
  private readonly view: ActorView;
  constructor(private readonly node: Node, private readonly walk: SupervisionWalkOptions = {}, hotRows = 20) {
    this.view = new ActorView(node, { hotRows });
  }

  get nodeName(): string {
    return this.node.name;
  }

  async frame(seq: number, actorRows: number): Promise<ObserverFrame> {
    const snap = await this.view.sample();
    return buildFrame(this.node, seq, snap, this.node.stats(), actorRows);
  }

  snapshot(): Promise<ActorViewSnapshot> {
    return this.view.sample();
  }

  processInfo(pidText: string): Promise<ProcessInfo | undefined> {
    return this.node.processInfo(pidFromText('processInfo', pidText));
  }

  supervision(): Promise<SupervisionReport> {
    return supervisionReport(this.node, this.walk);
  }

  async close(): Promise<void> {}
}
