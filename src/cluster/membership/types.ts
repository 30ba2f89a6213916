/**
 * The data of the membership protocol (SWIM with Lifeguard, memberlist style): member
 * states, the wire messages, the environment a node runs in and the events it reports.
 *
 * A membership node is a pure state machine (swim-node.ts). It never reads a clock, never
 * draws a random number of its own and never touches a socket: the host (the simulator of
 * sim/, later the dist layer's I/O thread) hands it `now` on every call, and the node talks
 * back only through `MembershipEnv` (send, random, emit). Messages are plain JSON data, so a
 * transport may encode them with JSON or with the project's term codec (src/codec/).
 *
 * Erlang mapping: `nodeup`/`nodedown` are net_kernel:monitor_nodes' messages; the other
 * events have no Erlang counterpart (a full mesh has no suspicion and no membership list
 * apart from `nodes()`).
 */

/** A member's name: the node name (`'a@host'`). Unique in a cluster. */
export type MemberName = string;

/**
 * The state of a member as one node sees it.
 *   alive   - answered a probe recently (or someone said so with a newer incarnation);
 *   suspect - a probe failed; it is given the suspicion timeout to refute;
 *   dead    - confirmed failed (not refuted in time); kept for reconnect attempts;
 *   left    - left gracefully; never probed again, reaped after `deadRetentionSec`.
 */
export type MemberState = 'alive' | 'suspect' | 'dead' | 'left';

/** One member as known by a node. */
export interface MemberInfo {
  readonly name: MemberName;
  /** Opaque address for a transport (e.g. 'host:port'); '' when not known. */
  readonly addr: string;
  readonly state: MemberState;
  /** Only its owner increases it: the number that orders alive/suspect/dead claims. */
  readonly incarnation: number;
  /** `now` of the node's last state change for this member (milliseconds). */
  readonly since: number;
}

/**
 * A gossiped claim about one member (what memberlist calls alive/suspect/dead messages).
 * `from` is who made a suspect/dead claim (a dead claim from the member itself is a leave).
 */
export type Claim =
  | { readonly t: 'alive'; readonly node: MemberName; readonly inc: number; readonly addr: string }
  | { readonly t: 'suspect'; readonly node: MemberName; readonly inc: number; readonly from: MemberName }
  | { readonly t: 'dead'; readonly node: MemberName; readonly inc: number; readonly from: MemberName };

/** A member entry in a full-state exchange (push-pull). */
export interface StateEntry {
  readonly node: MemberName;
  readonly addr: string;
  readonly inc: number;
  readonly state: MemberState;
}

/**
 * The wire messages. Every message carries piggybacked claims (`g`), possibly none.
 *   ping     - direct probe; `sus` is the incarnation at which the prober suspects the
 *              target, -1 if it does not (Lifeguard's buddy system: it refutes at once);
 *   ack      - answer to a ping (direct or relayed);
 *   pingReq  - "probe `target` for me": the indirect probe of SWIM;
 *   nack     - Lifeguard: the relay got no ack from the target in time (proves the relay
 *              itself is alive, so a missing nack counts against our local health);
 *   gossip   - claims only (memberlist's gossip interval);
 *   sync     - full state (push-pull); `reply` asks for the receiver's state back,
 *              `join` says the sender is joining through this node.
 */
export type Message =
  | { readonly k: 'ping'; readonly seq: number; readonly target: MemberName; readonly sus: number; readonly g: readonly Claim[] }
  | { readonly k: 'ack'; readonly seq: number; readonly g: readonly Claim[] }
  | { readonly k: 'pingReq'; readonly seq: number; readonly target: MemberName; readonly nack: boolean; readonly g: readonly Claim[] }
  | { readonly k: 'nack'; readonly seq: number; readonly g: readonly Claim[] }
  | { readonly k: 'gossip'; readonly g: readonly Claim[] }
  | { readonly k: 'sync'; readonly reply: boolean; readonly join: boolean; readonly state: readonly StateEntry[]; readonly g: readonly Claim[] };

/** What a membership node reports to its host. */
export type MembershipEvent =
  | { readonly type: 'memberJoined'; readonly node: MemberName; readonly addr: string }
  | { readonly type: 'nodeup'; readonly node: MemberName }
  | { readonly type: 'nodeSuspect'; readonly node: MemberName; readonly by: MemberName }
  | { readonly type: 'nodedown'; readonly node: MemberName; readonly reason: 'failed' | 'left' }
  | { readonly type: 'memberLeft'; readonly node: MemberName; readonly reason: 'left' | 'reaped' };

/**
 * The world as a node sees it. The host owns the clock (passed as `now`, milliseconds, to
 * every call of the node), the transport and the random source.
 */
export interface MembershipEnv {
  /** Hand a message to the transport for `to`. Best effort: it may be lost. */
  send(to: MemberName, msg: Message): void;
  /** A uniform number in [0, 1); seeded in the simulator. */
  random(): number;
  /** Report an event to the host. */
  emit(event: MembershipEvent): void;
}
