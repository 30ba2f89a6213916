'use switchboard';
/**
 * The fairness workload's busy-looping hog. The directive above makes the loader compile
 * this module with reduction counting, so the generator is preempted at its loop's
 * back-edge when its budget is spent — the only way a `while (true)` can share a
 * scheduler in JavaScript.
 */
import { defineActor } from '../../src/core/behaviour.ts';
import type { Context } from '../../src/core/context.ts';

export const busyLoop = defineActor(import.meta.url, function* (_ctx: Context) {
  let x = 0;
  for (;;) x++;
}, 'busyLoop');
