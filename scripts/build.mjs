// `npm run build`: bundle src/ to dist/ with esbuild (ESM, Node 20).
// Entry points: the package (src/index.ts) and the compiler's loader hook; the reduction
// counter's runtime is emitted as its own file so instrumented modules can import it
// (src/core/reductions.ts keeps its counter on globalThis, so the copy inside the bundle and
// that file share one counter). Worker scripts are added here as separate entry points.
import { build } from 'esbuild';
import { existsSync } from 'node:fs';

const entryPoints = {
  index: 'src/index.ts',
  'core/reductions': 'src/core/reductions.ts',
  'compiler/index': 'src/compiler/index.ts',
  'compiler/loader': 'src/compiler/loader.ts',
};
if (existsSync('src/threads/index.ts')) entryPoints['threads/index'] = 'src/threads/index.ts';

await build({
  entryPoints,
  outdir: 'dist',
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  sourcemap: true,
  packages: 'external',
  logLevel: 'info',
});
