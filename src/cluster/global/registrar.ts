/**
 * The registrar: the process of a node's global name server that runs transactions, one
 * at a time, in the order the server hands them over (Erlang's global registrar process
 * running trans_all_known). The server itself never waits, so it keeps answering lock
 * requests of other nodes' registrars while its own registrar waits for theirs.
 *
 * register(name, pid, method) (the register/unregister jobs queued behind one share its
 * steps 1-5 as one batch, in their order; a sync queued among them runs after the batch):
 *   1. known := the server's synced nodes; nodes := this node + known.
 *   2. Take the cluster lock on nodes (cluster-lock.ts); refused -> back off, go to 1.
 *      Each granting server also says who owns the names in its table.
 *   3. Re-read known; a node synced meanwhile -> release, go to 1 (it must be locked too).
 *   4. An owner on any locked node -> 'no' (a re-register takes the name anyway). Else
 *      write it on every node (multi-call `apply`; each server monitors the owner) -> 'yes'.
 *   5. Release the lock; answer with the local server's change number (thread-replica.ts).
 * unregister(name): the same steps, removing the name (answer 'ok', owner or not, as Erlang).
 * sync(peer), run by the node whose name sorts first of the two when they connect:
 *   1. nodes := this node + known + peer; take the cluster lock there.
 *   2. Ask the peer's server for its table and known nodes; lock those of its known nodes
 *      not locked yet (refused -> release all, back off, go to 1), so the lock covers both
 *      partitions whole.
 *   3. Merge this node's table with the peer's: a name on one side is kept; the same pid
 *      on both is kept; two pids -> resolved ONCE, here (resolve.ts), with the method this
 *      side's owner was registered with.
 *   4. Install the merged table and the node set on every locked node (each server
 *      replaces its table and adds the nodes to its known set), release, tell the server.
 *   No server on the peer (not started yet) -> give up: that server says hello when it
 *   starts, and the sync runs again. The lock serialises merges, so a second pair of the
 *   same two partitions merging later finds equal tables: nothing left to resolve.
 */
import { defineActor } from '../../core/behaviour.ts';
import type { Context, ReceiveRequest } from '../../core/context.ts';
import type { Pid } from '../../core/pid.ts';
import { backoffMs, kStepTimeoutMs, releaseLock, serverOf, takeLock } from './cluster-lock.ts';
import { callOne, multiCall } from './multi-call.ts';
import { TIMEOUT } from '../../core/reason.ts';
import type { NameChange, NameRow, NameTakenMessage, NameTakenReason, RegistrarJob, ServerCall, ServerInfo, TableAnswer, TxnAnswer } from './protocol.ts';
import { resolveClash } from './resolve.ts';

type Gen<T> = Generator<ReceiveRequest, T, any>;

/** How a sync ended, as the registrar tells its server. */
export type SyncOutcome = 'ok' | 'no_server' | 'failed';

/** At most this many register/unregister jobs share one transaction. */
const kMaxBatch = 256;

type NameJob = Exclude<RegistrarJob, { job: 'sync' }>;

function isJob(m: unknown): m is RegistrarJob {
  return typeof m === 'object' && m !== null && typeof (m as { job?: unknown }).job === 'string';
}

function isNameJob(m: unknown): boolean {
  const j = (m as { job?: unknown } | null)?.job;
  return j === 'register' || j === 'unregister';
}

export const GlobalRegistrar = defineActor(
  import.meta.url,
  function* registrar(ctx: Context, server: Pid): Gen<void> {
    for (;;) {
      const m: unknown = yield ctx.receive();
      if (!isJob(m)) continue; // nothing else is expected; a stray message is dropped
      if (m.job === 'sync') {
        let outcome: SyncOutcome = 'failed';
        try {
          outcome = yield* syncWith(ctx, server, m.node);
        } finally {
          ctx.send(server, { type: '$global', op: 'sync_done', node: m.node, outcome } satisfies ServerInfo);
        }
      } else {
        // Steps 1-5 for this job and every register/unregister queued behind it (up to
        // kMaxBatch), in one transaction: one lock (which also says who owns the names),
        // one write on every node.
        const batch: NameJob[] = [m];
        while (batch.length < kMaxBatch) {
          const next: unknown = yield ctx.receive(isNameJob, 0);
          if (next === TIMEOUT) break;
          batch.push(next as NameJob);
        }
        const answers = yield* runBatch(ctx, server, batch);
        for (let i = 0; i < batch.length; i++) deliver(ctx, batch[i]!, answers[i]!);
      }
    }
  },
  'GlobalRegistrar',
);

function deliver(ctx: Context, job: NameJob, answer: TxnAnswer & { owner?: Pid | null }): void {
  const to = job.replyTo;
  if (to.kind === 'call') {
    ctx.reply(to.from, { result: answer.result, seq: answer.seq, epoch: answer.epoch } satisfies TxnAnswer);
    return;
  }
  if (answer.result !== 'no' || job.job !== 'register') return;
  const owner = answer.owner ?? null;
  if (to.onTaken === 'exit') ctx.exit(job.pid, { kind: 'global_name_taken', name: job.name, owner } satisfies NameTakenReason);
  else ctx.send(job.pid, { type: 'global_name_taken', name: job.name, owner } satisfies NameTakenMessage);
}

function* known(ctx: Context, server: Pid): Gen<string[]> {
  const a = yield* callOne(ctx, server, { op: 'known' } satisfies ServerCall, kStepTimeoutMs);
  return a.ok ? (a.value as string[]) : [];
}

/** Steps 1-3 of register/unregister: the lock on this node and every synced node, and who owns `names` there. */
function* lockKnown(ctx: Context, server: Pid, names: readonly string[]): Gen<{ nodes: string[]; owners: readonly (Pid | null)[] }> {
  for (let attempt = 0; ; attempt++) {
    const nodes = [ctx.nodeName, ...(yield* known(ctx, server))];
    const r = yield* takeLock(ctx, server, nodes, names);
    if (r.held) {
      const now = yield* known(ctx, server);
      if (now.every((n) => nodes.includes(n))) return { nodes, owners: r.owners };
      releaseLock(ctx, server, nodes);
      continue;
    }
    // A synced node without a server any more (or gone): not synced now. Its nodedown (or
    // its server's hello when it starts again) follows.
    for (const n of r.gone) if (n !== ctx.nodeName) ctx.send(server, { type: '$global', op: 'forget', node: n } satisfies ServerInfo);
    yield ctx.sleep(backoffMs(attempt));
  }
}

function targets(ctx: Context, server: Pid, nodes: readonly string[]) {
  return nodes.map((n) => serverOf(ctx.nodeName, server, n));
}

/**
 * One transaction for a batch of register/unregister jobs, in queue order: a name taken by
 * an earlier job of the batch counts as taken for the later ones.
 */
function* runBatch(ctx: Context, server: Pid, batch: readonly NameJob[]): Gen<(TxnAnswer & { owner?: Pid | null })[]> {
  const epoch = server.toString();
  const names = [...new Set(batch.map((j) => j.name))];
  const { nodes, owners: found } = yield* lockKnown(ctx, server, names);
  try {
    const owners = new Map<string, Pid | null>();
    names.forEach((n, i) => owners.set(n, found[i] ?? null));
    const changes: NameChange[] = [];
    const slot: number[] = [];
    const out: (TxnAnswer & { owner?: Pid | null })[] = [];
    for (const j of batch) {
      if (j.job === 'register') {
        const owner = owners.get(j.name) ?? null;
        if (owner !== null && !j.force) {
          out.push({ result: 'no', seq: -1, epoch, owner });
          slot.push(-1);
          continue;
        }
        owners.set(j.name, j.pid);
        slot.push(changes.length);
        changes.push({ name: j.name, pid: j.pid, method: j.method });
        out.push({ result: 'yes', seq: -1, epoch });
      } else {
        owners.set(j.name, null);
        slot.push(changes.length);
        changes.push({ name: j.name, pid: null, method: 'random_exit' });
        out.push({ result: 'ok', seq: -1, epoch });
      }
    }
    if (changes.length > 0) {
      const answers = yield* multiCall(ctx, targets(ctx, server, nodes), { op: 'apply', changes } satisfies ServerCall, kStepTimeoutMs);
      const local = answers[0]!;
      const seqs = local.ok ? (local.value as number[]) : [];
      for (let i = 0; i < out.length; i++) {
        if (slot[i]! >= 0) out[i] = { ...out[i]!, seq: seqs[slot[i]!] ?? -1 };
      }
    }
    return out;
  } finally {
    releaseLock(ctx, server, nodes);
  }
}

function* syncWith(ctx: Context, server: Pid, peer: string): Gen<SyncOutcome> {
  const peerServer = serverOf(ctx.nodeName, server, peer);
  // Nodes of the peer's partition that cannot be reached from here (no server, or no
  // connection): left out of the lock and the install; they merge when they connect.
  const unreachable = new Set<string>();
  for (let attempt = 0; ; attempt++) {
    if (attempt > 0) yield ctx.sleep(backoffMs(attempt));
    const nodes = [...new Set([ctx.nodeName, ...(yield* known(ctx, server)), peer])];
    const r = yield* takeLock(ctx, server, nodes);
    if (!r.held) {
      if (r.gone.includes(peer)) return 'no_server';
      for (const n of r.gone) if (n !== ctx.nodeName) ctx.send(server, { type: '$global', op: 'forget', node: n } satisfies ServerInfo);
      continue;
    }
    try {
      // Step 2: the peer's side, and the rest of its partition under the lock too.
      const theirs = yield* callOne(ctx, peerServer, { op: 'table' } satisfies ServerCall, kStepTimeoutMs);
      if (!theirs.ok) return theirs.reason === 'noproc' ? 'no_server' : 'failed';
      const t = theirs.value as TableAnswer;
      const extra = t.known.filter((n) => !nodes.includes(n) && !unreachable.has(n));
      if (extra.length > 0) {
        const x = yield* takeLock(ctx, server, extra);
        if (!x.held) {
          for (const n of x.gone) unreachable.add(n);
          continue;
        }
        nodes.push(...extra);
      }
      const mine = yield* callOne(ctx, server, { op: 'table' } satisfies ServerCall, kStepTimeoutMs);
      if (!mine.ok) return 'failed';
      // Step 3: merge, resolving each clash once.
      const merged = new Map<string, NameRow>();
      for (const row of t.rows) merged.set(row[0], row);
      for (const row of (mine.value as TableAnswer).rows) {
        const other = merged.get(row[0]);
        if (other === undefined || other[1].equals(row[1])) {
          merged.set(row[0], row);
          continue;
        }
        const keep = yield* resolveClash(ctx, row[0], row[2], row[1], other[1]);
        if (keep === null) merged.delete(row[0]);
        else merged.set(row[0], keep.equals(row[1]) ? row : other);
      }
      // Step 4: every locked node gets the merged table and the node set.
      const install: ServerCall = { op: 'install', rows: [...merged.values()], nodes };
      const answers = yield* multiCall(ctx, targets(ctx, server, nodes), install, kStepTimeoutMs);
      return answers.every((a) => a.ok) ? 'ok' : 'failed';
    } finally {
      releaseLock(ctx, server, nodes);
    }
  }
}
