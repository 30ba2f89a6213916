import { describe, expect, it } from 'vitest';
import { Behaviour, BehaviourKind, defineActor } from '../../src/core/behaviour.ts';
import { CounterProcess } from './fixtures/counter-process.ts';
import { makeScheduler } from './helpers.ts';

describe('behaviour: defineActor', () => {
  it('names a behaviour by its module URL and discovers its export name', async () => {
    expect(CounterProcess).toBeInstanceOf(Behaviour);
    expect(CounterProcess.kind).toBe(BehaviourKind.Process);
    expect(CounterProcess.module).toBe(new URL('./fixtures/counter-process.ts', import.meta.url).href);
    for (let i = 0; i < 200 && CounterProcess.exportName === null; i++) await new Promise((r) => setTimeout(r, 2));
    expect(CounterProcess.exportName).toBe('CounterProcess');
    const { s } = makeScheduler();
    const pid = s.spawn(CounterProcess, [s.spawn({ handle: (_m: unknown, st: unknown) => st })]);
    expect(s.processInfo(pid)!.behaviour).toBe('counter-process.ts#CounterProcess');
  });

  it('takes an explicit export name, and tells handler from process style', () => {
    const b = defineActor('file:///x/y.ts', { handle: (_m: unknown, st: unknown) => st }, 'Y');
    expect(b.exportName).toBe('Y');
    expect(b.kind).toBe(BehaviourKind.Handler);
    expect(b.label).toBe('y.ts#Y');
  });
});
