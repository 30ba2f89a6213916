// `npm run build`: bundle src/ to dist/ with esbuild (ESM, Node 20).
// Entry points: the package (src/index.ts), the compiler and its loader hook, the reduction
// counter's runtime (instrumented modules import it), and the scheduler threads' host.
// Code splitting puts modules shared by several entries (src/core above all) in shared
// chunks, so a thread that loads the host and a user's behaviour module (which imports the
// package) has ONE copy of the core: Behaviour, Pid and the counter are the same classes.
// The workers' plain-JavaScript entry files are copied next to the chunk that starts them
// (dist/chunks/), where threaded-node.ts and dirty-pool.ts look for them.
import { build } from 'esbuild';
import { copyFileSync, existsSync, mkdirSync } from 'node:fs';

const entryPoints = {
  index: 'src/index.ts',
  'core/reductions': 'src/core/reductions.ts',
  'compiler/index': 'src/compiler/index.ts',
  'compiler/loader': 'src/compiler/loader.ts',
};
entryPoints['threads/index'] = 'src/threads/index.ts';
// threaded-node.ts and dirty-pool.ts are shared by two entries, so they land in a chunk
// (dist/chunks/) and look for their workers' files next to it.
entryPoints['chunks/worker-host'] = 'src/threads/worker-host.ts';

await build({
  entryPoints,
  outdir: 'dist',
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  sourcemap: true,
  splitting: true,
  chunkNames: 'chunks/[name]-[hash]',
  packages: 'external',
  logLevel: 'info',
});

mkdirSync('dist/chunks', { recursive: true });
for (const f of ['worker-entry.mjs', 'dirty-worker.mjs']) copyFileSync(`src/threads/${f}`, `dist/chunks/${f}`);
