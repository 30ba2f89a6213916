/**
 * AppView: what one node's distributed-application controller knows about one
 * distributed application, and the three decisions it takes from that view alone (Erlang's
 * #appl record in dist_ac, with `id` split into `local` and `runningAt`).
 *
 * The view:
 *   declared      Application.start was called here (the node is a candidate) and not stopped
 *   local         this node's instance: 'none' | 'starting' (top process + start phases
 *                 under way) | 'running' | 'stopping'
 *   runningAt     where an instance runs, as far as this node knows (null: nowhere)
 *   peers         every up node that told us its state for this application: declared,
 *                 its own `local` and the start type of its instance
 *   failoverFrom  the node whose instance went down; set at its nodedown, cleared when
 *                 an instance runs again. While `failoverTimer` is set nobody is started.
 *   joining       set when this node declares: it may take over from a worse-ranked node
 *                 until the application runs on a node ranked at least as well
 *   sync          the start-time wait (controller.ts), null once done
 *
 * Decisions (every node evaluates them for itself after each change of its view; given the
 * same view, every node reaches the same answer, so only one node acts):
 *   1. best(): the candidate that should run it — the first rank (PriorityList order)
 *      holding a declared node (this one if declared and synced, peers that declared with
 *      the same list); within it the node already running it, else the smallest name.
 *   2. startNow(): this node starts it (start type 'normal', or { failover: from }) when it
 *      is declared and synced, runs nothing, no instance runs anywhere, no peer is starting
 *      one, no failover timer is pending, and best() is this node.
 *   3. takeoverNow(): a joining node takes over ({ takeover: runningAt }) when an instance
 *      runs on another node, no peer is starting one, and best() is this node (so it is
 *      ranked strictly better than runningAt: best() keeps a running node within its rank).
 *   4. yieldTo(): two instances run (a takeover under way, or a race the start-time sync
 *      did not prevent): when one is a takeover of the other, the newer one stays — every
 *      instance carries a generation, one more than the highest this node has seen, so a
 *      takeover back (a from c after c from a) is told from the stale one —; otherwise
 *      (or at equal generations) the preferred node stays. The other stops its own.
 */
import type { StartType } from '../../otp/application.ts';
import type { Ref } from '../../core/pid.ts';
import type { From } from '../../core/call-protocol.ts';
import type { PriorityList } from './priority-list.ts';

export type LocalPhase = 'none' | 'starting' | 'running' | 'stopping';

export interface PeerView {
  declared: boolean;
  local: LocalPhase;
  startType: StartType | null;
  /** The generation of its instance (running or last run). */
  gen: number;
  /** It declared the application with another node list: never a candidate. */
  mismatch: boolean;
  /** PriorityList.key() of the list it declared (null: it did not declare one). */
  key: string | null;
}

export interface SyncWait {
  /** Nodes asked for their state that have neither answered nor gone down. */
  readonly unanswered: Set<string>;
  /** Sync nodes (mandatory + optional) not known to have declared yet. */
  readonly undeclared: Set<string>;
  readonly mandatory: ReadonlySet<string>;
  readonly timeoutMs: number;
  /** The discovery deadline passed (unanswered nodes no longer waited for). */
  discoveryOver: boolean;
  /** syncNodesTimeoutMs passed. */
  syncOver: boolean;
  /** The monitor of each asked node's controller ({ name: 'dist_ac', node }), dropped when it answers. */
  readonly monitored: Map<string, Ref>;
  /** Its timers carry it: a timer of an earlier wait is ignored. */
  readonly token: number;
}

export interface Waiters {
  declare: From[];
  takeover: From[];
  withdraw: From[];
}

export class AppView {
  readonly name: string;
  list: PriorityList | null = null;
  failoverTimeoutMs = 0;
  declared = false;
  local: LocalPhase = 'none';
  localStartType: StartType | null = null;
  /** The generation of this node's instance; `maxGen` the highest seen here (own and peers'). */
  localGen = 0;
  maxGen = 0;
  runningAt: string | null = null;
  readonly peers = new Map<string, PeerView>();
  failoverFrom: string | null = null;
  failoverTimer: Ref | null = null;
  /** Bumped for every failover timer, so a stale timer message is ignored. */
  failoverToken = 0;
  joining = false;
  sync: SyncWait | null = null;
  /** The monitor of the local instance's top process while it runs. */
  topRef: Ref | null = null;
  readonly waiters: Waiters = { declare: [], takeover: [], withdraw: [] };

  constructor(name: string) {
    this.name = name;
  }

  private peerStarting(): boolean {
    for (const p of this.peers.values()) if (p.local === 'starting') return true;
    return false;
  }

  /** Decision 1. */
  best(self: string): string | null {
    const list = this.list;
    if (list === null) return null;
    for (const rank of list.ranks) {
      const members = rank.filter((n) => (n === self ? this.declared && this.sync === null : this.isCandidatePeer(n)));
      if (members.length === 0) continue;
      if (this.runningAt !== null && members.includes(this.runningAt)) return this.runningAt;
      return members.reduce((a, b) => (b < a ? b : a));
    }
    return null;
  }

  private isCandidatePeer(n: string): boolean {
    const p = this.peers.get(n);
    return p !== undefined && p.declared && !p.mismatch;
  }

  /** Decision 2: the start type to start with now, or null. */
  startNow(self: string): StartType | null {
    if (!this.declared || this.sync !== null || this.local !== 'none') return null;
    if (this.runningAt !== null || this.failoverTimer !== null || this.peerStarting()) return null;
    if (this.best(self) !== self) return null;
    return this.failoverFrom === null ? 'normal' : { failover: this.failoverFrom };
  }

  /** Decision 3. */
  takeoverNow(self: string): StartType | null {
    if (!this.joining || !this.declared || this.sync !== null || this.local !== 'none') return null;
    if (this.runningAt === null || this.runningAt === self || this.peerStarting()) return null;
    if (this.best(self) !== self) return null;
    return { takeover: this.runningAt };
  }

  /** Decision 4: the node this node should stop its running instance for, now; else null. */
  yieldTo(self: string): string | null {
    if (this.local !== 'running') return null;
    for (const [node, p] of this.peers) {
      if (p.local !== 'running') continue;
      const takeover = takeoverFrom(p.startType) === self || takeoverFrom(this.localStartType) === node;
      if (takeover && p.gen !== this.localGen) {
        if (p.gen > this.localGen) return node;
        continue;
      }
      if (this.list !== null && this.list.preferred(node, self)) return node;
    }
    return null;
  }

  yieldNow(self: string): boolean {
    return this.yieldTo(self) !== null;
  }

  /** Whether Application.start's caller may be answered: placed somewhere, or nowhere to place it yet. */
  settled(self: string): boolean {
    if (this.sync !== null || this.local === 'starting' || this.local === 'stopping') return false;
    if (this.takeoverNow(self) !== null) return false;
    return this.runningAt !== null || this.best(self) === null;
  }
}

/** The node a { takeover: node } start type names, else null. */
export function takeoverFrom(t: StartType | null): string | null {
  return t !== null && typeof t === 'object' && 'takeover' in t ? t.takeover : null;
}
