import { describe, expect, it } from 'vitest';
import { InvalidOptionError } from '../../src/core/errors.ts';
import { LocalNode } from '../../src/core/local-node.ts';

function optionError(make: () => unknown): InvalidOptionError {
  let err: unknown;
  try {
    make();
  } catch (e) {
    err = e;
  }
  expect(err).toBeInstanceOf(InvalidOptionError);
  expect((err as InvalidOptionError).code).toBe('ERR_SB_INVALID_OPTION');
  return err as InvalidOptionError;
}

describe('LocalNode: a wrong options object is an InvalidOptionError prefixed with the API called', () => {
  it('words every problem under LocalNode, or under the API name it is given', () => {
    expect(optionError(() => new LocalNode(7 as never)).message).toBe('LocalNode: options must be an object');
    const unknown = optionError(() => new LocalNode({ ringBytes: 4096 } as never));
    expect(unknown.message).toBe('LocalNode: unknown option "ringBytes"');
    expect(unknown.option).toBe('ringBytes');
    expect(optionError(() => new LocalNode({ callTimeoutMs: 0 })).message).toBe(
      'LocalNode: option "callTimeoutMs" must be a positive number of milliseconds or Infinity',
    );
    const budget = optionError(() => new LocalNode({ budget: 0 }));
    expect(budget.message).toBe('LocalNode: option "budget" must be an integer from 1 to 1e9');
    expect(budget.option).toBe('budget');
    expect(optionError(() => new LocalNode({ schedulers: 2 as 0 })).message).toBe(
      'LocalNode: option "schedulers" must be 0 (one scheduler on the calling thread)',
    );
    expect(optionError(() => new LocalNode({ maxBusyMs: -1 }, 'startNode')).message).toBe(
      'startNode: option "maxBusyMs" must be a number of milliseconds in (0, 1000]',
    );
  });

  it('takes undefined as the default and Infinity as a call timeout', async () => {
    const node = new LocalNode({ callTimeoutMs: Infinity, budget: undefined, schedulers: 0 });
    try {
      const pid = await node.spawn({ handle: (_m: unknown, st: unknown) => st });
      node.send(pid, 'ping');
      expect(node.stats().schedulers).toHaveLength(1);
    } finally {
      await node.stop();
    }
  });
});
