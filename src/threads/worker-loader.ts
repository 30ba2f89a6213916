/**
 * The module hooks every thread this layer starts registers before importing actor code
 * (scheduler workers: worker-entry.mjs; dirty-pool threads: dirty-worker.mjs), so they
 * load `.ts` sources and instrument modules that opt in ('use switchboard') with
 * reduction counting (src/compiler).
 *
 * Module hooks are per thread in Node 20: a worker does not inherit hooks its parent
 * registered in code (`registerSwitchboardLoader()`; an `--import` in execArgv it does
 * inherit). So a new thread loads modules as the thread that starts it does:
 *   - from source (this module is `.ts`): always the compiler's hooks, bundled into a
 *     `data:` URL (bootstrap.mjs `loaderSpecifier`) — Switchboard's own code is `.ts`;
 *   - from a build: the hooks this thread registered with registerSwitchboardLoader (the
 *     built `loader.js`, bootstrap.mjs `registeredLoader`), else none — a plain-JS program
 *     pays for no hooks thread (and no esbuild) in each scheduler.
 * Asked each time a node or a pool starts: hooks registered after a first node count.
 */

let fromSource: Promise<string> | null = null;

/** The specifier of the module hooks a new thread registers, or null for none. */
export function workerLoader(): Promise<string | null> {
  if (import.meta.url.endsWith('.ts')) {
    fromSource ??= import('../compiler/bootstrap.mjs').then((m) => m.loaderSpecifier());
    return fromSource;
  }
  return import('../compiler/bootstrap.mjs').then((m) => m.registeredLoader()?.specifier ?? null);
}
