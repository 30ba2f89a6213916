// The package's entry point: re-exports only.
//   startNode({ schedulers: 0 | N }) -> a Node (core/node.ts): LocalNode or ThreadedNode.
export * from './core/index.ts';
export * from './otp/index.ts';
export type { Node, NodeEvent, NodeSchedulerStats, NodeStatsReport, SpawnTarget } from './core/node.ts';
export {
  startNode, ThreadedNode, NotPortableError, BackpressureError, attachDirtyPool, DirtyPool,
  type StartedNode, type NodeOptions, type NodeSpawnOptions, type NodeStats, type SchedulerDownEvent, type SchedulerDownReason,
  type SchedulerStats, type SchedulerState, type DirtyOutcome, type DirtyTask,
} from './threads/index.ts';
// Distribution (src/dist): so far the EPMD-protocol port mapper (issue 11, point 2).
export {
  PortMapperError, type PortMapperFailure, registerNode, lookupNode, listNames, PortMapperRegistration,
  startPortMapper, PortMapperServer, ensurePortMapper, StaticPortMap,
  type NodeEntry, type NamesAnswer, type PortMapperAddress, type RegisterNodeOptions, type PortMapperEntry,
  type PortMapperServerOptions, type EnsuredPortMapper, type EnsurePortMapperOptions, type StaticNodeAddress,
} from './dist/index.ts';
