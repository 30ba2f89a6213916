/**
 * The membership server: one actor per node, registered as 'sb_membership', that runs the
 * SWIM + Lifeguard state machine (swim-node.ts) on real time over the distribution layer.
 * Its peers are the 'sb_membership' actors of the other nodes; SWIM's pings, indirect
 * probes, acks, nacks, gossip and push-pull syncs are ordinary messages between them,
 * carried on the one multiplexed TCP connection per node pair that dist keeps.
 *
 *   node a                                         node b
 *   sb_membership ──{ type:'$swim', from, m }──►  sb_membership      (ctx.send to
 *     │  SwimNode                                   SwimNode          { name, node }:
 *     │  SplitBrainResolver                                           dist connects on
 *     ▼                                                               demand)
 *   gateway (node.pid) ◄─ $membership_event / $membership_disconnect / $membership_split
 *     └─ membership.ts re-emits them on the Node (memberJoined, nodeSuspect, ...)
 *
 * Loop, in steps:
 *   1. Start: SwimNode named after this node, `addr` = our start time (wall clock ms, the
 *      age keep-oldest compares), join the seeds.
 *   2. Wait for a message until the earliest of: the SwimNode's nextWakeAt, the split-brain
 *      decision's dueAt, the next connection trim. Messages are taken before any timer
 *      work: when the timers are late (a busy thread) the acks already in the mailbox are
 *      read first, so lateness does not turn into false suspicions.
 *   3. '$swim' -> SwimNode.onMessage; a call { op: 'members' | 'leave' | 'seeds' |
 *      'subscribe' | 'stats' } -> answered ('stats': SWIM messages sent and their JSON
 *      size in bytes, the connections held); a timeout -> SwimNode.onTick, then the split-brain resolver.
 *   4. Every SwimNode event goes to the gateway (and to subscribed pids), translated:
 *      memberJoined (first seen, or back after dead/left), nodeSuspect, memberLeft
 *      (reason 'failed': suspicion confirmed; 'left': it left). SWIM's own nodeup/nodedown
 *      are NOT the node's nodeup/nodedown: those stay the connection events of dist.
 *   5. Connection bound (maxPeers > 0): once per probe interval, when more than maxPeers
 *      nodes are connected, the least recently used ones (not used during the last two
 *      probe intervals) are handed to the gateway to disconnect. The next message to one of them
 *      connects again (dist's connect on demand). A soft bound: a node also holds the
 *      peers of the exchanges under way and those that connected to it since the last
 *      trim, and every probe of a peer not held costs a connection setup (which must be
 *      well under the probe timeout, or probes fail and suspicions add gossip traffic).
 *   6. Subscribers besides the gateway: a `{ type: '$membership_subscribe', pid }` message
 *      (or a 'subscribe' call) adds one; a subscriber by message first gets a memberJoined
 *      for every member up now (alive or suspect), then every event. At start the node's
 *      Global name server, when running, is subscribed that way: Global follows the
 *      membership, not the connections, once Membership runs (global/name-server.ts).
 *   7. Split brain (a policy given): after every change the view (members not downed and
 *      not left; reachable = alive, self included) goes to the resolver; a due decision is
 *      sent to the gateway as $membership_split; `keep` downs the unreachable (left out of
 *      later views until they are alive again).
 *
 * Erlang mapping: the part of net_kernel that watches nodes, with SWIM's gossip in place
 * of one tick per connection; no OTP counterpart for the overlay or the resolver.
 */
import { defineActor } from '../../core/behaviour.ts';
import { isCall } from '../../core/call-protocol.ts';
import type { Context } from '../../core/context.ts';
import type { Pid } from '../../core/pid.ts';
import { TIMEOUT } from '../../core/reason.ts';
import type { MembershipOptions } from './options.ts';
import { SplitBrainResolver, type SbrMember, type SplitBrainPolicy } from './split-brain.ts';
import { SwimNode } from './swim-node.ts';
import { messageByteLength } from './sim/json-size.ts';
import { kServerName as kGlobalServerName } from '../global/protocol.ts';
import type { MemberInfo, MemberName, MembershipEvent, Message } from './types.ts';

export const kMembershipServerName = 'sb_membership';

/** The server's start arguments (plain data: they cross to a scheduler thread). */
export interface MembershipServerArgs {
  readonly seeds: readonly string[];
  readonly params: MembershipOptions;
  /** 0: no bound (connections only to nodes the protocol talks to). */
  readonly maxPeers: number;
  readonly splitBrain: (SplitBrainPolicy & { readonly stableAfterMs: number }) | null;
  readonly gateway: Pid;
  readonly startedAt: number;
}

/** A member event as the node reports it (membership.ts emits it under `type`). */
export type NodeMemberEvent =
  | { readonly type: 'memberJoined'; readonly node: string; readonly rejoined: boolean }
  | { readonly type: 'nodeSuspect'; readonly node: string; readonly by: string }
  | { readonly type: 'memberLeft'; readonly node: string; readonly reason: 'failed' | 'left' };

/** Messages the server sends to the gateway. */
export type GatewayNote =
  | { readonly type: '$membership_event'; readonly event: NodeMemberEvent }
  | { readonly type: '$membership_disconnect'; readonly node: string }
  | { readonly type: '$membership_split'; readonly decision: import('./split-brain.ts').SplitBrainDecision };

/** What `members` answers: ourselves first, then every member we know, in any state. */
export type MembersAnswer = readonly MemberInfo[];

type SwimEnvelope = { readonly type: '$swim'; readonly from: MemberName; readonly m: Message };

/** Step 6: subscribe `pid` to the member events (it first gets one memberJoined per member up). */
export interface SubscribeNote {
  readonly type: '$membership_subscribe';
  readonly pid: Pid;
}

function isSubscribeNote(m: unknown): m is SubscribeNote {
  return typeof m === 'object' && m !== null && (m as { type?: unknown }).type === '$membership_subscribe';
}

function isSwim(m: unknown): m is SwimEnvelope {
  return typeof m === 'object' && m !== null && (m as { type?: unknown }).type === '$swim';
}

/** Step 4's translation (undefined: not a node event). */
function nodeEvent(e: MembershipEvent, joinedOnce: Set<string>): NodeMemberEvent | undefined {
  switch (e.type) {
    case 'nodeup': {
      const rejoined = joinedOnce.has(e.node);
      joinedOnce.add(e.node);
      return { type: 'memberJoined', node: e.node, rejoined };
    }
    case 'nodeSuspect':
      return { type: 'nodeSuspect', node: e.node, by: e.by };
    case 'nodedown':
      return { type: 'memberLeft', node: e.node, reason: e.reason };
    default:
      return undefined; // memberJoined duplicates nodeup; a reap is no news
  }
}

export const MembershipServer = defineActor(import.meta.url, function* membershipServer(ctx: Context, args: MembershipServerArgs) {
  const self = ctx.nodeName;
  const subscribers: Pid[] = [args.gateway];
  const joinedOnce = new Set<string>();
  const lastUse = new Map<string, number>();
  const downed = new Set<string>();
  const pending: MembershipEvent[] = [];
  const sent = { messages: 0, bytes: 0 };
  let rnd = (args.startedAt % 2147483647) || 1;
  const swim = new SwimNode(self, {
    send(to, m) {
      lastUse.set(to, ctx.now());
      sent.messages++;
      sent.bytes += messageByteLength(m);
      ctx.send({ name: kMembershipServerName, node: to }, { type: '$swim', from: self, m });
    },
    random() {
      // Park-Miller, seeded by the start time: SWIM needs spread, not secrecy.
      rnd = (rnd * 48271) % 2147483647;
      return (rnd - 1) / 2147483646;
    },
    emit(e) {
      pending.push(e);
    },
  }, { ...args.params, addr: String(args.startedAt) });
  const probeMs = swim.config.probeIntervalMs;
  const sbr = args.splitBrain === null ? null : new SplitBrainResolver(args.splitBrain, args.splitBrain.stableAfterMs);
  let nextTrimAt = args.maxPeers > 0 ? ctx.now() + probeMs : Infinity;
  let joined = false; // the resolver starts once a seed answered (a later rejoin does not stop it)

  const flush = (now: number): void => {
    if (pending.length === 0) return;
    for (const e of pending.splice(0)) {
      if (e.type === 'nodeup') downed.delete(e.node);
      const ne = nodeEvent(e, joinedOnce);
      if (ne !== undefined) for (const s of subscribers) ctx.send(s, { type: '$membership_event', event: ne });
    }
    observe(now);
  };
  const observe = (now: number): void => {
    if (swim.state === 'running') joined = true;
    if (sbr === null || !joined) return;
    const view: SbrMember[] = [{ name: self, age: args.startedAt, reachable: true }];
    for (const m of swim.members()) {
      if (m.state === 'left' || downed.has(m.name)) continue;
      view.push({ name: m.name, age: Number(m.addr) || 0, reachable: m.state === 'alive' });
    }
    sbr.observe(view, now);
  };
  const trim = (now: number): void => {
    nextTrimAt = now + probeMs;
    const up = ctx.nodes('visible');
    if (up.length <= args.maxPeers) return;
    const idle = up.filter((n) => now - (lastUse.get(n) ?? 0) > 2 * probeMs).sort((x, y) => (lastUse.get(x) ?? 0) - (lastUse.get(y) ?? 0));
    for (const n of idle.slice(0, up.length - args.maxPeers)) {
      lastUse.delete(n);
      ctx.send(args.gateway, { type: '$membership_disconnect', node: n });
    }
  };

  const subscribeWithSnapshot = (pid: Pid): void => {
    if (subscribers.some((p) => p.equals(pid))) return;
    subscribers.push(pid);
    for (const node of swim.liveMembers()) {
      ctx.send(pid, { type: '$membership_event', event: { type: 'memberJoined', node, rejoined: false } } satisfies GatewayNote);
    }
  };

  swim.join(args.seeds, ctx.now());
  const globalServer = ctx.whereis(kGlobalServerName);
  if (globalServer !== undefined) subscribeWithSnapshot(globalServer);
  flush(ctx.now());
  for (;;) {
    const now = ctx.now();
    const wake = Math.min(swim.nextWakeAt(), sbr?.dueAt() ?? Infinity, nextTrimAt);
    const m: unknown = yield ctx.receive(undefined, wake === Infinity ? undefined : Math.max(0, Math.ceil(wake - now)));
    const t = ctx.now();
    if (m === TIMEOUT) {
      if (t >= swim.nextWakeAt()) swim.onTick(t);
      if (t >= nextTrimAt) trim(t);
      flush(t);
      const d = sbr?.decide(t);
      if (d !== undefined) {
        if (d.action === 'keep') for (const n of d.down) downed.add(n);
        for (const s of subscribers) ctx.send(s, { type: '$membership_split', decision: d });
        observe(t);
      }
    } else if (isSwim(m)) {
      lastUse.set(m.from, t);
      swim.onMessage(m.from, m.m, t);
      flush(t);
    } else if (isSubscribeNote(m)) {
      subscribeWithSnapshot(m.pid);
    } else if (isCall(m)) {
      const req = m.msg as { op?: string; seeds?: readonly string[]; pid?: Pid };
      switch (req?.op) {
        case 'members': {
          const me: MemberInfo = { name: self, addr: swim.addr, state: swim.state === 'leaving' ? 'left' : 'alive', incarnation: swim.incarnation, since: args.startedAt };
          ctx.reply(m.from, [me, ...swim.members()] satisfies MembersAnswer);
          break;
        }
        case 'stats':
          ctx.reply(m.from, { ...sent, connected: ctx.nodes('connected').length });
          break;
        case 'leave':
          swim.leave(t);
          ctx.reply(m.from, 'ok');
          break;
        case 'seeds': {
          // Rediscovery: join through seeds we do not know as live members.
          const live = new Set(swim.liveMembers());
          const fresh = (req.seeds ?? []).filter((s) => s !== self && !live.has(s));
          if (fresh.length > 0) swim.join(fresh, t);
          ctx.reply(m.from, fresh.length);
          break;
        }
        case 'subscribe':
          if (req.pid !== undefined) subscribers.push(req.pid);
          ctx.reply(m.from, 'ok');
          break;
        default:
          ctx.reply(m.from, { error: `unknown membership request ${String(req?.op)}` });
      }
      flush(t);
    }
  }
}, 'MembershipServer');
