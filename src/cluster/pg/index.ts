/**
 * Process groups (Erlang's pg): the public names of src/cluster/pg. Re-exports only.
 */
export { Pg, type PidOrPids, type PgStartOptions } from './pg.ts';
export { kDefaultScope, serverName as pgServerName, type GroupSubscription, type ScopeSubscription, type PgEvent } from './pg-protocol.ts';
export type { ScopeView } from './scope-table.ts';
export { PgAlreadyStartedError, PgNotLocalError, PgNotStartedError } from './errors.ts';
/** The scope server's behaviour: spawned by Pg.start (exported so a scheduler thread can load it by name). */
export { ScopeServer } from './scope-server.ts';
