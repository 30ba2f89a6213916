/**
 * `{ global: name }`: a name registered cluster-wide (Erlang's `{global, Name}`), accepted
 * by send, monitor and call wherever a pid or a local name is.
 *
 * Core never knows how global names are kept. The cluster layer (src/cluster/global) keeps
 * a replica of the name table on every thread that may resolve one and installs it here
 * with `setGlobalNameResolver`; core only asks "which pid has this name, as this thread's
 * replica knows it". The slot is module state, so there is one per thread (each worker
 * thread has its own copy of this module).
 *
 * How each operation treats a name that does not resolve (or a thread with no resolver):
 *   send     NotRegisteredError, nothing is sent (as a local name; Erlang's global:send exits)
 *   monitor  an immediate DOWN 'noproc' (as a local name)
 *   call     NoProcError, nothing is sent
 * A name that resolves is used as its pid: what happens afterwards is what happens with a
 * pid (the message to an owner that has died meanwhile is dropped, and so on).
 */
import type { Context, ReceiveRequest } from './context.ts';
import type { Pid } from './pid.ts';

/** A cluster-wide name: `{ global: 'proxima' }`. */
export interface GlobalName {
  readonly global: string;
}

/** What the cluster layer installs on a thread: its replica of the global name table. */
export interface GlobalNameResolver {
  /** The pid registered under `name` cluster-wide, as this thread knows it; undefined if none. */
  whereis(name: string): Pid | undefined;
  /**
   * Register `pid` under `name` cluster-wide from the running actor and wait for the
   * answer (a generator to `yield*`): 'yes', or 'no' when another pid holds it. Used by
   * a supervisor whose child spec names the child `{ global: name }` (otp/child-lifecycle.ts).
   */
  register?(ctx: Context, name: string, pid: Pid): Generator<ReceiveRequest, 'yes' | 'no', any>;
}

let resolver: GlobalNameResolver | null = null;

export function isGlobalName(to: unknown): to is GlobalName {
  return typeof to === 'object' && to !== null && typeof (to as { global?: unknown }).global === 'string';
}

/** Install this thread's resolver (null removes it). */
export function setGlobalNameResolver(r: GlobalNameResolver | null): void {
  resolver = r;
}

/** The pid `name` resolves to on this thread; undefined when unknown or when no resolver is set. */
export function resolveGlobalName(name: string): Pid | undefined {
  return resolver === null ? undefined : resolver.whereis(name);
}

/** This thread's way to register a global name from an actor, or null (no resolver, or one that cannot). */
export function globalNameRegistrar(): NonNullable<GlobalNameResolver['register']> | null {
  return resolver?.register === undefined ? null : resolver.register.bind(resolver);
}

/** How errors print a global name. */
export function describeGlobalName(to: GlobalName): string {
  return `{ global: ${JSON.stringify(to.global)} }`;
}
