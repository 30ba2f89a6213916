// A thread of the dirty pool (dirty-pool.ts), run by piscina. Plain JavaScript for the same
// reason as worker-entry.mjs: module hooks registered in the parent thread are not
// inherited by workers, so this registers Switchboard's hooks (TypeScript, reduction
// counting for modules that opt in) first, from the loader URL and settings the pool passes
// in its workerData, then runs each task:
//   task = { module, export, args }  ->  await (await import(module))[export](...args)
// A missing export throws a TypeError naming it; whatever the export throws rejects the
// task, and the pool turns it into `{ ok: false, error }`.
// Microstates (dirty-thread-msacc.ts): at its start the thread claims a block of the pool's
// microstate area, then stores one state per transition of a task: housekeeping (import),
// actor (the export's synchronous run), idle (its promise pending), parked (done, waiting).
import { register } from 'node:module';
import { threadId } from 'node:worker_threads';
import { workerData } from 'piscina';

if (workerData?.loader) {
  process.setSourceMapsEnabled(true);
  register(workerData.loader, { data: workerData.loaderData ?? {} });
}

// The pool passes the URL of its microstate side (dirty-pool.ts): the .ts from the sources,
// the built .js from the package (this file is copied as it is, so a relative import here
// would not resolve in the build's output).
const msacc = await import(workerData?.msaccUrl ?? './dirty-thread-msacc.js');
const ms = workerData?.msacc ? msacc.claimDirtySlot(workerData.msacc, threadId).word : new Int32Array(1);
const kActor = msacc.kMsActor;
const kHousekeeping = msacc.kMsHousekeeping;
const kIdle = msacc.kMsIdle;
const kParked = msacc.kMsParked;

// V8's GC entries reach a PerformanceObserver through an unref'd native immediate: in a
// thread waiting for its next task (Atomics.waitAsync, the pool's `atomics: 'async'`) they
// would wait for the next event, or be lost when piscina ends the thread. One ref'd
// immediate after each task lets the loop turn once, so the thread's GC is counted
// (dirty-thread-msacc.ts) as soon as the task is done.
function turn() {}
function parked() {
  ms[0] = kParked;
  setImmediate(turn);
}

export default async function runDirtyTask(task) {
  ms[0] = kHousekeeping;
  let r;
  try {
    const ns = await import(task.module);
    const fn = ns[task.export];
    if (typeof fn !== 'function') throw new TypeError(`dirty: ${task.module} has no exported function ${task.export}`);
    ms[0] = kActor;
    r = fn(...task.args);
  } catch (e) {
    parked();
    throw e;
  }
  if (r === null || typeof r !== 'object' || typeof r.then !== 'function') {
    parked();
    return r;
  }
  ms[0] = kIdle;
  try {
    return await r;
  } finally {
    parked();
  }
}
