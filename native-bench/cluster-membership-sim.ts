/**
 * Figures of the membership layer (issue 14), from the deterministic network simulator
 * (src/cluster/membership/sim/) running the real SWIM + Lifeguard state machine:
 *
 *   1. N nodes (100, 300, 1000) join at once through one seed: virtual time until every
 *      node sees every other alive; bytes sent per node per second while joining;
 *   2. steady state: 2 push-pull periods P(N) after convergence (join claims drained,
 *      sync back-off over), bytes per node per second over the next P(N), split into probing (ping/ack/pingReq/nack),
 *      gossip and full-state sync, with the ratio to log10 N;
 *   3. 1% of the nodes crash (at least one): virtual time until every live node reports
 *      all of them nodedown;
 *   4. 100 nodes, 5% packet loss for 300 s: suspicions raised and false nodedowns.
 * Each figure over several seeds, printed as min / median / max. Bytes are the UTF-8
 * length of the JSON encoding of each message (sim/json-size.ts). Links: 1 ms + Exp(1 ms).
 *
 * Run: node scripts/run-ts.mjs native-bench/cluster-membership-sim.ts
 * Env: FIG_SEEDS (seeds for N = 100 and 300, default 3), FIG_SEEDS_1000 (default 1),
 *      FIG_SIZES (default "100,300,1000").
 */
import { MembershipSim, pushPullPeriod, resolveMembershipOptions } from '../src/cluster/membership/index.ts';

const seedsSmall = Number(process.env.FIG_SEEDS ?? 3);
const seedsLarge = Number(process.env.FIG_SEEDS_1000 ?? 1);
const sizes = (process.env.FIG_SIZES ?? '100,300,1000').split(',').map(Number);

interface RunFigures {
  convergeS: number;
  joinBps: number;
  steadyBps: number;
  probeBps: number;
  gossipBps: number;
  syncBps: number;
  detectS: number;
  wallS: number;
}

const kProbeKinds = ['ping', 'ack', 'pingReq', 'nack'];

function oneRun(n: number, seed: number): RunFigures {
  const wall0 = performance.now();
  const sim = new MembershipSim({ seed, recordHistory: false });
  sim.addNode('n0');
  for (let i = 1; i < n; i++) sim.addNode(`n${i}`, ['n0']);
  const conv = sim.runUntilTrue(() => sim.converged(), 600_000, 500);
  if (conv === undefined) throw new Error(`N=${n} seed=${seed}: no convergence in 600 s`);
  const joinBps = sim.totalBytes() / n / (conv / 1000);

  // Steady state: after the post-join sync back-off has reached the push-pull period,
  // over one period (so every node's periodic sync is in the window once on average).
  const period = pushPullPeriod(resolveMembershipOptions('figures'), n);
  sim.runFor(2 * period);
  const kinds0 = new Map(sim.bytesByKind);
  const bytes0 = sim.totalBytes();
  const windowMs = period;
  sim.runFor(windowMs);
  const perNodeSec = (b: number): number => b / n / (windowMs / 1000);
  const delta = (k: string): number => (sim.bytesByKind.get(k) ?? 0) - (kinds0.get(k) ?? 0);
  const probeBps = perNodeSec(kProbeKinds.reduce((s, k) => s + delta(k), 0));
  const steadyBps = perNodeSec(sim.totalBytes() - bytes0);
  const gossipBps = perNodeSec(delta('gossip'));
  const syncBps = perNodeSec(delta('sync'));

  const victims = Array.from({ length: Math.max(1, Math.round(n / 100)) }, (_, i) => `n${1 + Math.floor(((i + 0.5) * (n - 1)) / Math.max(1, Math.round(n / 100)))}`);
  const crashAt = sim.now;
  for (const v of victims) sim.crash(v);
  const live = sim.upNodes();
  const allDead = (): boolean => live.every((o) => victims.every((v) => sim.node(o).member(v)?.state === 'dead'));
  const det = sim.runUntilTrue(allDead, 300_000, 250);
  if (det === undefined) throw new Error(`N=${n} seed=${seed}: failure not detected in 300 s`);
  return {
    convergeS: conv / 1000,
    joinBps,
    steadyBps,
    probeBps,
    gossipBps,
    syncBps,
    detectS: (det - crashAt) / 1000,
    wallS: (performance.now() - wall0) / 1000,
  };
}

function lossRun(seed: number): { suspicions: number; falseDown: number } {
  const sim = new MembershipSim({ seed, recordHistory: false });
  sim.addNode('n0');
  for (let i = 1; i < 100; i++) sim.addNode(`n${i}`, ['n0']);
  if (sim.runUntilTrue(() => sim.converged(), 60_000) === undefined) throw new Error('loss run: no convergence');
  sim.network.loss = 0.05;
  let suspicions = 0;
  let falseDown = 0;
  sim.onEvent((e) => {
    if (e.event.type === 'nodeSuspect') suspicions++;
    if (e.event.type === 'nodedown' && sim.isUp(e.event.node)) falseDown++;
  });
  sim.runFor(300_000);
  return { suspicions, falseDown };
}

function mmm(xs: number[], digits = 1): string {
  const s = [...xs].sort((a, b) => a - b);
  const f = (x: number): string => x.toFixed(digits);
  return `${f(s[0]!)} / ${f(s[s.length >> 1]!)} / ${f(s[s.length - 1]!)}`;
}

const pad = (s: string, w: number): string => s.padStart(w);
const t0 = performance.now();
console.log('membership simulator figures (SWIM + Lifeguard, memberlist LAN defaults; min / median / max over seeds)');
console.log('bytes = JSON-encoded message bytes sent, per node per second; steady = window of one push-pull period P(N) starting 2 P(N) after convergence\n');
const rows: Array<{ n: number; r: RunFigures[] }> = [];
for (const n of sizes) {
  const seeds = n >= 1000 ? seedsLarge : seedsSmall;
  const r: RunFigures[] = [];
  for (let s = 1; s <= seeds; s++) r.push(oneRun(n, 1000 * n + s));
  rows.push({ n, r });
}
console.log(
  [pad('N', 5), pad('seeds', 5), pad('converge s', 20), pad('join B/node/s', 26), pad('steady B/node/s', 24), pad('probe', 8), pad('gossip', 8), pad('sync', 8), pad('steady/log10N', 14), pad('1% down s', 20), pad('wall s', 7)].join(' '),
);
for (const { n, r } of rows) {
  const med = (f: (x: RunFigures) => number): number => [...r.map(f)].sort((a, b) => a - b)[r.length >> 1]!;
  console.log(
    [
      pad(String(n), 5), pad(String(r.length), 5), pad(mmm(r.map((x) => x.convergeS)), 20), pad(mmm(r.map((x) => x.joinBps), 0), 26),
      pad(mmm(r.map((x) => x.steadyBps), 0), 24), pad(med((x) => x.probeBps).toFixed(0), 8), pad(med((x) => x.gossipBps).toFixed(0), 8),
      pad(med((x) => x.syncBps).toFixed(0), 8), pad((med((x) => x.steadyBps) / Math.log10(n)).toFixed(0), 14), pad(mmm(r.map((x) => x.detectS)), 20),
      pad(mmm(r.map((x) => x.wallS)), 7),
    ].join(' '),
  );
}
const base = rows[0]!;
const medOf = (r: RunFigures[], f: (x: RunFigures) => number): number => [...r.map(f)].sort((a, b) => a - b)[r.length >> 1]!;
console.log(`\ngrowth vs N=${base.n} (median): N, log10 N ratio, converge ratio, join B/node/s ratio, probe+gossip ratio, sync ratio`);
for (const { n, r } of rows) {
  const ratio = (f: (x: RunFigures) => number): string => (medOf(r, f) / Math.max(1e-9, medOf(base.r, f))).toFixed(2);
  console.log(`  ${pad(String(n), 5)} ${pad((Math.log10(n) / Math.log10(base.n)).toFixed(2), 6)} ${pad(ratio((x) => x.convergeS), 6)} ${pad(ratio((x) => x.joinBps), 6)} ${pad(ratio((x) => x.probeBps + x.gossipBps), 6)} ${pad(ratio((x) => x.syncBps), 6)}`);
}

const loss = Array.from({ length: seedsSmall }, (_, i) => lossRun(9000 + i));
console.log(`\n5% packet loss, 100 nodes, 300 s, ${loss.length} seeds: suspicions raised (events, all observers) ${mmm(loss.map((x) => x.suspicions), 0)}, false nodedowns ${mmm(loss.map((x) => x.falseDown), 0)}`);
console.log(`total wall ${((performance.now() - t0) / 1000).toFixed(1)} s`);
