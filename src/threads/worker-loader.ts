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
 * The hooks' settings go with them: the `data` this thread registered them with
 * (`registerSwitchboardLoader({ instrument, counter, ... })`) is passed to the new thread's
 * `register`, so a glob that selects modules for reduction counting selects them on every
 * thread, not only on the one that registered it.
 * Asked each time a node or a pool starts: hooks registered after a first node count.
 */
import type { LoaderData } from '../compiler/loader.ts';

/** What a new thread registers: the hooks' specifier and their settings. */
export interface ThreadLoader {
  readonly specifier: string;
  readonly data: LoaderData;
}

let fromSource: Promise<string> | null = null;

/** The module hooks a new thread registers, or null for none. */
export async function workerLoader(): Promise<ThreadLoader | null> {
  const m = await import('../compiler/bootstrap.mjs');
  const registered = m.registeredLoader();
  if (import.meta.url.endsWith('.ts')) {
    fromSource ??= m.loaderSpecifier();
    return { specifier: await fromSource, data: registered?.data ?? {} };
  }
  return registered;
}
