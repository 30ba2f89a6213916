/**
 * OTP behaviours: GenServer, Supervisor, DynamicSupervisor, Application, sys; GenStatem,
 * Task and the code server are added by their own modules. Re-exports only.
 */
export * from './errors.ts';
export { callProcess, callVia, callOut, castVia } from './call.ts';
export type { CallGen, CallOut, Via } from './call.ts';
export { startProcess, ackStart, isStartMarker, acksStart, markAcksStart, startOnNode, Starter } from './start-ack.ts';
export type { StartMarker, StartResult, StartAck, StartProcessOptions } from './start-ack.ts';
export { Sys, isSystemRequest, isSystemCall, handleSystemRequest, sendTrace } from './sys.ts';
export type { SystemRequest, SystemStatus, TraceEvent, SystemServer } from './sys.ts';
export { GenServer, defineGenServer, serverName } from './gen-server.ts';
export type {
  GenServerImpl, InitResult, CallResult, NoReplyResult, Then, ServerPid, ServerName, ServerTypes, CallOf, CastOf, ReplyOf,
  PidOf, StartOptions, BadReturnReason, GenServerHandler,
} from './gen-server.ts';
export { CodeServer, defaultLoadOptions } from './code-server.ts';
export type { CodeTarget, LoadOptions, LoadResult, ModuleVersions, PurgedReason } from './code-server.ts';
export { CodeLoadError } from './code-errors.ts';
export {
  validateChildSpec, validateChildSpecs, validateSupervisorFlags, defaultSupervisorFlags, defaultWorkerShutdownMs,
} from './child-spec.ts';
export type { ChildSpec, ChildStart, FullChildSpec, SupervisorFlags, RestartType, Shutdown, ChildType, Strategy } from './child-spec.ts';
export { RestartIntensity } from './restart-intensity.ts';
export { startChild, shutdownChild } from './child-lifecycle.ts';
export { Supervisor, SupervisorFromSpec, defineSupervisor } from './supervisor.ts';
export { portableSpec, portableBehaviour, specForNode } from './portable.ts';
export type {
  SupervisorSpec, SupervisorImpl, ChildInfo, ChildCounts, StartChildResult, SupervisorRequest, FailedToStartChild,
} from './supervisor.ts';
export { DynamicSupervisor, DynamicSupervisorProcess } from './dynamic-supervisor.ts';
export type { DynamicSupervisorSpec, DynamicRequest, DynamicChildInfo } from './dynamic-supervisor.ts';
export { Application, defineApplication, getEnv, setEnv } from './application.ts';
export type {
  ApplicationDefinition, ApplicationDef, ApplicationStart, StartPhase, StartPhaseContext, StartAppOptions, RunningApplication,
  StartType, DistributedSpec, DistributedStartOptions, DistributedApplicationsHost,
} from './application.ts';
export { GenStatem, Statem, defineGenStatem } from './gen-statem.ts';
export type {
  GenStatemImpl, StatemEvent, StatemAction, StatemResult, StatemInitResult, StateFunction, StatemBadReturnReason, StatemHandler,
} from './gen-statem.ts';
export { Task, TaskRunner, TaskSupervisor, kDefaultTaskTimeoutMs } from './task.ts';
export type { TaskTarget, TaskYield } from './task.ts';
export { TaskExitError, TaskTimeoutError } from './task-errors.ts';
