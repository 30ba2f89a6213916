import { describe, expect, it } from 'vitest';
import { makeScheduler } from './helpers.ts';

describe('spawn: handler style', () => {
  it('calls init with the spawn args, then handle per message in order, threading the state', () => {
    const { s } = makeScheduler();
    const seen: Array<[unknown, unknown]> = [];
    let initArgs: unknown[] = [];
    const pid = s.spawn(
      {
        init(a: number, b: string) {
          initArgs = [a, b];
          return { total: a };
        },
        handle(msg: number, state: { total: number }) {
          seen.push([msg, state.total]);
          return { total: state.total + msg };
        },
      },
      [10, 'x'],
    );
    s.send(pid, 1);
    s.send(pid, 2);
    s.send(pid, 3);
    s.runUntilIdle();
    expect(initArgs).toEqual([10, 'x']);
    expect(seen).toEqual([[1, 10], [2, 11], [3, 13]]);
    expect(s.processInfo(pid)!.status).toBe('waiting');
  });

  it('runs init before the first message even when no message is sent', () => {
    const { s } = makeScheduler();
    let inits = 0;
    s.spawn({ init: () => { inits++; return 0; }, handle: (_m: unknown, st: number) => st });
    expect(inits).toBe(0); // not during spawn: on the actor's first slice
    s.runUntilIdle();
    expect(inits).toBe(1);
  });
});
