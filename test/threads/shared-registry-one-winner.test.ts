import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BadArgError, NameTakenError } from '../../src/core/errors.ts';
import { Pid } from '../../src/core/pid.ts';
import { SharedRegistry, initSharedRegistry, sharedRegistryBytes } from '../../src/threads/shared-registry.ts';
import { type ThreadedNode } from '../../src/threads/index.ts';
import { startNode } from '../../src/dist/start-node.ts';
import { Registrar } from './fixtures/node-actors.ts';

function table(maxNames: number, owner = 0, stride = 3): SharedRegistry {
  const sab = new SharedArrayBuffer(sharedRegistryBytes(maxNames));
  initSharedRegistry(sab, 0, maxNames);
  return new SharedRegistry(sab, 0, maxNames, owner, stride);
}

describe('shared registry (one thread)', () => {
  it('adds, finds, refuses duplicates, removes (conditionally on the pid), and reuses slots', () => {
    const r = table(8);
    const p1 = new Pid(0, 3, 0);
    const p2 = new Pid(0, 4, 1);
    r.add('a', p1);
    r.add('ünïcödé', p2);
    expect(r.whereis('a')).toEqual(p1);
    expect(r.whereis('ünïcödé')).toEqual(p2);
    expect(() => r.add('a', p2)).toThrow(NameTakenError);
    r.remove('a', p2); // not a's pid: kept
    expect(r.whereis('a')).toEqual(p1);
    r.remove('a', p1);
    expect(r.whereis('a')).toBeUndefined();
    for (let round = 0; round < 50; round++) {
      for (let i = 0; i < 7; i++) r.add(`n${i}`, new Pid(0, i, round));
      for (let i = 0; i < 7; i++) expect(r.whereis(`n${i}`)).toEqual(new Pid(0, i, round));
      for (let i = 0; i < 7; i++) r.remove(`n${i}`);
    }
    expect(r.registered()).toEqual(['ünïcödé']);
    for (let i = 0; i < 7; i++) r.add(`m${i}`, p1);
    expect(() => r.add('one-too-many', p1)).toThrow(BadArgError);
    expect(() => r.add('x'.repeat(300), p1)).toThrow(BadArgError);
  });

  it('sees another thread view\'s changes through the same memory (cache invalidated by removals)', () => {
    const sab = new SharedArrayBuffer(sharedRegistryBytes(16));
    initSharedRegistry(sab, 0, 16);
    const a = new SharedRegistry(sab, 0, 16, 0, 3);
    const b = new SharedRegistry(sab, 0, 16, 1, 3);
    a.add('svc', new Pid(0, 3, 0));
    expect(b.whereis('svc')).toEqual(new Pid(0, 3, 0));
    a.remove('svc');
    expect(b.whereis('svc')).toBeUndefined();
    b.add('svc', new Pid(0, 4, 0));
    expect(a.whereis('svc')).toEqual(new Pid(0, 4, 0));
  });
});

describe('shared registry (schedulers racing)', () => {
  let node: ThreadedNode;
  beforeAll(async () => {
    node = await startNode({ schedulers: 2, maxNames: 2048 });
  });
  afterAll(() => node.stop());

  it('two schedulers registering the same 500 names: exactly one wins each', async () => {
    const names = Array.from({ length: 500 }, (_, i) => `race-${i}`);
    const r0 = await node.spawn(Registrar, [], { scheduler: 0 });
    const r1 = await node.spawn(Registrar, [], { scheduler: 1 });
    const [won0, won1] = (await Promise.all([
      node.call(r0, { tryRegister: names }, 20_000),
      node.call(r1, { tryRegister: [...names].reverse() }, 20_000),
    ])) as [string[], string[]];
    expect(won0.length + won1.length).toBe(names.length);
    expect(new Set([...won0, ...won1]).size).toBe(names.length);
    for (const n of won0) expect(node.whereis(n)!.id % 3).toBe(0);
    for (const n of won1) expect(node.whereis(n)!.id % 3).toBe(1);
  });
});
