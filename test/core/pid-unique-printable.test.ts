import { describe, expect, it } from 'vitest';
import { Pid, parsePid, isPid } from '../../src/core/pid.ts';
import { makeScheduler } from './helpers.ts';

const Idle = { handle: (_m: unknown, s: unknown) => s };

describe('pid: unique and printable', () => {
  it('gives every live process a distinct pid', () => {
    const { s } = makeScheduler();
    const pids = Array.from({ length: 1000 }, () => s.spawn(Idle));
    expect(new Set(pids.map(String)).size).toBe(1000);
    expect(pids.every(isPid)).toBe(true);
  });

  it('prints as <node.id.serial> and parses back to an equal pid', () => {
    expect(String(new Pid(0, 42, 0))).toBe('<0.42.0>');
    expect(JSON.stringify({ p: new Pid(1, 2, 3) })).toBe('{"p":"<1.2.3>"}');
    const { s } = makeScheduler();
    const pid = s.spawn(Idle);
    expect(String(pid)).toMatch(/^<0\.\d+\.\d+>$/);
    const back = parsePid(String(pid))!;
    expect(back).not.toBe(pid);
    expect(back.equals(pid)).toBe(true);
    expect(parsePid('<0.1>')).toBeUndefined();
  });

  it('is frozen', () => {
    const pid = new Pid(0, 1, 2);
    expect(Object.isFrozen(pid)).toBe(true);
  });
});
