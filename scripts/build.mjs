// `npm run build` (and `prepack`): src/ -> dist/, what the published package ships.
//
//   dist/index.js, dist/compiler/index.js    the two package entries (package.json "exports")
//   dist/compiler/loader.js, register.js     the module hooks; `--import switchboard/compiler/register`
//   dist/core/reductions.js                  the reduction counter's runtime, as its own file:
//                                            instrumented modules import it by URL
//   dist/chunks/*.js                         code shared by several entries, and the files
//                                            threads start (worker hosts), see step 3
//   dist/chunks/*.mjs                        plain-JavaScript worker scripts, copied as they are
//   dist/types/**.d.ts                       declarations from tsc (tsconfig.build.json)
//
// Steps:
//   0. Skip when dist/ was built from exactly these inputs (dist/.build-input).
//   1. Find the files that code opens by a URL next to itself: every
//      `new URL('./name.ext', import.meta.url)` (or `..., here)`) in src/. A `./name.ts` or
//      `./name.js` with a `name.ts` beside it is an extra esbuild entry (a worker host, the
//      loader hooks); a `./name.mjs` is a plain-JS worker script, copied. So the build knows
//      no file name but the package entries and the runtime: other lanes may split, move
//      and rename modules freely.
//   2. Bundle with esbuild, ESM for Node 20, with code splitting: modules shared by several
//      entries (src/core above all) land in shared chunks, so a thread that loads a worker
//      host and a user's behaviour module (which imports the package) has ONE copy of the
//      core: Behaviour, Pid and the reduction counter are the same classes.
//   3. Bundling moves code: `new URL('./worker-entry.mjs', import.meta.url)` now runs inside
//      whichever output file the module landed in. For every such reference in the output,
//      make the sibling exist: copy a worker script next to it, or write a one-line
//      re-export shim (`export * from './chunks/worker-host.js'`) pointing at the entry
//      built in step 2. A reference the build cannot satisfy fails the build.
//   4. Declarations: tsc -p tsconfig.build.json; the `.ts` of relative specifiers becomes
//      `.js` (tsc keeps them as written in declarations), and hand-written `.d.mts` files
//      beside plain-JS modules are copied.
//   5. Write dist/ file by file, atomically and only what changed, then remove what an
//      earlier build left (see there: builds may run concurrently, e.g. two tests).
import { build, version as esbuildVersion } from 'esbuild';
import { createHash } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../', import.meta.url));
const src = join(root, 'src');
const dist = join(root, 'dist');
const CHUNKS = 'chunks';

/** Every file under `dir` (absolute paths). */
function walk(dir) {
  const out = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...walk(p));
    else out.push(p);
  }
  return out;
}

/**
 * `./name.ext` siblings a file opens with `new URL(<first>, import.meta.url)` (or `here`),
 * `<first>` being a string literal or an expression of literals such as
 * `fromSource ? './worker-host.ts' : './worker-host.js'`.
 */
const SIBLING_URL = /new URL\(([^()]*?),\s*(?:import\.meta\.url|here)\s*\)/g;
const SIBLING_NAME = /(['"])\.\/([\w.-]+\.(?:[cm]?js|ts))\1/g;
function siblingRefs(text) {
  return [...text.matchAll(SIBLING_URL)].flatMap((m) => [...m[1].matchAll(SIBLING_NAME)].map((n) => n[2]));
}

function fail(message) {
  process.stderr.write(`build: ${message}\n`);
  process.exit(1);
}

// 0. Up to date? A hash of everything the build reads (src/, this script, the build
//    tsconfigs, package.json, the esbuild version) is kept in dist/.build-input; the same
//    hash and every file it listed still there: nothing to do (the tests that need dist/
//    each run this script; one build serves them all). `--force` builds anyway.
const inputHash = (() => {
  const h = createHash('sha256').update(esbuildVersion);
  const files = [...walk(src), join(root, 'scripts/build.mjs'), join(root, 'tsconfig.json'), join(root, 'tsconfig.build.json'), join(root, 'package.json')];
  for (const f of files.sort()) h.update(relative(root, f)).update('\0').update(readFileSync(f)).update('\0');
  return h.digest('hex');
})();
const stampFile = join(dist, '.build-input');
if (!process.argv.includes('--force') && existsSync(stampFile)) {
  const stamp = JSON.parse(readFileSync(stampFile, 'utf8'));
  if (stamp.hash === inputHash && stamp.files.every((f) => existsSync(join(dist, f)))) {
    process.stderr.write(`build: dist/ is up to date (${stamp.files.length} files)\n`);
    process.exit(0);
  }
}

// 1. Entries.
const entryPoints = {
  index: 'src/index.ts',
  'compiler/index': 'src/compiler/index.ts',
  'compiler/loader': 'src/compiler/loader.ts',
  'compiler/register': 'src/compiler/register.mjs',
  'core/reductions': 'src/core/reductions.ts',
  'cli/node-command': 'src/cli/node-command.ts',
  'cli/top-command': 'src/cli/top-command.ts',
  'cli/trace-command': 'src/cli/trace-command.ts',
  'cli/observe-command': 'src/cli/observe-command.ts',
};
/** Plain-JS worker scripts by file name -> source path. */
const scripts = new Map();
const entryFiles = new Set(Object.values(entryPoints).map((p) => join(root, p)));
for (const file of walk(src)) {
  if (!/\.(?:ts|mjs)$/.test(file) || file.endsWith('.d.mts') || file.endsWith('.d.ts')) continue;
  for (const ref of siblingRefs(readFileSync(file, 'utf8'))) {
    const dir = dirname(file);
    if (ref.endsWith('.mjs')) {
      const path = join(dir, ref);
      if (!existsSync(path)) fail(`${relative(root, file)} opens ./${ref}, which does not exist`);
      if (scripts.has(ref) && scripts.get(ref) !== path) fail(`two worker scripts named ${ref}`);
      scripts.set(ref, path);
      continue;
    }
    const ts = join(dir, ref.replace(/\.[cm]?[jt]s$/, '.ts'));
    if (!existsSync(ts) || entryFiles.has(ts)) continue; // a build-only name, or already an entry
    const name = `${CHUNKS}/${basename(ts, '.ts')}`;
    if (entryPoints[name] !== undefined && join(root, entryPoints[name]) !== ts) fail(`two modules opened by URL are named ${basename(ts)}`);
    entryPoints[name] = relative(root, ts);
    entryFiles.add(ts);
  }
}

// 2. Bundle (in memory: step 5 writes).
/** Every file of the build: absolute path -> contents. */
const outputs = new Map();
const result = await build({
  absWorkingDir: root,
  entryPoints,
  outdir: dist,
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  sourcemap: true,
  splitting: true,
  chunkNames: `${CHUNKS}/[name]-[hash]`,
  packages: 'external',
  metafile: true,
  write: false,
  logLevel: 'warning',
});
for (const f of result.outputFiles) outputs.set(f.path, Buffer.from(f.contents));

// 3. Siblings of the output files.
/** Output file basename -> its path (entries only; chunk names are hashed). */
const entryOutputs = new Map();
for (const [out, meta] of Object.entries(result.metafile.outputs)) {
  if (meta.entryPoint !== undefined && out.endsWith('.js')) entryOutputs.set(basename(out), join(root, out));
}
const pending = [...outputs.keys()].filter((o) => o.endsWith('.js'));
for (let i = 0; i < pending.length; i++) {
  const file = pending[i];
  const dir = dirname(file);
  for (const ref of siblingRefs(outputs.get(file).toString('utf8'))) {
    if (ref.endsWith('.ts')) continue; // the from-source branch of a `fromSource ? './x.ts' : './x.js'`
    const target = join(dir, ref);
    if (outputs.has(target)) continue;
    if (scripts.has(ref)) {
      outputs.set(target, readFileSync(scripts.get(ref)));
      pending.push(target); // a worker script may open siblings of its own
    } else if (entryOutputs.has(ref)) {
      let spec = relative(dir, entryOutputs.get(ref)).split('\\').join('/');
      if (!spec.startsWith('.')) spec = `./${spec}`;
      outputs.set(target, Buffer.from(`// Built by scripts/build.mjs: ${ref} is opened by URL from this directory; the code is in ${spec}.\nexport * from '${spec}';\n`));
    } else {
      fail(`${relative(root, file)} opens ./${ref}, which the build does not produce`);
    }
  }
}

// 4. Declarations (tsc writes into a private directory; step 5 copies).
const typesTmp = mkdtempSync(join(tmpdir(), 'switchboard-types-'));
try {
  const tscRun = spawnSync(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-p', join(root, 'tsconfig.build.json'), '--outDir', typesTmp], { stdio: 'inherit' });
  if (tscRun.status !== 0) fail('tsc -p tsconfig.build.json failed');
  const RELATIVE_TS = /((?:from|import)\s*\(?\s*)(['"])(\.{1,2}\/[^'"]*?)\.ts\2/g;
  const declarations = [
    ...walk(typesTmp).map((f) => [f, relative(typesTmp, f)]),
    ...walk(src).filter((f) => f.endsWith('.d.mts') || f.endsWith('.d.ts')).map((f) => [f, relative(src, f)]),
  ];
  for (const [from, rel] of declarations) {
    const text = readFileSync(from, 'utf8').replace(RELATIVE_TS, (_m, pre, q, path) => `${pre}${q}${path}.js${q}`);
    outputs.set(join(dist, 'types', rel), Buffer.from(text));
  }
} finally {
  rmSync(typesTmp, { recursive: true, force: true });
}

// 5. Write dist/: a file whose contents changed is replaced atomically (write + rename),
//    an unchanged one is not touched, and files of earlier builds are removed. So a build
//    running while another one, or a test, reads dist/ never shows it a missing or half-
//    written file (the same sources always give the same files).
for (const [path, contents] of outputs) {
  if (existsSync(path) && readFileSync(path).equals(contents)) continue;
  mkdirSync(dirname(path), { recursive: true });
  const tmp = `${path}.tmp-${process.pid}`;
  writeFileSync(tmp, contents);
  renameSync(tmp, path);
}
for (const file of existsSync(dist) ? walk(dist) : []) {
  if (!outputs.has(file) && !/\.tmp-\d+$/.test(file) && file !== stampFile) rmSync(file, { force: true });
}
// Step 0's stamp, written last (a build that failed before here leaves the old one, whose
// hash no longer matches the sources).
{
  const tmp = `${stampFile}.tmp-${process.pid}`;
  writeFileSync(tmp, JSON.stringify({ hash: inputHash, files: [...outputs.keys()].map((f) => relative(dist, f)) }));
  renameSync(tmp, stampFile);
}

const shipped = [...outputs.keys()].filter((f) => !f.endsWith('.map'));
process.stderr.write(`build: ${shipped.length} files in dist/ (${Object.keys(entryPoints).length} entries, ${scripts.size} worker scripts)\n`);
