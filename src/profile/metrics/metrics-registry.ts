/**
 * metricsRegistry(node): a prom-client Registry holding the node's metrics (metric-table.ts),
 * for embedders that serve or push them themselves (`await registry.metrics()` is the
 * Prometheus text format; merge it with their own via prom-client's Registry.merge).
 *
 * How a scrape reads the node (collected at scrape time, nothing runs between scrapes):
 *   1. prom-client calls every metric's collect() in the same turn of the event loop;
 *      each asks the SnapshotSource, which takes one NodeSnapshot for all of them.
 *   2. A gauge is reset and set from the snapshot (series that vanished, such as a gone
 *      peer, vanish with it).
 *   3. A counter is reset and set (inc from 0) to the absolute value the node reports,
 *      passed through MonotonicSeries first: the exported value never goes down, even
 *      when its source restarts (a peer's connection counters after a reconnect), and a
 *      series not read any more keeps its last value.
 *   4. Which metrics exist is decided once, here: scheduler wall-time metrics when the
 *      schedulers report busy/spin/parked ms (ThreadedNode), dist_* when the node has a
 *      name (node.stats().dist is not null).
 *
 * Erlang mapping: what prometheus.erl's vm collectors export for the BEAM, for a node.
 *
 * prom-client is loaded on the first call, not when the package is imported: every
 * scheduler thread imports the package index (to find behaviours by export name), and
 * loading prom-client there cost ~0.1-0.4 s of start-up per thread for nothing.
 */
import { createRequire } from 'node:module';
import type { Counter, Gauge, Registry } from 'prom-client';
import type { Node } from '../../core/node.ts';
import { checkOptions } from '../../core/options.ts';
import { metricTable, type MetricScope, type MetricSpec } from './metric-table.ts';
import { checkNode, registryChecks, type MetricsRegistryOptions } from './metrics-options.ts';
import { MonotonicSeries } from './monotonic.ts';
import { SnapshotSource } from './node-snapshot.ts';

export const kDefaultPrefix = 'switchboard_';

type PromClient = typeof import('prom-client');
let promClient: PromClient | null = null;
/** prom-client, required on first use (see the header). */
function prom(): PromClient {
  return (promClient ??= createRequire(import.meta.url)('prom-client') as PromClient);
}

/** Which metric scopes this node has (step 4). */
function scopesOf(node: Node): Set<MetricScope> {
  const s = node.stats();
  const scopes = new Set<MetricScope>(['always']);
  if (s.schedulers.some((k) => typeof k['busyMs'] === 'number')) scopes.add('wallTime');
  if (s.dist !== undefined && s.dist !== null) scopes.add('dist');
  return scopes;
}

function labelsOfKey(key: string): Record<string, string> {
  return JSON.parse(key) as Record<string, string>;
}

function addMetric(registry: Registry, prefix: string, spec: MetricSpec, source: SnapshotSource): void {
  const name = prefix + spec.name;
  const labelNames = [...spec.labelNames];
  if (spec.kind === 'gauge') {
    const gauge: Gauge<string> = new (prom().Gauge)({
      name, help: spec.help, labelNames, registers: [registry],
      async collect() {
        const samples = spec.read(await source.get());
        gauge.reset();
        for (const s of samples) gauge.set(s.labels, s.value);
      },
    });
    return;
  }
  const series = new MonotonicSeries();
  const counter: Counter<string> = new (prom().Counter)({
    name, help: spec.help, labelNames, registers: [registry],
    async collect() {
      const samples = spec.read(await source.get());
      for (const s of samples) series.update(JSON.stringify(s.labels), s.value);
      counter.reset();
      for (const [key, v] of series.values()) counter.inc(labelsOfKey(key), v);
    },
  });
}

/** The node's metrics in a new prom-client Registry (steps above). */
export function metricsRegistry(node: Node, opts?: MetricsRegistryOptions): Registry {
  checkNode('metricsRegistry', node);
  checkOptions('metricsRegistry', registryChecks, opts);
  return buildRegistry(node, opts?.prefix ?? kDefaultPrefix, opts?.intervalMs ?? 0);
}

/** After the options were checked (the server checks its own). */
export function buildRegistry(node: Node, prefix: string, intervalMs: number): Registry {
  const registry = new (prom().Registry)();
  const source = new SnapshotSource(node, intervalMs);
  const scopes = scopesOf(node);
  for (const spec of metricTable) if (scopes.has(spec.scope)) addMetric(registry, prefix, spec, source);
  return registry;
}
