/**
 * Node module-customisation hooks (registered with `module.register`, see `register.ts`
 * and `scripts/run-ts.mjs`). They run in Node's loader thread.
 *
 *  - `.ts` / `.mts` / `.tsx` files are transpiled with esbuild (so TypeScript runs in
 *    Node 20 without a build step). `.cts` is transpiled to CommonJS.
 *  - An ES module is instrumented with reduction counting when it opts in: its first
 *    statement is `'use switchboard';`, or its path matches `SWITCHBOARD_INSTRUMENT`
 *    (comma-separated globs, or `all`; see `filter.ts`). CommonJS modules are never
 *    instrumented (the prologue is an `import`).
 *  - Checks reach the counter through the global `__switchboardReductions` (the faster
 *    access, `InstrumentOptions.counter` in instrument.ts) when the runtime is the default
 *    one; `SWITCHBOARD_COUNTER=import|global` forces either.
 *  - Source maps are inline; run with `--enable-source-maps` or
 *    `process.setSourceMapsEnabled(true)` to get the user's `.ts` lines in stack traces.
 *  - A relative `./x.js` import that does not exist falls back to `./x.ts` (the usual
 *    TypeScript convention), likewise `.mjs` → `.mts` and `.cjs` → `.cts`.
 *  - With `SWITCHBOARD_TRANSFORM_CACHE=<dir>`, what a `.ts` file becomes is kept on disk
 *    (transform-cache.ts), so other processes and threads loading it skip esbuild.
 */

import type { InitializeHook, LoadHook, ResolveHook } from 'node:module';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { defaultRuntime, instrumentAsync, runtimePath, transpileAsync, withInlineSourceMap } from './instrument.ts';
import { createFilter, ownSourceDir } from './filter.ts';
import { TransformCache } from './transform-cache.ts';
import { version as esbuildVersion } from 'esbuild';

/** Data passed to `module.register(…, { data })`. Every field is optional. */
export interface LoaderData {
  /** Runtime specifier for the prologue (default: `defaultRuntime('url')`). */
  runtime?: string;
  /** Switchboard's own source directory, never selected by globs. */
  srcDir?: string;
  /** Overrides `process.env.SWITCHBOARD_INSTRUMENT`. */
  instrument?: string;
  /** How checks reach the counter (see `InstrumentOptions.counter`); default from
   *  `process.env.SWITCHBOARD_COUNTER` (`import` or `global`), else `global` with the
   *  default runtime (src/core/reductions.ts defines the global) and `import` with another. */
  counter?: 'import' | 'global';
}

interface State {
  runtime: string;
  counter: 'import' | 'global';
  shouldInstrument: (path: string, source: string) => boolean;
  /** SWITCHBOARD_TRANSFORM_CACHE (transform-cache.ts), or null. */
  cache: TransformCache | null;
}

let state: State | null = null;

function setup(data: LoaderData | undefined): State {
  const runtime = data?.runtime ?? defaultRuntime('url');
  const srcDir = data?.srcDir ?? ownSourceDir();
  const env = process.env.SWITCHBOARD_COUNTER;
  const counter = data?.counter ?? (env === 'global' || env === 'import' ? env : data?.runtime === undefined ? 'global' : 'import');
  return {
    runtime,
    counter,
    cache: TransformCache.fromEnv(`esbuild ${esbuildVersion}`),
    shouldInstrument: createFilter({
      include: data?.instrument ?? process.env.SWITCHBOARD_INSTRUMENT,
      excludeDirs: srcDir === null || srcDir === undefined ? [] : [srcDir],
      runtimePath: runtimePath(runtime),
    }),
  };
}

export const initialize: InitializeHook<LoaderData | undefined> = (data) => {
  state = setup(data);
};

const TS_EXT = /\.(?:[cm]?ts|tsx)$/;
const JS_TO_TS: Record<string, string> = { '.js': '.ts', '.mjs': '.mts', '.cjs': '.cts', '.jsx': '.tsx' };

export const resolve: ResolveHook = async (specifier, context, nextResolve) => {
  try {
    return await nextResolve(specifier, context);
  } catch (err) {
    const m = /\.(?:[cm]?js|jsx)$/.exec(specifier);
    const relative = specifier.startsWith('./') || specifier.startsWith('../') || specifier.startsWith('file:');
    if (m === null || !relative || (err as { code?: string }).code !== 'ERR_MODULE_NOT_FOUND') throw err;
    const alt = specifier.slice(0, m.index) + JS_TO_TS[m[0]];
    try {
      return await nextResolve(alt, context);
    } catch {
      throw err;
    }
  }
};

export const load: LoadHook = async (url, context, nextLoad) => {
  if (!url.startsWith('file:')) return nextLoad(url, context);
  const st = (state ??= setup(undefined));
  const path = fileURLToPath(url.replace(/[?#].*$/, ''));

  if (TS_EXT.test(path)) {
    const source = await readFile(path, 'utf8');
    const cjs = path.endsWith('.cts');
    const instrument = !cjs && st.shouldInstrument(path, source);
    const how = cjs ? 'cjs' : instrument ? `instrument ${st.runtime} ${st.counter}` : 'esm';
    const key = st.cache?.key(how, path, source);
    const cached = key === undefined ? null : await st.cache!.get(key);
    let out: string;
    if (cached !== null) out = cached;
    else {
      const r = cjs
        ? await transpileAsync(source, path, { format: 'cjs' })
        : instrument
          ? await instrumentAsync(source, path, { runtime: st.runtime, counter: st.counter })
          : await transpileAsync(source, path);
      out = withInlineSourceMap(r.code, r.map);
      if (key !== undefined) await st.cache!.put(key, out);
    }
    return { format: cjs ? 'commonjs' : 'module', source: out, shortCircuit: true };
  }

  const loaded = await nextLoad(url, context);
  if (loaded.format !== 'module' || loaded.source === undefined || loaded.source === null) return loaded;
  const source = typeof loaded.source === 'string' ? loaded.source : Buffer.from(loaded.source as Uint8Array).toString('utf8');
  if (!st.shouldInstrument(path, source)) return loaded;
  const r = await instrumentAsync(source, path, { runtime: st.runtime, counter: st.counter });
  return { ...loaded, source: withInlineSourceMap(r.code, r.map) };
};
