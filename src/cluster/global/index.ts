/** Global names (Erlang's `global`): the public API of src/cluster/global. Re-exports only. */
export { Global } from './global.ts';
export type { RegisterSelfOptions } from './global.ts';
export { GlobalNameServer } from './name-server.ts';
export { GlobalNotRegisteredError, GlobalNotStartedError, GlobalThreadInUseError } from './errors.ts';
export { kServerName as kGlobalServerName } from './protocol.ts';
export type { ResolveMethod, ResolveFunctionRef, NameConflictMessage, NameConflictReason, NameTakenMessage, NameTakenReason } from './protocol.ts';
export type { ResolveFunction } from './resolve.ts';
