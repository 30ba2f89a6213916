import { describe, expect, it } from 'vitest';
import { NodeTable } from '../../src/core/node-table.ts';
import { Pid, Ref } from '../../src/core/pid.ts';

describe('pid: a pid or ref of another node prints with its node index', () => {
  it('prints pids and refs as Erlang does, with the node index', () => {
    const t = new NodeTable('me@host', 1);
    const n = t.intern('far@host', 5);
    expect(String(new Pid(n, 42, 3))).toBe(`<${n}.42.3>`);
    expect(String(new Ref(n, 1, 17))).toBe(`#Ref<${n}.1.17>`);
    expect(String(new Pid(0, 7, 0))).toBe('<0.7.0>');
  });
});
