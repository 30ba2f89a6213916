// The package's entry point: re-exports only.
//   startNode({ schedulers: 0 | N, name? }) -> a Node (core/node.ts): LocalNode or ThreadedNode, distributed when named.
export * from './core/index.ts';
export * from './otp/index.ts';
export type { Node, NodeEvent, NodeSchedulerStats, NodeStatsReport, SpawnTarget } from './core/node.ts';
export {
  ThreadedNode, NotPortableError, BackpressureError, attachDirtyPool, DirtyPool,
  type NodeSpawnOptions, type NodeStats, type SchedulerDownEvent, type SchedulerDownReason,
  type SchedulerStats, type SchedulerState, type DirtyOutcome, type DirtyTask,
} from './threads/index.ts';
// Distribution (src/dist) and startNode.
export {
  startNode, type StartedNode, type StartNodeOptions, type StartNodeOptions as NodeOptions, type DistOptions,
  NoConnectionError, RemoteSpawnError, AlreadyDistributedError, HandshakeError, BadCookieError, NameTakenHandshakeError,
  SimultaneousConnectError, VersionMismatchError, ReplayedChallengeError, HandshakeTimeoutError, MalformedHandshakeError,
  HandshakeClosedError, FrameError, type FrameFailure, IoLinkError, MeshControlError, DistConnectError,
  BadNodeNameError, parseNodeName, type NodeName, BadCookieFileError, resolveCookie,
  PortMapperError, type PortMapperFailure, registerNode, lookupNode, listNames, PortMapperRegistration,
  startPortMapper, PortMapperServer, ensurePortMapper, StaticPortMap,
  type NodeEntry, type NamesAnswer, type PortMapperAddress, type RegisterNodeOptions, type PortMapperEntry,
  type PortMapperServerOptions, type EnsuredPortMapper, type EnsurePortMapperOptions, type StaticNodeAddress,
} from './dist/index.ts';
