/**
 * Spawn stealing: the default balance policy (`startNode({ balance: 'steal' })`). Spawns
 * stay on their parent's scheduler, so parents and children talk on one thread; a
 * scheduler that runs out of work *steals* not-yet-started spawns from busy ones, as the
 * BEAM's idle schedulers steal from the others' run queues.
 *
 * An actor's JavaScript objects live on one thread's heap, so a thief cannot take an
 * actor out of another thread's run queue. What it can take is a spawn that has not
 * happened yet: nothing of it exists but `{ module, export, args }`. The theft is
 * arranged through one shared word per scheduler, its *want* counter (layout.ts,
 * `stealBase + k`):
 *
 *   control words   [stealBase + 0] want of scheduler 0   (spawns it would take, >= 0)
 *                   [stealBase + 1] want of scheduler 1
 *                   ...
 *
 * Protocol (k = the idle thief, j = a busy spawner):
 *   1. k finds nothing to run and nothing inbound (worker-loop.ts, step 4): before it
 *      spins or parks it stores kStealBatch into its want word (`hungry`).
 *   2. j's running actor spawns with no `scheduler` and no `name` option, a module-defined
 *      behaviour, while j has at least kStealMinQueue other actors runnable: j reads the
 *      other schedulers' want words (one plain Atomics.load each) and claims one unit of
 *      the first non-zero one with a compare-and-swap (`pick`). Below that queue length
 *      the spawn stays: j's backlog is short, so the new actor will run soon here, and the
 *      few actors j has are likely to talk to each other (a parent and its child, a client
 *      spawned beside the server it calls). An idle thread taking one half of such a
 *      conversation turns every message into a crossing (~10x a local one: a GenServer
 *      call 1 client on 2 schedulers went from ~1.5 us to ~10 us); the BEAM keeps such
 *      processes together too, by stealing only from a queue that has work waiting.
 *   3. A claim wins the spawn for k: j reserves the pid in k's pid space and sends SPAWN,
 *      exactly as for an explicit `{ scheduler: k }` (placement.ts): the pid is k's, valid
 *      and direct from the start; no forwarding, no guest. The spawn's own children are
 *      then spawned on k (k is busy now, its want is 0), so the whole subtree stays there.
 *   4. k wakes with the SPAWN record, stores 0 into its want word (`fed`: once per wake,
 *      not per message), and runs. Claims made between its wake and that store still
 *      arrive; they are the batch it asked for.
 *   5. Each stolen spawn counts as one migration in j's stats block (`migrations`) and as
 *      one remote spawn in k's (`remoteSpawns`).
 *
 * Erlang/OTP mapping: erts' schedulers steal runnable processes from each other when their
 * own queue is empty (erl_process.c, `try_steal_task`), processes are spawned on the
 * spawner's scheduler. Here the unit stolen is the not-yet-started process (the one thing
 * that can cross a heap for free); running actors move only with `balance: 'migrate'`
 * (migration.ts), which adds live migration to this.
 */

import type { NodeLayout } from './layout.ts';

/** Spawns an idle scheduler asks for per idle episode. */
export const kStealBatch = 4;
/**
 * Other runnable actors a spawner must have before one of its spawns may be stolen (a
 * backlog: with 1, a parent that had just spawned a server lost the client it spawned next).
 */
export const kStealMinQueue = 4;

export class SpawnStealing {
  private readonly control: Int32Array;
  private readonly base: number;
  private readonly self: number;
  private readonly n: number;
  private readonly isUp: (k: number) => boolean;
  /** Whether this scheduler's want word is non-zero (so `fed` stores only once per wake). */
  private wanting = false;
  /** Spawns stolen from this scheduler (published as `migrations`). */
  migrations = 0;

  constructor(control: Int32Array, layout: NodeLayout, self: number, isUp: (k: number) => boolean) {
    this.control = control;
    this.base = layout.stealBase;
    this.self = self;
    this.n = layout.schedulers;
    this.isUp = isUp;
  }

  /** Step 1: this scheduler is idle. */
  hungry(): void {
    if (this.n === 1) return;
    Atomics.store(this.control, this.base + this.self, kStealBatch);
    this.wanting = true;
  }

  /** Step 4: this scheduler has work again. */
  fed(): void {
    if (!this.wanting) return;
    this.wanting = false;
    Atomics.store(this.control, this.base + this.self, 0);
  }

  /** Step 2: the thief a default spawn goes to, or -1 to spawn it here. */
  pick(localRunnable: number): number {
    if (localRunnable < kStealMinQueue || this.n === 1) return -1;
    const c = this.control;
    for (let i = 1; i < this.n; i++) {
      // Start with the next scheduler: thieves are served round-robin-ish, not 0 first.
      let k = this.self + i;
      if (k >= this.n) k -= this.n;
      const w = Atomics.load(c, this.base + k);
      if (w <= 0 || !this.isUp(k)) continue;
      if (Atomics.compareExchange(c, this.base + k, w, w - 1) === w) return k;
    }
    return -1;
  }

  /** Step 5: the spawn `pick` chose `k` for went there. */
  placed(_k: number): void {
    this.migrations++;
  }
}
