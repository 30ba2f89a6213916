/**
 * The member table of one node: every member it knows (alive, suspect, dead, left) and an
 * index of the LIVE ones (alive or suspect: the ones it probes and gossips to), so a
 * random choice of k live members costs O(k), not O(n).
 *
 *   1. `upsert` adds a member or changes its state; the live index follows the state;
 *   2. `randomLive(k, skip)` picks up to k distinct live members not skipped by the
 *      caller (rejection sampling on a large table, a partial shuffle on a small one);
 *   3. `remove` forgets a member (a reaped dead/left one).
 *
 * The table holds no protocol rules (those are in swim-node.ts).
 */
import type { SuspicionTimer } from './suspicion.ts';
import type { MemberInfo, MemberName, MemberState } from './types.ts';

/** A member record as the node keeps it (mutable, private to the node). */
export interface MemberRecord {
  readonly name: MemberName;
  addr: string;
  state: MemberState;
  incarnation: number;
  since: number;
  suspicion: SuspicionTimer | undefined;
}

const isLive = (s: MemberState): boolean => s === 'alive' || s === 'suspect';

export class MemberTable {
  private readonly byName = new Map<MemberName, MemberRecord>();
  private readonly live: MemberName[] = [];
  private readonly liveAt = new Map<MemberName, number>();

  get size(): number {
    return this.byName.size;
  }

  get liveCount(): number {
    return this.live.length;
  }

  get(name: MemberName): MemberRecord | undefined {
    return this.byName.get(name);
  }

  records(): IterableIterator<MemberRecord> {
    return this.byName.values();
  }

  liveNames(): MemberName[] {
    return this.live.slice();
  }

  /** Step 1. */
  upsert(r: MemberRecord): void {
    this.byName.set(r.name, r);
    this.track(r);
  }

  /** Step 1: after a state change of a record already in the table. */
  track(r: MemberRecord): void {
    const at = this.liveAt.get(r.name);
    if (isLive(r.state)) {
      if (at === undefined) {
        this.liveAt.set(r.name, this.live.length);
        this.live.push(r.name);
      }
    } else if (at !== undefined) {
      this.dropLive(r.name, at);
    }
  }

  /** Step 3. */
  remove(name: MemberName): void {
    const at = this.liveAt.get(name);
    if (at !== undefined) this.dropLive(name, at);
    this.byName.delete(name);
  }

  /** Step 2. */
  randomLive(k: number, skip: (name: MemberName) => boolean, random: () => number): MemberName[] {
    const out: MemberName[] = [];
    const n = this.live.length;
    if (k <= 0 || n === 0) return out;
    if (n <= 4 * k + 4) {
      const pool = this.live.filter((x) => !skip(x));
      for (let i = 0; i < pool.length && out.length < k; i++) {
        const j = i + Math.floor(random() * (pool.length - i));
        const t = pool[i]!;
        pool[i] = pool[j]!;
        pool[j] = t;
        out.push(pool[i]!);
      }
      return out;
    }
    for (let tries = 0; tries < 8 * k && out.length < k; tries++) {
      const x = this.live[Math.floor(random() * n)]!;
      if (!skip(x) && !out.includes(x)) out.push(x);
    }
    return out;
  }

  private dropLive(name: MemberName, at: number): void {
    const last = this.live.pop()!;
    if (last !== name) {
      this.live[at] = last;
      this.liveAt.set(last, at);
    }
    this.liveAt.delete(name);
  }
}

/** A read-only snapshot of a record. */
export function memberInfo(r: MemberRecord): MemberInfo {
  return { name: r.name, addr: r.addr, state: r.state, incarnation: r.incarnation, since: r.since };
}
