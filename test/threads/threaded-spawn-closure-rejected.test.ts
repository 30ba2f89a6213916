import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defineActor } from '../../src/core/behaviour.ts';
import { UndefinedBehaviourError } from '../../src/core/errors.ts';
import { NotPortableError, startNode, type ThreadedNode } from '../../src/threads/index.ts';
import { Echo } from './fixtures/node-actors.ts';

let node: ThreadedNode;
beforeAll(async () => {
  node = await startNode({ schedulers: 2 });
});
afterAll(() => node.stop());

describe('spawning onto a scheduler thread', () => {
  it('refuses closures with NotPortableError', async () => {
    expect(node.spawnsClosures).toBe(false);
    const err = await node.spawn({ handle: (_m: unknown, s: unknown) => s }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(NotPortableError);
    expect((err as Error).message).toBe("spawn: a closure (handler object) cannot run on another thread; use defineActor(import.meta.url, impl, 'ExportName') or { module, export }");
    await expect(node.spawn(function* () {})).rejects.toBeInstanceOf(NotPortableError);
    // Defined with a module URL, but not exported by that module.
    const hidden = defineActor(import.meta.url, { handle: (_m: unknown, s: unknown) => s });
    await expect(node.spawn(hidden)).rejects.toBeInstanceOf(NotPortableError);
  });

  it('accepts { module, export } references, and reports a missing export as UndefinedBehaviourError', async () => {
    const module = new URL('./fixtures/node-actors.ts', import.meta.url).href;
    const pid = await node.spawn({ module, export: 'Echo' });
    expect(await node.call(pid, 1)).toMatchObject({ echo: 1 });
    await expect(node.spawn({ module, export: 'NoSuchThing' })).rejects.toBeInstanceOf(UndefinedBehaviourError);
    expect(await node.call(await node.spawn(Echo), 2)).toMatchObject({ echo: 2 });
  });
});
