#!/usr/bin/env node
// Usage: node scripts/run-ts.mjs path/to/file.ts [args...]
//
// Runs a TypeScript (or JavaScript) file with Switchboard's module hooks: every `.ts`
// module is transpiled with esbuild, modules that opt in (`'use switchboard';` first, or a
// path matching SWITCHBOARD_INSTRUMENT) are instrumented with reduction counting, and
// source maps are enabled so stack traces show the original `.ts` lines. No build step:
// the hooks are bootstrapped by src/compiler/bootstrap.mjs in the repository, and by the
// built dist/compiler/ in an installed package (which ships no src/). The script sees
// `process.argv = [node, <absolute file>, ...args]`.
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const fromSource = new URL('../src/compiler/bootstrap.mjs', import.meta.url);
const fromBuild = new URL('../dist/compiler/index.js', import.meta.url);
const { registerSwitchboardLoader } = await import(existsSync(fromSource) ? fromSource.href : fromBuild.href);

const [file, ...args] = process.argv.slice(2);
if (file === undefined || file === '--help' || file === '-h') {
  process.stderr.write('usage: node scripts/run-ts.mjs <file.ts> [args...]\n');
  process.exit(file === undefined ? 2 : 0);
}

await registerSwitchboardLoader();
const entry = resolve(file);
process.argv = [process.argv[0], entry, ...args];
await import(pathToFileURL(entry).href);
