import { describe, expect, it } from 'vitest';
import { InvalidOptionError } from '../../src/core/errors.ts';
import { startNode } from '../../src/dist/start-node.ts';

// startNode's `balance` option takes 'steal', 'spawn' or 'migrate'; anything else is a typed error
// naming the option, with the exact message (no node is started).

describe('startNode balance option', () => {
  it.each([['share'], [''], [1], [true], [null]])('rejects %j with InvalidOptionError naming balance', async (value) => {
    const err = await startNode({ schedulers: 1, balance: value as never }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InvalidOptionError);
    expect((err as InvalidOptionError).option).toBe('balance');
    expect((err as Error).message).toBe(`startNode: option "balance" must be 'steal', 'spawn' or 'migrate'`);
  });

  it.each([['steal'], ['spawn'], ['migrate']])('accepts %s', async (value) => {
    const node = await startNode({ schedulers: 1, balance: value as 'steal' | 'spawn' | 'migrate' });
    await node.stop();
  });
});
