/**
 * The Switchboard side of the dist workload: two Switchboard node processes
 * (dist-node.ts roles b and a) on this machine, registered in the same real epmd as the
 * BEAM nodes (dist-pair.ts runs them).
 *
 * Scheduler counts as the other workloads: the bench's S1 is startNode({ schedulers: 0 })
 * (one scheduler on the node's own thread, as workloads.ts), S2 and more are ThreadedNodes.
 *
 * Until the node side of issue 11 lands, startNode refuses `name` (or, on a node kind
 * without distribution yet, starts a node that did not take it): node B says so
 * ("unavailable"), this records the reason per scheduler count, and every later
 * Switchboard dist run with that count returns no figures at once — the bench prints
 * "dist: Switchboard side unavailable: S<n>: <error>" and goes on with the BEAM side.
 */
import { fileURLToPath } from 'node:url';
import type { BenchMetric } from './switchboard.ts';
import { distNodeNames, freshCookie } from './dist-beam.ts';
import { kEpmdPort } from './dist-epmd.ts';
import { DistSideUnavailable, runDistPair } from './dist-pair.ts';

const RUN_TS = fileURLToPath(new URL('../scripts/run-ts.mjs', import.meta.url));
const DIST_NODE = fileURLToPath(new URL('./dist-node.ts', import.meta.url));

/** Bench scheduler count -> why the Switchboard side could not run with it. */
const unavailable = new Map<number, string>();

/** Why the Switchboard side did not run ("S1: <error>", one per scheduler count), or []. */
export function switchboardDistUnavailable(): string[] {
  return [...unavailable].map(([s, why]) => `S${s}: ${why}`);
}

export async function runSwitchboardDist(
  params: Record<string, number | string>,
  opts: { schedulers: number; timeoutMs: number; epmdPort?: number },
): Promise<BenchMetric[]> {
  if (unavailable.has(opts.schedulers)) return [];
  const names = distNodeNames('sbbench_sb');
  const env = { ...process.env, SWITCHBOARD_COOKIE: freshCookie() };
  const schedulers = opts.schedulers === 1 ? 0 : opts.schedulers;
  const common = ['--expose-gc', '--max-old-space-size=8192', RUN_TS, DIST_NODE];
  const epmdPort = opts.epmdPort ?? kEpmdPort;
  const node = [`schedulers=${schedulers}`, `port_mapper=${epmdPort}`];
  const kv = Object.entries(params).filter(([k]) => k !== 'timeout_ms').map(([k, v]) => `${k}=${String(v)}`);
  try {
    return await runDistPair({
      label: `Switchboard dist (schedulers ${schedulers})`,
      timeoutMs: opts.timeoutMs,
      epmdPort,
      b: { cmd: process.execPath, args: [...common, 'b', `name=${names.b}`, ...node, `timeout_ms=${opts.timeoutMs + 10_000}`], env, notFound: 'node not found' },
      a: { cmd: process.execPath, args: [...common, 'a', `name=${names.a}`, `peer=${names.b}`, ...node, ...kv, `timeout_ms=${opts.timeoutMs}`], env, notFound: 'node not found' },
    });
  } catch (e) {
    if (!(e instanceof DistSideUnavailable)) throw e;
    unavailable.set(opts.schedulers, e.message);
    process.stderr.write(`\ndist: Switchboard side unavailable: S${opts.schedulers}: ${e.message}\n`);
    return [];
  }
}
