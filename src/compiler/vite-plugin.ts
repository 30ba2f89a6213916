/**
 * Vite plugin (used by vitest, see vitest.config.ts): modules that start with
 * `'use switchboard';` (or match `include`) are instrumented when imported, so a test can
 * import an actor fixture and observe reductions, preemption and runaway kills.
 *
 * It runs before Vite's own TypeScript transform (`enforce: 'pre'`) on the original
 * source, does the type stripping itself with the same `instrument()` as the Node loader
 * and the esbuild plugin, and returns its source map, which Vite chains with the maps of
 * later transforms. The runtime import is the filesystem path of `src/core/reductions.ts`,
 * which Vite resolves to the very module the tests import, so tests and fixtures share one
 * `RunawaySignal` class (and, through globalThis, one counter anyway).
 */

import { defaultRuntime, instrument, runtimePath, type InstrumentOptions, type SourceMap } from './instrument.ts';
import { createFilter, type Include } from './filter.ts';

export interface SwitchboardViteOptions {
  /** Globs or `'all'` selecting modules to instrument besides those with the directive. */
  include?: Include;
  /** Runtime specifier. Default: `defaultRuntime('path')`. */
  runtime?: string;
  /** How checks reach the counter (see `InstrumentOptions.counter`). Default `import`. */
  counter?: InstrumentOptions['counter'];
  /** TypeScript settings for the type-stripping pass. */
  tsconfigRaw?: InstrumentOptions['tsconfigRaw'];
  /** Base directory for relative globs. Default `process.cwd()`. */
  cwd?: string;
}

/** The subset of Vite's `Plugin` that this plugin uses (keeps vite a dev-only concern). */
export interface SwitchboardVitePlugin {
  name: string;
  enforce: 'pre';
  transform(code: string, id: string): { code: string; map: SourceMap } | null;
}

const SCRIPT = /\.(?:m?js|jsx|m?ts|tsx)$/;

export function switchboardVitePlugin(options: SwitchboardViteOptions = {}): SwitchboardVitePlugin {
  const runtime = options.runtime ?? defaultRuntime('path');
  const shouldInstrument = createFilter({ include: options.include, cwd: options.cwd, runtimePath: runtimePath(runtime) });
  return {
    name: 'switchboard-instrument',
    enforce: 'pre',
    transform(code, id) {
      if (id.startsWith('\0')) return null;
      const file = id.replace(/[?#].*$/, '');
      if (!SCRIPT.test(file) || !shouldInstrument(file, code)) return null;
      return instrument(code, file, { runtime, tsconfigRaw: options.tsconfigRaw, counter: options.counter ?? (options.runtime === undefined ? 'global' : 'import') });
    },
  };
}
