/**
 * Synchronous start (Erlang's proc_lib init_ack): the starter learns whether the child's
 * init succeeded before it goes on — a supervisor must know whether a child started.
 *
 * Protocol:
 *   1. The starter makes a ref and spawns (or spawnLinks) the child with a start marker as
 *      its first argument: `{ type: '$gen_start', starter, ref }` followed by the user's
 *      args. A behaviour spawned without the marker (plain `spawn`) just runs: no ack.
 *   2. The starter monitors the child and receives only the ack for `ref` or the DOWN.
 *   3. The child runs its init, then sends `{ type: '$ack', ref, result }` to the starter:
 *        result 'ok'                 started; the starter returns `{ ok: pid }`
 *        result 'ignore'             init returned `{ ignore }`: the child unlinks from
 *                                    the starter and exits 'normal'; `{ ignore: true }`
 *        result { error: reason }    init returned `{ stop: reason }`: the child unlinks
 *                                    and exits with reason; `{ error: reason }`
 *      Unlinking first means a linked starter that does not trap exits is not killed by a
 *      failed start: the failure is in the result.
 *   4. A DOWN before the ack (init threw, or the child was killed) → `{ error: reason }`;
 *      the EXIT of a trapped link, if already queued, is flushed.
 *   5. No ack within the timeout → the child is killed, its DOWN awaited and
 *      `{ error: 'timeout' }` returned.
 *
 * From a node's embedding thread (not a process) the same protocol runs in a starter
 * process, so there is one start protocol, not a second one made of spawn + ping:
 *   N1. The node spawns a Starter (module-defined, so any scheduler thread runs it) with
 *       the target, its args and the options.
 *   N2. The node calls it (the call protocol: the starter is monitored first); the starter
 *       waits for that call before it starts anything, so nothing can end unseen.
 *   N3. The starter runs steps 1-5 as the starter and replies the StartResult, then ends.
 *
 * Which behaviours answer the protocol is recorded here too (`markAcksStart`,
 * `acksStart`): GenServers, GenStatems and the supervisors do.
 */
import { Behaviour, defineActor, loadedBehaviour, type BehaviourRef } from '../core/behaviour.ts';
import { isCall, type CallRequest } from '../core/call-protocol.ts';
import type { Context } from '../core/context.ts';
import type { Node } from '../core/node.ts';
import type { SpawnOptions } from '../core/scheduler.ts';
import type { Pid, Ref } from '../core/pid.ts';
import { TIMEOUT } from '../core/reason.ts';
import type { CallGen } from './call.ts';

export interface StartMarker {
  readonly type: '$gen_start';
  readonly starter: Pid;
  readonly ref: Ref;
}

export type StartResult = { readonly ok: Pid } | { readonly ignore: true } | { readonly error: unknown };

export interface StartAck {
  readonly type: '$ack';
  readonly ref: Ref;
  readonly result: 'ok' | 'ignore' | { readonly error: unknown };
}

export function isStartMarker(v: unknown): v is StartMarker {
  return typeof v === 'object' && v !== null && (v as { type?: unknown }).type === '$gen_start';
}

/** Child side, step 3: tell the starter how init went. */
export function ackStart(ctx: Context, marker: StartMarker, result: StartAck['result']): void {
  ctx.send(marker.starter, { type: '$ack', ref: marker.ref, result });
  if (result !== 'ok') ctx.unlink(marker.starter);
}

export interface StartProcessOptions {
  link?: boolean;
  timeoutMs?: number;
  spawn?: SpawnOptions;
}

/** Starter side: `const r = yield* startProcess(ctx, behaviour, args, { link: true })`. */
export function* startProcess(ctx: Context, behaviour: unknown, args: readonly unknown[], opts: StartProcessOptions = {}): CallGen<StartResult> {
  const ref = ctx.makeRef();
  const marker: StartMarker = { type: '$gen_start', starter: ctx.self, ref };
  const fullArgs = [marker, ...args];
  const pid = opts.link === true ? ctx.spawnLink(behaviour, fullArgs, opts.spawn) : ctx.spawn(behaviour, fullArgs, opts.spawn);
  const mref = ctx.monitor(pid);
  const timeout = opts.timeoutMs ?? Infinity;
  const m = (yield ctx.receive((x: unknown) => isAnswer(x, ref, mref), timeout)) as StartAck | { type: 'DOWN'; reason: unknown } | typeof TIMEOUT;
  if (m === TIMEOUT) {
    ctx.exit(pid, 'kill');
    yield ctx.receive({ type: 'DOWN', ref: mref });
    yield* flushExit(ctx, pid);
    return { error: 'timeout' };
  }
  if (m.type === 'DOWN') {
    yield* flushExit(ctx, pid);
    return { error: (m as { reason: unknown }).reason };
  }
  ctx.demonitor(mref, { flush: true });
  const result = (m as StartAck).result;
  if (result === 'ok') return { ok: pid };
  if (result === 'ignore') return { ignore: true };
  return { error: result.error };
}

function isAnswer(x: unknown, ref: Ref, mref: Ref): boolean {
  if (typeof x !== 'object' || x === null) return false;
  const m = x as { type?: unknown; ref?: unknown };
  if (m.type === '$ack') return ref.equals(m.ref);
  if (m.type === 'DOWN') return mref.equals(m.ref);
  return false;
}

function* flushExit(ctx: Context, pid: Pid): CallGen<void> {
  yield ctx.receive({ type: 'EXIT', from: pid }, 0);
}

/** Behaviours that answer the start protocol (start-ack.ts): GenServers and supervisors. */
const acking = new WeakSet<Behaviour>();

export function markAcksStart(b: Behaviour): void {
  acking.add(b);
}

/**
 * Does spawning `target` with a start marker get an ack? Behaviours made here or by the
 * supervisor modules do; a `{ module, export, acks }` reference says so; a plain
 * `{ module, export }` reference whose module is not loaded in this thread yet is assumed
 * not to (it is started like spawn_link, without waiting for its init): assuming an ack
 * that a plain actor never sends would hang the starter.
 */
export function acksStart(target: unknown): boolean {
  if (target instanceof Behaviour) return acking.has(target);
  if (typeof target === 'object' && target !== null && typeof (target as BehaviourRef).module === 'string') {
    const flag = (target as { acks?: unknown }).acks;
    if (typeof flag === 'boolean') return flag; // set by portableBehaviour
    const b = loadedBehaviour(target as BehaviourRef);
    return b !== undefined && acking.has(b);
  }
  return false;
}

// -----------------------------------------------------------------------------------
// From the embedding thread: the same protocol, run by a starter process
// -----------------------------------------------------------------------------------

/** What the starter is told to start; crosses threads, so targets are module references there. */
interface StartRequest {
  readonly target: unknown;
  readonly args: readonly unknown[];
  readonly opts: StartProcessOptions;
}

/**
 * The starter (steps N1-N3 in the header): a short-lived process that runs the start
 * protocol for the embedding thread and answers the result as the reply to its one call.
 */
export const Starter = defineActor(import.meta.url, function* starter(ctx: Context, req: StartRequest) {
  // N2: wait for the caller's call, so its monitor is set before anything can fail.
  const call = (yield ctx.receive(isCall)) as CallRequest;
  let answer: StartResult | StartThrown;
  try {
    answer = yield* startProcess(ctx, req.target, req.args, req.opts);
  } catch (e) {
    answer = { thrown: e }; // the spawn refused (a name taken, bad options): the caller rethrows it
  }
  ctx.reply(call.from, answer);
}, 'Starter');

/** The starter's answer when the spawn itself threw: the error, as its own class. */
interface StartThrown {
  readonly thrown: unknown;
}

/**
 * Start `target` from a node's embedding thread with the start protocol (steps N1-N3):
 * resolves with the StartResult a process starter would get. `target` must be spawnable
 * on `node` (module references where the node does not spawn closures). A timeout kills
 * the child, as from a process.
 */
export async function startOnNode(node: Node, target: unknown, args: readonly unknown[], opts: StartProcessOptions): Promise<StartResult> {
  const scheduler = opts.spawn?.scheduler;
  const starter = await node.spawn(Starter, [{ target, args, opts }], scheduler === undefined ? undefined : { scheduler });
  // The starter always answers (its own timeout bounds the wait): no call timeout.
  const answer = await node.call<StartResult | StartThrown>(starter, 'start', Infinity);
  if ('thrown' in answer) throw answer.thrown;
  return answer;
}
