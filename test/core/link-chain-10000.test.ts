import { describe, expect, it } from 'vitest';
import type { Context } from '../../src/core/context.ts';
import type { Pid } from '../../src/core/pid.ts';
import { makeScheduler, recordExits } from './helpers.ts';

describe('link: a long chain', () => {
  it('a chain of 10,000 linked actors dies from one end without overflowing the stack', () => {
    const { s } = makeScheduler();
    const exits = recordExits(s);
    // Each link spawns the next with spawnLink, so the chain is built by the actors themselves.
    const Link = {
      init: (n: number) => n,
      handle(m: string, n: number, ctx: Context) {
        if (m === 'grow' && n > 1) ctx.send(ctx.spawnLink(Link, [n - 1]), 'grow');
        return n;
      },
    };
    const head: Pid = s.spawn(Link, [10_000]);
    s.send(head, 'grow');
    s.runUntilIdle();
    expect(s.size).toBe(10_000);
    const tail = s.processes().find((p) => s.processInfo(p)!.links.length === 1 && p !== head)!;
    s.exit(tail, 'snap');
    s.runUntilIdle();
    expect(s.size).toBe(0);
    expect(exits.size).toBe(10_000);
    expect(exits.get(head.toString())).toBe('snap');
  });
});
