import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defineActor } from '../../src/core/behaviour.ts';
import { UndefinedBehaviourError } from '../../src/core/errors.ts';
import { NotPortableError, type ThreadedNode } from '../../src/threads/index.ts';
import { startNode } from '../../src/dist/start-node.ts';
import { Echo } from './fixtures/node-actors.ts';

let node: ThreadedNode;
beforeAll(async () => {
  node = await startNode({ schedulers: 2 });
});
afterAll(() => node.stop());

async function expectNotPortable(spawn: Promise<unknown>, message: string): Promise<void> {
  const err = await spawn.catch((e: unknown) => e);
  expect(err).toBeInstanceOf(NotPortableError);
  expect(err).toMatchObject({ code: 'ERR_SB_NOT_PORTABLE', message });
}

describe('spawning onto a scheduler thread', () => {
  it('refuses closures with NotPortableError', async () => {
    expect(node.spawnsClosures).toBe(false);
    await expectNotPortable(node.spawn({ handle: (_m: unknown, s: unknown) => s }), "spawn: a closure (handler object) cannot run on another thread; use defineActor(import.meta.url, impl, 'ExportName') or { module, export }");
    await expectNotPortable(node.spawn(function* () {}), "spawn: a closure (function) cannot run on another thread; use defineActor(import.meta.url, impl, 'ExportName') or { module, export }");
    // Defined with a module URL, but not exported by that module.
    const hidden = defineActor(import.meta.url, { handle: (_m: unknown, s: unknown) => s });
    await expectNotPortable(node.spawn(hidden), `spawn: behaviour from ${import.meta.url} is not exported by its module; export it or pass defineActor(..., 'ExportName')`);
  });

  it('accepts { module, export } references, and reports a missing export as UndefinedBehaviourError', async () => {
    const module = new URL('./fixtures/node-actors.ts', import.meta.url).href;
    const pid = await node.spawn({ module, export: 'Echo' });
    expect(await node.call(pid, 1)).toMatchObject({ echo: 1 });
    const undef = await node.spawn({ module, export: 'NoSuchThing' }).catch((e: unknown) => e);
    expect(undef).toBeInstanceOf(UndefinedBehaviourError);
    expect(undef).toMatchObject({ code: 'ERR_SB_UNDEF', message: `cannot load behaviour NoSuchThing from ${module}: module ${module} has no export NoSuchThing` });
    expect(await node.call(await node.spawn(Echo), 2)).toMatchObject({ echo: 2 });
  });
});
