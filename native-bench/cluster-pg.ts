/**
 * pg figures on three real node processes (loopback): how long a join on A takes to be
 * visible on B and C, and how many joins per second the cluster absorbs.
 *
 *   node scripts/run-ts.mjs native-bench/cluster-pg.ts [runs=5] [latencyJoins=100] [burst=2000]
 *
 * Steps:
 *   1. Start a port mapper on a free port and three node processes (this file in `child`
 *      mode: a LocalNode named a/b/c, the default pg scope started); connect A to B and C
 *      (the mesh connects B and C).
 *   2. Per run, latency: B and C subscribe to a fresh group (Pg.monitor from the node, the
 *      events come as node messages, stamped on arrival); A joins `latencyJoins` idle
 *      processes one after another (each Pg.join awaited), stamping each just before its
 *      join. Latency of a join on B (C) = arrival of its join event on B (C) - its stamp on
 *      A. Stamps are wall-clock (performance.timeOrigin + performance.now()) of processes
 *      on one machine, so they compare to well under a millisecond.
 *   3. Per run, throughput: B and C subscribe to another fresh group; A issues `burst`
 *      joins at once (concurrent calls); joins/s = burst / (time from the first join
 *      issued to the last join event seen on C); also the rate A's own calls completed.
 *   4. Print, for each figure, min / median / max over the runs (p50 and p99 are per run).
 *
 * Child protocol (one JSON object per line): parent -> child { id, cmd, ...args }, child ->
 * parent { id, value } or { id, error }; the child prints { ready: true } once started.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { isMainThread } from 'node:worker_threads';
import { Pg, type PgEvent } from '../src/cluster/pg/index.ts';
import { defineActor } from '../src/core/behaviour.ts';
import type { Context } from '../src/core/context.ts';
import type { Node } from '../src/core/node.ts';
import { nodeOf } from '../src/core/node-table.ts';
import type { Pid } from '../src/core/pid.ts';
import { startPortMapper } from '../src/dist/port-mapper-server.ts';
import { startNode } from '../src/dist/start-node.ts';

const kCookie = 'pg-bench-cookie';
const wall = (): number => performance.timeOrigin + performance.now();
const describePid = (p: Pid): string => `${nodeOf(p)?.name}/${p.id}.${p.serial}`;

export const BenchIdle = defineActor(import.meta.url, {
  init: (): null => null,
  handle: (_m: unknown, s: null, _ctx: Context): null => s,
}, 'BenchIdle');

// --------------------------------------------------------------------------------------
// child mode: one node
// --------------------------------------------------------------------------------------

async function child(name: string, port: number): Promise<void> {
  const node = await startNode({ name, schedulers: 0, cookie: kCookie, dist: { portMapper: { host: '127.0.0.1', port } } });
  await Pg.start(node);
  /** Arrival stamps of join events, by group, by pid description. */
  const arrivals = new Map<string, Map<string, number>>();
  const watched = new Map<string, string>(); // subscription ref -> group
  node.on('message', (m: PgEvent) => {
    if (m?.type !== 'pg' || m.event !== 'join') return;
    const t = wall();
    const g = watched.get(String(m.ref));
    if (g === undefined) return;
    const by = arrivals.get(g)!;
    for (const p of m.pids) by.set(describePid(p), t);
  });
  const cmds: Record<string, (a: Record<string, unknown>) => Promise<unknown>> = {
    connect: async (a) => Promise.all((a.nodes as string[]).map((n) => node.connectNode(n))),
    watch: async (a) => {
      arrivals.set(a.group as string, new Map());
      const sub = await Pg.monitor(node, a.group as string);
      watched.set(String(sub.ref), a.group as string);
      return null;
    },
    arrivals: async (a) => Object.fromEntries(arrivals.get(a.group as string) ?? []),
    seen: async (a) => arrivals.get(a.group as string)?.size ?? 0,
    joinOneByOne: async (a) => {
      const pids: Pid[] = [];
      for (let i = 0; i < (a.n as number); i++) pids.push(await node.spawn(BenchIdle));
      const stamps: Record<string, number> = {};
      for (const p of pids) {
        stamps[describePid(p)] = wall();
        await Pg.join(node, a.group as string, p);
      }
      return stamps;
    },
    joinBurst: async (a) => {
      const pids: Pid[] = [];
      for (let i = 0; i < (a.n as number); i++) pids.push(await node.spawn(BenchIdle));
      const t0 = wall();
      await Promise.all(pids.map((p) => Pg.join(node, a.group as string, p)));
      return { t0, acked: wall() };
    },
    stop: async () => {
      setImmediate(() => void node.stop().then(() => process.exit(0)));
      return null;
    },
  };
  const rl = createInterface({ input: process.stdin });
  rl.on('close', () => void node.stop().then(() => process.exit(0))); // the parent went away
  rl.on('line', (line) => {
    const req = JSON.parse(line) as { id: number; cmd: string } & Record<string, unknown>;
    cmds[req.cmd]!(req).then(
      (value) => process.stdout.write(JSON.stringify({ id: req.id, value }) + '\n'),
      (e: unknown) => process.stdout.write(JSON.stringify({ id: req.id, error: String(e) }) + '\n'),
    );
  });
  process.stdout.write(JSON.stringify({ ready: true }) + '\n');
}

// --------------------------------------------------------------------------------------
// parent mode: start the nodes, measure, print
// --------------------------------------------------------------------------------------

interface Child {
  readonly name: string;
  ask<R>(cmd: string, args?: Record<string, unknown>): Promise<R>;
  readonly proc: ChildProcess;
}

function startChild(name: string, port: number): Promise<Child> {
  const root = fileURLToPath(new URL('../', import.meta.url));
  const proc = spawn(process.execPath, ['scripts/run-ts.mjs', 'native-bench/cluster-pg.ts', 'child', name, String(port)], { cwd: root, stdio: ['pipe', 'pipe', 'inherit'] });
  const waiting = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  let nextId = 1;
  return new Promise((resolve, reject) => {
    proc.once('exit', (code) => reject(new Error(`${name} exited (${code})`)));
    createInterface({ input: proc.stdout! }).on('line', (line) => {
      const m = JSON.parse(line) as { ready?: boolean; id?: number; value?: unknown; error?: string };
      if (m.ready === true) {
        resolve({
          name,
          proc,
          ask: <R>(cmd: string, args: Record<string, unknown> = {}) => new Promise<R>((res, rej) => {
            const id = nextId++;
            waiting.set(id, { resolve: res as (v: unknown) => void, reject: rej });
            proc.stdin!.write(JSON.stringify({ id, cmd, ...args }) + '\n');
          }),
        });
        return;
      }
      const w = waiting.get(m.id!);
      waiting.delete(m.id!);
      if (m.error !== undefined) w?.reject(new Error(`${name}: ${m.error}`));
      else w?.resolve(m.value);
    });
  });
}

const quantile = (xs: number[], q: number): number => {
  const s = [...xs].sort((x, y) => x - y);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))]!;
};
const median = (xs: number[]): number => quantile(xs, 0.5);

/** Wait until `c` has seen `count` join events of `group` (asking it; bounded). */
async function seenAll(c: Child, group: string, count: number, deadlineMs = 30_000): Promise<void> {
  const until = Date.now() + deadlineMs;
  while ((await c.ask<number>('seen', { group })) < count) {
    if (Date.now() > until) throw new Error(`${c.name} saw fewer than ${count} joins of ${group}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

async function parent(runs: number, latencyJoins: number, burst: number): Promise<void> {
  const mapper = await startPortMapper({ port: 0 });
  const names = ['a', 'b', 'c'].map((s) => `${s}@127.0.0.1`);
  const [a, b, c] = await Promise.all(names.map((n) => startChild(n, mapper.port)));
  try {
    await a!.ask('connect', { nodes: [names[1], names[2]] });
    const figures: Record<string, number[]> = {};
    const add = (k: string, v: number): void => void (figures[k] ??= []).push(v);
    for (let r = 0; r < runs; r++) {
      const lat = `lat-${r}`;
      await Promise.all([b!.ask('watch', { group: lat }), c!.ask('watch', { group: lat })]);
      const stamps = await a!.ask<Record<string, number>>('joinOneByOne', { group: lat, n: latencyJoins });
      await Promise.all([seenAll(b!, lat, latencyJoins), seenAll(c!, lat, latencyJoins)]);
      for (const [who, peer] of [['B', b!], ['C', c!]] as const) {
        const arr = await peer.ask<Record<string, number>>('arrivals', { group: lat });
        const ms = Object.entries(stamps).map(([p, t0]) => arr[p]! - t0);
        add(`join on A -> visible on ${who}, p50 (ms)`, median(ms));
        add(`join on A -> visible on ${who}, p99 (ms)`, quantile(ms, 0.99));
      }
      const tp = `tp-${r}`;
      await Promise.all([b!.ask('watch', { group: tp }), c!.ask('watch', { group: tp })]);
      const { t0, acked } = await a!.ask<{ t0: number; acked: number }>('joinBurst', { group: tp, n: burst });
      await seenAll(c!, tp, burst);
      const arr = Object.values(await c!.ask<Record<string, number>>('arrivals', { group: tp }));
      add(`burst of ${burst} joins: acknowledged on A (joins/s)`, burst / ((acked - t0) / 1000));
      add(`burst of ${burst} joins: all visible on C (joins/s)`, burst / ((Math.max(...arr) - t0) / 1000));
    }
    console.log(`pg on 3 node processes (loopback), ${runs} runs, ${latencyJoins} sequential joins + a burst of ${burst} per run`);
    console.log('figure'.padEnd(52), 'min'.padStart(10), 'median'.padStart(10), 'max'.padStart(10));
    for (const [k, xs] of Object.entries(figures)) {
      const f = (x: number): string => (x >= 100 ? x.toFixed(0) : x.toFixed(2)).padStart(10);
      console.log(k.padEnd(52), f(Math.min(...xs)), f(median(xs)), f(Math.max(...xs)));
    }
  } finally {
    await Promise.all([a, b, c].map((x) => x!.ask('stop').catch(() => undefined)));
    await mapper.close();
  }
}

// Scheduler threads import this module too (for BenchIdle): only the main thread runs.
const [mode, ...rest] = process.argv.slice(2);
if (!isMainThread) {
  // nothing: a thread that only needs the behaviour
} else if (mode === 'child') await child(rest[0]!, Number(rest[1]));
else await parent(Number(mode ?? 5), Number(rest[0] ?? 100), Number(rest[1] ?? 2000));
