/**
 * multiCall: the same call to several servers at once, from a process-style actor
 * (`yield* multiCall(ctx, targets, msg, timeoutMs)`), as Erlang's gen_server:multi_call.
 *
 * Protocol (call-protocol.ts's caller steps, run for every target in parallel):
 *   1. For each target: monitor it (the monitor ref is the call ref) and send the request.
 *   2. Receive the answers in target order, each selected by its ref, all against one
 *      deadline (now + timeoutMs).
 *   3. Per target: a reply -> `{ ok: true, value }` (demonitor with flush); a DOWN ->
 *      `{ ok: false, reason }` ('noproc': no server there; 'noconnection': node down);
 *      the deadline -> `{ ok: false, reason: 'timeout' }`, the ref expired so a late
 *      reply is dropped on delivery, never left in the mailbox.
 * A target is a pid or `{ name, node }` (a server registered on that node).
 */
import { callRequest, isReply } from '../../core/call-protocol.ts';
import type { Context, ReceiveRequest } from '../../core/context.ts';
import type { Pid } from '../../core/pid.ts';
import { TIMEOUT } from '../../core/reason.ts';
import type { RemoteName } from '../../core/types.ts';

export type CallAnswer = { readonly ok: true; readonly value: unknown } | { readonly ok: false; readonly reason: unknown };

export function* multiCall(ctx: Context, targets: readonly (Pid | RemoteName)[], msg: unknown, timeoutMs: number): Generator<ReceiveRequest, CallAnswer[], any> {
  const refs = targets.map((t) => {
    const ref = ctx.monitor(t);
    ctx.send(t, callRequest({ pid: ctx.self, ref }, msg));
    return ref;
  });
  const deadline = ctx.now() + timeoutMs;
  const out: CallAnswer[] = [];
  for (const ref of refs) {
    const m = (yield ctx.receive({ ref }, Math.max(0, deadline - ctx.now()))) as { type: string; value?: unknown; reason?: unknown } | typeof TIMEOUT;
    if (m === TIMEOUT) {
      ctx.demonitor(ref, { flush: true });
      ctx.expireCall(ref);
      out.push({ ok: false, reason: 'timeout' });
    } else if (isReply(m)) {
      ctx.demonitor(ref, { flush: true });
      out.push({ ok: true, value: m.value });
    } else {
      out.push({ ok: false, reason: m.reason });
    }
  }
  return out;
}

/** One call through multiCall: the value, or throws nothing but returns the failure. */
export function* callOne(ctx: Context, target: Pid | RemoteName, msg: unknown, timeoutMs: number): Generator<ReceiveRequest, CallAnswer, any> {
  const [a] = yield* multiCall(ctx, [target], msg, timeoutMs);
  return a!;
}
