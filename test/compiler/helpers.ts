// Shared helpers for the compiler tests (not a test file itself).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { spawnSync } from 'node:child_process';
import { afterAll } from 'vitest';
import { instrument, withInlineSourceMap, type InstrumentOptions } from '../../src/compiler/index.ts';
import type { ReductionCounter } from '../../src/core/reductions.ts';

export const repoRoot = new URL('../../', import.meta.url).pathname;
export const fixture = (name: string): string => join(repoRoot, 'test/compiler/fixtures', name);

let dir: string | null = null;
// runs after the importing test file (vitest forks may end without an 'exit' event)
afterAll(() => {
  if (dir !== null) rmSync(dir, { recursive: true, force: true });
  dir = null;
});
let seq = 0;
export function tempDir(): string {
  if (dir === null) {
    const d = mkdtempSync(join(tmpdir(), 'sb-compiler-'));
    dir = d;
  }
  return dir;
}

declare global {
  // eslint-disable-next-line no-var
  var __sbTestCounters: Record<string, ReductionCounter> | undefined;
}

/**
 * Instrument `source` against a runtime stub that exports `counter` (not the thread's
 * shared counter), write it to a temporary `.mjs` file and import it.
 */
export async function loadInstrumented<T = Record<string, any>>(
  source: string,
  counter: ReductionCounter,
  name = 'mod.ts',
  options: InstrumentOptions = {},
): Promise<T> {
  const { file } = writeInstrumented(source, counter, name, options);
  return (await import(/* @vite-ignore */ pathToFileURL(file).href)) as T;
}

/** Like `loadInstrumented` but only writes the files; returns the module path. */
export function writeInstrumented(
  source: string,
  counter: ReductionCounter | null,
  name = 'mod.ts',
  options: InstrumentOptions = {},
): { file: string; code: string } {
  const id = `m${process.pid}_${seq++}`;
  const d = tempDir();
  const rt = join(d, `${id}-runtime.mjs`);
  if (counter !== null) {
    (globalThis.__sbTestCounters ??= {})[id] = counter;
    writeFileSync(rt, `export const reductions = globalThis.__sbTestCounters[${JSON.stringify(id)}];\n`);
  } else {
    // a self-contained counter for child processes: enough of the protocol to run code
    writeFileSync(
      rt,
      `export const reductions = { left: 1e9, instrumented: new Set(), PREEMPT: Symbol.for('switchboard.preempt'),
        slow() { this.left += 1000; }, claim() { return false; }, rethrow() {} };\n`,
    );
  }
  const src = join(d, `${id}-${name}`);
  // loopBatch 1: these tests check the per-iteration protocol exactly (one reduction per
  // back-edge); the default batching is tested on its own.
  const { code, map } = instrument(source, src, { runtime: pathToFileURL(rt).href, loopBatch: 1, ...options });
  const file = src.replace(/\.[cm]?[jt]sx?$/, '') + '.mjs';
  writeFileSync(file, withInlineSourceMap(code, map));
  return { file, code };
}

/** Run `node [...args]` synchronously in the repository root. */
export function runNode(args: string[], env: Record<string, string> = {}) {
  const r = spawnSync(process.execPath, args, {
    cwd: repoRoot,
    // the loader's variables are cleared unless a test sets them
    env: { ...process.env, SWITCHBOARD_INSTRUMENT: '', SWITCHBOARD_COUNTER: '', ...env },
    encoding: 'utf8',
    timeout: 20_000,
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}
