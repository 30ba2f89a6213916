/**
 * The membership layer (issue 14): SWIM + Lifeguard membership and failure detection as a
 * transport-agnostic state machine, seed/DNS discovery, and the deterministic network
 * simulator that runs it. Re-exports only.
 */
export { SwimNode } from './swim-node.ts';
export type { Claim, MemberInfo, MemberName, MemberState, MembershipEnv, MembershipEvent, Message, StateEntry } from './types.ts';
export { kLanDefaults, pushPullPeriod, resolveMembershipOptions, retransmitLimit, suspicionWindow } from './options.ts';
export type { MembershipConfig, MembershipOptions } from './options.ts';
export { DiscoveryFailedError, MembershipStoppedError } from './errors.ts';
export { MembershipSim } from './sim/membership-sim.ts';
export type { SimEvent, SimOptions, TrafficCounter } from './sim/membership-sim.ts';
export { SeededRandom } from './sim/seeded-random.ts';
export { DnsDiscovery, SeedListDiscovery } from './discovery.ts';
export type { Discovery, DnsDiscoveryOptions, DnsResolver, Seed } from './discovery.ts';
