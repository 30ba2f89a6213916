/**
 * Exit reasons and signal messages: tagged data, never exceptions.
 *
 * Atoms of Erlang become strings ('normal', 'kill', 'killed', 'noproc', 'noconnection',
 * 'shutdown'); structured reasons are frozen objects tagged by `kind`. Any other sendable
 * value may be used as a reason too (`ctx.exit({ my: 'reason' })`), as in Erlang.
 */
import type { Pid, Ref } from './pid.ts';

/** An exception thrown by the actor's code. */
export interface ErrorReason {
  readonly kind: 'error';
  readonly name: string;
  readonly message: string;
  readonly stack: string;
}
/** Synchronous code ran past `maxReductionsPerMessage` (see the compiler). */
export interface RunawayReason {
  readonly kind: 'runaway';
  readonly reductions: number;
}
/** The actor's heap (mailbox + state estimate) outgrew `maxHeapSize`. */
export interface HeapLimitReason {
  readonly kind: 'maxHeapSize';
  readonly limit: number;
  readonly size: number;
}
/** The mailbox outgrew `maxMailbox` with policy `kill`. */
export interface MailboxLimitReason {
  readonly kind: 'maxMailbox';
  readonly limit: number;
}
/** The behaviour could not be resolved (module or export missing). */
export interface UndefReason {
  readonly kind: 'undef';
  readonly module: string;
  readonly export: string;
  readonly message: string;
}
/** A process-style actor yielded something that is not `ctx.receive(...)`. */
export interface BadYieldReason {
  readonly kind: 'badyield';
  readonly value: string;
}

export type ExitReason =
  | 'normal'
  | 'kill'
  | 'killed'
  | 'noproc'
  | 'noconnection'
  | 'shutdown'
  | ErrorReason
  | RunawayReason
  | HeapLimitReason
  | MailboxLimitReason
  | UndefReason
  | BadYieldReason
  | unknown;

/** Delivered to a process that traps exits: Erlang's {'EXIT', From, Reason}. */
export interface ExitMessage {
  readonly type: 'EXIT';
  readonly from: Pid;
  readonly reason: ExitReason;
}

/** Delivered to a monitoring process: Erlang's {'DOWN', Ref, process, Pid, Reason}. */
export interface DownMessage {
  readonly type: 'DOWN';
  readonly ref: Ref;
  readonly pid: Pid;
  readonly reason: ExitReason;
}

/** What `ctx.receive(pattern, timeoutMs)` returns when its `after` timeout fires. */
export const TIMEOUT: unique symbol = Symbol.for('switchboard.timeout');
export type Timeout = typeof TIMEOUT;

export function errorReason(e: unknown): ErrorReason {
  if (e instanceof Error) {
    return Object.freeze({ kind: 'error', name: e.name, message: e.message, stack: e.stack ?? `${e.name}: ${e.message}` });
  }
  let text: string;
  try {
    text = typeof e === 'string' ? e : JSON.stringify(e) ?? String(e);
  } catch {
    text = String(e);
  }
  return Object.freeze({ kind: 'error', name: 'thrown', message: text, stack: text });
}

export function isExitMessage(m: unknown): m is ExitMessage {
  return typeof m === 'object' && m !== null && (m as { type?: unknown }).type === 'EXIT' && 'from' in m;
}

export function isDownMessage(m: unknown): m is DownMessage {
  return typeof m === 'object' && m !== null && (m as { type?: unknown }).type === 'DOWN' && 'ref' in m;
}

/** Thrown by `ctx.exit(reason)` to end the running actor; caught by its scheduler. */
export class ExitException {
  readonly reason: ExitReason;
  constructor(reason: ExitReason) {
    this.reason = reason;
  }
}
