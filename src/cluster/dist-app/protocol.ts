/**
 * The messages of distributed applications, in one place.
 *
 * Between the controllers of two nodes (plain sends to { name: 'dist_ac', node }; Erlang's
 * dist_ac_new_node / dist_ac_app_started / dist_ac_app_stopped folded into one message):
 *
 *   { type: '$dist_ac', app, node, ranks, declared, local, startType, gen, runningAt, failoverFrom, ask, failed }
 *     "this is my state for `app`": sent to a node when it comes up (nodeup) and to every
 *     node of the list when the application is declared here (ask: true: answer with your
 *     own state), and to every connected node whenever `declared` or `local` changes.
 *     `ranks` is the node list (null if the sender has not declared it), compared with the
 *     receiver's (Erlang's dist_mismatch). failed: true says the sender's instance died
 *     (its top process exited): the receivers fail it over as if its node had gone down.
 *     runningAt is where the sender believes it runs: a node that stops its instance after
 *     a takeover names the taker, so a receiver that has not heard from the taker yet does
 *     not take the stop for a withdrawal (and fails over from the taker if it is down);
 *     failoverFrom says the sender is waiting to fail over from that node. gen is the
 *     generation of the sender's instance (app-view.ts decision 4).
 *
 * Between a controller and its node's embedding thread (where application.ts runs the
 * instance; actors cannot call into it, so these are messages):
 *
 *   controller -> node.pid ('message' event)  { type: '$dist_app_order', app, seq, op: 'run', startType }
 *                                             { type: '$dist_app_order', app, seq, op: 'stop' }
 *   embedding thread -> controller            { type: '$dist_app_done', app, seq, ok, error? }
 *
 * Calls from the API (dist-app.ts) to the local controller (GenServer calls), answered
 * with { ok: value } or { error }:
 *   { op: 'declare', app, nodes, failoverTimeoutMs, sync }   Application.start
 *   { op: 'withdraw', app }                                  Application.stop / node.stop
 *   { op: 'takeover', app }                                  Application.takeover
 *   { op: 'where', app }                                     DistApp.whereRunning
 *   { op: 'info', app }                                      DistApp.info
 */
import type { DistributedStartOptions, StartType } from '../../otp/application.ts';
import type { Pid } from '../../core/pid.ts';
import type { LocalPhase } from './app-view.ts';

/** The registered name of every node's controller. */
export const kControllerName = 'dist_ac';

export interface PeerStateMsg {
  readonly type: '$dist_ac';
  readonly app: string;
  readonly node: string;
  readonly ranks: readonly (readonly string[])[] | null;
  readonly declared: boolean;
  readonly local: LocalPhase;
  readonly startType: StartType | null;
  readonly gen: number;
  readonly runningAt: string | null;
  readonly failoverFrom: string | null;
  readonly ask: boolean;
  readonly failed: boolean;
}

export type OrderMsg =
  | { readonly type: '$dist_app_order'; readonly app: string; readonly seq: number; readonly op: 'run'; readonly startType: StartType }
  | { readonly type: '$dist_app_order'; readonly app: string; readonly seq: number; readonly op: 'stop' };

export interface DoneMsg {
  readonly type: '$dist_app_done';
  readonly app: string;
  readonly seq: number;
  readonly ok: boolean;
  readonly error?: unknown;
  /** A run's top process (monitored by the controller), null for a library application or a stop. */
  readonly top?: Pid | null;
}

export type ControllerCall =
  | { readonly op: 'declare'; readonly app: string; readonly nodes: readonly (string | readonly string[])[]; readonly failoverTimeoutMs: number; readonly sync: DistributedStartOptions }
  | { readonly op: 'withdraw' | 'takeover' | 'where' | 'info'; readonly app: string };

export type ControllerAnswer<T = unknown> = { readonly ok: T } | { readonly error: unknown };

/** What DistApp.info tells about one application. */
export interface DistAppInfo {
  readonly app: string;
  readonly declared: boolean;
  readonly local: LocalPhase;
  readonly startType: StartType | null;
  readonly gen: number;
  readonly runningAt: string | null;
  readonly failoverFrom: string | null;
  readonly failoverPending: boolean;
  readonly candidates: readonly string[];
}

export function isPeerState(m: unknown): m is PeerStateMsg {
  return typeof m === 'object' && m !== null && (m as { type?: unknown }).type === '$dist_ac';
}

export function isOrder(m: unknown): m is OrderMsg {
  return typeof m === 'object' && m !== null && (m as { type?: unknown }).type === '$dist_app_order';
}

export function isDone(m: unknown): m is DoneMsg {
  return typeof m === 'object' && m !== null && (m as { type?: unknown }).type === '$dist_app_done';
}
