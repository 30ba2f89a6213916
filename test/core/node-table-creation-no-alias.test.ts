import { describe, expect, it } from 'vitest';
import { NodeTable } from '../../src/core/node-table.ts';
import { Pid, Ref, pidEquals } from '../../src/core/pid.ts';

describe('node table: a restarted node (new creation) never aliases its old pids', () => {
  it('gives a new creation of the same name a new index, so its pids never compare equal to the old ones', () => {
    const t = new NodeTable('me@host', 1);
    const old = t.intern('a@host', 1);
    const restarted = t.intern('a@host', 2);
    expect(restarted).not.toBe(old);
    const p1 = new Pid(old, 42, 0);
    const p2 = new Pid(restarted, 42, 0);
    expect(pidEquals(p1, p2)).toBe(false);
    expect(p1.equals(p2)).toBe(false);
    expect(new Ref(old, 0, 7).equals(new Ref(restarted, 0, 7))).toBe(false);
    expect(pidEquals(p1, new Pid(t.intern('a@host', 1), 42, 0))).toBe(true);
  });
});
