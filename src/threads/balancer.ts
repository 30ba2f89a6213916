/**
 * Spawn balancer: work sharing at spawn time, the `balance: 'spawn'` mode (with the
 * default 'steal', spawns stay local and idle schedulers steal new ones, stealing.ts;
 * 'migrate' adds live moves, migration.ts). When the
 * scheduler an actor spawns on is overloaded and another one is not, the new actor is
 * placed on the less loaded one.
 *
 * Sharing at spawn gets the common case — one parent spawning a large batch of busy
 * actors (a pool, a fan-out) — onto every scheduler at no cost to any message: the
 * placement happens before the pid exists, through the same reserved-slot spawn an
 * explicit `{ scheduler: k }` uses (placement.ts), so every pid stays valid and direct.
 * Actors that already run when the load shifts later (or that were pinned) are moved by
 * live migration (migration.ts, `startNode({ balance: 'migrate' })`), which costs a
 * forwarding hop through their home. Sharing by load estimate splits parents from their
 * children whenever the two queues differ (skynet on 2 schedulers ran 2-3x slower than
 * on 1 with it), which is why it is no longer the default.
 *
 * The decision (`pick(localLoad)`), for a spawn by a running actor with no `scheduler`
 * and no `name` option, of a module-defined behaviour (a closure always stays local):
 *   1. Below `kShareThreshold` runnable actors here, the spawn stays here (the common
 *      case costs one compare).
 *   2. Every `kRefreshEvery` decisions the estimate of every other scheduler's load is
 *      refreshed from its stats block (its published run-queue length; 0 when parked),
 *      read without messaging it (stats.ts).
 *   3. The spawn goes to the scheduler with the lowest estimate if that estimate is below
 *      the local run-queue length by more than `kShareMargin`; the estimate is then bumped
 *      by one (the actor is runnable there as soon as its SPAWN record arrives), so a burst
 *      of spawns spreads across every idle scheduler instead of piling onto the first.
 *   4. Each such placement counts as one migration in the parent scheduler's stats block
 *      (`migrations`), and as a remote spawn on the target's (`remoteSpawns`).
 */

import { statsOffset, type NodeLayout } from './layout.ts';
import { readStats } from './stats.ts';

/** Runnable actors on this scheduler below which a spawn always stays here. */
export const kShareThreshold = 32;
/** How much less loaded another scheduler must look before a spawn goes there. */
export const kShareMargin = 8;
/** Decisions between two refreshes of the other schedulers' load estimates. */
export const kRefreshEvery = 64;

export class SpawnBalancer {
  private readonly sab: SharedArrayBuffer;
  private readonly layout: NodeLayout;
  private readonly self: number;
  private readonly isUp: (k: number) => boolean;
  private readonly estimate: Float64Array;
  private sinceRefresh = kRefreshEvery;
  /** Spawns placed away from this scheduler (published as `migrations`). */
  migrations = 0;

  constructor(sab: SharedArrayBuffer, layout: NodeLayout, self: number, isUp: (k: number) => boolean) {
    this.sab = sab;
    this.layout = layout;
    this.self = self;
    this.isUp = isUp;
    this.estimate = new Float64Array(layout.schedulers);
  }

  /** Where a default spawn goes: another scheduler's index, or -1 for this one. */
  pick(localLoad: number): number {
    if (localLoad < kShareThreshold || this.layout.schedulers === 1) return -1;
    if (++this.sinceRefresh >= kRefreshEvery) this.refresh();
    let best = -1;
    let bestLoad = Infinity;
    const est = this.estimate;
    for (let k = 0; k < est.length; k++) {
      if (k === this.self || est[k]! >= bestLoad || !this.isUp(k)) continue;
      best = k;
      bestLoad = est[k]!;
    }
    if (best < 0 || bestLoad + kShareMargin >= localLoad) return -1;
    return best;
  }

  /** The spawn `pick` chose `k` for was placed there (step 3-4). */
  placed(k: number): void {
    this.estimate[k]!++;
    this.migrations++;
  }

  private refresh(): void {
    this.sinceRefresh = 0;
    for (let k = 0; k < this.estimate.length; k++) {
      if (k === this.self) continue;
      const st = readStats(this.sab, statsOffset(this.layout, k), k);
      this.estimate[k] = st.state === 'parked' || st.state === 'spinning' ? 0 : st.runQueue;
    }
  }
}
