import { afterEach, describe, expect, it } from 'vitest';
import { InvalidOptionError } from '../../src/core/errors.ts';
import { LocalNode } from '../../src/core/local-node.ts';
import type { Node } from '../../src/core/node.ts';
import { startNode } from '../../src/dist/start-node.ts';
import { startTrace, stopTrace, TraceAlreadyStartedError, TraceNotStartedError } from '../../src/profile/trace/index.ts';
import { Spinner } from './fixtures/trace-actors.ts';

// Tracing off: the scheduler's tracer is null before startTrace and after stopTrace, so the
// slice loop records nothing; a second trace holds only its own window's slices. Misuse:
// start twice, stop when not started, bad options — exact classes, codes and messages.

let node: Node | undefined;
afterEach(async () => {
  await node?.stop();
  node = undefined;
});

describe('timeline trace: off by default, start/stop misuse', () => {
  it('tracer null by default and after stop; nothing recorded between traces', async () => {
    node = await startNode({ schedulers: 0 });
    const sched = (node as LocalNode).scheduler;
    expect(node).toBeInstanceOf(LocalNode);
    expect(sched.tracer).toBeNull();
    const spinner = await node.spawn(Spinner, [200]);
    node.send(spinner, 'tick');
    await startTrace(node);
    expect(sched.tracer).not.toBeNull();
    await new Promise((r) => setTimeout(r, 50));
    const first = await stopTrace(node);
    expect(sched.tracer).toBeNull();
    expect(first.traceEvents.some((e) => e.cat === 'slice')).toBe(true);
    // Runs on untraced for a while; the next trace starts after this wait.
    await new Promise((r) => setTimeout(r, 100));
    const slicesBefore = sched.counters.slices;
    const secondStart = Date.now() * 1000;
    await startTrace(node);
    await new Promise((r) => setTimeout(r, 20));
    const second = await stopTrace(node);
    expect(sched.counters.slices).toBeGreaterThan(slicesBefore);
    // No event of the second trace comes from the 100 ms untraced gap (1 ms clock slack).
    const slices = second.traceEvents.filter((x) => x.cat === 'slice');
    expect(slices.length).toBeGreaterThan(0);
    for (const e of slices) expect(e.ts).toBeGreaterThan(secondStart - 1000);
  });

  it('startTrace twice rejects TraceAlreadyStartedError; stopTrace when not tracing TraceNotStartedError', async () => {
    node = await startNode({ schedulers: 0 });
    await startTrace(node);
    const again = await startTrace(node).catch((e: unknown) => e);
    expect(again).toBeInstanceOf(TraceAlreadyStartedError);
    expect((again as TraceAlreadyStartedError).code).toBe('ERR_SB_TRACE_ALREADY_STARTED');
    await stopTrace(node);
    const stop = await stopTrace(node).catch((e: unknown) => e);
    expect(stop).toBeInstanceOf(TraceNotStartedError);
    expect((stop as TraceNotStartedError).code).toBe('ERR_SB_TRACE_NOT_STARTED');
    expect((stop as Error).message).toBe('stopTrace: scheduler 0 is not tracing');
  });

  it('bad options: InvalidOptionError with the house messages', async () => {
    node = await startNode({ schedulers: 0 });
    await expect(startTrace(node, { bufferEvents: 3 })).rejects.toThrow(new InvalidOptionError('bufferEvents', 'startTrace: option "bufferEvents" must be an integer 16..10000000'));
    await expect(startTrace(node, { sends: true } as never)).rejects.toThrow('startTrace: unknown option "sends"');
    await expect(startTrace(node, { sends: true } as never)).rejects.toBeInstanceOf(InvalidOptionError);
    expect((node as LocalNode).scheduler.tracer).toBeNull();
  });
});
