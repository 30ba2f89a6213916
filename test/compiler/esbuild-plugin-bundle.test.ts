import { join } from 'node:path';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';
import { switchboardInstrument, type SwitchboardEsbuildOptions } from '../../src/compiler/index.ts';
import { fixture, runNode, tempDir } from './helpers.ts';

// The esbuild plugin instruments opted-in modules while bundling; the bundle runs in Node.
async function bundle(name: string, options: SwitchboardEsbuildOptions = {}) {
  const outfile = join(tempDir(), `${name}.mjs`);
  const result = await build({
    entryPoints: [fixture('report.ts')],
    bundle: true,
    format: 'esm',
    platform: 'node',
    outfile,
    sourcemap: 'inline',
    logLevel: 'silent',
    plugins: [switchboardInstrument(options)],
  });
  expect(result.errors).toEqual([]);
  const r = runNode(['--enable-source-maps', outfile]);
  expect(r.stderr).toBe('');
  expect(r.status).toBe(0);
  return JSON.parse(r.stdout) as { instrumented: string[]; plain: number; directive: number };
}

describe('esbuild plugin', () => {
  it('instruments directive modules in a bundle and leaves the others alone', async () => {
    const r = await bundle('directive-only');
    expect(r.directive).toBe(97); // 1 entry + 3 batches of 32 loop iterations (kLoopBatch)
    expect(r.plain).toBe(0);
    // in a bundle every instrumented module shares the bundle's import.meta.url
    expect(r.instrumented).toEqual(['directive-only.mjs']);
  });

  it('instruments modules matching `include`', async () => {
    const r = await bundle('with-include', { include: ['test/compiler/fixtures/plain-*.ts'] });
    expect(r.directive).toBe(97); // 1 entry + 3 batches of 32 loop iterations (kLoopBatch)
    expect(r.plain).toBe(97); // 1 entry + 3 batches of 32 loop iterations (kLoopBatch)
  });
});
