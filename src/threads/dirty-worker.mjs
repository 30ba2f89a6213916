// A thread of the dirty pool (dirty-pool.ts), run by piscina. Plain JavaScript for the same
// reason as worker-entry.mjs: module hooks registered in the parent thread are not
// inherited by workers, so this registers Switchboard's hooks (TypeScript, reduction
// counting for modules that opt in) first, from the loader URL and settings the pool passes
// in its workerData, then runs each task:
//   task = { module, export, args }  ->  await (await import(module))[export](...args)
// A missing export throws a TypeError naming it; whatever the export throws rejects the
// task, and the pool turns it into `{ ok: false, error }`.
import { register } from 'node:module';
import { workerData } from 'piscina';

if (workerData?.loader) {
  process.setSourceMapsEnabled(true);
  register(workerData.loader, { data: workerData.loaderData ?? {} });
}

export default async function runDirtyTask(task) {
  const ns = await import(task.module);
  const fn = ns[task.export];
  if (typeof fn !== 'function') throw new TypeError(`dirty: ${task.module} has no exported function ${task.export}`);
  return await fn(...task.args);
}
