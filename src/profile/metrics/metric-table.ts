/**
 * The metrics a Switchboard node exports: one table of names (without the prefix), types,
 * labels and how each is read from a NodeSnapshot (node-snapshot.ts). registry.ts turns
 * each entry into a prom-client metric; readme-metrics.md lists the same table.
 *
 * Which entries a node gets (decided once, when the registry is made):
 *   - 'always': every node;
 *   - 'wallTime': nodes whose schedulers report busy/spin/parked ms (ThreadedNode's stats
 *     blocks, threads/stats.ts; a LocalNode's one scheduler does not measure them);
 *   - 'dist': named nodes (node.stats().dist is not null).
 *
 * Erlang mapping: scheduler_*_seconds_total are erlang:statistics(scheduler_wall_time)
 * split as msacc does; run_queue is statistics(run_queue_lengths); reductions is
 * statistics(reductions); processes / registered_names are erlang:system_info(process_count)
 * and length(registered()); the dist_* entries are net_kernel / inet stats of dist ports.
 */
import type { NodeSnapshot } from './node-snapshot.ts';
import { kMsStateNames, type MicrostateReport } from '../../core/microstate.ts';

export type MetricKind = 'counter' | 'gauge';
export type MetricScope = 'always' | 'wallTime' | 'dist';

export interface Sample {
  readonly labels: Readonly<Record<string, string>>;
  readonly value: number;
}

export interface MetricSpec {
  readonly name: string;
  readonly help: string;
  readonly kind: MetricKind;
  readonly labelNames: readonly string[];
  readonly scope: MetricScope;
  read(s: NodeSnapshot): Sample[];
}

const none: Readonly<Record<string, string>> = Object.freeze({});

function num(v: unknown): number | null {
  return typeof v === 'number' && Number.isFinite(v) ? v : null;
}

function one(v: unknown, scale = 1): Sample[] {
  const n = num(v);
  return n === null ? [] : [{ labels: none, value: n * scale }];
}

/** A field of every scheduler's stats, labelled `scheduler`. */
function perScheduler(field: string, scale = 1): (s: NodeSnapshot) => Sample[] {
  return (s) => {
    const out: Sample[] = [];
    for (const k of s.stats.schedulers) {
      const n = num(k[field]);
      if (n !== null) out.push({ labels: { scheduler: String(k.scheduler) }, value: n * scale });
    }
    return out;
  };
}

function distField(field: string): (s: NodeSnapshot) => Sample[] {
  return (s) => one((s.stats.dist as Readonly<Record<string, unknown>> | null | undefined)?.[field]);
}

function ioField(field: string, scale = 1): (s: NodeSnapshot) => Sample[] {
  return (s) => one(s.io?.[field], scale);
}

/** A field of every live connection, labelled `peer` (its node name). */
function perPeer(field: 'bytesIn' | 'messagesIn' | 'messagesOut' | 'ticksOut' | 'queuedBytes' | 'unsentBytes' | 'busy'): (s: NodeSnapshot) => Sample[] {
  return (s) => s.connections.map((c) => ({ labels: { peer: c.name }, value: field === 'busy' ? (c.busy ? 1 : 0) : (num(c[field]) ?? 0) }));
}

/**
 * Microstate seconds of every scheduler thread, labelled `scheduler` and `state` (the
 * sampled states of profile/msacc, and 'gc', measured exactly; gc overlaps the others).
 * A node with msacc off, or not sampled yet, has no samples.
 */
function msaccSeconds(s: NodeSnapshot): Sample[] {
  const out: Sample[] = [];
  for (const k of s.stats.schedulers) {
    const m = k['msacc'] as MicrostateReport | undefined;
    if (m === undefined || m.samples === 0) continue;
    const scheduler = String(k.scheduler);
    for (const state of kMsStateNames) out.push({ labels: { scheduler, state }, value: m.ms[state] / 1000 });
    out.push({ labels: { scheduler, state: 'gc' }, value: m.gcMs / 1000 });
  }
  return out;
}

const kSec = 1 / 1000;
const sch = ['scheduler'] as const;
const peer = ['peer'] as const;

export const metricTable: readonly MetricSpec[] = [
  // Per scheduler.
  { name: 'scheduler_busy_seconds_total', kind: 'counter', labelNames: sch, scope: 'wallTime', help: 'Wall time the scheduler spent running actors and handling records.', read: perScheduler('busyMs', kSec) },
  { name: 'scheduler_spin_seconds_total', kind: 'counter', labelNames: sch, scope: 'wallTime', help: 'Wall time the scheduler spent polling for work before parking.', read: perScheduler('spinMs', kSec) },
  { name: 'scheduler_parked_seconds_total', kind: 'counter', labelNames: sch, scope: 'wallTime', help: 'Wall time the scheduler spent asleep waiting for work.', read: perScheduler('parkedMs', kSec) },
  { name: 'scheduler_utilisation', kind: 'gauge', labelNames: sch, scope: 'wallTime', help: 'busy / (busy + spin + parked) since the scheduler started (use rate() of the seconds counters for an interval).', read: perScheduler('utilisation') },
  { name: 'scheduler_run_queue', kind: 'gauge', labelNames: sch, scope: 'always', help: 'Runnable actors waiting in the scheduler\'s run queue.', read: perScheduler('runQueue') },
  { name: 'scheduler_actors', kind: 'gauge', labelNames: sch, scope: 'always', help: 'Live actors on the scheduler (the gateway excluded on a LocalNode).', read: perScheduler('actors') },
  { name: 'scheduler_reductions_total', kind: 'counter', labelNames: sch, scope: 'always', help: 'Reductions (units of actor work) executed by the scheduler.', read: perScheduler('reductions') },
  { name: 'scheduler_messages_in_total', kind: 'counter', labelNames: sch, scope: 'always', help: 'Messages delivered to actors of the scheduler.', read: perScheduler('messagesIn') },
  { name: 'scheduler_messages_out_total', kind: 'counter', labelNames: sch, scope: 'always', help: 'Messages sent by actors of the scheduler.', read: perScheduler('messagesOut') },
  { name: 'scheduler_spawns_total', kind: 'counter', labelNames: sch, scope: 'always', help: 'Actors spawned on the scheduler.', read: perScheduler('spawns') },
  { name: 'scheduler_exits_total', kind: 'counter', labelNames: sch, scope: 'always', help: 'Actors that exited on the scheduler.', read: perScheduler('exits') },
  { name: 'scheduler_msacc_seconds_total', kind: 'counter', labelNames: ['scheduler', 'state'], scope: 'always', help: 'Wall time of the scheduler thread per microstate (sampled: actor, codec, ring, timers, housekeeping, spin, parked, idle; gc exact, overlapping them).', read: msaccSeconds },
  // Node.
  { name: 'processes', kind: 'gauge', labelNames: [], scope: 'always', help: 'Live processes of the node (the gateway excluded).', read: (s) => one(s.processes) },
  { name: 'registered_names', kind: 'gauge', labelNames: [], scope: 'always', help: 'Registered names on the node.', read: (s) => one(s.registered) },
  { name: 'gateway_pending_calls', kind: 'gauge', labelNames: [], scope: 'always', help: 'Calls from the embedding thread waiting for a reply.', read: (s) => one(s.stats.gateway.pendingCalls) },
  // Distribution, node thread (DistStats).
  { name: 'dist_nodes', kind: 'gauge', labelNames: [], scope: 'dist', help: 'Nodes this node is connected to.', read: distField('nodes') },
  { name: 'dist_ops_out_total', kind: 'counter', labelNames: [], scope: 'dist', help: 'Distribution operations sent to other nodes.', read: distField('opsOut') },
  { name: 'dist_queued_for_connect_total', kind: 'counter', labelNames: [], scope: 'dist', help: 'Operations that waited for a connection to be set up (auto-connect).', read: distField('queuedForConnect') },
  { name: 'dist_dropped_stale_total', kind: 'counter', labelNames: [], scope: 'dist', help: 'Operations to a pid of a gone node incarnation, dropped.', read: distField('droppedStale') },
  { name: 'dist_dropped_pending_full_total', kind: 'counter', labelNames: [], scope: 'dist', help: 'Operations dropped because 64 MiB already waited for that node\'s connection.', read: distField('droppedPendingFull') },
  { name: 'dist_busy_events_total', kind: 'counter', labelNames: [], scope: 'dist', help: 'Busy periods of connections seen by the node thread (busy_dist_port).', read: distField('busyEvents') },
  { name: 'dist_sends_while_busy_total', kind: 'counter', labelNames: [], scope: 'dist', help: 'Operations written while their connection was busy.', read: distField('sendsWhileBusy') },
  { name: 'dist_sender_holds_total', kind: 'counter', labelNames: [], scope: 'dist', help: 'Times a sending actor was held because its connection was busy.', read: distField('holds') },
  { name: 'dist_bad_ops_total', kind: 'counter', labelNames: [], scope: 'dist', help: 'Undecodable operations received (their connection was closed).', read: distField('badOps') },
  { name: 'dist_input_holds_total', kind: 'counter', labelNames: [], scope: 'dist', help: 'Times the node thread left I/O input waiting because the actors\' side was behind.', read: distField('inputHolds') },
  // Distribution, I/O thread (IoStats).
  { name: 'dist_connections', kind: 'gauge', labelNames: [], scope: 'dist', help: 'Live connections of the I/O thread.', read: (s) => (s.io === null ? [] : [{ labels: none, value: s.connections.length }]) },
  { name: 'dist_pending_setups', kind: 'gauge', labelNames: [], scope: 'dist', help: 'Connection setups (connects, accepts) under way.', read: ioField('pendingSetups') },
  { name: 'dist_accepted_total', kind: 'counter', labelNames: [], scope: 'dist', help: 'Connections accepted from other nodes.', read: ioField('accepted') },
  { name: 'dist_connected_total', kind: 'counter', labelNames: [], scope: 'dist', help: 'Connections this node set up to other nodes.', read: ioField('connected') },
  { name: 'dist_connect_failures_total', kind: 'counter', labelNames: [], scope: 'dist', help: 'Connection setups that failed.', read: ioField('connectFailures') },
  { name: 'dist_tick_timeouts_total', kind: 'counter', labelNames: [], scope: 'dist', help: 'Connections closed because nothing was heard for the tick time.', read: ioField('tickTimeouts') },
  { name: 'dist_io_busy_events_total', kind: 'counter', labelNames: [], scope: 'dist', help: 'Busy crossings of all connections at the I/O thread, lost ones included.', read: ioField('busyEvents') },
  { name: 'dist_dropped_messages_total', kind: 'counter', labelNames: [], scope: 'dist', help: 'Messages for a connection that was already down, dropped.', read: ioField('droppedMessages') },
  { name: 'dist_input_pauses_total', kind: 'counter', labelNames: [], scope: 'dist', help: 'Times the sockets stopped being read because the node thread was behind.', read: ioField('inputPauses') },
  { name: 'dist_input_paused_seconds_total', kind: 'counter', labelNames: [], scope: 'dist', help: 'Time the sockets were not read because the node thread was behind.', read: ioField('pausedMs', kSec) },
  { name: 'dist_input_backlog_bytes', kind: 'gauge', labelNames: [], scope: 'dist', help: 'Bytes handed to the node thread and not taken by it yet.', read: ioField('backlogBytes') },
  {
    name: 'dist_refusals_total', kind: 'counter', labelNames: ['code'], scope: 'dist', help: 'Refused connection setups and connections closed on bad input, by error code.',
    read: (s) => {
      const r = s.io?.['refusals'];
      if (typeof r !== 'object' || r === null) return [];
      return Object.entries(r as Record<string, unknown>).flatMap(([code, v]) => { const n = num(v); return n === null ? [] : [{ labels: { code }, value: n }]; });
    },
  },
  // Distribution, per live connection (labelled by peer node).
  { name: 'dist_peer_bytes_in_total', kind: 'counter', labelNames: peer, scope: 'dist', help: 'Bytes received from the peer node.', read: perPeer('bytesIn') },
  { name: 'dist_peer_messages_in_total', kind: 'counter', labelNames: peer, scope: 'dist', help: 'Distribution messages received from the peer node.', read: perPeer('messagesIn') },
  { name: 'dist_peer_messages_out_total', kind: 'counter', labelNames: peer, scope: 'dist', help: 'Distribution messages sent to the peer node.', read: perPeer('messagesOut') },
  { name: 'dist_peer_ticks_out_total', kind: 'counter', labelNames: peer, scope: 'dist', help: 'Ticks (keep-alives) sent to the peer node.', read: perPeer('ticksOut') },
  { name: 'dist_peer_queued_bytes', kind: 'gauge', labelNames: peer, scope: 'dist', help: 'Bytes queued on the connection to the peer node.', read: perPeer('queuedBytes') },
  { name: 'dist_peer_unsent_bytes', kind: 'gauge', labelNames: peer, scope: 'dist', help: 'Bytes not yet written to the peer node\'s socket.', read: perPeer('unsentBytes') },
  { name: 'dist_peer_busy', kind: 'gauge', labelNames: peer, scope: 'dist', help: '1 while the connection to the peer node is busy, else 0.', read: perPeer('busy') },
];
