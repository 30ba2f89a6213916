import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { TransformCache } from '../../src/compiler/transform-cache.ts';
import { runNode } from './helpers.ts';

// SWITCHBOARD_TRANSFORM_CACHE keeps what the module hooks made of each .ts file (and the
// loader bundle itself), so the next process reuses it; an edited file is a new entry,
// never the old output.

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});
function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'sb-transform-cache-'));
  dirs.push(d);
  return d;
}

describe('the transform cache', () => {
  it('is filled by one run, reused by the next, and keyed by the source text', () => {
    const cache = tempDir();
    const work = tempDir();
    const file = join(work, 'say.ts');
    writeFileSync(file, "const word: string = 'first';\nconsole.log(word);\n");
    const env = { SWITCHBOARD_TRANSFORM_CACHE: cache, SWITCHBOARD_INSTRUMENT: '' };

    const first = runNode(['scripts/run-ts.mjs', file], env);
    expect(first.stderr).toBe('');
    expect(first.stdout).toBe('first\n');
    const entries = readdirSync(cache);
    expect(entries.some((e) => e.startsWith('loader-bundle-'))).toBe(true);
    const outputs = entries.filter((e) => e.endsWith('.js'));
    expect(outputs.length).toBeGreaterThanOrEqual(1);

    // The second run finds the same entries (nothing new written) and prints the same.
    const second = runNode(['scripts/run-ts.mjs', file], env);
    expect(second.stdout).toBe('first\n');
    expect(readdirSync(cache).sort()).toEqual(entries.sort());

    // Edited: a new entry, and the new text runs.
    writeFileSync(file, "const word: string = 'second';\nconsole.log(word);\n");
    const third = runNode(['scripts/run-ts.mjs', file], env);
    expect(third.stdout).toBe('second\n');
    expect(readdirSync(cache).filter((e) => e.endsWith('.js')).length).toBe(outputs.length + 1);
    expect(readdirSync(cache).some((e) => e.endsWith('.tmp'))).toBe(false);
  });

  it('never fails a load: an unreadable entry is a miss, an unwritable directory is ignored', async () => {
    const file = join(tempDir(), 'blocked');
    writeFileSync(file, 'a file where the directory should be');
    const c = new TransformCache(join(file, 'sub'), 'salt');
    const key = c.key('esm', '/x.ts', 'let x = 1;');
    await c.put(key, 'code');
    expect(await c.get(key)).toBeNull();
    expect(c.key('esm', '/x.ts', 'let x = 2;')).not.toBe(key);
    expect(c.key('cjs', '/x.ts', 'let x = 1;')).not.toBe(key);
  });
});
