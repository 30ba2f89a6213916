/**
 * The example's service: a counter GenServer meant to run once in the cluster, reached by
 * its global name 'counter' (`{ global: 'counter' }`), and a watcher that tells its node
 * when the counter it watches is gone (the DOWN of a monitor: the owner died, or its node).
 */
import { defineActor } from '../../../src/core/behaviour.ts';
import type { Context } from '../../../src/core/context.ts';
import type { Pid } from '../../../src/core/pid.ts';
import { defineGenServer } from '../../../src/otp/gen-server.ts';

export const Counter = defineGenServer<number, 'incr', never, { n: number; node: string }, []>(import.meta.url, {
  init() {
    return { ok: 0 };
  },
  handleCall(_msg, _from, n, ctx) {
    return { reply: { n: n + 1, node: ctx.nodeName }, state: n + 1 };
  },
}, 'Counter');

/** Monitors `pid`; on its DOWN sends `{ counterDown: pid, reason }` to `report` and ends. */
export const CounterWatcher = defineActor(import.meta.url, function* watcher(ctx: Context, pid: Pid, report: Pid) {
  const ref = ctx.monitor(pid);
  const d = (yield ctx.receive({ type: 'DOWN', ref })) as { reason: unknown };
  ctx.send(report, { counterDown: pid, reason: d.reason });
}, 'CounterWatcher');
