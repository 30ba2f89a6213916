/** The timeline trace (re-exports only): startTrace / stopTrace and the trace's types. */
export { startTrace, stopTrace, kDefaultBufferEvents, kDefaultClockEvery, type TraceOptions } from './trace-session.ts';
export type { ChromeTrace, TraceEvent } from './chrome-trace.ts';
export { TraceAlreadyStartedError, TraceNotStartedError, TraceCommandError } from './errors.ts';
