import { afterEach, describe, expect, it } from 'vitest';
import { InvalidOptionError } from '../../src/core/errors.ts';
import type { MicrostateReport } from '../../src/core/microstate.ts';
import type { Node } from '../../src/core/node.ts';
import { startNode } from '../../src/dist/start-node.ts';
import { waitSamples } from './fixtures/msacc-actors.ts';

// `msacc: false` keeps a node out of the sampler: while a node with msacc on in the same
// process gets 50 samples (so the process's sampler thread is running), the node with it
// off gets none, on both node kinds. A bad value is refused by name.

const nodes: Node[] = [];
afterEach(async () => {
  for (const n of nodes.splice(0)) await n.stop();
});

const sched = (n: Node, k: number) => (): MicrostateReport => n.stats().schedulers[k]!['msacc'] as MicrostateReport;

describe('msacc: off', () => {
  it('msacc: false gets no samples while another node of the process does', async () => {
    const on = await startNode({ schedulers: 0, msacc: { intervalMs: 1 } });
    const offLocal = await startNode({ schedulers: 0, msacc: false });
    const offThreads = await startNode({ schedulers: 1, msacc: false });
    nodes.push(on, offLocal, offThreads);
    const r = await waitSamples(sched(on, 0), sched(on, 0)(), 50);
    expect(r.intervalMs).toBe(1);
    for (const n of [offLocal, offThreads]) {
      const m = sched(n, 0)();
      expect(m.samples).toBe(0);
      expect(m.intervalMs).toBe(0);
    }
  }, 20_000);

  it('a bad msacc option is an InvalidOptionError naming it', async () => {
    await expect(startNode({ schedulers: 0, msacc: 'yes' as never })).rejects.toThrow(InvalidOptionError);
    await expect(startNode({ schedulers: 0, msacc: { intervalMs: 0 } })).rejects.toThrow(
      'startNode: option "msacc" must be a boolean or { intervalMs } with intervalMs a number of milliseconds from 0.1 to 1000',
    );
    await expect(startNode({ schedulers: 0, msacc: 'yes' as never })).rejects.toThrow('startNode: option "msacc" must be a boolean or { intervalMs }');
  });
});
