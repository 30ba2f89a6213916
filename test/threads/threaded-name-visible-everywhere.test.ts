import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CallExitError, NameTakenError } from '../../src/core/errors.ts';
import { type ThreadedNode } from '../../src/threads/index.ts';
import { startNode } from '../../src/dist/start-node.ts';
import { Collector, Mortal, Sender } from './fixtures/node-actors.ts';
import { eventually } from './fixtures/node-helpers.ts';

let node: ThreadedNode;
beforeAll(async () => {
  node = await startNode({ schedulers: 2 });
});
afterAll(() => node.stop());

describe('registered names on a multi-thread node', () => {
  it('a name registered by an actor on one scheduler is usable from another and from the embedding thread', async () => {
    const owner = await node.spawn(Collector, [], { scheduler: 1 });
    const m = await node.spawn(Mortal, [], { scheduler: 1 });
    expect(await node.call(m, { register: 'worker-one' })).toBe('registered');
    expect(node.whereis('worker-one')).toEqual(m);
    const s = await node.spawn(Sender, [], { scheduler: 0 });
    await node.register('sink', owner);
    expect(node.whereis('sink')).toEqual(owner);
    // Scheduler 0 sends by name to an actor on scheduler 1.
    await node.call(s, { send: { to: 'sink', msg: 'by-name' } });
    expect(await eventually(() => node.call('sink', 'get') as Promise<unknown[]>, (g) => g.length === 1)).toEqual(['by-name']);
    expect(node.registered().sort()).toEqual(['sink', 'worker-one']);
  });

  it('a taken name is refused node-wide, and freed when its process exits', async () => {
    const a = await node.spawn(Mortal, [], { scheduler: 0, name: 'unique' });
    const taken = await node.spawn(Mortal, [], { scheduler: 1, name: 'unique' }).catch((e: unknown) => e);
    expect(taken).toBeInstanceOf(NameTakenError);
    expect(taken).toMatchObject({ code: 'ERR_SB_NAME_TAKEN', message: 'name already registered: unique' });
    const b = await node.spawn(Mortal, [], { scheduler: 1 });
    // The actor crashes with NameTakenError, so the call ends with its exit.
    const crash = await node.call(b, { register: 'unique' }, 2000).catch((e: unknown) => e);
    expect(crash).toBeInstanceOf(CallExitError);
    expect(crash).toMatchObject({ code: 'ERR_SB_CALL_EXIT', reason: { kind: 'error', name: 'NameTakenError', message: 'name already registered: unique' } });
    await node.call(a, { die: 'normal' });
    await eventually(async () => node.whereis('unique'), (p) => p === undefined);
    const c = await node.spawn(Mortal, [], { scheduler: 1, name: 'unique' });
    expect(node.whereis('unique')).toEqual(c);
  });

  it('unregister from the embedding thread frees the name on the owner too', async () => {
    const a = await node.spawn(Mortal, [], { scheduler: 0, name: 'temp' });
    node.unregister('temp');
    expect(node.whereis('temp')).toBeUndefined();
    await eventually(async () => (await node.processInfo(a))?.registeredName, (n) => n === null);
    expect(await node.call(a, { register: 'temp2' })).toBe('registered');
  });
});
