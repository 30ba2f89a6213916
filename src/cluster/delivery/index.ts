/**
 * Delivery guarantees (issue 13, part 5): at-least-once sends with retries and fallback,
 * and exactly-once processing with a bounded, optionally persisted dedupe table.
 * Re-exports only.
 */
export { Delivery } from './delivery.ts';
export type { ProcessOnceResult } from './delivery.ts';
export { Courier, kIdleWatches, kDownNodeMs } from './courier.ts';
export { DedupeTable, kDefaultMaxEntries } from './dedupe-table.ts';
export type { DedupeTableOptions, DedupeOrder, DedupeStats } from './dedupe-table.ts';
export { DedupeFile } from './dedupe-file.ts';
export type { DedupeRecord } from './dedupe-file.ts';
export { kDefaultRetries, kDefaultAttemptTimeoutMs, describeTarget } from './delivery-options.ts';
export type { DeliveryOptions, FallbackTarget } from './delivery-options.ts';
export { isDelivery, isDeliveryAck, isDeliveryReport } from './delivery-messages.ts';
export type {
  DeliveryEnvelope, DeliveryAck, DeliveryReport, DeliveryOk, DeliveryNotOk, DeliveryFailure, DeliveryTarget, TriedTarget,
} from './delivery-messages.ts';
export { DeliveryFailedError, DedupeFileError } from './errors.ts';
