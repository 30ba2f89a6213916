/** Metrics export of a node (issue 16 part 6): re-exports only. */
export { startMetricsServer, type MetricsServer } from './metrics-server.ts';
export { metricsRegistry } from './metrics-registry.ts';
export type { MetricsRegistryOptions, MetricsServerOptions } from './metrics-options.ts';
export { metricTable, type MetricSpec, type MetricKind, type MetricScope } from './metric-table.ts';
export {
  kSpawnChannel, kExitChannel, kNodeUpChannel, kNodeDownChannel, switchboardChannels,
  type SpawnEvent, type ExitEvent, type NodeUpEvent, type NodeDownEvent,
} from './diagnostics.ts';
