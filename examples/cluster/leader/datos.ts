/**
 * Datos: the seed's `datos` example for GenLeader (Erlang's gen_leader) — a small
 * replicated key-value table. Writes are leader calls: the leader applies them and
 * broadcasts them to every follower, so any node can read its own copy locally.
 *
 *   leader call { put: key, value }  on the leader: store, broadcast { put, value }, answer
 *                                     { leader, version }
 *   local call  { get: key }         this node's copy (no round trip to the leader)
 *   elected                           the synch is the whole table: a new leader hands its
 *                                     copy to every follower (surrendered takes it)
 *   handleDOWN                        the leader logs which member went away
 *
 * Every callback prints one JSON line `{ datos: <event>, node, ... }` on stdout (the demo,
 * main.ts, reads them). Module-defined, so it runs on any scheduler of a threaded node.
 */
import { defineGenLeader, GenLeader } from '../../../src/cluster/leader/index.ts';

interface Table {
  version: number;
  data: Record<string, unknown>;
}

function say(event: string, node: string, extra: Record<string, unknown> = {}): void {
  console.log(JSON.stringify({ datos: event, node, ...extra }));
}

export const Datos = defineGenLeader(import.meta.url, {
  init() {
    return { ok: { version: 0, data: {} } as Table };
  },
  elected(t: Table, e, joined) {
    say('elected', e.node, { joined: joined ?? null, alive: GenLeader.alive(e) });
    return { ok: true, synch: t, state: t };
  },
  surrendered(_t: Table, synch: Table, e) {
    say('surrendered', e.node, { leader: GenLeader.leaderNode(e), version: synch.version });
    return { ok: { version: synch.version, data: { ...synch.data } } };
  },
  handleLeaderCall(req: { put: string; value: unknown }, _from, t: Table, e) {
    t.data[req.put] = req.value;
    t.version++;
    return { reply: { leader: e.node, version: t.version }, state: t, broadcast: { put: req.put, value: req.value, version: t.version } };
  },
  fromLeader(synch: { put: string; value: unknown; version: number }, t: Table, e) {
    t.data[synch.put] = synch.value;
    t.version = synch.version;
    say('fromLeader', e.node, { put: synch.put, value: synch.value });
    return { ok: t };
  },
  handleDOWN(node, t: Table, e) {
    say('handleDOWN', e.node, { down: node });
    return { ok: t };
  },
  handleCall(req: { get: string }, _from, t: Table) {
    return { reply: t.data[req.get] ?? null, state: t };
  },
}, 'Datos');
