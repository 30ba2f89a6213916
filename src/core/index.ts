export { Scheduler, defaultSchedulerOptions, validateSchedulerOptions, validateSpawnOptions } from './scheduler.ts';
export type { SchedulerOptions, SpawnOptions, ProcessInfo, SchedulerCounters } from './scheduler.ts';
export type { SchedulerHost, SchedulerDeps } from './scheduler-host.ts';
export { Router, kLocalNode, kRouteHere, kRouteThread, kRouteNode } from './router.ts';
export type { Transport, Inbound, MovedOut } from './router.ts';
export { LocalNode } from './local-node.ts';
export type { LocalNodeOptions } from './local-node.ts';
export type { Node, NodeEvent, NodeSchedulerStats, NodeStatsReport, SpawnTarget } from './node.ts';
export { Context, RECEIVE } from './context.ts';
export {
  callRequest, callReply, castRequest, isCall, isReply, isCast, checkCallTimeout, callDownError, kDefaultCallTimeoutMs, PendingCalls,
} from './call-protocol.ts';
export type { From, CallRequest, CallReply, CastRequest, PendingCall } from './call-protocol.ts';
export { Behaviour, BehaviourKind, defineActor, loadBehaviour } from './behaviour.ts';
export type { HandlerImpl, ProcessImpl, BehaviourRef } from './behaviour.ts';
export { Pid, Ref, isPid, isRef, pidEquals, parsePid } from './pid.ts';
export { ANY, matches } from './pattern.ts';
export type { Pattern } from './pattern.ts';
export { share, copyMessage, estimateSize } from './copy.ts';
export { registerClass, unregisterClass } from './class-registry.ts';
export { registerErrorClass } from './error-classes.ts';
export { NodeTable, nodeTable, nodeOf, kNoNodeName, type NodeIdentity } from './node-table.ts';
export { TIMEOUT, ExitException, errorReason, isExitMessage, isDownMessage } from './reason.ts';
export type {
  ExitReason, ErrorReason, RunawayReason, HeapLimitReason, MailboxLimitReason, UndefReason, BadYieldReason,
  ExitMessage, DownMessage, Timeout,
} from './reason.ts';
export { reductions, ReductionCounter, RunawaySignal, PREEMPT, kGrant, kDefaultMaxReductionsPerMessage } from './reductions.ts';
export { Registry } from './registry.ts';
export { TimerWheel, TimerNode } from './timer-wheel.ts';
export { Mailbox } from './mailbox.ts';
export { RunQueue } from './run-queue.ts';
export type { Priority } from './actor.ts';
export * from './errors.ts';
