// Entry of the distribution I/O thread (see io-host.ts). Plain JavaScript on purpose, as
// src/threads/worker-entry.mjs: Node 20 cannot load TypeScript in a Worker and workers do
// not inherit module hooks registered in code, so this registers Switchboard's hooks
// first (from the loader URL the parent passed in workerData), then imports the thread's
// code (io-thread.ts from source, io-thread.js from a build) and runs it.
import { register } from 'node:module';
import { workerData } from 'node:worker_threads';

if (workerData.loader) {
  process.setSourceMapsEnabled(true);
  register(workerData.loader, { data: workerData.loaderData ?? {} });
}
const { runIoThread } = await import(workerData.threadUrl ?? './io-thread.js');
await runIoThread();
