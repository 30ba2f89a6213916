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
// The Erlang External Term Format codec (src/codec/etf): Erlang's term_to_binary format.
export {
  EtfEncoder, EtfDecoder, Atom, Tuple, ImproperList, BitBinary, Charlist, ErlFloat, ErlPid, ErlRef, ErlPort, ErlExportFun,
  ErlClosure, EtfMalformedError, EtfUnsupportedError, EtfLimitError,
  type AtomCacheRefs, type EtfLimit, type EtfDecodeOptions, type EtfEncodeOptions,
} from './codec/etf/index.ts';
// A node as a peer of Erlang nodes (src/dist/erlang-peer): net_adm:ping and rpc both ways, and the
// conversions between Erlang's terms (as the ETF codec gives them) and Switchboard's pids,
// refs and exit reasons.
export {
  erlangPing, toErlang, fromErlang, pidToErl, pidFromErl, erlangRpc, exportRpc, ErlangRpcError,
  type ErlangDispatchStats, type ErlangRpcOptions, type RpcFunction, type ErlangRpcServerStats,
} from './dist/erlang-peer/index.ts';
// Cluster services (src/cluster): global names, distributed applications, process groups, delivery guarantees, leader election.
export {
  Global, GlobalNameServer, GlobalNotRegisteredError, GlobalNotStartedError, GlobalThreadInUseError, kGlobalServerName,
  type RegisterSelfOptions, type ResolveMethod, type ResolveFunctionRef, type ResolveFunction, type NameConflictMessage,
  type NameConflictReason, type NameTakenMessage, type NameTakenReason,
  DistApp, PriorityList, AlreadyRunningHereError, DistAppMismatchError, DistAppStoppedError, NotRunningDistributedError,
  SyncNodesError, UnknownDistributedAppError, type DistAppStartOptions, type DistAppInfo, type LocalPhase,
  Pg, kDefaultScope, pgServerName, PgAlreadyStartedError, PgNotLocalError, PgNotStartedError,
  type PidOrPids, type PgStartOptions, type GroupSubscription, type ScopeSubscription, type PgEvent, type ScopeView,
  Delivery, DedupeTable, DeliveryFailedError, DedupeFileError, isDelivery, isDeliveryAck, isDeliveryReport,
  kDefaultRetries, kDefaultAttemptTimeoutMs, kDefaultMaxEntries, kDownNodeMs, kIdleWatches,
  type ProcessOnceResult, type DedupeTableOptions, type DedupeOrder, type DedupeStats, type DeliveryOptions, type FallbackTarget,
  type DeliveryEnvelope, type DeliveryAck, type DeliveryReport, type DeliveryOk, type DeliveryNotOk, type DeliveryFailure,
  type DeliveryTarget, type TriedTarget,
  defineGenLeader, GenLeader, alive, candidates, leaderNode, workers, LeaderAlreadyStartedError, LeaderDiedError,
  NotInElectionError, type Election, type GenLeaderBehaviour, type GenLeaderImpl, type GenLeaderOptions, type ElectedResult,
  type OkResult, type LeaderCallResult, type LeaderCastResult, type LocalCallResult, type LocalNoReplyResult, type DownResult,
  // Not for direct use: the services' own actors. A scheduler thread of a ThreadedNode loads a
  // behaviour by module URL + export name; in the built package that module is dist/index.js,
  // so the behaviours the services spawn there must be exported from it under their names.
  Courier, ScopeServer, GlobalRegistrar, GlobalReplica, startThreadReplica, DistAppController,
} from './cluster/index.ts';
// Membership past the full mesh (src/cluster/membership): SWIM + Lifeguard over the node's
// connections, discovery, the split-brain resolver. MembershipServer is spawned on a
// scheduler thread by export name.
export {
  Membership, MembershipServer, kMembershipServerName, SeedListDiscovery, DnsDiscovery, PortMapperDiscovery,
  decideSplitBrain, SplitBrainResolver, MembershipNotStartedError, MembershipStoppedError, DiscoveryFailedError,
  type MembershipStartOptions, type SplitBrainOptions, type SplitBrainDecision, type SplitBrainPolicy, type SplitBrainStrategy,
  type SbrMember, type NodeMemberEvent, type MemberInfo, type MemberState, type MembershipOptions, type Discovery, type Seed,
  type PortMapperDiscoveryOptions, type DnsDiscoveryOptions,
  HeartbeatHistory, phiOf, type PhiAccrualOptions, type PhiAccrualConfig,
} from './cluster/membership/index.ts';
// Profiling (src/profile): the actor view behind `switchboard top`, and metrics export
// (a Prometheus endpoint, diagnostics_channel events).
export { ActorView, topActors, sortRows, type ActorViewSnapshot, type ActorRow, type SchedulerView, type ActorSort } from './profile/actor-view.ts';
export {
  startMetricsServer, metricsRegistry, kSpawnChannel, kExitChannel, kNodeUpChannel, kNodeDownChannel, switchboardChannels,
  type MetricsServer, type MetricsServerOptions, type MetricsRegistryOptions, type SpawnEvent, type ExitEvent, type NodeUpEvent, type NodeDownEvent,
} from './profile/metrics/index.ts';
export {
  startTrace, stopTrace, kDefaultBufferEvents, kDefaultClockEvery, TraceAlreadyStartedError, TraceNotStartedError,
  type TraceOptions, type ChromeTrace, type TraceEvent,
} from './profile/trace/index.ts';
// The observer page (`switchboard observe`) and remote attach (`--node`: a hidden node asks
// the target's profile agent). ProfileAgent is spawned on a scheduler thread by export name.
export {
  observe, observeSource, LocalObserverSource, supervisionReport, ObserveTokenRequiredError,
  type LocalObserveOptions, type ObserveOptions, type ObserveSettings, type ObserverServer, type ObserverSource,
  type ObserverFrame, type SchedulerFrame, type ActorFrameRow,
  type SupervisionReport, type SupervisionTree, type SupervisionEntry, type SupervisionWalkOptions,
} from './profile/observe/index.ts';
export {
  startProfileAgent, ProfileAgent, attachRemote, RemoteAttachError, RemoteQueryError, kProfileAgentName,
  type ProfileAgentHandle, type AttachRemoteOptions, type RemoteAttachment, type ProfileRequest, type ProfileAnswer, type ProfileHello,
} from './profile/remote/index.ts';
