import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Node } from '../../src/core/node.ts';
import type { Pid, Ref } from '../../src/core/pid.ts';
import { startNode } from '../../src/dist/start-node.ts';
import { Pg } from '../../src/cluster/pg/index.ts';
import { printed, spawnClient } from './fixtures/pg-helpers.ts';

// pg on a ThreadedNode with 2 schedulers: the scope server runs on scheduler 0. An actor on
// scheduler 1 joins and reads through calls to the server; an actor on scheduler 0 reads
// the server's table directly (the server gets no message for it; Pg.view gives that table
// there, and nothing on scheduler 1); the embedding thread
// reads through calls; a member on scheduler 1 that dies is removed and the subscriber on
// scheduler 1 gets the leave event.

let node: Node;
let server: Pid;
beforeAll(async () => {
  node = await startNode({ schedulers: 2 });
  server = await Pg.start(node, 'default', { scheduler: 0 });
});
afterAll(() => node.stop());

/** Pid ids are slot * endpoints + scheduler; endpoints = 3 (2 schedulers + the gateway). */
const schedulerOf = (pid: Pid): number => pid.id % 3;
const serverMessagesIn = async (): Promise<number> => (await node.processInfo(server))!.messagesIn;

describe('pg on a ThreadedNode (2 schedulers)', () => {
  it('joins and reads from both schedulers and the embedding thread; reads on the server scheduler send nothing', async () => {
    expect(schedulerOf(server)).toBe(0);
    const far = await spawnClient(node, 'far', { scheduler: 1 });
    const near = await spawnClient(node, 'near', { scheduler: 0 });
    expect(schedulerOf(far.pid)).toBe(1);
    expect(schedulerOf(near.pid)).toBe(0);

    expect(await far.ask('join', 'default', 'g', '$self')).toBe('ok');
    expect(await near.ask('join', 'default', 'g', '$self')).toBe('ok');
    const both = printed([far.pid, near.pid]);
    expect(printed(await far.ask('members', 'default', 'g'))).toEqual(both);
    expect(printed(await Pg.members(node, 'g'))).toEqual(both);
    expect(printed(await Pg.localMembers(node, 'g'))).toEqual(both);

    const before = await serverMessagesIn();
    expect(printed(await near.ask('members', 'default', 'g'))).toEqual(both);
    expect(await near.ask('whichGroups', 'default')).toEqual(['g']);
    expect(printed(await near.ask('viewMembers', 'default', 'g'))).toEqual(both); // Pg.view: sync
    expect(await serverMessagesIn()).toBe(before); // read from the table, no call
    expect(await far.ask('viewMembers', 'default', 'g')).toBe(null); // not the server's scheduler
    expect(printed(await far.ask('localMembers', 'default', 'g'))).toEqual(both);
    expect(await serverMessagesIn()).toBeGreaterThan(before); // a call from scheduler 1
  });

  it('a member on scheduler 1 that dies is removed; the watcher on scheduler 1 hears it', async () => {
    const watcher = await spawnClient(node, 'watcher', { scheduler: 1 });
    const member = await spawnClient(node, 'member', { scheduler: 1 });
    await member.ask('join', 'default', 'h', '$self');
    const sub = await watcher.ask<{ ref: Ref; members: Pid[] }>('monitor', 'default', 'h');
    expect(printed(sub.members)).toEqual(printed([member.pid]));
    node.send(member.pid, 'stop');
    const e = await watcher.nextEvent((x) => x.event === 'leave');
    expect(printed(e.pids)).toEqual(printed([member.pid]));
    expect(await Pg.members(node, 'h')).toEqual([]);
  });
});
