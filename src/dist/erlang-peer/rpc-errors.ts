/**
 * Why an rpc between this node and an Erlang node failed: Erlang's `{badrpc, Reason}`
 * as a typed error. One class, registered (it keeps its class and fields across threads
 * and nodes); `reason` is the Erlang term as data (an `Atom` such as `timeout` or
 * `nodedown`, or a `Tuple` such as `{'EXIT', {undef, [...]}}`), never flattened to text.
 *
 * Erlang mapping: rpc:call/4,5 returns `{badrpc, Reason}`; erlangRpc throws
 * ErlangRpcError with that Reason:
 *   `{badrpc, {'EXIT', {undef, Stack}}}`  the function does not exist there
 *   `{badrpc, {'EXIT', {Error, Stack}}}`  it raised an error
 *   `{badrpc, {'EXIT', Reason}}`          it exited
 *   `{badrpc, Thrown}`                    it threw (rpc:call returns a `{'EXIT', _}` throw as badrpc)
 *   `{badrpc, timeout}`                   no answer within the timeout (the late one is dropped)
 *   `{badrpc, nodedown}`                  the connection was lost (or could not be made)
 */
import { Atom, Tuple } from '../../codec/etf/index.ts';
import { SwitchboardError } from '../../core/errors.ts';
import { registerErrorClass } from '../../core/error-classes.ts';

export class ErlangRpcError extends SwitchboardError {
  /** The node the call ran (or was to run) on. */
  readonly node: string;
  /** `module:function/arity`. */
  readonly mfa: string;
  /** Erlang's badrpc reason, as a term (etf classes). */
  readonly reason: unknown;
  constructor(node: string, mfa: string, reason: unknown, message = `rpc ${String(mfa)} on ${String(node)} failed: {badrpc, ${describeReason(reason)}}`) {
    super('ERR_SB_ERLANG_RPC', message);
    this.node = node;
    this.mfa = mfa;
    this.reason = reason;
  }
}

/** A short printable form of an Erlang reason term for the message (depth- and length-bounded). */
export function describeReason(r: unknown, depth = 0): string {
  if (depth > 5) return '...';
  if (r instanceof Atom) return r.name;
  if (r instanceof Tuple) return `{${r.elements.map((e) => describeReason(e, depth + 1)).join(', ')}}`;
  if (Array.isArray(r)) return `[${r.slice(0, 4).map((e) => describeReason(e, depth + 1)).join(', ')}${r.length > 4 ? ', ...' : ''}]`;
  if (r instanceof Uint8Array) return `<<${r.length} bytes>>`;
  if (typeof r === 'bigint' || typeof r === 'number' || typeof r === 'boolean' || r === undefined || r === null) return String(r);
  if (typeof r === 'string') return JSON.stringify(r);
  return Object.prototype.toString.call(r);
}

registerErrorClass('ERR_SB_ERLANG_RPC', ErlangRpcError);
