/**
 * The replica actor: keeps one scheduler thread's ThreadReplica (thread-replica.ts) equal
 * to the node's global name server, so `{ global: name }` and `Global.whereis` resolve on
 * that thread without asking anyone.
 *
 * Protocol:
 *   1. `Global.start` runs `startThreadReplica(scheduler, server)` on every scheduler with
 *      `node.applyOnSchedulers` (on a LocalNode: its one scheduler, which is also the
 *      embedding thread); it spawns this actor there.
 *   2. init: follow the server's epoch (its pid), monitor the server, send it `subscribe`.
 *   3. The server answers with a snapshot, then sends one `change` per table change and a
 *      `barrier` when `Global.sync` asks: the barrier is acknowledged to the server once
 *      every message before it has been applied (per-pair order).
 *   4. The server's DOWN: the replica is dropped (the thread resolves no global name) and
 *      the actor ends.
 * `applyReplicaMessage` is the one apply step, used here and by a ThreadedNode's embedding
 * thread (global.ts), whose messages come through `node.pid`.
 *
 * Erlang mapping: none needed on the BEAM (global_names is an ets table every process of
 * the node reads); threads have no shared heap, so each keeps a copy.
 */
import { defineActor } from '../../core/behaviour.ts';
import { contextInInit, type Context } from '../../core/context.ts';
import type { Pid, Ref } from '../../core/pid.ts';
import { isDownMessage } from '../../core/reason.ts';
import type { Scheduler } from '../../core/scheduler.ts';
import { isReplicaMessage, type ReplicaMessage, type ServerInfo } from './protocol.ts';
import { threadReplica } from './thread-replica.ts';

interface ReplicaState {
  readonly server: Pid;
  readonly epoch: string;
  readonly ref: Ref;
}

/** Apply one server message to this thread's replica; a barrier returns the ack to send. */
export function applyReplicaMessage(m: ReplicaMessage, self: Pid): { to: Pid; ack: ServerInfo } | null {
  switch (m.kind) {
    case 'snapshot':
      threadReplica.snapshot(m.epoch, m.seq, m.rows);
      return null;
    case 'change':
      threadReplica.change(m.epoch, m.seq, m.name, m.pid, true);
      return null;
    case 'barrier':
      return { to: m.server, ack: { type: '$global', op: 'barrier_ack', ref: m.ref, pid: self } };
  }
}

export const GlobalReplica = defineActor(
  import.meta.url,
  {
    init(server: Pid): ReplicaState {
      const ctx = contextInInit();
      const epoch = server.toString();
      threadReplica.follow(epoch);
      const ref = ctx.monitor(server);
      ctx.send(server, { type: '$global', op: 'subscribe', pid: ctx.self } satisfies ServerInfo);
      return { server, epoch, ref };
    },
    handle(msg: unknown, state: ReplicaState, ctx: Context): ReplicaState {
      if (isReplicaMessage(msg)) {
        const ack = applyReplicaMessage(msg, ctx.self);
        if (ack !== null) ctx.send(ack.to, ack.ack);
      } else if (isDownMessage(msg) && msg.ref.equals(state.ref)) {
        threadReplica.drop(state.epoch);
        ctx.exit('normal');
      }
      return state;
    },
  },
  'GlobalReplica',
);

/** Run on a scheduler's thread by `node.applyOnSchedulers`: spawn its replica actor. */
export function startThreadReplica(scheduler: Scheduler, server: Pid): string {
  return scheduler.spawn(GlobalReplica, [server]).toString();
}

/** What `node.applyOnSchedulers` is given to run `startThreadReplica` on every scheduler. */
export const kStartThreadReplica = { module: import.meta.url, export: 'startThreadReplica' } as const;
