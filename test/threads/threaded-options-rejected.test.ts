import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InvalidOptionError } from '../../src/core/errors.ts';
import { startNode, type ThreadedNode } from '../../src/threads/index.ts';
import { Echo } from './fixtures/node-actors.ts';

describe('startNode options', () => {
  it.each([
    [{ schedulers: 0 }, 'schedulers'],
    [{ schedulers: 1.5 }, 'schedulers'],
    [{ budget: -1 }, 'budget'],
    [{ ringBytes: 5000 }, 'ringBytes'],
    [{ overflowBytes: -1 }, 'overflowBytes'],
    [{ spinUs: 'fast' }, 'spinUs'],
    [{ maxNames: 0 }, 'maxNames'],
    [{ quantumMs: 0 }, 'quantumMs'],
    [{ onSchedulerDown: 42 }, 'onSchedulerDown'],
    [{ schedulerz: 2 }, 'schedulerz'],
  ])('rejects %j with InvalidOptionError naming %s', async (opts, option) => {
    const err = await startNode(opts as never).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InvalidOptionError);
    expect((err as InvalidOptionError).option).toBe(option);
    expect((err as Error).message).toContain(option);
  });
});

describe('spawn options on a running node', () => {
  let node: ThreadedNode;
  beforeAll(async () => {
    node = await startNode({ schedulers: 2 });
  });
  afterAll(() => node.stop());

  it.each([
    [{ scheduler: 2 }, 'scheduler'],
    [{ scheduler: -1 }, 'scheduler'],
    [{ priority: 'urgent' }, 'priority'],
    [{ maxMailbox: 0 }, 'maxMailbox'],
    [{ colour: 'red' }, 'colour'],
  ])('rejects %j with InvalidOptionError naming %s', async (opts, option) => {
    const err = await node.spawn(Echo, [], opts as never).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InvalidOptionError);
    expect((err as InvalidOptionError).option).toBe(option);
  });
});
