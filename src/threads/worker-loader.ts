/**
 * The module hooks every thread this layer starts registers before importing actor code
 * (scheduler workers: worker-entry.mjs; dirty-pool threads: dirty-worker.mjs), so they
 * load `.ts` sources and instrument them with reduction counting (src/compiler).
 *
 * From a build (this module is `.js`) there is nothing to transpile: no hooks (null).
 * From source, the specifier is computed once per process.
 */

let loaderPromise: Promise<string | null> | null = null;

/** The specifier of the module hooks a new thread registers, or null from a build. */
export function workerLoader(): Promise<string | null> {
  if (!import.meta.url.endsWith('.ts')) return Promise.resolve(null);
  loaderPromise ??= import('../compiler/bootstrap.mjs').then((m) => m.loaderSpecifier());
  return loaderPromise;
}
