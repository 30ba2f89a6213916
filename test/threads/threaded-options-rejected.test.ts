import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InvalidOptionError } from '../../src/core/errors.ts';
import { type ThreadedNode } from '../../src/threads/index.ts';
import { startNode } from '../../src/dist/start-node.ts';
import { Echo } from './fixtures/node-actors.ts';

// Spawn options on a running ThreadedNode: a wrong one is an InvalidOptionError naming
// it, and nothing is spawned. (startNode's own options: start-node-options.test.ts.)

describe('spawn options on a running node', () => {
  let node: ThreadedNode;
  beforeAll(async () => {
    node = await startNode({ schedulers: 2 });
  });
  afterAll(() => node.stop());

  it('rejects a scheduler the node does not have, with the exact message', async () => {
    const err = await node.spawn(Echo, [], { scheduler: 2 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InvalidOptionError);
    expect((err as InvalidOptionError).option).toBe('scheduler');
    expect((err as Error).message).toBe('spawn: option "scheduler" must be below 2 (the node\'s schedulers), got 2');
    expect(await node.processes()).toEqual([]);
  });

  it.each([
    [{ scheduler: -1 }, 'scheduler'],
    [{ priority: 'urgent' }, 'priority'],
    [{ maxMailbox: 0 }, 'maxMailbox'],
    [{ colour: 'red' }, 'colour'],
  ])('rejects %j with InvalidOptionError naming %s', async (opts, option) => {
    // The message comes from the scheduler's spawn-option check (core).
    const err = await node.spawn(Echo, [], opts as never).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InvalidOptionError);
    expect((err as InvalidOptionError).option).toBe(option);
    expect((err as Error).message).toContain(`"${option}"`);
  });
});
