import { describe, expect, it } from 'vitest';
import type { Context } from '../../src/core/context.ts';
import type { Pid } from '../../src/core/pid.ts';
import { makeScheduler, recordExits } from './helpers.ts';

const Idle = { handle: (_m: unknown, st: unknown) => st };

describe('link: an abnormal exit propagates along links', () => {
  it('a linked, non-trapping actor dies with the same reason', () => {
    const { s } = makeScheduler();
    const exits = recordExits(s);
    const partner = s.spawn(Idle);
    const crasher = s.spawn({
      handle(m: string, st: unknown, ctx: Context) {
        if (m === 'link') ctx.link(partner);
        if (m === 'crash') throw new Error('bad');
        return st;
      },
    });
    s.send(crasher, 'link');
    s.runUntilIdle();
    expect(s.processInfo(crasher)!.links).toEqual([partner]);
    expect(s.processInfo(partner)!.links).toEqual([crasher]);
    s.send(crasher, 'crash');
    s.runUntilIdle();
    expect(s.isAlive(partner)).toBe(false);
    expect(exits.get(partner.toString())).toMatchObject({ kind: 'error', message: 'bad' });
  });

  it('links are bidirectional: the linker dies when the linked one does', () => {
    const { s } = makeScheduler();
    const exits = recordExits(s);
    const target = s.spawn(Idle);
    const linker = s.spawn({ handle: (_m: unknown, st: unknown, ctx: Context) => (ctx.link(target), st) });
    s.send(linker, 'link');
    s.runUntilIdle();
    s.exit(target, 'boom');
    s.runUntilIdle();
    expect(exits.get(linker.toString())).toBe('boom');
  });

  it("a 'normal' exit does not kill non-trapping linked actors", () => {
    const { s } = makeScheduler();
    const peer = s.spawn(Idle);
    const child = s.spawn(function* (ctx: Context, p: Pid) {
      ctx.link(p);
      yield ctx.receive();
    }, [peer]);
    s.runUntilIdle();
    s.send(child, 'finish');
    s.runUntilIdle();
    expect(s.isAlive(child)).toBe(false);
    expect(s.isAlive(peer)).toBe(true);
    expect(s.processInfo(peer)!.links).toEqual([]);
  });

  it('propagates transitively: a dies, b (linked to a) dies, c (linked to b) dies', () => {
    const { s } = makeScheduler();
    const exits = recordExits(s);
    const c = s.spawn(Idle);
    const b = s.spawn({ init: () => null, handle: (m: Pid, st: unknown, ctx: Context) => (ctx.link(m), st) });
    const a = s.spawn(Idle);
    s.send(b, c);
    s.send(b, a);
    s.runUntilIdle();
    s.exit(a, 'cascade');
    s.runUntilIdle();
    expect([exits.get(a.toString()), exits.get(b.toString()), exits.get(c.toString())]).toEqual(['cascade', 'cascade', 'cascade']);
  });
});
