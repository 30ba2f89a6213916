import { describe, expect, it } from 'vitest';
import { BadArgError } from '../../src/core/errors.ts';
import { NodeTable, kNoNodeName, nodeOf, nodeTable } from '../../src/core/node-table.ts';
import { Pid } from '../../src/core/pid.ts';

/** Throws an error of exactly this class and message. */
const throwsExactly = (fn: () => unknown, err: Error): void => {
  expect(fn).toThrow(err.constructor as new () => Error);
  expect(fn).toThrow(err);
};

describe('node table: interns (name, creation) into small indices, 0 = this node', () => {
  it('interns: the same (name, creation) always gets the same index, index 0 is this node', () => {
    const t = new NodeTable('me@host', 3);
    expect(t.local).toEqual({ name: 'me@host', creation: 3 });
    expect(t.intern('me@host', 3)).toBe(0);
    const a = t.intern('a@host', 1);
    expect(a).toBe(1);
    expect(t.intern('b@host', 1)).toBe(2);
    expect(t.intern('a@host', 1)).toBe(a);
    expect(t.identity(a)).toEqual({ name: 'a@host', creation: 1 });
    expect(t.identity(99)).toBeUndefined();
    expect(t.size).toBe(3);
  });

  it('names this thread\'s node nonode@nohost until it is named, and a local pid keeps index 0', () => {
    expect(nodeOf(new Pid(0, 1, 0))).toEqual(nodeTable.local);
    const t = new NodeTable();
    expect(t.local).toEqual({ name: kNoNodeName, creation: 0 });
    t.setLocal('me@host', 4);
    expect(t.local).toEqual({ name: 'me@host', creation: 4 });
    expect(t.intern('me@host', 4)).toBe(0);
    expect(t.intern(kNoNodeName, 0)).toBe(1);
    throwsExactly(() => t.setLocal(kNoNodeName, 0), new BadArgError('NodeTable: nonode@nohost (creation 0) is already node 1'));
  });

  it('refuses a bad identity with BadArgError', () => {
    const t = new NodeTable();
    throwsExactly(() => t.intern('', 1), new BadArgError('NodeTable: a node name must be a non-empty string'));
    throwsExactly(() => t.intern('a@h', -1), new BadArgError('NodeTable: creation must be an integer in [0, 2^32), got -1'));
    throwsExactly(() => t.intern('a@h', 1.5), new BadArgError('NodeTable: creation must be an integer in [0, 2^32), got 1.5'));
  });
});
