/**
 * rpc from Switchboard into an Erlang node: `erlangRpc(via, node, module, fun, args)` runs
 * `module:fun(args...)` there and gives its value, as `rpc:call(Node, M, F, A, Timeout)`
 * does. `via` is the embedding thread's Node (a promise) or a process-style actor's
 * Context (a generator to `yield*`), like GenServer.call.
 *
 *   1. Check the arguments (atoms' names, a proper array of args, the options).
 *   2. Call the node's `rex` (kernel's rpc server) as a gen_server:
 *        {'$gen_call', {OurPid, OurRef}, {call, M, F, Args, user}}
 *      (the house call: a monitor by name, so a node without rex answers noproc). The
 *      group leader is the atom `user`: the function's output goes to that node's user
 *      (rex sets it so), not back to us — we run no io server.
 *   3. rex spawns a process that applies M:F(Args) and answers {OurRef, Value}; an
 *      exception comes as {badrpc, Reason}: thrown as ErlangRpcError(reason) (rpc-errors.ts).
 *   4. No answer within `timeoutMs`: ErlangRpcError with reason `timeout` (the late answer
 *      is dropped, as for any call); the connection lost or not made: reason `nodedown`.
 *
 * Erlang mapping: OTP 23+'s rpc:call uses erpc (spawn_request); before that it was this
 * gen_server call to rex, which rex still serves (rpc.erl handle_call({call, ...})) —
 * so this works against OTP 21..27 and needs no SPAWN support on our side. The args and
 * the value are mapped as messages are (term-mapping.ts: a JS string is sent as a
 * binary; an Erlang string comes back as a number[]; atoms are `Atom`).
 */
import { Atom, Tuple } from '../../codec/etf/index.ts';
import { kDefaultCallTimeoutMs } from '../../core/call-protocol.ts';
import { Context } from '../../core/context.ts';
import { BadArgError, CallExitError, CallTimeoutError } from '../../core/errors.ts';
import type { Node } from '../../core/node.ts';
import { checkOptions } from '../../core/options.ts';
import { callProcess, type CallGen } from '../../otp/call.ts';
import { ErlangRpcError } from './rpc-errors.ts';

export interface ErlangRpcOptions {
  /** How long to wait for the answer (ms, > 0, or Infinity); default 5000 (the house call timeout). */
  readonly timeoutMs?: number;
}

const kBadRpc = Atom.of('badrpc');
const kCall = Atom.of('call');
const kUser = Atom.of('user');
const kTimeout = Atom.of('timeout');
const kNodeDown = Atom.of('nodedown');

const checks = {
  timeoutMs: (v: unknown) => ((typeof v === 'number' && v > 0 && (Number.isFinite(v) || v === Infinity)) ? null : 'must be a positive number of ms or Infinity'),
};

interface Prepared {
  readonly to: { name: string; node: string };
  readonly request: Tuple;
  readonly timeoutMs: number;
  readonly mfa: string;
  readonly node: string;
}

function prepare(node: string, module: string, fun: string, args: readonly unknown[], opts: ErlangRpcOptions | undefined): Prepared {
  checkOptions('erlangRpc', checks, opts);
  if (typeof node !== 'string' || !node.includes('@')) throw new BadArgError(`erlangRpc: node must be a node name (name@host), got ${String(node)}`);
  if (typeof module !== 'string' || module === '' || module.length > 255) throw new BadArgError('erlangRpc: module must be an atom name (1..255 characters)');
  if (typeof fun !== 'string' || fun === '' || fun.length > 255) throw new BadArgError('erlangRpc: fun must be an atom name (1..255 characters)');
  if (!Array.isArray(args)) throw new BadArgError('erlangRpc: args must be an array');
  return {
    to: { name: 'rex', node },
    request: Tuple.of(kCall, Atom.of(module), Atom.of(fun), args, kUser),
    timeoutMs: opts?.timeoutMs ?? kDefaultCallTimeoutMs,
    mfa: `${module}:${fun}/${args.length}`,
    node,
  };
}

/** rex's answer: the value, or the typed error for {badrpc, Reason}. */
function answer(p: Prepared, v: unknown): unknown {
  if (v instanceof Tuple && v.elements.length === 2 && v.elements[0] === kBadRpc) throw new ErlangRpcError(p.node, p.mfa, v.elements[1]);
  return v;
}

/** The call's own failures, as rpc:call reports them. */
function failure(p: Prepared, e: unknown): never {
  if (e instanceof CallTimeoutError) throw new ErlangRpcError(p.node, p.mfa, kTimeout);
  if (e instanceof CallExitError && e.reason === 'noconnection') throw new ErlangRpcError(p.node, p.mfa, kNodeDown);
  throw e;
}

function* rpcFromActor(ctx: Context, p: Prepared): CallGen<unknown> {
  let v: unknown;
  try {
    v = yield* callProcess(ctx, p.to, p.request, p.timeoutMs);
  } catch (e) {
    failure(p, e);
  }
  return answer(p, v);
}

async function rpcFromNode(via: Node, p: Prepared): Promise<unknown> {
  let v: unknown;
  try {
    v = await via.call(p.to, p.request, p.timeoutMs);
  } catch (e) {
    failure(p, e);
  }
  return answer(p, v);
}

/**
 * `module:fun(...args)` on the Erlang node `node`, as rpc:call. From the embedding thread
 * (`via` a Node): a promise; from a process-style actor (`via` its Context): a generator to
 * `yield*`.
 * @throws ErlangRpcError ({badrpc, Reason}, timeout, nodedown), NoProcError (no rex there:
 * not an Erlang node), BadArgError / InvalidOptionError for bad arguments.
 */
export function erlangRpc(via: Context, node: string, module: string, fun: string, args: readonly unknown[], opts?: ErlangRpcOptions): CallGen<unknown>;
export function erlangRpc(via: Node, node: string, module: string, fun: string, args: readonly unknown[], opts?: ErlangRpcOptions): Promise<unknown>;
export function erlangRpc(via: Context | Node, node: string, module: string, fun: string, args: readonly unknown[], opts?: ErlangRpcOptions): CallGen<unknown> | Promise<unknown> {
  if (via instanceof Context) return rpcFromActor(via, prepare(node, module, fun, args, opts));
  try {
    return rpcFromNode(via, prepare(node, module, fun, args, opts));
  } catch (e) {
    return Promise.reject(e);
  }
}
