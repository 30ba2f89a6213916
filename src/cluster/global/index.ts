/** Global names (Erlang's `global`): the public API of src/cluster/global. Re-exports only. */
export { Global } from './global.ts';
export type { RegisterSelfOptions } from './global.ts';
export { GlobalNameServer } from './name-server.ts';
export { GlobalNotRegisteredError, GlobalNotStartedError, GlobalThreadInUseError } from './errors.ts';
export { kServerName as kGlobalServerName } from './protocol.ts';
export type { ResolveMethod, ResolveFunctionRef, NameConflictMessage, NameConflictReason, NameTakenMessage, NameTakenReason } from './protocol.ts';
export type { ResolveFunction } from './resolve.ts';
/** The service's own actors and thread hook: spawned by Global.start (exported so a scheduler thread can load them by name). */
export { GlobalRegistrar } from './registrar.ts';
export { GlobalReplica, startThreadReplica } from './replica-actor.ts';
