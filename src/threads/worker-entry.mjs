// Entry of a scheduler's worker thread (see threaded-node.ts). Plain JavaScript on purpose:
// Node 20 cannot load TypeScript in a Worker, and module hooks registered in the parent
// thread are not inherited by workers. So this registers Switchboard's module hooks
// (src/compiler/loader.ts: transpiles .ts, instruments modules that opt in) in this thread
// first — from the loader URL the parent computed once, passed in workerData — then imports
// the host. Behaviour modules (`{ module, export }`) are then imported through the same
// hooks, so `src/core` is one module instance per thread, shared by the host and the
// behaviours. From a build (`.js` next to this file) no hooks are needed for our own code.
import { register } from 'node:module';
import { workerData } from 'node:worker_threads';

if (workerData.loader) {
  process.setSourceMapsEnabled(true);
  register(workerData.loader, { data: workerData.loaderData ?? {} });
}
// `./worker-host.js` falls back to `./worker-host.ts` through the hooks' resolver.
const { runWorker } = await import(workerData.hostUrl ?? './worker-host.js');
runWorker(workerData.setup);
