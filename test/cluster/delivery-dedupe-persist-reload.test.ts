/**
 * DedupeTable persistence: keys are appended to the file before record returns and read
 * back by a new table (a restarted receiver), within its bounds; a torn last line is
 * dropped (truncated), a bad line elsewhere is a DedupeFileError; compactAtStart rewrites
 * the file with the kept records; a shared file shows one writer's keys to another.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync, appendFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DedupeFileError, DedupeTable } from '../../src/cluster/delivery/index.ts';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'sb-dedupe-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('DedupeTable: persistence', () => {
  it('a new table on the same file knows the keys recorded before, with their values in the file', () => {
    const file = join(dir, 'keys.log');
    const a = new DedupeTable({ file });
    a.record('k1', { n: 1 });
    a.record('k2');
    a.close();
    const lines = readFileSync(file, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    expect(lines).toMatchObject([{ k: 'k1', v: { n: 1 } }, { k: 'k2' }]);
    const b = new DedupeTable({ file });
    expect(b.has('k1')).toBe(true);
    expect(b.has('k2')).toBe(true);
    expect(b.has('k3')).toBe(false);
    expect(b.stats().loaded).toBe(2);
    b.close();
  });

  it('reload keeps the newest maxEntries within maxAgeMs', () => {
    const file = join(dir, 'keys.log');
    let now = 0;
    const a = new DedupeTable({ file, now: () => now });
    for (let i = 0; i < 10; i++) {
      now = i * 10;
      a.record(`k${i}`);
    }
    a.close();
    now = 100;
    const b = new DedupeTable({ file, maxEntries: 5, maxAgeMs: 35, now: () => now });
    // maxAgeMs 35 at t=100 keeps k7 (70), k8, k9; maxEntries 5 would have kept k5..k9.
    expect(['k6', 'k7', 'k8', 'k9'].map((k) => b.has(k))).toEqual([false, true, true, true]);
    expect(b.size).toBe(3);
    b.close();
  });

  it('a torn last line is dropped and truncated away; the next append is a whole line', () => {
    const file = join(dir, 'keys.log');
    writeFileSync(file, '{"k":"a","t":1}\n{"k":"b","t":2}\n{"k":"c","t"');
    const t = new DedupeTable({ file });
    expect(t.has('a') && t.has('b')).toBe(true);
    expect(t.has('c')).toBe(false);
    t.record('d');
    t.close();
    expect(readFileSync(file, 'utf8')).toMatch(/^\{"k":"a","t":1\}\n\{"k":"b","t":2\}\n\{"k":"d","t":\d+\}\n$/);
  });

  it('a bad line that is not the last is a DedupeFileError with its line number', () => {
    const file = join(dir, 'keys.log');
    writeFileSync(file, '{"k":"a","t":1}\nnot json\n{"k":"b","t":2}\n');
    let err: unknown = null;
    try {
      new DedupeTable({ file });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(DedupeFileError);
    expect(err).toMatchObject({ code: 'ERR_SB_DELIVERY_DEDUPE_FILE', path: file, line: 2, message: `dedupe file ${file}, line 2: not a JSON record` });
    writeFileSync(file, '{"k":1,"t":1}\n');
    expect(() => new DedupeTable({ file })).toThrow(`dedupe file ${file}, line 1: a record needs a string "k" and a number "t"`);
  });

  it('compactAtStart rewrites the file with only the kept records', () => {
    const file = join(dir, 'keys.log');
    const a = new DedupeTable({ file });
    for (let i = 0; i < 20; i++) a.record(`k${i}`, i);
    a.close();
    const b = new DedupeTable({ file, maxEntries: 4, compactAtStart: true });
    b.close();
    const lines = readFileSync(file, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    expect(lines.map((l) => [l.k, l.v])).toEqual([['k16', 16], ['k17', 17], ['k18', 18], ['k19', 19]]);
  });

  it('shared: a key another writer appended is a duplicate here, read on the miss', () => {
    const file = join(dir, 'shared.log');
    const b = new DedupeTable({ file, shared: true });
    const c = new DedupeTable({ file, shared: true });
    b.record('x', 'by-b');
    expect(c.has('x')).toBe(true);
    appendFileSync(file, '{"k":"y","t":5}\n');
    expect(b.has('y')).toBe(true);
    const unshared = new DedupeTable({ file: join(dir, 'shared.log') });
    c.record('z');
    expect(unshared.has('z')).toBe(false); // not shared: only what was there at start
    b.close();
    c.close();
    unshared.close();
  });
});
