import { describe, expect, it } from 'vitest';
import { InvalidOptionError } from '../../src/core/errors.ts';
import { LocalNode } from '../../src/core/local-node.ts';
import { startNode } from '../../src/dist/start-node.ts';

// startNode checks its options before starting anything: a wrong one is an
// InvalidOptionError naming it, with the one message style of core/options.ts.

async function rejection(opts: unknown): Promise<InvalidOptionError> {
  const err = await startNode(opts as never).then(
    async (node) => {
      await node.stop();
      return new Error('started');
    },
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(InvalidOptionError);
  return err as InvalidOptionError;
}

describe('startNode option values', () => {
  it.each([
    [{ schedulers: 1.5 }, 'schedulers', 'must be an integer from 0 to 1024'],
    [{ schedulers: -1 }, 'schedulers', 'must be an integer from 0 to 1024'],
    [{ schedulers: 1025 }, 'schedulers', 'must be an integer from 0 to 1024'],
    [{ schedulers: '2' }, 'schedulers', 'must be an integer from 0 to 1024'],
    [{ budget: -1 }, 'budget', 'must be an integer from 1 to 1e9'],
    [{ maxReductionsPerMessage: 0 }, 'maxReductionsPerMessage', 'must be a positive integer'],
    [{ maxHeapSize: -1 }, 'maxHeapSize', 'must be a non-negative integer (bytes; 0 = none)'],
    [{ quantumMs: 0 }, 'quantumMs', 'must be a number of milliseconds in (0, 1000]'],
    [{ callTimeoutMs: 0 }, 'callTimeoutMs', 'must be a positive number of milliseconds or Infinity'],
    [{ ringBytes: 5000 }, 'ringBytes', 'must be a power of two from 4096 to 2^28'],
    [{ overflowBytes: -1 }, 'overflowBytes', 'must be a non-negative integer'],
    [{ maxNames: 0 }, 'maxNames', 'must be an integer from 1 to 2^20'],
    [{ spinUs: 'fast' }, 'spinUs', 'must be a number of microseconds from 0 to 1e6'],
    [{ stopTimeoutMs: 1.5 }, 'stopTimeoutMs', 'must be a non-negative integer'],
    [{ onSchedulerDown: 42 }, 'onSchedulerDown', 'must be a function'],
    [{ balance: 'share' }, 'balance', "must be 'steal', 'spawn' or 'migrate'"],
  ])('rejects %j: option %s %s', async (opts, option, requirement) => {
    const err = await rejection(opts);
    expect(err.option).toBe(option);
    expect(err.message).toBe(`startNode: option "${option}" ${requirement}`);
  });

  it('rejects an unknown option, naming it', async () => {
    const err = await rejection({ schedulerz: 2 });
    expect(err.option).toBe('schedulerz');
    expect(err.message).toBe('startNode: unknown option "schedulerz"');
  });

  it.each([[null], [5], ['fast'], [[]]])('rejects options %j that are not an object', async (opts) => {
    const err = await rejection(opts);
    expect(err.option).toBe('options');
    expect(err.message).toBe('startNode: options must be an object');
  });
});

describe('startNode options with schedulers: 0', () => {
  it.each([
    ['ringBytes', 4096],
    ['overflowBytes', 0],
    ['maxNames', 16],
    ['spinUs', 0],
    ['stopTimeoutMs', 100],
    ['onSchedulerDown', () => {}],
    ['balance', 'spawn'],
  ])('refuses %s, which only scheduler threads have', async (option, value) => {
    const err = await rejection({ schedulers: 0, [option]: value });
    expect(err.option).toBe(option);
    expect(err.message).toBe(`startNode: option "${option}" applies only with schedulers >= 1`);
  });

  it('takes the options that apply to one scheduler on the calling thread, and undefined as the default', async () => {
    const node = await startNode({ schedulers: 0, budget: 100, maxReductionsPerMessage: 1000, maxHeapSize: 0, quantumMs: 1, callTimeoutMs: 1000, ringBytes: undefined });
    expect(node).toBeInstanceOf(LocalNode);
    await node.stop();
  });
});
