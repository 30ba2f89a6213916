/**
 * Figures and a Jepsen-style history check of the membership overlay (issue 14) with real
 * node processes on this machine, plus the simulator's 50/50 partition figure.
 *
 *   node scripts/run-ts.mjs native-bench/cluster-membership.ts
 *   env MB_NODES (default 8; 0 skips the real processes), MB_ROUNDS (fault rounds, default 6), MB_SEED (default 1),
 *       MB_MAX_PEERS (Membership's maxPeers, default 0 = no bound), MB_PROBE_SEC (default 0.2;
 *       the probe timeout is half of it),
 *       MB_SIM_PARTITION (sim sizes for the 50/50 partition, default "100,300"; "" skips;
 *       1000 takes over 15 min of one core here)
 *   The other simulator figures (N = 100/300/1000 convergence and bytes, log N growth,
 *   1% failure detection, 5% loss false positives): native-bench/cluster-membership-sim.ts.
 *
 * Real-process protocol:
 *   1. The parent starts an embedded port mapper and one TCP proxy per ordered node pair
 *      (test/dist/support/tcp-proxy.ts): node x reaches y only through proxy x->y.
 *   2. Children (this script, role `node`): startNode with dist.mesh false, tickTimeMs
 *      3000, Membership.start (probes every 0.2 s, seeds: the first node,
 *      keep-majority split-brain stable after 3 s, onLoss 'wait'), Global.start, a local
 *      'svc' actor that logs every request id it processes, and a client loop every
 *      150 ms: try Global.register('svc', own svc) ('no' when held), sample
 *      Global.whereis('svc') into the history (a svc killed by a merge's clash
 *      resolution is replaced by a fresh one before the next register), send request ids to { global: 'svc' } as
 *      calls retried until acknowledged (at-least-once), log each ack. Every event is a
 *      JSON line on stdout with the child's Date.now().
 *   3. Figures: join convergence (start -> every node sees all), bytes/node/s (dist bytes
 *      received over all connections in a quiet 5 s window), then MB_ROUNDS seeded random
 *      faults: kill -9 of a random node (detection = kill -> memberLeft on every live
 *      node) or a partition of a random minority (detection = every node sees its side;
 *      heal -> re-convergence). False positives: memberLeft 'failed' about a node that was
 *      alive and on the observer's side.
 *   4. History check: (a) inside one side of a partition, after it settled (detection
 *      plus stable-after), no two owners of 'svc' sampled; (b) every acknowledged request
 *      id was processed by some node (logged before the ack).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { startPortMapper } from '../src/dist/port-mapper-server.ts';
import { MembershipSim } from '../src/cluster/membership/index.ts';
import { nodeNameOf } from '../src/cluster/global/name-table.ts';
import { defineActor } from '../src/core/behaviour.ts';
import { isCall } from '../src/core/call-protocol.ts';

const RUN_TS = fileURLToPath(new URL('../scripts/run-ts.mjs', import.meta.url));
const SELF = fileURLToPath(import.meta.url);
const kHost = '127.0.0.1';

function mmm(xs: readonly number[], digits = 2): string {
  if (xs.length === 0) return 'n/a';
  const s = [...xs].sort((a, b) => a - b);
  return `${s[0]!.toFixed(digits)} / ${s[s.length >> 1]!.toFixed(digits)} / ${s[s.length - 1]!.toFixed(digits)}`;
}

// ---- child: one node ---------------------------------------------------------------------

const out = (o: object): void => void process.stdout.write(`${JSON.stringify({ t: Date.now(), ...o })}\n`);

/** The service: logs each request id (stdout, synchronous on a pipe) before acknowledging it. */
export const Svc = defineActor(import.meta.url, {
  handle(m: unknown, s: null, ctx) {
    if (isCall(m)) {
      out({ ev: 'processed', rid: (m.msg as { id: string }).id });
      ctx.reply(m.from, 'ack');
    }
    return s;
  },
}, 'Svc');

async function runNode(): Promise<void> {
  const { startNode } = await import('../src/dist/start-node.ts');
  const { Membership } = await import('../src/cluster/membership/index.ts');
  const { Global } = await import('../src/cluster/global/index.ts');
  const cfg = JSON.parse(process.argv[3]!) as { name: string; listen: number; mapper: number; staticPorts: Record<string, string>; seed: string; maxPeers: number; probeSec: number };
  const node = await startNode({
    name: cfg.name, cookie: 'membership-bench', schedulers: 0,
    dist: { listen: { host: kHost, port: cfg.listen }, portMapper: { host: kHost, port: cfg.mapper }, staticPorts: cfg.staticPorts, tickTimeMs: 3000, mesh: false, log: false },
  });
  for (const e of ['memberJoined', 'nodeSuspect', 'memberLeft', 'splitBrain']) node.on(e as never, (d: object) => out({ ev: e, d }));
  await Membership.start(node, {
    seeds: [cfg.seed], probeIntervalSec: cfg.probeSec, probeTimeoutSec: cfg.probeSec / 2, gossipIntervalSec: 0.05, maxPeers: cfg.maxPeers, pushPullIntervalSec: 2, reconnectIntervalSec: 0.5,
    splitBrain: { strategy: 'keep-majority', stableAfterSec: 3, onLoss: 'wait' },
  });
  await Global.start(node);
  let svc = await node.spawn(Svc, []);
  let seq = 0;
  const inFlight = new Set<string>();
  const tick = async (): Promise<void> => {
    try {
      if (Global.whereis(node, 'svc') === undefined) {
        // A merge's random_exit ends the losing svc: register a live one, never a dead pid
        // (its registration would be removed at once, and the history would show owners
        // flickering in a settled period).
        if ((await node.processInfo(svc)) === undefined) svc = await node.spawn(Svc, []);
        out({ ev: 'register', r: await Global.register(node, 'svc', svc) });
      }
    } catch (e) {
      // a register racing a partition: the next round tries again
      if (process.env['MB_DEBUG'] !== undefined) out({ ev: 'registerFailed', error: String(e) });
    }
    if (!node.running) return;
    const owner = Global.whereis(node, 'svc');
    out({ ev: 'owner', owner: owner === undefined ? null : `${nodeNameOf(owner)}/${owner.id}.${owner.serial}` });
    if (inFlight.size < 3) {
      const id = `${cfg.name}#${++seq}`;
      inFlight.add(id);
      void (async () => {
        for (let attempt = 0; attempt < 200; attempt++) {
          try {
            await node.call({ global: 'svc' }, { id }, 1000);
            out({ ev: 'ack', rid: id });
            inFlight.delete(id);
            return;
          } catch (e) {
            if (process.env['MB_DEBUG'] !== undefined) out({ ev: 'callFailed', rid: id, error: String(e) });
            await new Promise((r) => setTimeout(r, 100));
          }
        }
      })();
    }
  };
  const timer = setInterval(() => void tick().catch(() => undefined), 150);
  const lines = createInterface({ input: process.stdin });
  lines.on('line', async (l) => {
    const c = JSON.parse(l) as { id: number; cmd: string };
    if (c.cmd === 'up') out({ id: c.id, value: await Membership.upMembers(node) });
    else if (c.cmd === 'bytes') {
      const s = (await node.ioStats()) as { connections: { bytesIn: number }[] };
      const m = await Membership.stats(node);
      out({ id: c.id, value: s.connections.reduce((a, x) => a + x.bytesIn, 0), conns: m.connected, swim: m.bytes });
    }
  });
  lines.on('close', () => {
    clearInterval(timer);
    void node.stop().then(() => process.exit(0));
  });
  out({ ready: true });
}

// ---- parent -----------------------------------------------------------------------------

interface Child {
  readonly short: string;
  readonly name: string;
  readonly proc: ChildProcess;
  alive: boolean;
  readonly log: Array<{ t: number; ev?: string; [k: string]: unknown }>;
  readonly waiters: Map<number, (v: unknown) => void>;
}

async function main(): Promise<void> {
  const n = Number(process.env['MB_NODES'] ?? 8);
  const rounds = Number(process.env['MB_ROUNDS'] ?? 6);
  const maxPeers = Number(process.env['MB_MAX_PEERS'] ?? 0);
  const probeSec = Number(process.env['MB_PROBE_SEC'] ?? 0.2);
  let rnd = Number(process.env['MB_SEED'] ?? 1);
  const random = (): number => ((rnd = (rnd * 48271) % 2147483647) - 1) / 2147483646;
  const { startTcpProxy } = await import('../test/dist/support/tcp-proxy.ts');
  const { freePort } = await import('../test/dist/fixtures/free-port.ts');
  const mapper = await startPortMapper({ port: 0 });
  const shorts = Array.from({ length: n }, (_, i) => `m${i}`);
  const full = (s: string): string => `${s}@${kHost}`;
  const ports: Record<string, number> = {};
  for (const s of shorts) ports[s] = await freePort();
  const proxies = new Map<string, Awaited<ReturnType<typeof startTcpProxy>>>();
  const taken = new Set(Object.values(ports));
  for (const a of shorts) {
    for (const b of shorts) {
      if (a === b) continue;
      // A proxy listens on port 0: the OS may hand it a node's port, free since freePort closed it.
      let p = await startTcpProxy({ host: kHost, port: ports[b]! });
      while (taken.has(p.port)) {
        const again = await startTcpProxy({ host: kHost, port: ports[b]! });
        await p.close();
        p = again;
      }
      proxies.set(`${a}>${b}`, p);
    }
  }
  let reqId = 0;
  const children: Child[] = [];
  const t0 = Date.now();
  for (const s of shorts) {
    const staticPorts: Record<string, string> = {};
    for (const o of shorts) if (o !== s) staticPorts[full(o)] = proxies.get(`${s}>${o}`)!.address;
    const cfg = { name: full(s), listen: ports[s], mapper: mapper.port, staticPorts, seed: full(shorts[0]!), maxPeers, probeSec };
    const proc = spawn(process.execPath, [RUN_TS, SELF, 'node', JSON.stringify(cfg)], { stdio: ['pipe', 'pipe', 'inherit'] });
    const c: Child = { short: s, name: full(s), proc, alive: true, log: [], waiters: new Map() };
    createInterface({ input: proc.stdout! }).on('line', (l) => {
      const o = JSON.parse(l) as { t: number; id?: number; value?: unknown };
      if (typeof o.id === 'number') {
        c.waiters.get(o.id)?.(o);
        c.waiters.delete(o.id);
      } else c.log.push(o);
    });
    proc.once('exit', (code) => {
      c.alive = false;
      if (!c.log.some((e) => (e as { ready?: boolean }).ready === true)) {
        console.error(`cluster-membership: ${c.name} exited (${code}) before it was ready`);
        process.exit(1);
      }
    });
    children.push(c);
  }
  const ask = <T>(c: Child, cmd: string): Promise<T> => new Promise((res) => {
    const id = ++reqId;
    c.waiters.set(id, res as (v: unknown) => void);
    c.proc.stdin!.write(`${JSON.stringify({ id, cmd })}\n`);
  });
  const until = async (f: () => Promise<boolean>, ms: number): Promise<number | null> => {
    const s = Date.now();
    while (Date.now() - s < ms) {
      if (await f()) return Date.now() - s;
      await new Promise((r) => setTimeout(r, 100));
    }
    return null;
  };
  const sees = async (cs: readonly Child[], want: readonly string[]): Promise<boolean> => {
    const w = JSON.stringify(want.map(full).sort());
    const views = await Promise.all(cs.map((c) => ask<{ value: string[] }>(c, 'up')));
    return views.every((v) => JSON.stringify(v.value) === w);
  };
  const live = (): Child[] => children.filter((c) => c.alive);
  while (children.some((c) => !c.log.some((e) => (e as { ready?: boolean }).ready === true))) await new Promise((r) => setTimeout(r, 100));
  const started = Date.now();
  const joinMs = await until(() => sees(children, shorts), 120_000);
  console.log(`cluster-membership: ${n} node processes, ${probeSec * 1000} ms probes, maxPeers ${maxPeers}, every link through a proxy (processes up after ${((started - t0) / 1000).toFixed(1)} s)`);
  console.log(`join convergence (all started -> every node sees all ${n}): ${joinMs === null ? 'NOT within 120 s' : `${(joinMs / 1000).toFixed(2)} s`}`);

  // Bytes per node per second, quiet window (includes Global and the client traffic).
  const bytes = async (): Promise<{ b: number[]; conns: number[]; swim: number[] }> => {
    const r = await Promise.all(live().map((c) => ask<{ value: number; conns: number; swim: number }>(c, 'bytes')));
    return { b: r.map((x) => x.value), conns: r.map((x) => x.conns), swim: r.map((x) => x.swim) };
  };
  const b0 = await bytes();
  await new Promise((r) => setTimeout(r, 5000));
  const b1 = await bytes();
  console.log(`SWIM payload bytes sent per node per second (JSON size, 5 s quiet window), min / median / max: ${mmm(b1.swim.map((x, i) => (x - b0.swim[i]!) / 5), 0)}`);
  if (maxPeers === 0) console.log(`dist bytes received per node per second (same window: membership + Global + client calls + ticks): ${mmm(b1.b.map((x, i) => (x - b0.b[i]!) / 5), 0)}`);
  console.log(`connections per node (end of the window): ${mmm(b1.conns, 0)}`);

  const detectKill: number[] = [];
  const detectPart: number[] = [];
  const healMs: number[] = [];
  const settled: Array<{ from: number; to: number; sides: string[][] }> = [];
  let falsePositives = 0;
  let quietFrom = Date.now();
  const joinFalse = children.reduce((a, c) => a + c.log.filter((e) => e.ev === 'memberLeft').length, 0);
  if (joinFalse > 0) console.log(`false positives during join and the quiet window: ${joinFalse}`);
  for (let r = 0; r < rounds; r++) {
    const L = live();
    const faultAt = Date.now();
    const prev = settled[settled.length - 1];
    if (prev !== undefined && prev.to === Infinity) prev.to = faultAt;
    // False positives: memberLeft 'failed' during the quiet period before this fault.
    for (const c of L) for (const e of c.log) if (e.ev === 'memberLeft' && e.t >= quietFrom && e.t < faultAt && (e.d as { reason: string }).reason === 'failed') falsePositives++;
    if (random() < 0.4 && L.length > Math.ceil(n * 0.75)) {
      const victim = L[1 + Math.floor(random() * (L.length - 1))]!;
      victim.proc.kill('SIGKILL');
      victim.alive = false;
      const rest = live();
      const ms = await until(async () => rest.every((c) => c.log.some((e) => e.ev === 'memberLeft' && e.t >= faultAt && (e.d as { node: string }).node === victim.name)), 60_000);
      console.log(`round ${r}: kill -9 ${victim.short}: detected everywhere after ${ms === null ? 'NOT within 60 s' : `${(ms / 1000).toFixed(2)} s`}`);
      if (ms !== null) detectKill.push(ms / 1000);
      await until(() => sees(rest, rest.map((c) => c.short)), 30_000);
      settled.push({ from: Date.now(), to: Infinity, sides: [rest.map((c) => c.name)] });
    } else {
      const k = 1 + Math.floor(random() * Math.floor((L.length - 1) / 2));
      const shuffled = [...L].sort(() => random() - 0.5);
      const minority = shuffled.slice(0, k);
      const majority = shuffled.slice(k);
      for (const a of minority) for (const b of majority) {
        proxies.get(`${a.short}>${b.short}`)!.blackhole();
        proxies.get(`${b.short}>${a.short}`)!.blackhole();
      }
      const ms = await until(async () => (await sees(minority, minority.map((c) => c.short))) && (await sees(majority, majority.map((c) => c.short))), 60_000);
      console.log(`round ${r}: partition ${minority.map((c) => c.short).join(',')} | ${majority.length} others: both sides agree after ${ms === null ? 'NOT within 60 s' : `${(ms / 1000).toFixed(2)} s`}`);
      if (ms !== null) detectPart.push(ms / 1000);
      await new Promise((res) => setTimeout(res, 4000)); // stable-after (3 s) + dist ticks: the sides settle
      const from = Date.now();
      await new Promise((res) => setTimeout(res, 3000));
      settled.push({ from, to: Date.now(), sides: [minority.map((c) => c.name), majority.map((c) => c.name)] });
      const healAt = Date.now();
      for (const p of proxies.values()) p.resume();
      const hm = await until(() => sees(live(), live().map((c) => c.short)), 60_000);
      console.log(`         healed: every node sees all ${live().length} after ${hm === null ? 'NOT within 60 s' : `${((Date.now() - healAt) / 1000).toFixed(2)} s`}`);
      if (hm !== null) healMs.push(hm / 1000);
    }
    quietFrom = Date.now();
  }
  await new Promise((r) => setTimeout(r, 3000)); // the last acks
  const last = settled[settled.length - 1];
  if (last !== undefined && last.to === Infinity) last.to = Date.now();
  console.log(`\nkill -9 detection (s, kill -> memberLeft on every live node), min / median / max: ${mmm(detectKill)}`);
  console.log(`partition detection (s, cut -> both sides agree on themselves): ${mmm(detectPart)}`);
  console.log(`heal convergence (s): ${mmm(healMs)}`);
  for (const c of live()) for (const e of c.log) if (e.ev === 'memberLeft' && e.t >= quietFrom && (e.d as { reason: string }).reason === 'failed') falsePositives++;
  console.log(`false positives (memberLeft 'failed' of a live, reachable node in quiet periods): ${falsePositives}`);

  // History check (a): one owner of 'svc' per side in a settled period.
  let overlaps = 0;
  for (const s of settled) {
    for (const side of s.sides) {
      const seen = new Set<string>();
      for (const c of children) {
        if (!side.includes(c.name)) continue;
        for (const e of c.log) if (e.ev === 'owner' && e.t >= s.from && e.t <= s.to && e.owner !== null) seen.add(String(e.owner));
      }
      if (seen.size > 1) {
        overlaps++;
        console.log(`  two owners inside [${side.join(', ')}] between ${s.from} and ${s.to}: ${[...seen].join(', ')}`);
        // Who saw which owner when (ms into the period): a handover shows as one owner
        // then the other on every node; two owners at once as nodes disagreeing throughout.
        for (const c of children) {
          if (!side.includes(c.name)) continue;
          const spans = new Map<string, [number, number]>();
          for (const e of c.log) {
            if (e.ev !== 'owner' || e.t < s.from || e.t > s.to) continue;
            const k = String(e.owner);
            const sp = spans.get(k);
            if (sp === undefined) spans.set(k, [e.t - s.from, e.t - s.from]);
            else sp[1] = e.t - s.from;
          }
          console.log(`    ${c.short}: ${[...spans].map(([o, [a, b]]) => `${o} ${a}..${b} ms`).join('; ')}`);
        }
      }
    }
  }
  // (b) every acknowledged request processed.
  const processed = new Set<string>();
  let acked = 0;
  let lost = 0;
  for (const c of children) for (const e of c.log) if (e.ev === 'processed') processed.add(String(e.rid));
  for (const c of children) {
    for (const e of c.log) {
      if (e.ev !== 'ack') continue;
      acked++;
      if (!processed.has(String(e.rid))) lost++;
    }
  }
  console.log(`history: ${settled.length} settled periods checked, sides with two owners of 'svc' at once: ${overlaps}; acknowledged requests ${acked}, processed ${processed.size}, acknowledged but never processed: ${lost}`);

  if (process.env['MB_DEBUG'] !== undefined) for (const c of children) console.log(c.short, JSON.stringify(c.log.filter((e) => e.ev !== 'owner').slice(0, 8)), JSON.stringify(c.log.filter((e) => e.ev === 'owner').slice(-2)));
  for (const c of children) if (c.alive) c.proc.stdin!.end();
  await Promise.all(children.filter((c) => c.alive).map((c) => new Promise((r) => c.proc.once('exit', r))));
  await Promise.all([...proxies.values()].map((p) => p.close()));
  await mapper.close();
}

// ---- simulator: 50/50 partition -----------------------------------------------------------

function simPartition(size: number, seed: number): { detectS: number; healS: number } {
  const sim = new MembershipSim({ seed, recordHistory: false });
  sim.addNode('n0');
  for (let i = 1; i < size; i++) sim.addNode(`n${i}`, ['n0']);
  if (sim.runUntilTrue(() => sim.converged(), 600_000, 500) === undefined) throw new Error(`sim N=${size}: no convergence`);
  const a = Array.from({ length: size / 2 }, (_, i) => `n${i}`);
  const b = Array.from({ length: size / 2 }, (_, i) => `n${i + size / 2}`);
  const sa = new Set(a);
  const sb = new Set(b);
  const at = sim.now;
  sim.network.partition(a, b);
  const det = sim.runUntilTrue(() => a.every((x) => sim.sees(x, sa)) && b.every((x) => sim.sees(x, sb)), 600_000, 500);
  if (det === undefined) throw new Error(`sim N=${size}: partition not detected`);
  sim.network.heal();
  const healAt = sim.now;
  const healed = sim.runUntilTrue(() => sim.converged(), 600_000, 500);
  if (healed === undefined) throw new Error(`sim N=${size}: no heal`);
  return { detectS: (det - at) / 1000, healS: (healed - healAt) / 1000 };
}

if (process.argv[2] === 'node') {
  await runNode();
} else {
  if (Number(process.env['MB_NODES'] ?? 8) > 0) await main();
  const sizes = (process.env['MB_SIM_PARTITION'] ?? '100,300').split(',').filter((x) => x !== '').map(Number);
  for (const size of sizes) {
    const w = performance.now();
    const r = [1, 2].slice(0, size >= 1000 ? 1 : 2).map((s) => simPartition(size, s));
    console.log(`sim 50/50 partition, N=${size} (LAN defaults, ${r.length} seed(s)): detected on both sides after ${mmm(r.map((x) => x.detectS), 1)} s, healed after ${mmm(r.map((x) => x.healS), 1)} s virtual (wall ${((performance.now() - w) / 1000).toFixed(1)} s)`);
  }
}
