/**
 * One register / unregister transaction asked from the running actor: the call to this
 * node's global name server (which runs it through its registrar: lock, write on every
 * synced node, release) and the write-through into the caller's thread replica, so the
 * caller reads its own write at once. Used by Global.register / unregister from a ctx
 * (global.ts) and by a thread replica registering a supervisor's `{ global }` child
 * (thread-replica.ts), which is why the replica to write through is a parameter.
 */
import type { Context } from '../../core/context.ts';
import type { Pid } from '../../core/pid.ts';
import { callProcess, type CallGen } from '../../otp/call.ts';
import { GlobalNotStartedError } from './errors.ts';
import { kServerName, type ServerCall, type TxnAnswer } from './protocol.ts';

/** The part of a thread replica a transaction writes through. */
export interface ReplicaWriter {
  change(epoch: string, seq: number, name: string, pid: Pid | null, fromStream: boolean): void;
}

/** @throws GlobalNotStartedError when this node runs no global name server */
export function* transactionFromActor(ctx: Context, api: string, msg: ServerCall, name: string, pid: Pid | null, replica: ReplicaWriter): CallGen<TxnAnswer> {
  if (ctx.whereis(kServerName) === undefined) throw new GlobalNotStartedError(api);
  const a = yield* callProcess<TxnAnswer>(ctx, kServerName, msg, Infinity);
  if (a.result !== 'no' && a.seq >= 0) replica.change(a.epoch, a.seq, name, pid, false);
  return a;
}
