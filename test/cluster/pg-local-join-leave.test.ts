import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Node } from '../../src/core/node.ts';
import type { Pid } from '../../src/core/pid.ts';
import { startNode } from '../../src/dist/start-node.ts';
import { Pg } from '../../src/cluster/pg/index.ts';
import { Idle } from './fixtures/pg-actors.ts';
import { printed, spawnClient } from './fixtures/pg-helpers.ts';

// The local API of pg on a LocalNode without a name (a scope that runs locally only):
// each join counts, leave removes one, 'not_joined' when nothing was there, a dead
// member leaves every group, empty groups vanish, scopes are independent, and the
// 3-argument forms use the 'default' scope — from the node (promises) and from an actor
// (generators).

let node: Node;
beforeEach(async () => {
  node = await startNode({ schedulers: 0 });
});
afterEach(() => node.stop());

describe('pg on one node: join, leave, members', () => {
  it('multi-join counts, leave removes one occurrence, not_joined at the end', async () => {
    await Pg.start(node, 'default');
    const a = await node.spawn(Idle);
    const b = await node.spawn(Idle);
    expect(await Pg.join(node, 'g', a)).toBe('ok');
    expect(await Pg.join(node, 'default', 'g', [a, b])).toBe('ok');
    expect(printed(await Pg.members(node, 'g'))).toEqual(printed([a, a, b]));
    expect(printed(await Pg.localMembers(node, 'default', 'g'))).toEqual(printed([a, a, b]));
    expect(await Pg.whichGroups(node)).toEqual(['g']);
    expect(await Pg.whichLocalGroups(node)).toEqual(['g']);

    expect(await Pg.leave(node, 'g', a)).toBe('ok');
    expect(printed(await Pg.members(node, 'g'))).toEqual(printed([a, b]));
    expect(await Pg.leave(node, 'g', [a, b])).toBe('ok');
    expect(await Pg.members(node, 'g')).toEqual([]);
    expect(await Pg.whichGroups(node)).toEqual([]); // an empty group is no group
    expect(await Pg.leave(node, 'g', a)).toBe('not_joined');
    expect(await Pg.leave(node, 'other', [a, b])).toBe('not_joined');
  });

  it('a member that dies leaves every group it joined, once per join', async () => {
    await Pg.start(node);
    const a = await node.spawn(Idle);
    const b = await node.spawn(Idle);
    await Pg.join(node, 'g1', [a, a, b]);
    await Pg.join(node, 'g2', a);
    const w = await spawnClient(node, 'w');
    const sub = await w.ask<{ groups: Map<string, Pid[]> }>('monitorScope', 'default');
    expect(printed(sub.groups.get('g1')!)).toEqual(printed([a, a, b]));
    node.send(a, 'stop');
    await w.nextEvent((e) => e.event === 'leave' && e.group === 'g2');
    expect(printed(await Pg.members(node, 'g1'))).toEqual(printed([b]));
    expect(await Pg.members(node, 'g2')).toEqual([]);
    expect(await Pg.whichGroups(node)).toEqual(['g1']);
  });

  it('scopes are independent; from an actor the same calls are generators', async () => {
    await Pg.start(node, 'one');
    await Pg.start(node, 'two');
    const c = await spawnClient(node, 'c');
    expect(await c.ask('join', 'one', 'g', '$self')).toBe('ok');
    expect(await c.ask('join', 'two', 'h', '$self')).toBe('ok');
    expect(printed(await c.ask('members', 'one', 'g'))).toEqual(printed([c.pid]));
    expect(await c.ask('members', 'two', 'g')).toEqual([]);
    expect(printed(await c.ask('viewMembers', 'one', 'g'))).toEqual(printed([c.pid])); // Pg.view: sync, on a LocalNode always
    expect(await c.ask('viewMembers', 'three', 'g')).toBe(null); // no such scope here
    expect(await c.ask('whichGroups', 'one')).toEqual(['g']);
    expect(await c.ask('whichGroups', 'two')).toEqual(['h']);
    expect(await c.ask('leave', 'one', 'g', '$self')).toBe('ok');
    expect(await c.ask('leave', 'one', 'g', '$self')).toBe('not_joined');
    expect(printed(await Pg.members(node, 'two', 'h'))).toEqual(printed([c.pid]));
  });
});
