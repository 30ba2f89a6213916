/**
 * esbuild plugin: instrument matching modules while bundling.
 *
 *   await build({ entryPoints: ['app.ts'], bundle: true, sourcemap: true,
 *                 plugins: [switchboardInstrument({ include: 'src/actors/**' })] });
 *
 * A module is instrumented when it starts with `'use switchboard';` or matches `include`
 * (see `filter.ts`; `SWITCHBOARD_INSTRUMENT` is not read here, pass it explicitly if you
 * want it). Other modules are left to esbuild. The instrumented code carries an inline
 * source map, which esbuild reads as the input map, so the bundle's map points at the
 * original `.ts` lines.
 *
 * The runtime import defaults to the filesystem path of `src/core/reductions.ts` (esbuild
 * does not resolve `file:` URLs), so the runtime is bundled in; with `runtime:
 * '<specifier>'` and `external` you can make the bundle import it from elsewhere instead.
 */

import { readFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { Plugin } from 'esbuild';
import { defaultRuntime, instrumentAsync, runtimePath, withInlineSourceMap, type InstrumentOptions } from './instrument.ts';
import { createFilter, type Include } from './filter.ts';

export interface SwitchboardEsbuildOptions {
  /** Globs or `'all'` selecting modules to instrument besides those with the directive. */
  include?: Include;
  /** Which files the plugin looks at at all. Default: `.js .mjs .jsx .ts .mts .tsx`. */
  filter?: RegExp;
  /** Runtime specifier. Default: `defaultRuntime('path')`. */
  runtime?: string;
  /** esbuild target of the type-stripping pass. Default: the build's target, else `node20`. */
  target?: string | string[];
  /** How checks reach the counter (see `InstrumentOptions.counter`). Default `import`. */
  counter?: InstrumentOptions['counter'];
  /** TypeScript settings for the type-stripping pass. */
  tsconfigRaw?: InstrumentOptions['tsconfigRaw'];
  /** Base directory for relative globs. Default `process.cwd()`. */
  cwd?: string;
}

export function switchboardInstrument(options: SwitchboardEsbuildOptions = {}): Plugin {
  return {
    name: 'switchboard-instrument',
    setup(build) {
      const runtime = options.runtime ?? defaultRuntime('path');
      const shouldInstrument = createFilter({
        include: options.include,
        cwd: options.cwd,
        runtimePath: runtimePath(runtime),
      });
      const target = options.target ?? build.initialOptions.target ?? 'node20';
      build.onLoad({ filter: options.filter ?? /\.(?:m?js|jsx|m?ts|tsx)$/, namespace: 'file' }, async (args) => {
        const source = await readFile(args.path, 'utf8');
        if (!shouldInstrument(args.path, source)) return undefined;
        const r = await instrumentAsync(source, args.path, { runtime, target, tsconfigRaw: options.tsconfigRaw, counter: options.counter ?? (options.runtime === undefined ? 'global' : 'import') });
        return { contents: withInlineSourceMap(r.code, r.map), loader: 'js', resolveDir: dirname(args.path) };
      });
    },
  };
}
