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
//     `acorn`, …) is rewritten to the absolute file URL it resolves to from here.
import { register, isBuiltin } from 'node:module';
import { existsSync } from 'node:fs';
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
  const { build } = await import('esbuild');
  const out = await build({
    entryPoints: [fileURLToPath(source)],
    bundle: true,
    write: false,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    define: { 'import.meta.url': JSON.stringify(source.href) },
    plugins: [absolutePackages],
    logLevel: 'silent',
  });
  return `data:text/javascript;base64,${Buffer.from(out.outputFiles[0].text).toString('base64')}`;
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
