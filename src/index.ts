export * from './core/index.ts';
export * from './otp/index.ts';
export {
  startNode, ThreadedNode, NotPortableError, BackpressureError, attachDirtyPool, DirtyPool,
  type NodeOptions, type NodeSpawnOptions, type NodeStats, type SchedulerDownEvent, type SchedulerDownReason,
  type SchedulerStats, type SchedulerState, type DirtyOutcome, type DirtyTask,
} from './threads/index.ts';
