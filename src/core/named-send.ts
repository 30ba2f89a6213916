/**
 * Sends to a name: a registered name, `{ name, node }` and `{ global }`. The scheduler's
 * `send` keeps the pid case inline (the hot path) and hands every other destination here.
 *
 * Steps:
 *   1. Resolve the name on this thread: the registry, or the `{ global }` resolver
 *      (global-name.ts). An unknown local or global name throws NotRegisteredError, as
 *      `Name ! Msg` raises badarg in Erlang; `{ name, node }` never throws.
 *   2. `{ name, node }` of another node goes to the node transport as a named send (the
 *      peer resolves it); without one the message is dropped (after the sendable check).
 *   3. A resolved pid this scheduler does not own goes through its transport
 *      (router.ts); one it owns is delivered by `sendToActor` (scheduler.ts).
 */
import { BadArgError, NotRegisteredError } from './errors.ts';
import { copyMessage } from './copy.ts';
import { describe } from './describe.ts';
import { describeGlobalName, isGlobalName, resolveGlobalName } from './global-name.ts';
import { nodeTable } from './node-table.ts';
import { kNoPid, type Pid } from './pid.ts';
import { reductions, kSendReductions } from './reductions.ts';
import { isRemoteName } from './remote-name.ts';
import type { Actor } from './actor.ts';
import type { SchedulerState } from './scheduler-state.ts';
import type { RemoteName } from './types.ts';

/** The scheduler's side of a named send (scheduler.ts). */
export interface NamedSendHost extends SchedulerState {
  sendToActor(actor: Actor | undefined, msg: unknown): void;
}

/** Send `msg` to a destination that is not a pid (steps 1–3). */
export function sendToName(s: NamedSendHost, to: unknown, msg: unknown): void {
  let pid: Pid | undefined;
  if (typeof to === 'string') {
    pid = s.registry.whereis(to);
    if (pid === undefined) throw new NotRegisteredError(to);
  } else if (isRemoteName(to)) {
    if (to.node !== nodeTable.local.name) return sendNamedOut(s, to, msg);
    pid = s.registry.whereis(to.name);
    if (pid === undefined) return s.sendToActor(undefined, msg);
  } else if (isGlobalName(to)) {
    pid = resolveGlobalName(to.global);
    if (pid === undefined) throw new NotRegisteredError(describeGlobalName(to));
  } else {
    throw new BadArgError(`send: destination must be a pid, a registered name, { name, node } or { global }, got ${describe(to)}`);
  }
  const actor = s.lookup(pid);
  if (actor === undefined) {
    const t = s.router.transportFor(pid);
    if (t !== null) return s.sendOut(t, pid, msg);
  }
  s.sendToActor(actor, msg);
}

/** `{ name, node }` on another node: through the node transport, or dropped without one (step 2). */
function sendNamedOut(s: SchedulerState, to: RemoteName, msg: unknown): void {
  const t = s.router.node;
  const cur = s.current;
  if (t === null || t.sendNamed === undefined) {
    copyMessage(msg); // still refused if unsendable, as every send
    s.counters.messagesOut++;
    s.counters.messagesDropped++;
    return;
  }
  t.sendNamed(to.node, to.name, cur !== null ? cur.pid : kNoPid, msg); // outside any actor: no sender
  if (cur !== null) {
    cur.msgsOut++;
    reductions.left -= kSendReductions;
  }
  s.counters.messagesOut++;
}
