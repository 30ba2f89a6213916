/**
 * GC accounting of one thread: one PerformanceObserver('gc') per thread adds every GC
 * pause's duration to the gcMs / gcCount slots of each microstate block this thread owns
 * (core/microstate.ts, step 3). Exact (V8 reports each pause), not sampled.
 *
 *   1. `observeGc(slots)`: add the block; the first one starts the thread's observer.
 *   2. On each batch of 'gc' entries (delivered on this thread's event loop, so a busy
 *      scheduler sees them at its next turn, every quantum): slots[gcMs] += duration,
 *      slots[gcCount] += 1, for every block. Only this thread writes these slots.
 *   3. The returned function removes the block; the last one disconnects the observer.
 * Erlang mapping: the `gc` state of erts msacc (a BEAM process collects its own heap,
 * inside its scheduler; V8 collects the thread's whole heap, so GC is per thread here).
 */
import { PerformanceObserver, type PerformanceObserverEntryList } from 'node:perf_hooks';
import { kMsGcCount, kMsGcMs } from '../microstate.ts';

const blocks: Float64Array[] = [];
let observer: PerformanceObserver | null = null;

function onEntries(list: PerformanceObserverEntryList): void {
  const entries = list.getEntries();
  let ms = 0;
  for (let i = 0; i < entries.length; i++) ms += entries[i]!.duration;
  for (let i = 0; i < blocks.length; i++) {
    const b = blocks[i]!;
    b[kMsGcMs] = b[kMsGcMs]! + ms;
    b[kMsGcCount] = b[kMsGcCount]! + entries.length;
  }
}

/** Steps 1 and 3. */
export function observeGc(slots: Float64Array): () => void {
  blocks.push(slots);
  if (observer === null) {
    observer = new PerformanceObserver(onEntries);
    observer.observe({ entryTypes: ['gc'] });
  }
  let done = false;
  return () => {
    if (done) return;
    done = true;
    const i = blocks.indexOf(slots);
    if (i >= 0) blocks.splice(i, 1);
    if (blocks.length === 0 && observer !== null) {
      observer.disconnect();
      observer = null;
    }
  };
}
