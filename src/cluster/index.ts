/**
 * Cluster services (src/cluster): services started per node on top of distribution —
 * global names (Erlang's global), distributed applications (Erlang's dist_ac), process groups (Erlang's pg), delivery guarantees (at-least-once sends, exactly-once
 * processing), leader election (Erlang's gen_leader). Re-exports only; each part's own
 * index.ts says what it exports, and each part's files say how it works.
 */
export * from './global/index.ts';
export * from './dist-app/index.ts';
export * from './pg/index.ts';
export * from './delivery/index.ts';
export * from './leader/index.ts';
