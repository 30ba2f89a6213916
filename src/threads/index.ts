// The multi-thread layer: re-exports only.
export { startThreads } from './start-threads.ts';
export { ThreadedNode, type NodeSpawnOptions, type NodeStats } from './threaded-node.ts';
export { type NodeOptions } from './node-options.ts';
export { type SchedulerDownEvent, type SchedulerDownReason } from './scheduler-down.ts';
export { NotPortableError, BackpressureError } from './errors.ts';
export { type SchedulerStats, type SchedulerState } from './stats.ts';
export { SharedRegistry, kMaxNameBytes } from './shared-registry.ts';
export { SpscRingProducer, SpscRingConsumer, createSpscRing, initSpscRing, spscRingByteLength, spscRecordBytes } from './spsc-ring.ts';
export { DoorbellSleeper, DoorbellRinger, createDoorbell, readDoorbellCounters } from './doorbell.ts';
export { MessageEncoder, MessageDecoder, encodeMessage, decodeMessage, registerClass, unregisterClass } from '../codec/index.ts';
export { DirtyPool, attachDirtyPool, type DirtyOutcome, type DirtyTask } from './dirty-pool.ts';
