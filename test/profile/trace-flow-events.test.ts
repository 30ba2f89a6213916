import { afterEach, describe, expect, it } from 'vitest';
import type { Node } from '../../src/core/node.ts';
import type { Pid } from '../../src/core/pid.ts';
import { startNode } from '../../src/dist/start-node.ts';
import { startTrace, stopTrace, type ChromeTrace, type TraceEvent, type TraceOptions } from '../../src/profile/trace/index.ts';
import { traceEventProblems } from './fixtures/trace-format.ts';
import { Pinger, Ponger } from './fixtures/trace-actors.ts';

// Sends as flow events: `trips` round trips of ping-pong recorded whole; every send made
// inside a slice is one 's' in the sending slice and one 'f' (bp 'e') in the slice that
// handled it. On one thread (LocalNode; exact times and the default interpolated ones)
// the match is exact: 2 * trips flows between the two (pings, pongs), alternating
// pinger -> ponger -> pinger ('done' goes to the embedding's gateway). On a 2-scheduler ThreadedNode (ponger on 0, pinger on 1)
// every ping and pong is a flow between the two tids. Every event is checked against the
// Trace Event Format (incl. each 'f' having its 's', both inside slices).

const kTrips = 200;
let node: Node | undefined;
afterEach(async () => {
  await node?.stop();
  node = undefined;
});

/** Ping-pong of kTrips round trips, traced from before 'go' to after 'done'. */
async function tracedPingPong(n: Node, opts: TraceOptions, where: { ponger?: number; pinger?: number }): Promise<ChromeTrace> {
  const finished = new Promise<void>((r) => n.once('message', (m) => m === 'done' && r()));
  const ponger = await n.spawn(Ponger, [], where.ponger === undefined ? undefined : { scheduler: where.ponger });
  const pinger = await n.spawn(Pinger, [ponger, kTrips, n.pid], where.pinger === undefined ? undefined : { scheduler: where.pinger });
  await n.register('ponger', ponger);
  await n.register('pinger', pinger);
  await startTrace(n, { bufferEvents: 50_000, ...opts });
  n.send(pinger, 'go');
  await finished;
  return stopTrace(n);
}

/** Each flow as [name of the slice holding its 's', of the one holding its 'f', s tid, f tid]. */
function flowsOf(t: ChromeTrace): [string, string, number, number][] {
  const slices = t.traceEvents.filter((e) => e.ph === 'X' && e.cat === 'slice');
  const holder = (f: TraceEvent): TraceEvent => slices.find((x) => x.tid === f.tid && x.ts <= f.ts && f.ts <= x.ts + x.dur!)!;
  const s = new Map(t.traceEvents.filter((e) => e.ph === 's').map((e) => [e.id, e]));
  return t.traceEvents.filter((e) => e.ph === 'f').map((f) => {
    const from = s.get(f.id)!;
    return [holder(from).name, holder(f).name, from.tid, f.tid];
  });
}

const pidOf = (t: ChromeTrace, name: string): unknown => t.traceEvents.find((e) => e.cat === 'slice' && e.name === name)!.args!.pid;

describe('timeline trace: sends as flow events', () => {
  for (const clockEvery of [1, 16]) {
    it(`LocalNode, clockEvery ${clockEvery}: 2 * trips flows, alternating pinger -> ponger -> pinger`, async () => {
      node = await startNode({ schedulers: 0 });
      const t = await tracedPingPong(node, { clockEvery }, {});
      expect(traceEventProblems(JSON.parse(JSON.stringify(t)))).toEqual([]);
      const f = flowsOf(t).filter(([a, b]) => [a, b].every((x) => x === 'pinger' || x === 'ponger'));
      expect(f).toHaveLength(2 * kTrips);
      for (let i = 0; i < 2 * kTrips; i++) expect(f[i]!.slice(0, 2)).toEqual(i % 2 === 0 ? ['pinger', 'ponger'] : ['ponger', 'pinger']);
      expect(f.every(([, , a, b]) => a === 0 && b === 0)).toBe(true);
      const est = t.traceEvents.filter((e) => e.cat === 'slice' && e.args!.estimated === true).length;
      if (clockEvery === 1) expect(est).toBe(0);
      else expect(est).toBeGreaterThan(kTrips);
      expect(t.metadata.schedulers[0]!.clockEvery).toBe(clockEvery);
    });
  }

  it('ThreadedNode (2 schedulers): each ping is a flow tid 1 -> tid 0, each pong tid 0 -> tid 1', async () => {
    node = await startNode({ schedulers: 2 });
    const t = await tracedPingPong(node, {}, { ponger: 0, pinger: 1 });
    expect(traceEventProblems(JSON.parse(JSON.stringify(t)))).toEqual([]);
    expect(pidOf(t, 'ponger')).not.toBe(pidOf(t, 'pinger'));
    const f = flowsOf(t);
    const pings = f.filter(([a, b]) => a === 'pinger' && b === 'ponger');
    const pongs = f.filter(([a, b]) => a === 'ponger' && b === 'pinger');
    expect(pings).toHaveLength(kTrips);
    expect(pongs).toHaveLength(kTrips);
    expect(pings.every(([, , a, b]) => a === 1 && b === 0)).toBe(true);
    expect(pongs.every(([, , a, b]) => a === 0 && b === 1)).toBe(true);
  });

  it('sampleSlices > 1 records no flows', async () => {
    node = await startNode({ schedulers: 0 });
    const t = await tracedPingPong(node, { sampleSlices: 4 }, {});
    expect(traceEventProblems(t)).toEqual([]);
    expect(t.traceEvents.filter((e) => e.ph === 's' || e.ph === 'f')).toEqual([]);
    expect(t.metadata.flows).toBe(0);
  });
});
