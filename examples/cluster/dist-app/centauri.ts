/**
 * centauri: an ordinary (local) application that runs on EVERY node and calls proxima,
 * wherever proxima runs. Its server, registered 'centauri', is a process-style actor (it
 * must wait for calls of its own, which a GenServer callback cannot):
 *
 *   1. receive a call ({ type: '$call', from, msg }), e.g. node.call('centauri', 'incr');
 *   2. call { global: 'proxima' } (10 s): the cluster-wide name proxima's 'go' phase
 *      registered; not registered (NoProcError: a failover is under way, the name died
 *      with the old owner) or a CallExitError (the owner's node went down: 'noconnection')
 *      -> wait 50 ms and try again, for at most `retryForMs`. A timeout is NOT retried: the
 *      request may have been applied (a retry would count twice); it is answered as an
 *      error;
 *   3. an answer { moved: node } (the server it reached has handed off to a taker and did
 *      not apply the request; the name moves at the taker's 'go') -> call
 *      { name: 'proxima', node: moved } at once;
 *   4. answer { ok: reply, tries } or { error: message }.
 * So a request made during a failover is answered once proxima serves again (after
 * failoverTimeoutMs); one made during a takeover reaches the old server, which redirects
 * it to the new one (proxima.ts), where it is applied once.
 */
import type { Context } from '../../../src/core/context.ts';
import { defineActor } from '../../../src/core/behaviour.ts';
import { CallExitError, NoProcError } from '../../../src/core/errors.ts';
import type { From } from '../../../src/core/call-protocol.ts';
import { defineApplication, type ApplicationDef } from '../../../src/otp/application.ts';
import { GenServer } from '../../../src/otp/gen-server.ts';
import type { ProximaCall, ProximaMoved, ProximaReply } from './proxima.ts';

export type CentauriAnswer = { readonly ok: ProximaReply; readonly tries: number } | { readonly error: string };

function* askProxima(ctx: Context, msg: ProximaCall, retryForMs: number): Generator<unknown, CentauriAnswer, any> {
  const deadline = ctx.now() + retryForMs;
  let moved: string | null = null;
  for (let tries = 1; ; tries++) {
    const to = moved === null ? { global: 'proxima' } : { name: 'proxima', node: moved };
    moved = null;
    try {
      const r = (yield* GenServer.call(ctx, to as never, msg as never, 10_000)) as ProximaReply | ProximaMoved;
      if ('moved' in r) {
        moved = r.moved;
        continue;
      }
      return { ok: r, tries };
    } catch (e) {
      const retryable = e instanceof NoProcError || e instanceof CallExitError;
      if (!retryable) return { error: e instanceof Error ? e.message : String(e) };
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
