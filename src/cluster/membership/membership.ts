/**
 * Membership: the opt-in cluster mode past the full mesh (issue 14), as a service on a
 * named node — the way Global.start and dist-app are started.
 *
 *   const node = await startNode({ name: 'a@10.0.0.5', cookie, dist: { mesh: false } });
 *   await Membership.start(node, { seeds: ['b@10.0.0.6'], probeIntervalSec: 1, maxPeers: 8,
 *                                  splitBrain: { strategy: 'keep-majority', stableAfterSec: 20 } });
 *   node.on('memberJoined', ({ node, rejoined }) => ...);   also nodeSuspect, memberLeft, splitBrain
 *   await Membership.members(node);                          MemberInfo[] (ourselves first)
 *
 * `dist: { mesh: false }` is what turns the full mesh off (dist-options.ts,
 * dist/mesh-control.ts): without it the mesh connects everybody as before and membership
 * only adds failure detection and events. Messages to a node we hold no connection to are
 * delivered by dist's connect on demand (a send to a pid or { name, node } of a node not
 * connected sets the connection up first); nothing is relayed.
 *
 * Start, in steps:
 *   1. Check the options (core/options.ts; the protocol's in options.ts, in seconds); a
 *      node without a name is a NotDistributedError.
 *   2. Seeds: `seeds` plus what `discovery` (SeedListDiscovery, DnsDiscovery,
 *      PortMapperDiscovery) yields now.
 *   3. A 'message' listener on the node turns the server's gateway notes into node
 *      events (see membership-server.ts step 4), disconnects what the connection bound
 *      hands over, and acts on a split-brain decision: emits 'splitBrain' (the decision),
 *      and on `down-self` with onLoss 'stop-node' stops the node (Akka's downing);
 *      onLoss 'wait' (default) only tells.
 *   4. Spawn the MembershipServer registered as 'sb_membership'.
 *   5. With `discovery`, ask it again every discoveryIntervalSec and hand new seeds to the
 *      server (how a node that started alone finds the others later).
 *   6. node.onStop: the timer and the listener go; the server ends with the node.
 * Idempotent: a second start on the same node returns the running server's pid.
 *
 * Erlang mapping: none directly (OTP has only the full mesh); it plays net_kernel's
 * part in node monitoring and libcluster's part in discovery.
 */
import type { EventEmitter } from 'node:events';
import { NotDistributedError } from '../../core/errors.ts';
import type { Node } from '../../core/node.ts';
import type { Pid } from '../../core/pid.ts';
import { checkOptions, isInteger, type OptionChecks } from '../../core/options.ts';
import type { Discovery } from './discovery.ts';
import { MembershipNotStartedError } from './errors.ts';
import { MembershipServer, kMembershipServerName, type GatewayNote, type MembersAnswer, type MembershipServerArgs } from './membership-server.ts';
import { kLanDefaults, resolveMembershipOptions, type MembershipOptions } from './options.ts';
import type { SplitBrainStrategy } from './split-brain.ts';
import type { MemberInfo } from './types.ts';

export interface SplitBrainOptions {
  readonly strategy: SplitBrainStrategy;
  /** Seconds the view must stay unchanged before a decision (Akka's stable-after). Default 20. */
  readonly stableAfterSec?: number;
  /** static-quorum: reachable members (self included) needed to keep running. */
  readonly quorumSize?: number;
  /** keep-oldest: an oldest member alone on its side loses. Default false. */
  readonly downIfAlone?: boolean;
  /** On the losing side: 'wait' (default: the event only) or 'stop-node'. */
  readonly onLoss?: 'wait' | 'stop-node';
}

export interface MembershipStartOptions extends MembershipOptions {
  /** Node names to join through ('b@host'); our own name is skipped. */
  readonly seeds?: readonly string[];
  readonly discovery?: Discovery;
  /** Seconds between two discovery rounds (with `discovery`). Default 10. */
  readonly discoveryIntervalSec?: number;
  /** Most nodes kept connected (the least recently used beyond it are disconnected); 0: no bound. Default 0. */
  readonly maxPeers?: number;
  readonly splitBrain?: SplitBrainOptions;
}

const kStrategies = new Set(['keep-majority', 'static-quorum', 'keep-oldest', 'down-all']);
const positiveSec = (v: unknown): string | null => (typeof v === 'number' && v > 0 && Number.isFinite(v) ? null : 'must be a positive finite number of seconds');

const kSplitChecks: OptionChecks = {
  strategy: (v) => (typeof v === 'string' && kStrategies.has(v) ? null : "must be 'keep-majority', 'static-quorum', 'keep-oldest' or 'down-all'"),
  stableAfterSec: positiveSec,
  quorumSize: (v) => (isInteger(v) && v >= 1 ? null : 'must be an integer >= 1'),
  downIfAlone: (v) => (typeof v === 'boolean' ? null : 'must be a boolean'),
  onLoss: (v) => (v === 'wait' || v === 'stop-node' ? null : "must be 'wait' or 'stop-node'"),
};

const kOwnChecks: OptionChecks = {
  seeds: (v) => (Array.isArray(v) && v.every((s) => typeof s === 'string' && s.includes('@')) ? null : "must be an array of node names ('b@host')"),
  discovery: (v) => (typeof v === 'object' && v !== null && typeof (v as Discovery).seeds === 'function' ? null : 'must be a Discovery (an object with seeds())'),
  discoveryIntervalSec: positiveSec,
  maxPeers: (v) => (isInteger(v) && v >= 0 ? null : 'must be an integer >= 0'),
  splitBrain: (v) => {
    if (typeof v !== 'object' || v === null || Array.isArray(v)) return 'must be { strategy, stableAfterSec?, quorumSize?, downIfAlone?, onLoss? }';
    const o = v as Record<string, unknown>;
    for (const k of Object.keys(o)) if (!Object.hasOwn(kSplitChecks, k)) return `has an unknown field "${k}"`;
    for (const [k, check] of Object.entries(kSplitChecks)) {
      if (k === 'strategy' || o[k] !== undefined) {
        const err = check(o[k]);
        if (err !== null) return `.${k} ${err}`;
      }
    }
    if (o['strategy'] === 'static-quorum' && o['quorumSize'] === undefined) return '.quorumSize is required by static-quorum';
    return null;
  },
};

const kApi = 'Membership.start';
const starting = new WeakMap<Node, Promise<Pid>>();

function start(node: Node, opts: MembershipStartOptions = {}): Promise<Pid> {
  const inFlight = starting.get(node);
  if (inFlight !== undefined) return inFlight;
  const p = startServer(node, opts).finally(() => starting.delete(node));
  starting.set(node, p);
  return p;
}

async function startServer(node: Node, opts: MembershipStartOptions): Promise<Pid> {
  // Step 1.
  const own: Record<string, unknown> = {};
  const params: Record<string, unknown> = {};
  if (typeof opts === 'object' && opts !== null) {
    for (const [k, v] of Object.entries(opts)) (Object.hasOwn(kLanDefaults, k) ? params : own)[k] = v;
  }
  checkOptions(kApi, kOwnChecks, typeof opts === 'object' && opts !== null ? own : opts);
  resolveMembershipOptions(kApi, params as MembershipOptions);
  if (node.name === undefined || node.name === 'nonode@nohost') throw new NotDistributedError(kApi);
  const running = node.whereis(kMembershipServerName);
  if (running !== undefined) return running;
  // Step 2.
  const seeds = new Set(opts.seeds ?? []);
  if (opts.discovery !== undefined) for (const s of await opts.discovery.seeds()) seeds.add(s.node);
  // Step 3.
  const split = opts.splitBrain;
  const emitter = node as unknown as EventEmitter;
  const listener = (m: unknown): void => {
    const note = m as GatewayNote;
    if (note === null || typeof note !== 'object') return;
    if (note.type === '$membership_event') emitter.emit(note.event.type, note.event);
    else if (note.type === '$membership_disconnect') void node.disconnectNode(note.node).catch(() => false);
    else if (note.type === '$membership_split') {
      emitter.emit('splitBrain', note.decision);
      if (note.decision.action === 'down-self' && split?.onLoss === 'stop-node' && node.running) void node.stop();
    }
  };
  node.on('message', listener);
  // Step 4.
  const args: MembershipServerArgs = {
    seeds: [...seeds].filter((s) => s !== node.name),
    params: params as MembershipOptions,
    maxPeers: opts.maxPeers ?? 0,
    splitBrain: split === undefined ? null : {
      strategy: split.strategy,
      ...(split.quorumSize === undefined ? {} : { quorumSize: split.quorumSize }),
      ...(split.downIfAlone === undefined ? {} : { downIfAlone: split.downIfAlone }),
      stableAfterMs: Math.round((split.stableAfterSec ?? 20) * 1000),
    },
    gateway: node.pid,
    startedAt: Date.now(),
  };
  let pid: Pid;
  try {
    pid = await node.spawn(MembershipServer, [args], { name: kMembershipServerName });
  } catch (e) {
    node.off('message', listener);
    throw e;
  }
  // Step 5.
  let timer: ReturnType<typeof setInterval> | null = null;
  const discovery = opts.discovery;
  if (discovery !== undefined) {
    timer = setInterval(() => {
      discovery.seeds().then(
        (found) => (node.running ? node.call(pid, { op: 'seeds', seeds: found.map((s) => s.node) }) : undefined),
        () => undefined, // a failed round: the next one tries again
      ).catch(() => undefined);
    }, Math.round((opts.discoveryIntervalSec ?? 10) * 1000));
    timer.unref();
  }
  // Step 6.
  node.onStop(() => {
    if (timer !== null) clearInterval(timer);
    node.off('message', listener);
  });
  return pid;
}

function serverOf(node: Node, api: string): Pid {
  const pid = node.whereis(kMembershipServerName);
  if (pid === undefined) throw new MembershipNotStartedError(node.name ?? 'nonode@nohost', api);
  return pid;
}

/** Every member this node knows (ourselves first), in any state. @throws MembershipNotStartedError */
async function members(node: Node): Promise<MemberInfo[]> {
  return [...(await node.call<MembersAnswer>(serverOf(node, 'Membership.members'), { op: 'members' }))];
}

/** The members this node considers up (alive, not suspect), ourselves included, sorted. */
async function upMembers(node: Node): Promise<string[]> {
  return (await members(node)).filter((m) => m.state === 'alive').map((m) => m.name).sort();
}

/** Announce that this node leaves (claims spread by gossip); stop the node a few gossip rounds later. */
async function leave(node: Node): Promise<void> {
  await node.call(serverOf(node, 'Membership.leave'), { op: 'leave' });
}

/** SWIM messages this node sent, their payload bytes (JSON size, before dist framing), and the connections it holds now. */
async function stats(node: Node): Promise<{ messages: number; bytes: number; connected: number }> {
  return node.call(serverOf(node, 'Membership.stats'), { op: 'stats' });
}

export const Membership = { start, members, upMembers, leave, stats } as const;
