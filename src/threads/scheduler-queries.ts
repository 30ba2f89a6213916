/**
 * Queries a ThreadedNode runs on every scheduler's thread with `applyOnSchedulers`
 * (a CONTROL apply request, endpoint.ts): each export takes the thread's Scheduler first.
 * `processesQuery` names `listProcesses` for such a request.
 */
import type { Pid } from '../core/pid.ts';
import type { Scheduler } from '../core/scheduler.ts';

/** The live processes of this scheduler: its own and the guests that moved here. */
export function listProcesses(scheduler: Scheduler): Pid[] {
  return scheduler.processes();
}

/** `listProcesses`, as applyOnSchedulers names a function. */
export const processesQuery = { module: import.meta.url, export: 'listProcesses' } as const;
