/**
 * centauri: an ordinary (local) application that runs on EVERY node and calls proxima,
 * wherever proxima runs. Its server, registered 'centauri', is a process-style actor (it
 * must wait for calls of its own, which a GenServer callback cannot):
 *
 *   1. receive a call ({ type: '$call', from, msg }), e.g. node.call('centauri', 'incr');
 *   2. ask the local distributed-application controller where proxima runs
 *      (DistApp.whereRunning); nowhere (a failover is under way) -> wait 50 ms, again;
 *   3. call { name: 'proxima', node } (10 s); a NoProcError (no server there) or a
 *      CallExitError (its node went down: 'noconnection') -> wait 50 ms and go back to 2,
 *      for at most `retryForMs`. A timeout is NOT retried: the request may have been
 *      applied (a retry would count twice); it is answered as an error;
 *   4. an answer { moved: node } (the server it reached has handed off to a taker, and did
 *      not apply the request) -> call { name: 'proxima', node: moved } at once;
 *   5. answer { ok: reply, tries } or { error: message }.
 * So a request made during a failover is answered once proxima serves again (after
 * failoverTimeoutMs); one made during a takeover reaches the old server, which redirects
 * it to the new one (proxima.ts), where it is applied once. With global names (src/cluster/global) step 2-3 become one
 * call to { global: 'proxima' } — see the README section.
 */
import type { Context } from '../../../src/core/context.ts';
import { defineActor } from '../../../src/core/behaviour.ts';
import { CallExitError, NoProcError } from '../../../src/core/errors.ts';
import type { From } from '../../../src/core/call-protocol.ts';
import { defineApplication, type ApplicationDef } from '../../../src/otp/application.ts';
import { GenServer } from '../../../src/otp/gen-server.ts';
import { DistApp } from '../../../src/cluster/dist-app/index.ts';
import type { ProximaCall, ProximaMoved, ProximaReply } from './proxima.ts';

export type CentauriAnswer = { readonly ok: ProximaReply; readonly tries: number } | { readonly error: string };

function* askProxima(ctx: Context, msg: ProximaCall, retryForMs: number): Generator<unknown, CentauriAnswer, any> {
  const deadline = ctx.now() + retryForMs;
  let moved: string | null = null;
  for (let tries = 1; ; tries++) {
    let where: string | null = moved;
    moved = null;
    try {
      where ??= yield* DistApp.whereRunning(ctx, 'proxima');
    } catch (e) {
      return { error: e instanceof Error ? e.message : String(e) }; // e.g. proxima not started on this node
    }
    if (where !== null) {
      try {
        const r = (yield* GenServer.call(ctx, { name: 'proxima', node: where } as never, msg as never, 10_000)) as ProximaReply | ProximaMoved;
        if ('moved' in r) {
          moved = r.moved;
          continue;
        }
        return { ok: r, tries };
      } catch (e) {
        const retryable = e instanceof NoProcError || e instanceof CallExitError;
        if (!retryable) return { error: e instanceof Error ? e.message : String(e) };
      }
    }
    if (ctx.now() > deadline) return { error: `proxima did not answer within ${retryForMs} ms` };
    yield ctx.sleep(50);
  }
}

export const Centauri = defineActor(import.meta.url, function* (ctx: Context, retryForMs: number) {
  for (;;) {
    const m = (yield ctx.receive({ type: '$call' })) as { from: From; msg: ProximaCall };
    ctx.reply(m.from, yield* askProxima(ctx, m.msg, retryForMs));
  }
}, 'Centauri');

/** Define the centauri application on this thread (once per process). */
export function defineCentauri(retryForMs = 30_000): ApplicationDef {
  return defineApplication({
    name: 'centauri',
    start: () => ({ strategy: 'one_for_one', children: [{ id: 'centauri', name: 'centauri', start: { behaviour: Centauri, args: [retryForMs] } }] }),
  });
}
