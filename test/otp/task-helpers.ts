/**
 * Helpers for the Task tests: run a script (a generator using Task from inside an actor) in
 * a fresh process-style actor on a node that spawns closures and get its outcome — `{ ok: value }` or
 * `{ error: { name, code, message, reason } }` — as a promise.
 */
import type { Context } from '../../src/core/context.ts';
import type { Node } from '../../src/core/node.ts';
import type { Pid } from '../../src/core/pid.ts';
import type { SpawnOptions } from '../../src/core/scheduler.ts';
import { isCall } from '../../src/core/call-protocol.ts';
import { runScript } from './fixtures/task-work.ts';
import { until } from './code-helpers.ts';

export type Outcome = { ok?: unknown; error?: { name: string; code?: string; message: string; reason?: unknown } };

export async function inActor(
  node: Node,
  script: (ctx: Context) => Generator<unknown, unknown, any>,
  opts?: SpawnOptions,
): Promise<{ outcome: Outcome; pid: Pid }> {
  const got: Outcome[] = [];
  const sink = await node.spawn({
    handle(m: unknown, s: unknown, ctx: Context) {
      if (isCall(m)) ctx.reply(m.from, got.length);
      else got.push(m as Outcome);
      return s;
    },
  });
  const pid = await node.spawn(function* (ctx: Context) {
    yield* runScript(ctx, sink, script);
  }, [], opts);
  await until(async () => got.length > 0 || (await node.processInfo(pid)) === undefined, 'the script to finish', 20_000);
  // The script sends its outcome before it ends, into the sink's mailbox on this one
  // scheduler; a call to the sink made after the end is handled after it. So once the sink
  // answers, the outcome is in `got`, or the script actor died without sending one.
  await node.call(sink, 'flush');
  return { outcome: got[0] ?? { error: { name: 'died', message: 'the script actor died without an outcome' } }, pid };
}
