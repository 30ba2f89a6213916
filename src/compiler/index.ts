export {
  instrument,
  instrumentAsync,
  instrumentJs,
  transpile,
  transpileAsync,
  defaultRuntime,
  runtimePath,
  hasSwitchboardDirective,
  withInlineSourceMap,
  loaderFor,
  RUNTIME_BINDING,
  type InstrumentOptions,
  type InstrumentResult,
  type SourceMap,
} from './instrument.ts';
export { createFilter, ownSourceDir, parseInclude, type FilterOptions, type Include } from './filter.ts';
export { switchboardInstrument, type SwitchboardEsbuildOptions } from './esbuild-plugin.ts';
export { switchboardVitePlugin, type SwitchboardViteOptions, type SwitchboardVitePlugin } from './vite-plugin.ts';
export type { LoaderData } from './loader.ts';
export { loaderSpecifier, registerSwitchboardLoader } from './bootstrap.mjs';
