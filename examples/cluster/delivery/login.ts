/**
 * The delivery example's behaviours ("try the login on another node"): a login service
 * that runs on several nodes and processes each login exactly once, and a client that
 * delivers logins at-least-once to the service on its first node, falling over to the
 * others. Behaviours only: node.ts is the script that runs them in a node process.
 *
 *   LoginService(file)   registered as 'login' on each service node. Each login is
 *       processed once with Delivery.processOnce and a DedupeTable whose file is shared by
 *       all service nodes of the example (one host); the processing's effect is the record
 *       `{ user, node }` written with its key, so a login processed on one node and resent
 *       to another (its ack lost with the first node) is acked there as a duplicate.
 *   LoginClient(owner, count, nodes)   logs in users 0..count-1, one at a time
 *       (`yield* Delivery.deliver`), to 'login' on nodes[0] with nodes[1..] as fallback;
 *       tells `owner` { progress: i } every 10 logins and { done: summary } at the end.
 *
 * Erlang mapping: Erlang would `{login, Node} ! Msg` (at-most-once) and hand-write the
 * monitor / receive-after / resend loop and a dedupe ETS table; here Delivery is that loop.
 */
import { defineActor } from '../../../src/core/behaviour.ts';
import type { Context } from '../../../src/core/context.ts';
import type { Pid } from '../../../src/core/pid.ts';
import { Delivery, DedupeTable, isDelivery } from '../../../src/cluster/delivery/index.ts';

export const kLoginName = 'login';

export const LoginService = defineActor(import.meta.url, {
  init: (file: string) => new DedupeTable({ file, shared: true }),
  handle(m: unknown, table: DedupeTable, ctx: Context): DedupeTable {
    if (isDelivery(m)) Delivery.processOnce(ctx, m, table, (login) => ({ user: (login as { user: number }).user, node: ctx.nodeName }));
    return table;
  },
  terminate(_reason: unknown, table: DedupeTable) {
    table.close();
  },
}, 'LoginService');

export interface ClientSummary {
  ok: number;
  failed: number;
  duplicates: number;
  attempts: number;
  byNode: Record<string, number>;
}

export const LoginClient = defineActor(import.meta.url, function* (ctx: Context, owner: Pid, count: number, nodes: string[]) {
  const s: ClientSummary = { ok: 0, failed: 0, duplicates: 0, attempts: 0, byNode: {} };
  const opts = { timeoutMs: 500, retries: 1, fallback: nodes.slice(1).map((node) => ({ node })) };
  for (let user = 0; user < count; user++) {
    try {
      const r = yield* Delivery.deliver(ctx, { name: kLoginName, node: nodes[0]! }, { user }, opts);
      s.ok++;
      s.attempts += r.attempts;
      if (r.duplicate) s.duplicates++;
      const node = (r.target as { node: string }).node;
      s.byNode[node] = (s.byNode[node] ?? 0) + 1;
    } catch {
      s.failed++;
    }
    if ((user + 1) % 10 === 0) ctx.send(owner, { progress: user + 1 });
  }
  ctx.send(owner, { done: s });
}, 'LoginClient');
