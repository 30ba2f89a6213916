// Distributed applications (Erlang's dist_ac): re-exports only.
export { DistApp, type DistAppStartOptions } from './dist-app.ts';
export { DistAppController } from './controller.ts';
export { PriorityList } from './priority-list.ts';
export type { DistAppInfo } from './protocol.ts';
export type { LocalPhase } from './app-view.ts';
export {
  AlreadyRunningHereError, DistAppMismatchError, DistAppStoppedError, NotRunningDistributedError, SyncNodesError, UnknownDistributedAppError,
} from './errors.ts';
