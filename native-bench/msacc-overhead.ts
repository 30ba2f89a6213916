/**
 * Cost of microstate accounting (src/profile/msacc, core/microstate.ts) on the ring and
 * ping-pong benchmarks, A/B against a tree without it, in the same sitting:
 *
 *   node scripts/run-ts.mjs native-bench/msacc-overhead.ts --before /work/wt-before [--runs 5] [--laps 1000] [--trips 500000]
 *
 * Cases (each run is a fresh child process of the tree under test, started with that
 * tree's scripts/run-ts.mjs, so each side runs its own code):
 *   ring-1   10,000 actors x `--laps` laps on a LocalNode (one scheduler, this thread)
 *   ring-2   the same on a 2-scheduler ThreadedNode, one contiguous segment per scheduler
 *   pp-1     one ping-pong pair, `--trips` round trips, on a LocalNode
 *   pp-2     the same on a 2-scheduler ThreadedNode, both actors on scheduler 0
 * Protocol: for run 1..runs, for each case: before, then after (alternating, so drift in
 * the machine's load hits both sides alike). Prints per case and side min / median / max
 * (ns per hop or per round trip) and the ratio of medians (after / before).
 * The after side runs with msacc on (the default: sampler every 1 ms, state stores).
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { dirname, resolve } from 'node:path';

function arg(name: string, dflt: string): string {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1]! : dflt;
}
const self = fileURLToPath(import.meta.url);
const kCases = ['ring-1', 'ring-2', 'pp-1', 'pp-2'] as const;

type Any = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

function waitMessage(node: Any, key: string): Promise<Any> {
  return new Promise((r) => {
    const on = (m: unknown): void => {
      if (typeof m === 'object' && m !== null && key in m) {
        node.off('message', on);
        r(m as Any);
      }
    };
    node.on('message', on);
  });
}

/** One case in this process, with the tree at `tree`; prints ns per hop / round trip. */
async function child(tree: string, which: string, laps: number, trips: number): Promise<void> {
  const { startNode } = (await import(resolve(tree, 'src/dist/start-node.ts'))) as Any;
  const A = (await import(resolve(tree, 'native-bench/switchboard/threaded-actors.ts'))) as Any;
  const actors = 10_000;
  // Let the node settle before timing (the microstate sampler thread starts with the first
  // node of the process, and its start-up would otherwise fall inside the timed window:
  // --settle-ms, default 300).
  const settle = (): Promise<void> => new Promise((r) => setTimeout(r, Number(arg('--settle-ms', '300'))));
  if (which === 'ring-1') {
    const node = await startNode({ schedulers: 0 });
    const member = {
      init: () => ({ next: null as unknown }),
      handle(m: any, st: Any, ctx: Any) { // eslint-disable-line @typescript-eslint/no-explicit-any
        if (typeof m === 'number') {
          if (m === 0) ctx.send(node.pid, { ringDone: true });
          else ctx.send(st.next, m - 1);
        } else st.next = m.next;
        return st;
      },
    };
    const pids: unknown[] = [];
    for (let i = 0; i < actors; i++) pids.push(await node.spawn(member));
    for (let i = 0; i < actors; i++) node.send(pids[i], { next: pids[(i + 1) % actors] });
    await node.idle();
    await settle();
    const done = waitMessage(node, 'ringDone');
    const t0 = performance.now();
    node.send(pids[0], actors * laps);
    await done;
    console.log(((performance.now() - t0) * 1e6) / (actors * laps));
    await node.stop();
  } else if (which === 'ring-2') {
    const S = 2;
    const node = await startNode({ schedulers: S });
    const segs: Any[] = [];
    const got = new Promise<void>((r) => {
      const on = (m: Any): void => {
        if (typeof m === 'object' && m !== null && 'seg' in m) {
          segs.push(m);
          if (segs.length === S) {
            node.off('message', on);
            r();
          }
        }
      };
      node.on('message', on);
    });
    for (let k = 0; k < S; k++) node.send(await node.spawn(A.RingBuilder, [], { scheduler: k }), { build: actors / S, report: node.pid, seg: k });
    await got;
    segs.sort((a, b) => a.seg - b.seg);
    for (let k = 0; k < S; k++) node.send(segs[k].last, { next: segs[(k + 1) % S].first });
    await settle();
    const done = waitMessage(node, 'ringDone');
    const t0 = performance.now();
    node.send(segs[0].first, actors * laps);
    await done;
    console.log(((performance.now() - t0) * 1e6) / (actors * laps));
    await node.stop();
  } else {
    const local = which === 'pp-1';
    const node = await startNode({ schedulers: local ? 0 : 2 });
    const opts = local ? undefined : { scheduler: 0 };
    const ponger = await node.spawn(A.Ponger, [], opts);
    const pinger = await node.spawn(A.Pinger, [ponger, trips, node.pid], opts);
    await settle();
    const done = waitMessage(node, 'pingDone');
    node.send(pinger, 'go');
    const m = await done;
    console.log(m.pingDone / trips);
    await node.stop();
  }
}

function stats(xs: number[]): { min: number; med: number; max: number } {
  const s = [...xs].sort((a, b) => a - b);
  return { min: s[0]!, med: s[Math.floor(s.length / 2)]!, max: s[s.length - 1]! };
}

async function parent(): Promise<void> {
  const before = resolve(arg('--before', '/work/wt-before'));
  const after = resolve(dirname(self), '..');
  const runs = Number(arg('--runs', '5'));
  const laps = arg('--laps', '1000');
  const trips = arg('--trips', '500000');
  const only = arg('--cases', kCases.join(',')).split(',');
  const out: Record<string, { before: number[]; after: number[] }> = {};
  for (const c of only) out[c] = { before: [], after: [] };
  for (let r = 0; r < runs; r++) {
    for (const c of only) {
      for (const [side, tree] of [['before', before], ['after', after]] as const) {
        const p = spawnSync(process.execPath, [resolve(tree, 'scripts/run-ts.mjs'), self, '--child', tree, c, '--laps', laps, '--trips', trips, '--settle-ms', arg('--settle-ms', '300')], { encoding: 'utf8', timeout: 300_000 });
        const v = Number(p.stdout.trim().split('\n').pop());
        if (!Number.isFinite(v)) throw new Error(`${c} ${side}: ${p.stdout}\n${p.stderr}`);
        out[c]![side].push(v);
        process.stderr.write(`run ${r + 1} ${c} ${side}: ${v.toFixed(1)} ns\n`);
      }
    }
  }
  console.log(`msacc overhead, ${runs} alternating runs, ns per hop (ring, 10k actors x ${laps} laps) / per round trip (ping-pong, ${trips})`);
  console.log('case     before min/median/max          after (msacc on) min/median/max   after/before (medians)');
  for (const c of only) {
    const b = stats(out[c]!.before);
    const a = stats(out[c]!.after);
    const f = (x: { min: number; med: number; max: number }): string => `${x.min.toFixed(0)} / ${x.med.toFixed(0)} / ${x.max.toFixed(0)}`.padEnd(30);
    console.log(`${c.padEnd(8)} ${f(b)} ${f(a)}    ${(a.med / b.med).toFixed(3)}`);
  }
}

if (process.argv.includes('--child')) {
  const i = process.argv.indexOf('--child');
  await child(process.argv[i + 1]!, process.argv[i + 2]!, Number(arg('--laps', '1000')), Number(arg('--trips', '500000')));
  process.exit(0);
} else {
  await parent();
}
