/**
 * The Switchboard half of the workloads on a multi-scheduler node (`schedulers: 2`, …):
 * the same programs, parameters and metric lines as workloads.ts, on a ThreadedNode
 * (src/threads) whose schedulers are worker threads. The embedding thread only sets up,
 * starts the clock and collects results (messages to its pid); actors do the work.
 *
 * Placement, stated per workload in its `placement` extra (the BEAM twin with +S 2 spawns
 * everything on one scheduler and lets its balancer spread processes). Where a workload
 * says "per scheduler", the helper on each scheduler spawns with `{ scheduler: <its own> }`,
 * i.e. locally, so the runtime's spawn balancer does not reshuffle the stated placement:
 *   spawn      one spawner per scheduler, each spawns N/S actors locally
 *   skynet     one root on scheduler 0; the default policy places the rest (as the BEAM)
 *   ring       one contiguous segment per scheduler (S crossings per lap)
 *   pingpong   1 pair: both on scheduler 0 (and a `1pair_cross` variant, one on each);
 *              1,000 pairs: pair i on scheduler i mod S
 *   fanin      receiver on scheduler 0, senders round-robin (half of them cross)
 *   timers     N/S sleepers per scheduler
 *   genserver  1 client: one actor on scheduler 0 spawns the server and the client with the
 *              default policy, as the BEAM twin's bench process does (where they land is
 *              in the `placement` extra); `1client_cross`: server on 0, client on 1 (every
 *              call crosses); 100 clients round-robin, server on 0
 *   fairness   hog, echo and pinger all on scheduler 0 (the others idle)
 *   cross_scheduler  every pair's sender and receiver on different schedulers
 */
import type { Pid } from '../../src/core/pid.ts';
import { type ThreadedNode } from '../../src/threads/index.ts';
import { startNode } from '../../src/dist/start-node.ts';
import * as A from './threaded-actors.ts';
import type { Emit, Params } from './workloads.ts';

export type ThreadedWorkload = (p: Params, emit: Emit, schedulers: number) => Promise<void>;

/**
 * Node options of every node a workload starts, beside `schedulers` (the driver's
 * `balance=` and `spin_us=` arguments, for A/B runs of one policy against another); with
 * `stats`, each node's per-scheduler busy/spin/parked time and placement counters are
 * printed to stderr before it stops.
 */
export const nodeSettings: { balance?: 'steal' | 'migrate' | 'spawn'; spinUs?: number; stats: boolean } = { stats: false };

function percentile(sorted: Float64Array, q: number): number {
  if (sorted.length === 0) return NaN;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[i]!;
}

/** Resolve with the first `count` messages to the embedding thread that satisfy `pred`. */
function collect<T>(node: ThreadedNode, pred: (m: unknown) => boolean, count: number): Promise<T[]> {
  return new Promise((resolve) => {
    const got: T[] = [];
    if (count === 0) return resolve(got);
    const on = (m: unknown): void => {
      if (!pred(m)) return;
      got.push(m as T);
      if (got.length === count) {
        node.off('message', on);
        resolve(got);
      }
    };
    node.on('message', on);
  });
}

const has = (k: string) => (m: unknown): boolean => typeof m === 'object' && m !== null && k in m;

async function withNode(schedulers: number, f: (node: ThreadedNode) => Promise<void>): Promise<void> {
  const { stats, ...opts } = nodeSettings;
  const node = (await startNode({ schedulers, ...opts })) as ThreadedNode;
  try {
    await f(node);
    if (stats) {
      for (const s of node.stats().schedulers) {
        process.stderr.write(`scheduler ${s.scheduler}: busy ${s.busyMs.toFixed(0)} ms, spin ${s.spinMs.toFixed(0)} ms, parked ${s.parkedMs.toFixed(0)} ms, ` +
          `parks ${s.parks}, spawns ${s.spawns}, placed away ${s.migrations}, remote spawns ${s.remoteSpawns}, records in ${s.recordsIn}` +
          (s.msacc === undefined ? '' : `, gc ${s.msacc.gcMs.toFixed(0)} ms in ${s.msacc.gcCount} pauses`) + '\n');
      }
    }
  } finally {
    await node.stop();
  }
}

/** Split n into S parts differing by at most one. */
function split(n: number, s: number): number[] {
  return Array.from({ length: s }, (_, k) => Math.floor(n / s) + (k < n % s ? 1 : 0));
}

const spawn: ThreadedWorkload = (p, emit, S) => withNode(S, async (node) => {
  const n = Number(p.n);
  const exitN = Number(p.exit_n);
  const sp: Pid[] = [];
  for (let k = 0; k < S; k++) sp.push(await node.spawn(A.Spawner, [], { scheduler: k }));
  const placement = `one spawner per scheduler, ${S} x ${Math.ceil(n / S)}`;
  type R = { spawner: string; ms: number; bytes: number; n: number; gc: boolean };
  const phase = async (kind: 'spawn' | 'kill' | 'spawnExit', counts: number[]): Promise<R[]> => {
    const done = collect<R>(node, (m) => has('spawner')(m) && (m as R).spawner === kind, S);
    const t0 = performance.now();
    sp.forEach((pid, k) => node.send(pid, kind === 'kill' ? { kill: true, report: node.pid } : { [kind]: counts[k], report: node.pid, at: k }));
    const rs = await done;
    const wall = performance.now() - t0;
    return rs.map((r) => ({ ...r, ms: wall }));
  };
  const sp1 = await phase('spawn', split(n, S));
  const variant = `blocked_${n}`;
  const spawnMs = sp1[0]!.ms;
  const bytes = sp1.reduce((a, r) => a + r.bytes * r.n, 0) / n;
  emit({ variant, metric: 'spawn_ms', unit: 'ms', value: spawnMs, better: 'lower', extra: { us_per_spawn: (spawnMs * 1000) / n, placement } });
  emit({ variant, metric: 'bytes_per_process', unit: 'bytes', value: bytes, better: 'lower', extra: { source: "each scheduler thread's heapUsed delta after gc, minus its pid array, summed / N", gc: sp1[0]!.gc, placement } });
  const kill = await phase('kill', []);
  emit({ variant, metric: 'kill_ms', unit: 'ms', value: kill[0]!.ms, better: 'lower', extra: { placement } });
  const ex = await phase('spawnExit', split(exitN, S));
  emit({ variant: `exit_${exitN}`, metric: 'spawn_exit_ms', unit: 'ms', value: ex[0]!.ms, better: 'lower', extra: { us_per_process: (ex[0]!.ms * 1000) / exitN, placement } });
});

const skynet: ThreadedWorkload = (p, emit, S) => withNode(S, async (node) => {
  const leaves = Number(p.leaves);
  const branch = Number(p.branch);
  if (!(leaves >= 1 && branch >= 2)) throw new Error('skynet needs leaves >= 1 and branch >= 2');
  const done = collect<{ sum: number }>(node, has('sum'), 1);
  const t0 = performance.now();
  // One root, as the BEAM twin spawns it: every other spawn is a plain ctx.spawn, placed by
  // the node's default policy (spawns stay local; idle schedulers steal new ones).
  const summer = await node.spawn(A.Summer, [1, node.pid], { scheduler: 0 });
  await node.spawn(A.SkynetNode, [summer, 0, leaves, branch], { scheduler: 0 });
  const [{ sum }] = (await done) as [{ sum: number }];
  const ms = performance.now() - t0;
  const expected = (leaves * (leaves - 1)) / 2;
  const variant = `${leaves}x${branch}`;
  emit({ variant, metric: 'ms', unit: 'ms', value: ms, better: 'lower', extra: { placement: 'one root on scheduler 0; the default balance policy places the rest' } });
  emit({ variant, metric: 'check', unit: 'sum', value: sum, better: 'equal', extra: { expected } });
  if (sum !== expected) throw new Error(`skynet sum ${sum}, expected ${expected}`);
});

const ring: ThreadedWorkload = async (p, emit, S) => {
  for (const v of String(p.rings).split(',')) {
    const [actors, laps] = v.trim().split('x').map(Number) as [number, number];
    if (!(actors >= S && laps >= 1)) throw new Error(`bad ring variant ${v}`);
    await withNode(S, async (node) => {
      const t0 = performance.now();
      const segs = split(actors, S);
      type Seg = { seg: number; first: Pid; last: Pid };
      const built = collect<Seg>(node, has('seg'), S);
      for (let k = 0; k < S; k++) node.send(await node.spawn(A.RingBuilder, [], { scheduler: k }), { build: segs[k], report: node.pid, seg: k });
      const parts = (await built).sort((a, b) => a.seg - b.seg);
      for (let k = 0; k < S; k++) node.send(parts[k]!.last, { next: parts[(k + 1) % S]!.first });
      const setupMs = performance.now() - t0;
      const hops = actors * laps;
      const done = collect(node, has('ringDone'), 1);
      const t1 = performance.now();
      node.send(parts[0]!.first, hops);
      await done;
      const ns = ((performance.now() - t1) * 1e6) / hops;
      emit({ variant: `${actors}x${laps}`, metric: 'ns_per_hop', unit: 'ns', value: ns, better: 'lower', extra: { hops, setup_ms: setupMs, placement: `one contiguous segment per scheduler (${S} crossings per lap)` } });
    });
  }
};

const pingpong: ThreadedWorkload = (p, emit, S) => withNode(S, async (node) => {
  const r = Number(p.roundtrips);
  for (const [variant, k] of [['1pair', 0], ['1pair_cross', 1]] as const) {
    const ponger = await node.spawn(A.Ponger, [], { scheduler: 0 });
    const pinger = await node.spawn(A.Pinger, [ponger, r, node.pid], { scheduler: k % S });
    const done = collect<{ pingDone: number }>(node, has('pingDone'), 1);
    node.send(pinger, 'go');
    const [{ pingDone: ns }] = (await done) as [{ pingDone: number }];
    emit({ variant, metric: 'ns_per_roundtrip', unit: 'ns', value: ns / r, better: 'lower', extra: { roundtrips: r, msgs_per_s: (2 * r) / (ns / 1e9), placement: k === 0 ? 'both on scheduler 0' : 'one on each scheduler' } });
  }
  const pairs = Number(p.pairs);
  const pr = Number(p.pair_roundtrips);
  const pingers: Pid[] = [];
  for (let i = 0; i < pairs; i++) {
    const ponger = await node.spawn(A.Ponger, [], { scheduler: i % S });
    pingers.push(await node.spawn(A.Pinger, [ponger, pr, node.pid], { scheduler: i % S }));
  }
  const done = collect(node, has('pingDone'), pairs);
  const t0 = performance.now();
  for (const pi of pingers) node.send(pi, 'go');
  await done;
  const ns = (performance.now() - t0) * 1e6;
  const msgs = 2 * pairs * pr;
  emit({ variant: `${pairs}pairs`, metric: 'msgs_per_s', unit: 'msgs/s', value: msgs / (ns / 1e9), better: 'higher', extra: { messages: msgs, ns_per_roundtrip_aggregate: ns / (pairs * pr), placement: 'pair i on scheduler i mod S' } });
});

const fanin: ThreadedWorkload = (p, emit, S) => withNode(S, async (node) => {
  const senders = Number(p.senders);
  const m = Number(p.msgs);
  const total = senders * m;
  const receiver = await node.spawn(A.Counter, [total, node.pid], { scheduler: 0 });
  const pids: Pid[] = [];
  for (let i = 0; i < senders; i++) pids.push(await node.spawn(A.FanSender, [receiver, m], { scheduler: i % S }));
  const done = collect(node, has('counted'), 1);
  const t0 = performance.now();
  for (const pi of pids) node.send(pi, 'go');
  await done;
  const ns = (performance.now() - t0) * 1e6;
  emit({ variant: `${senders}x${m}`, metric: 'msgs_per_s', unit: 'msgs/s', value: total / (ns / 1e9), better: 'higher', extra: { messages: total, ms: ns / 1e6, placement: 'receiver on scheduler 0, senders round-robin' } });
});

const timers: ThreadedWorkload = (p, emit, S) => withNode(S, async (node) => {
  const n = Number(p.procs);
  const rounds = Number(p.rounds);
  const after = Number(p.after_ms);
  const per = split(n, S);
  const reporters: Pid[] = [];
  for (let k = 0; k < S; k++) reporters.push(await node.spawn(A.TimerReporter, [per[k], rounds, after, node.pid, k], { scheduler: k }));
  const done = collect<{ lateness: Float64Array }>(node, has('lateness'), S);
  const t0 = performance.now();
  for (const r of reporters) node.send(r, 'go');
  const parts = await done;
  const ms = performance.now() - t0;
  const lateness = new Float64Array(n * rounds);
  let off = 0;
  for (const x of parts) {
    lateness.set(x.lateness, off);
    off += x.lateness.length;
  }
  lateness.sort();
  const variant = `${n}x${rounds}x${after}ms`;
  const placement = 'N/S sleepers per scheduler';
  emit({ variant, metric: 'fires_per_s', unit: 'fires/s', value: (n * rounds) / (ms / 1000), better: 'higher', extra: { fires: n * rounds, ms, ideal_ms: rounds * after, placement } });
  emit({ variant, metric: 'lateness_p50', unit: 'ms', value: percentile(lateness, 0.5), better: 'lower', extra: { placement } });
  emit({ variant, metric: 'lateness_p99', unit: 'ms', value: percentile(lateness, 0.99), better: 'lower', extra: { max_ms: lateness[lateness.length - 1], placement } });
});

const genserver: ThreadedWorkload = (p, emit, S) => withNode(S, async (node) => {
  const note = 'src/otp GenServer, yield* GenServer.call';
  const { BenchCounter, CallPair, GenCaller } = await import('./genserver-actors.ts');
  const calls = Number(p.calls);
  {
    const pair = collect<{ pair: [Pid, Pid] }>(node, has('pair'), 1);
    const done = collect<{ callsDone: number }>(node, has('callsDone'), 1);
    node.send(await node.spawn(CallPair, [], { scheduler: 0 }), { calls, report: node.pid });
    const [{ pair: [server, client] }] = (await pair) as [{ pair: [Pid, Pid] }];
    const [{ callsDone: ns }] = (await done) as [{ callsDone: number }];
    const at = (pid: Pid): number => pid.id % (S + 1);
    const placement = `spawned by one actor with the default policy: server on scheduler ${at(server)}, client on scheduler ${at(client)}`;
    emit({ variant: '1client', metric: 'ns_per_call', unit: 'ns', value: ns / calls, better: 'lower', extra: { calls, note, placement } });
  }
  {
    const server = await node.spawn(BenchCounter, [], { scheduler: 0 });
    const c = await node.spawn(GenCaller, [server, calls, node.pid], { scheduler: 1 % S });
    const done = collect<{ callsDone: number }>(node, has('callsDone'), 1);
    node.send(c, 'go');
    const [{ callsDone: ns }] = (await done) as [{ callsDone: number }];
    emit({ variant: '1client_cross', metric: 'ns_per_call', unit: 'ns', value: ns / calls, better: 'lower', extra: { calls, note, placement: 'server on scheduler 0, client on scheduler 1: every call crosses' } });
  }
  const clients = Number(p.clients);
  const cc = Number(p.client_calls);
  const server = await node.spawn(BenchCounter, [], { scheduler: 0 });
  const cs: Pid[] = [];
  for (let i = 0; i < clients; i++) cs.push(await node.spawn(GenCaller, [server, cc, node.pid], { scheduler: i % S }));
  const done = collect<{ callsDone: number }>(node, has('callsDone'), clients);
  const t0 = performance.now();
  for (const c of cs) node.send(c, 'go');
  const per = await done;
  const ns = (performance.now() - t0) * 1e6;
  const total = clients * cc;
  const placement = 'server on scheduler 0, clients round-robin';
  emit({ variant: `${clients}clients`, metric: 'ns_per_call', unit: 'ns', value: ns / total, better: 'lower', extra: { calls: total, note, placement } });
  emit({ variant: `${clients}clients`, metric: 'ns_per_call_per_client', unit: 'ns', value: per.reduce((a, b) => a + b.callsDone, 0) / per.length / cc, better: 'lower', extra: { calls_per_client: cc, placement } });
});

const fairness: ThreadedWorkload = (p, emit, S) => withNode(S, async (node) => {
  const samples = Number(p.samples);
  const { busyLoop } = await import('./hog.ts');
  for (const hog of String(p.hogs).split(',')) {
    let hogPid: Pid | undefined;
    if (hog === 'busy_loop') hogPid = await node.spawn(busyLoop, [], { scheduler: 0 });
    else if (hog === 'self_flood') {
      hogPid = await node.spawn(A.SelfFlood, [Number(p.flood_batch)], { scheduler: 0 });
      node.send(hogPid, 'go');
    } else if (hog !== 'none') throw new Error(`unknown hog ${hog} (none, busy_loop, self_flood)`);
    const echo = await node.spawn(A.Echo, [], { scheduler: 0 });
    const pinger = await node.spawn(A.RttPinger, [echo, samples, node.pid], { scheduler: 0 });
    await new Promise((r) => setTimeout(r, Number(p.warmup_ms)));
    const done = collect<{ rtts: Float64Array }>(node, has('rtts'), 1);
    node.send(pinger, 'go');
    const [{ rtts }] = (await done) as [{ rtts: Float64Array }];
    const hogInfo = hogPid === undefined ? undefined : await node.processInfo(hogPid);
    if (hogPid !== undefined) node.exit(hogPid, 'kill');
    const extra = { placement: 'hog, echo and pinger on scheduler 0', samples, hog_instrumented: hogInfo?.instrumented ?? null };
    emit({ variant: hog, metric: 'rtt_p50', unit: 'us', value: percentile(rtts, 0.5), better: 'lower', extra });
    emit({ variant: hog, metric: 'rtt_p99', unit: 'us', value: percentile(rtts, 0.99), better: 'lower', extra: { ...extra, max_us: rtts[rtts.length - 1] } });
  }
});

const cross_scheduler: ThreadedWorkload = (p, emit, S) => withNode(S, async (node) => {
  const pairs = Number(p.pairs);
  const m = Number(p.msgs);
  const w = Number(p.window);
  const senders: Pid[] = [];
  for (let i = 0; i < pairs; i++) {
    const snd = await node.spawn(A.WindowSender, [m, w], { scheduler: i % S });
    const r = await node.spawn(A.WindowReceiver, [m, w, snd, node.pid], { scheduler: (i + 1) % S });
    node.send(snd, { to: r });
    senders.push(snd);
  }
  const done = collect(node, has('counted'), pairs);
  const t0 = performance.now();
  for (const x of senders) node.send(x, 'go');
  await done;
  const ns = (performance.now() - t0) * 1e6;
  const total = pairs * m;
  emit({ variant: `${pairs}pairs`, metric: 'msgs_per_s', unit: 'msgs/s', value: total / (ns / 1e9), better: 'higher', extra: { messages: total, placement: 'sender and receiver of each pair on different schedulers' } });
});

/** Workloads with a multi-scheduler version; the others are single-scheduler only. */
export const threadedWorkloads: Record<string, ThreadedWorkload> = {
  spawn, skynet, ring, pingpong, fanin, timers, genserver, fairness, cross_scheduler,
};
