/**
 * The membership layer (issue 14): SWIM + Lifeguard membership and failure detection as a
 * transport-agnostic state machine, seed/DNS discovery, and the deterministic network
 * simulator that runs it. Re-exports only.
 */
export { SwimNode } from './swim-node.ts';
export type { Claim, MemberInfo, MemberName, MemberState, MembershipEnv, MembershipEvent, Message, StateEntry } from './types.ts';
export { kLanDefaults, pushPullPeriod, resolveMembershipOptions, retransmitLimit, suspicionWindow } from './options.ts';
export type { MembershipConfig, MembershipOptions, PhiAccrualOptions } from './options.ts';
export { HeartbeatHistory, phiOf } from './phi-accrual.ts';
export type { PhiAccrualConfig } from './phi-accrual.ts';
export { DiscoveryFailedError, MembershipStoppedError } from './errors.ts';
export { MembershipSim } from './sim/membership-sim.ts';
export type { SimEvent, SimOptions, TrafficCounter } from './sim/membership-sim.ts';
export { SeededRandom } from './sim/seeded-random.ts';
export { DnsDiscovery, SeedListDiscovery } from './discovery.ts';
export type { Discovery, DnsDiscoveryOptions, DnsResolver, Seed } from './discovery.ts';
export { Membership } from './membership.ts';
export type { MembershipStartOptions, SplitBrainOptions } from './membership.ts';
/** The service's actor (spawned by Membership.start; exported so a scheduler thread can load it by name). */
export { MembershipServer, kMembershipServerName } from './membership-server.ts';
export type { NodeMemberEvent } from './membership-server.ts';
export { decideSplitBrain, SplitBrainResolver } from './split-brain.ts';
export type { SbrMember, SplitBrainDecision, SplitBrainPolicy, SplitBrainStrategy } from './split-brain.ts';
export { PortMapperDiscovery } from './port-mapper-discovery.ts';
export type { PortMapperDiscoveryOptions } from './port-mapper-discovery.ts';
export { MembershipNotStartedError } from './errors.ts';
