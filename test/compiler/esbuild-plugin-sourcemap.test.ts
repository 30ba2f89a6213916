import { join } from 'node:path';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';
import { switchboardInstrument } from '../../src/compiler/index.ts';
import { fixture, runNode, tempDir } from './helpers.ts';

// A bundle built with the plugin maps stack traces back to the original .ts lines.
describe('esbuild plugin source maps', () => {
  it('compose with the bundle source map', async () => {
    const outfile = join(tempDir(), 'throws-bundle.mjs');
    await build({
      entryPoints: [fixture('throws.ts')],
      bundle: true,
      format: 'esm',
      platform: 'node',
      outfile,
      sourcemap: 'inline',
      logLevel: 'silent',
      plugins: [switchboardInstrument({ include: 'all' })],
    });
    const r = runNode(['--enable-source-maps', outfile]);
    expect(r.stderr).toContain('Error: failed at depth 0');
    expect(r.stderr).toMatch(/at fail \(.*test\/compiler\/fixtures\/throws\.ts:10:\d+\)/);
    expect(r.stderr).toMatch(/throws\.ts:13:\d+/);
  });
});
