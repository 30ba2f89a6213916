import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Node } from '../../src/core/node.ts';
import type { Pid, Ref } from '../../src/core/pid.ts';
import { startNode } from '../../src/dist/start-node.ts';
import { Sys } from '../../src/otp/sys.ts';
import { Pg, pgServerName, type PgEvent } from '../../src/cluster/pg/index.ts';
import { Idle } from './fixtures/pg-actors.ts';
import { printed, spawnClient } from './fixtures/pg-helpers.ts';

// Subscriptions (Erlang's pg:monitor/2, monitor_scope/1, demonitor/2): the current members
// and a ref, then { type: 'pg', ref, event, group, pids } per change — a group monitor only
// for its group, a scope monitor for all; demonitor stops them and flushes queued ones;
// from a node the gateway is the subscriber (its 'message' events); a dead subscriber's
// subscriptions are dropped by the server.

let node: Node;
beforeEach(async () => {
  node = await startNode({ schedulers: 0 });
  await Pg.start(node);
});
afterEach(() => node.stop());

const subscriptions = async (): Promise<number> => ((await Sys.getStatus(node, pgServerName('default'))) as { state: { subscriptions: number } }).state.subscriptions;

describe('pg monitor and monitorScope', () => {
  it('group monitor: members now, then join and leave events of that group only', async () => {
    const a = await node.spawn(Idle);
    await Pg.join(node, 'g', a);
    const w = await spawnClient(node, 'w');
    const sub = await w.ask<{ ref: Ref; members: Pid[] }>('monitor', 'default', 'g');
    expect(printed(sub.members)).toEqual(printed([a]));
    const b = await node.spawn(Idle);
    await Pg.join(node, 'other', b);
    await Pg.join(node, 'g', [b, b]);
    const j = await w.nextEvent((e) => e.event === 'join');
    expect(j).toMatchObject({ type: 'pg', event: 'join', group: 'g' });
    expect(String(j.ref)).toBe(String(sub.ref));
    expect(printed(j.pids)).toEqual(printed([b, b]));
    node.send(a, 'stop');
    const l = await w.nextEvent((e) => e.event === 'leave');
    expect(printed(l.pids)).toEqual(printed([a]));
    expect(w.events.filter((e) => e.group === 'other')).toEqual([]);
  });

  it('scope monitor from the node: the gateway gets events as node messages', async () => {
    const seen: PgEvent[] = [];
    const got = new Promise<void>((resolve) => node.on('message', (m: PgEvent) => {
      if (m?.type === 'pg') seen.push(m);
      if (seen.length === 2) resolve();
    }));
    const sub = await Pg.monitorScope(node);
    expect(sub.groups.size).toBe(0);
    const a = await node.spawn(Idle);
    await Pg.join(node, 'x', a);
    await Pg.leave(node, 'x', a);
    await got;
    expect(seen.map((e) => [e.event, e.group, printed(e.pids)])).toEqual([['join', 'x', [String(a)]], ['leave', 'x', [String(a)]]]);
    expect(await Pg.demonitor(node, sub.ref)).toBe(true);
    expect(await Pg.demonitor(node, sub.ref)).toBe(false);
  });

  it('demonitor from an actor flushes queued events; a dead subscriber is forgotten', async () => {
    const w = await spawnClient(node, 'w');
    const sub = await w.ask<{ ref: Ref }>('monitorScope', 'default');
    expect(await subscriptions()).toBe(1);
    const a = await node.spawn(Idle);
    const done = w.ask('holdThenDemonitor', 'default', sub.ref);
    await Pg.join(node, 'g', a); // its event waits in w's mailbox, behind nothing
    node.send(w.pid, 'go');
    expect(await done).toBe(true);
    expect(await subscriptions()).toBe(0);
    await Pg.leave(node, 'g', a); // no event any more
    // Anything w still had would be reported before the answer to this later request.
    expect(await w.ask('members', 'default', 'g')).toEqual([]);
    expect(w.events).toEqual([]);
    expect(await w.ask('demonitor', 'default', sub.ref)).toBe(false);

    const v = await spawnClient(node, 'v');
    await v.ask('monitor', 'default', 'g');
    expect(await subscriptions()).toBe(1);
    node.send(v.pid, 'stop');
    // The server handles the subscriber's DOWN before this later call.
    await Pg.join(node, 'g', a);
    expect(await subscriptions()).toBe(0);
  });
});
