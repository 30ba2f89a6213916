import { afterEach, describe, expect, it } from 'vitest';
import { BadArgError } from '../../src/core/errors.ts';
import { LocalNode } from '../../src/core/local-node.ts';

const mod = new URL('./fixtures/apply-on-scheduler.ts', import.meta.url).href;

let node: LocalNode;
afterEach(() => node?.stop());

async function rejection(p: Promise<unknown>): Promise<BadArgError> {
  const e = await p.catch((x: unknown) => x);
  expect(e).toBeInstanceOf(BadArgError);
  return e as BadArgError;
}

describe('LocalNode: applyOnSchedulers runs a module function on its one scheduler', () => {
  it('imports the module and resolves with [fn(scheduler, ...args)], sync or async', async () => {
    node = new LocalNode();
    await node.spawn({ handle: (_m: unknown, st: unknown) => st });
    // Two actors: the gateway and the one just spawned.
    expect(await node.applyOnSchedulers({ module: mod, export: 'actorCount' }, [10])).toEqual([12]);
    expect(await node.applyOnSchedulers({ module: mod, export: 'indexLater' })).toEqual([0]);
    expect(await node.applyOnSchedulers({ module: mod, export: 'indexLater' }, [], [0])).toEqual([0]);
    expect(await node.applyOnSchedulers({ module: mod, export: 'indexLater' }, [], [])).toEqual([]);
  });

  it('rejects with BadArgError for a scheduler it does not have, a bad fn, or an export that is no function', async () => {
    node = new LocalNode();
    expect((await rejection(node.applyOnSchedulers({ module: mod, export: 'actorCount' }, [0], [1]))).message).toBe('applyOnSchedulers: no scheduler 1');
    expect((await rejection(node.applyOnSchedulers({ module: mod } as never))).message).toBe(
      'applyOnSchedulers: fn must be { module, export } naming an exported function',
    );
    expect((await rejection(node.applyOnSchedulers({ module: mod, export: 'notAFunction' }))).message).toBe(
      `applyOnSchedulers: module ${mod} has no function export notAFunction`,
    );
  });
});
