import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BadArgError, InvalidOptionError } from '../../src/core/errors.ts';
import type { Node } from '../../src/core/node.ts';
import { Pid } from '../../src/core/pid.ts';
import { startNode } from '../../src/dist/start-node.ts';
import { Pg, PgAlreadyStartedError, PgNotLocalError, PgNotStartedError } from '../../src/cluster/pg/index.ts';
import { Idle } from './fixtures/pg-actors.ts';
import { spawnClient } from './fixtures/pg-helpers.ts';

// The typed errors of pg: joining a pid of another node (Erlang's {nolocal, Pid}), a scope
// that is not started, starting one twice, bad arguments and bad start options — from the
// node and from an actor, with their classes, codes and messages.

let node: Node;
beforeEach(async () => {
  node = await startNode({ schedulers: 0 });
});
afterEach(() => node.stop());

// A pid of another node: node index 1 of this thread's node table.
const remote = new Pid(1, 42, 0);

describe('pg errors', () => {
  it('join/leave of a pid of another node: PgNotLocalError, nothing joined', async () => {
    await Pg.start(node);
    const a = await node.spawn(Idle);
    const e = await Pg.join(node, 'g', [a, remote]).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(PgNotLocalError);
    expect(e).toMatchObject({ code: 'ERR_SB_PG_NOT_LOCAL', pid: '<1.42.0>' });
    expect((e as Error).message).toBe('Pg.join: <1.42.0> is not a process of this node (only local processes may join or leave a group)');
    expect(await Pg.members(node, 'g')).toEqual([]);
    await expect(Pg.leave(node, 'g', remote)).rejects.toBeInstanceOf(PgNotLocalError);

    const c = await spawnClient(node, 'c');
    await expect(c.ask('join', 'default', 'g', remote)).rejects.toMatchObject({ name: 'PgNotLocalError', code: 'ERR_SB_PG_NOT_LOCAL' });
  });

  it('a scope that is not started: PgNotStartedError from the node and from an actor', async () => {
    const e = await Pg.members(node, 'nowhere', 'g').catch((x: unknown) => x);
    expect(e).toBeInstanceOf(PgNotStartedError);
    expect(e).toMatchObject({ code: 'ERR_SB_PG_NOT_STARTED', scope: 'nowhere' });
    expect((e as Error).message).toBe(`Pg.members: pg scope "nowhere" is not started on this node (Pg.start(node, 'nowhere'))`);
    const c = await spawnClient(node, 'c');
    await expect(c.ask('join', 'g', '$self')).rejects.toMatchObject({ name: 'PgNotStartedError', code: 'ERR_SB_PG_NOT_STARTED' });
    await expect(Pg.stop(node, 'nowhere')).rejects.toBeInstanceOf(PgNotStartedError);
  });

  it('starting a scope twice: PgAlreadyStartedError; after Pg.stop it starts again', async () => {
    await Pg.start(node, 's1');
    const e = await Pg.start(node, 's1').catch((x: unknown) => x);
    expect(e).toBeInstanceOf(PgAlreadyStartedError);
    expect(e).toMatchObject({ code: 'ERR_SB_PG_ALREADY_STARTED', scope: 's1' });
    await Pg.stop(node, 's1');
    await expect(Pg.members(node, 's1', 'g')).rejects.toBeInstanceOf(PgNotStartedError);
    await Pg.start(node, 's1');
    expect(await Pg.members(node, 's1', 'g')).toEqual([]);
  });

  it('bad arguments: BadArgError; bad start options: InvalidOptionError', async () => {
    await Pg.start(node);
    const a = await node.spawn(Idle);
    await expect(Pg.join(node, '', a)).rejects.toThrow(new BadArgError('Pg.join: the group must be a non-empty string'));
    await expect(Pg.join(node, 'g', 'nobody' as never)).rejects.toThrow(new BadArgError('Pg.join: expected a pid or an array of pids'));
    await expect(Pg.members(node, 'bad scope', 'g')).rejects.toBeInstanceOf(BadArgError);
    await expect(Pg.demonitor(node, 'default', 'x' as never)).rejects.toBeInstanceOf(BadArgError);
    await expect(Pg.start(node, 'o', { sched: 1 } as never)).rejects.toThrow(new InvalidOptionError('sched', 'Pg.start: unknown option "sched"'));
    await expect(Pg.start(node, 'o', { scheduler: -1 })).rejects.toThrow('Pg.start: option "scheduler" must be a non-negative integer');
    const c = await spawnClient(node, 'c');
    await expect(c.ask('members', 'default', 42)).rejects.toMatchObject({ name: 'BadArgError', message: 'Pg.members: the group must be a non-empty string' });
  });
});
