// Registers Switchboard's module hooks (`loader.ts`) without a build step.
//
// Plain JavaScript on purpose: it is what makes TypeScript loadable, so it cannot itself be
// TypeScript. From a build, `loader.js` sits next to this file and is registered as is.
// From source, `loader.ts` (and what it imports from src/compiler/) is bundled with esbuild
// into one ES module handed to `module.register` as a `data:` URL:
//   - `import.meta.url` inside the bundle is defined as the real URL of `loader.ts`, so the
//     default runtime (`../core/reductions.ts`) and Switchboard's own `src/` resolve as
//     they do from source;
//   - a `data:` module cannot resolve bare specifiers, so each package import (`esbuild`,
//     `acorn`, …) is rewritten to the absolute file URL it resolves to from here;
//   - with SWITCHBOARD_TRANSFORM_CACHE=<dir> the bundle is kept there and reused while the
//     files it was built from are unchanged (by content hash).
import { register, isBuiltin } from 'node:module';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join, resolve as resolvePath } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = import.meta.url;

/** @type {import('esbuild').Plugin} */
const absolutePackages = {
  name: 'switchboard-absolute-packages',
  setup(build) {
    build.onResolve({ filter: /^[^./]/ }, (args) => {
      if (isBuiltin(args.path)) return { path: args.path, external: true };
      return { path: import.meta.resolve(args.path), external: true };
    });
  },
};

/** URL of the hooks module to register: `loader.js` from a build, else a bundled `data:` URL. */
export async function loaderSpecifier() {
  const built = new URL('./loader.js', here);
  if (existsSync(built)) return built.href;
  const source = new URL('./loader.ts', here);
  const cacheDir = process.env.SWITCHBOARD_TRANSFORM_CACHE;
  const cached = cacheDir ? await cachedBundle(cacheDir) : null;
  if (cached !== null) return dataUrl(cached);
  const { build } = await import('esbuild');
  const root = fileURLToPath(new URL('.', here));
  const out = await build({
    entryPoints: [fileURLToPath(source)],
    absWorkingDir: root,
    bundle: true,
    write: false,
    metafile: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    define: { 'import.meta.url': JSON.stringify(source.href) },
    plugins: [absolutePackages],
    logLevel: 'silent',
  });
  const text = out.outputFiles[0].text;
  if (cacheDir) await keepBundle(cacheDir, root, Object.keys(out.metafile.inputs), text);
  return dataUrl(text);
}

function dataUrl(text) {
  return `data:text/javascript;base64,${Buffer.from(text).toString('base64')}`;
}

// The bundle of loader.ts, kept in SWITCHBOARD_TRANSFORM_CACHE (see transform-cache.ts)
// with a hash of each file it was built from: used while every one of them is unchanged.
// Any error is a miss; the file is written to a temporary name and renamed (atomic).

function bundleFile(dir) {
  return join(dir, `loader-bundle-${createHash('sha256').update(here).digest('hex').slice(0, 16)}.json`);
}

async function hashOf(path) {
  return createHash('sha256').update(await readFile(path)).digest('hex');
}

async function cachedBundle(dir) {
  try {
    const kept = JSON.parse(await readFile(bundleFile(dir), 'utf8'));
    for (const [path, hash] of Object.entries(kept.inputs)) if ((await hashOf(path)) !== hash) return null;
    return typeof kept.text === 'string' ? kept.text : null;
  } catch {
    return null;
  }
}

async function keepBundle(dir, root, inputs, text) {
  try {
    const hashed = {};
    for (const rel of inputs) {
      const path = resolvePath(root, rel);
      hashed[path] = await hashOf(path);
    }
    await mkdir(dir, { recursive: true });
    const file = bundleFile(dir);
    const tmp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
    await writeFile(tmp, JSON.stringify({ inputs: hashed, text }));
    await rename(tmp, file);
  } catch {
    // a cache never fails the start
  }
}

/**
 * This thread's record of the hooks registerSwitchboardLoader registered in it. On
 * globalThis (under a registry symbol), so it is one record per thread even if two copies
 * of this module are loaded (source and build, two bundles).
 */
const kRegistered = Symbol.for('switchboard.compiler.registeredLoader');

/**
 * Register the hooks in this process and enable source maps.
 * @param {import('./loader.ts').LoaderData} [data]
 */
export async function registerSwitchboardLoader(data = {}) {
  process.setSourceMapsEnabled(true);
  const specifier = await loaderSpecifier();
  register(specifier, { data });
  globalThis[kRegistered] = Object.freeze({ specifier, data });
}

/**
 * The hooks registerSwitchboardLoader (or `--import …/register`) registered in this
 * thread — `{ specifier, data }` — or null. Module hooks are per thread in Node 20, so the
 * threads layer (src/threads/worker-loader.ts) passes them on to the threads it starts.
 * @returns {{ readonly specifier: string, readonly data: import('./loader.ts').LoaderData } | null}
 */
export function registeredLoader() {
  return globalThis[kRegistered] ?? null;
}
