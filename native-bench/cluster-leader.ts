/**
 * GenLeader figures: leader re-election time on three node processes, measured from the
 * moment the leader's process is stopped to the new leader's `elected` callback, against
 * the distribution tick time.
 *
 *   node scripts/run-ts.mjs native-bench/cluster-leader.ts [kill_runs=5] [silent_runs=3] [tick_ms=1000]
 *
 * Steps:
 *   1. Start a port mapper on a free port in this process, then three node processes of
 *      this same file in the `node` role (a, b, c; candidates [a, b, c], LocalNodes,
 *      tickTimeMs = tick_ms). Each starts the BenchLeader GenLeader and prints one JSON
 *      line per election callback with `at` = Date.now() taken in the callback.
 *   2. kill -9 runs: wait until b and c follow a; note the time, SIGKILL a; wait for b's
 *      `elected` (its `at` minus the kill time is the figure); restart a (it takes the
 *      lead back); repeat `kill_runs` times. A killed process's sockets close with it, so the
 *      survivors see nodedown at once: the figure does not include the tick time.
 *   3. Silent-leader runs (`silent_runs`): the same with SIGSTOP instead (the process freezes, its sockets
 *      stay open): the survivors notice only when nothing arrived for the tick time, so
 *      the figure is about tick_ms plus the election. The frozen process is then killed.
 *   4. Print min / median / max per kind, and the time a restarted first candidate takes
 *      from its GenLeader start to its `elected` (the takeover).
 * Every process is ended before exit (stdin closed, then SIGKILL after 5 s).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import readline from 'node:readline';
import { fileURLToPath } from 'node:url';
import { defineGenLeader, GenLeader } from '../src/cluster/leader/index.ts';
import { startNode, startPortMapper } from '../src/index.ts';

function say(event: string, node: string, extra: Record<string, unknown> = {}): void {
  process.stdout.write(JSON.stringify({ bench: event, node, at: Date.now(), ...extra }) + '\n');
}

/** The benchmarked GenLeader: no state of its own, reports its election callbacks. */
export const BenchLeader = defineGenLeader(import.meta.url, {
  init() {
    return { ok: null };
  },
  elected(s: null, e, joined) {
    if (joined === undefined) say('elected', e.node);
    return { ok: true, synch: null, state: s };
  },
  surrendered(s: null, _synch, e) {
    say('surrendered', e.node, { leader: GenLeader.leaderNode(e) });
    return { ok: s };
  },
}, 'BenchLeader');

// --- node role -------------------------------------------------------------------------

async function nodeRole(name: string, port: number, candidates: string[], tickTimeMs: number): Promise<void> {
  const node = await startNode({
    name,
    cookie: 'leader-bench',
    schedulers: 0,
    dist: { listen: { host: '127.0.0.1', port: 0 }, portMapper: { host: '127.0.0.1', port }, tickTimeMs },
  });
  say('starting', name);
  await GenLeader.start(node, { name: 'bench', candidates }, BenchLeader, []);
  process.stdin.resume();
  process.stdin.on('end', () => void node.stop().then(() => process.exit(0)));
}

// --- driver ----------------------------------------------------------------------------

type Line = { bench: string; node: string; at: number; leader?: string };

class Cluster {
  private readonly lines: Line[] = [];
  private readonly waiters: { pred: (l: Line) => boolean; resolve: (l: Line) => void }[] = [];
  readonly children = new Map<string, ChildProcess>();
  constructor(
    private readonly port: number,
    private readonly names: string[],
    private readonly tickMs: number,
  ) {}

  start(name: string): void {
    const file = fileURLToPath(import.meta.url);
    const child = spawn(process.execPath, ['scripts/run-ts.mjs', file, 'node', name, String(this.port), this.names.join(','), String(this.tickMs)], {
      cwd: fileURLToPath(new URL('../', import.meta.url)),
      stdio: ['pipe', 'pipe', 'ignore'],
    });
    readline.createInterface({ input: child.stdout! }).on('line', (text) => {
      if (!text.startsWith('{"bench"')) return;
      const l = JSON.parse(text) as Line;
      this.lines.push(l);
      for (const w of [...this.waiters]) {
        if (w.pred(l)) {
          this.waiters.splice(this.waiters.indexOf(w), 1);
          w.resolve(l);
        }
      }
    });
    this.children.set(name, child);
  }

  /** The first line from now on matching `pred`. */
  next(pred: (l: Line) => boolean, what: string, ms = 20_000): Promise<Line> {
    return new Promise((resolve, reject) => {
      const t = setTimeout(() => reject(new Error(`cluster-leader: no ${what} within ${ms} ms`)), ms);
      this.waiters.push({ pred, resolve: (l) => (clearTimeout(t), resolve(l)) });
    });
  }

  async stop(name: string, signal: NodeJS.Signals): Promise<void> {
    const c = this.children.get(name)!;
    const exited = new Promise((r) => c.once('exit', r));
    c.kill(signal);
    if (signal === 'SIGKILL') await exited;
  }

  async close(): Promise<void> {
    await Promise.all([...this.children.values()].map(async (c) => {
      if (c.exitCode !== null || c.signalCode !== null) return;
      const exited = new Promise((r) => c.once('exit', r));
      c.stdin!.end();
      const t = setTimeout(() => c.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(t);
    }));
  }
}

function stats(xs: number[]): string {
  const s = [...xs].sort((a, b) => a - b);
  const median = s.length % 2 === 1 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
  return `min ${s[0]} / median ${median} / max ${s[s.length - 1]} ms over ${s.length} runs`;
}

async function driver(killRuns: number, silentRuns: number, tickMs: number): Promise<void> {
  const mapper = await startPortMapper({ port: 0 });
  const names = ['a', 'b', 'c'].map((s) => `bench_${s}@127.0.0.1`);
  const [A, B, C] = names as [string, string, string];
  const cluster = new Cluster(mapper.port, names, tickMs);
  const killed: number[] = [];
  const silent: number[] = [];
  const takeover: number[] = [];
  try {
    const leads = cluster.next((l) => l.bench === 'elected' && l.node === A, 'a elected');
    const bFollows = cluster.next((l) => l.bench === 'surrendered' && l.node === B && l.leader === A, 'b follows a');
    const cFollows = cluster.next((l) => l.bench === 'surrendered' && l.node === C && l.leader === A, 'c follows a');
    for (const n of names) cluster.start(n);
    await Promise.all([leads, bFollows, cFollows]);
    for (let i = 0; i < killRuns + silentRuns; i++) {
      const isKill = i < killRuns;
      const bLeads = cluster.next((l) => l.bench === 'elected' && l.node === B, 'b elected');
      const t0 = Date.now();
      await cluster.stop(A, isKill ? 'SIGKILL' : 'SIGSTOP');
      const e = await bLeads;
      (isKill ? killed : silent).push(e.at - t0);
      if (!isKill) await cluster.stop(A, 'SIGKILL');
      if (i === killRuns + silentRuns - 1) break;
      // Restart a: it takes the lead back; wait until both others follow it again.
      const starting = cluster.next((l) => l.bench === 'starting' && l.node === A, 'a starting');
      const aLeads = cluster.next((l) => l.bench === 'elected' && l.node === A, 'a elected again');
      const bBack = cluster.next((l) => l.bench === 'surrendered' && l.node === B && l.leader === A, 'b follows a again');
      const cBack = cluster.next((l) => l.bench === 'surrendered' && l.node === C && l.leader === A, 'c follows a again');
      cluster.start(A);
      const [s, el] = await Promise.all([starting, aLeads, bBack, cBack]);
      takeover.push(el.at - s.at);
    }
  } finally {
    await cluster.close();
    await mapper.close();
  }
  console.log(`GenLeader, 3 node processes on loopback (LocalNodes), candidates [a, b, c], tickTimeMs ${tickMs}`);
  console.log(`re-election after kill -9 of the leader (kill -> new leader's elected): ${stats(killed)}`);
  console.log(`re-election after SIGSTOP of the leader (silent; found by tick timeout): ${stats(silent)}`);
  console.log(`takeover by the restarted first candidate (its GenLeader start -> its elected): ${stats(takeover)}`);
  console.log(JSON.stringify({ tickMs, killMs: killed, silentMs: silent, takeoverMs: takeover }));
}

const [role, ...rest] = process.argv.slice(2);
if (role === 'node') {
  const [name, port, list, tick] = rest as [string, string, string, string];
  await nodeRole(name, Number(port), list.split(','), Number(tick));
} else {
  const [silent, tick] = rest;
  await driver(role === undefined ? 5 : Number(role), silent === undefined ? 3 : Number(silent), tick === undefined ? 1000 : Number(tick));
}
