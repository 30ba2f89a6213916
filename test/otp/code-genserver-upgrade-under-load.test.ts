import { afterAll, describe, expect, it } from 'vitest';
import { LocalNode } from '../../src/core/local-node.ts';
import type { Node } from '../../src/core/node.ts';
import type { Pid } from '../../src/core/pid.ts';
import { CodeServer } from '../../src/otp/code-server.ts';
import { Sys } from '../../src/otp/sys.ts';
import { CallLoop, ReportSink, type Report } from './fixtures/code-gen-counter/client.ts';
import { ModuleDir, until } from './code-helpers.ts';
import { startNode } from '../../src/dist/start-node.ts';

const dir = new ModuleDir();
afterAll(() => dir.remove());

type AnyNode = LocalNode | Node;
type Got = { vsn: string; state: Record<string, number> };

/**
 * The test: a counter GenServer under a constant stream of calls (client actors and
 * the embedding thread) is upgraded twice while running — v1 -> v2 sys-style (suspend,
 * load, resume), v2 -> v3 with a plain load — and no call fails, no call is lost, and the
 * state is migrated ({ n } -> { count, upgrades: 1 } -> { count, upgrades: 2 }).
 */
async function upgradeTwiceUnderLoad(node: AnyNode, name: string, spawnOn: (i: number) => object) {
  const url = dir.write(name, 'code-gen-counter/v1.ts');
  const server = (await node.spawn({ module: url, export: 'GenCounter' }, [0], spawnOn(0) as never)) as Pid;
  const sink = (await node.spawn(ReportSink, [], spawnOn(1) as never)) as Pid;
  const clients: Pid[] = [];
  for (let i = 0; i < 4; i++) clients.push((await node.spawn(CallLoop, [server, sink], spawnOn(i) as never)) as Pid);

  // The embedding thread calls too, one call in flight at a time, until told to stop.
  let stopOutside = false;
  const outside: number[] = [];
  const outsideFailures: unknown[] = [];
  const outsideLoop = (async () => {
    while (!stopOutside) {
      try {
        outside.push((await node.call(server, 'incr', 10_000)) as number);
      } catch (e) {
        outsideFailures.push(e);
        break;
      }
    }
  })();
  const get = async (): Promise<Got> => (await node.call(server, 'get', 10_000)) as Got;
  const countOf = (g: Got): number => g.state.n ?? g.state.count!;
  const progress = async (by: number): Promise<void> => {
    if (outsideFailures.length > 0) throw outsideFailures[0];
    const start = countOf(await get());
    await until(async () => countOf(await get()) >= start + by, `${by} more calls`, 30_000);
  };

  await progress(300);
  expect((await get()).vsn).toBe('v1');

  // Upgrade 1, sys-style: suspended, the server queues calls; resumed, it replays them on v2.
  expect(await Sys.suspend(node, server, 10_000)).toBe('ok');
  dir.write(name, 'code-gen-counter/v2.ts');
  expect(await CodeServer.load(node, url)).toMatchObject({ vsn: 'v2', oldVsn: 'v1', killed: 0 });
  expect(await Sys.resume(node, server, 10_000)).toBe('ok');
  const mid = await get();
  expect(mid.vsn).toBe('v2');
  expect(mid.state.upgrades).toBe(1);
  await progress(300);

  // Upgrade 2, plain load: the server switches between two messages.
  dir.write(name, 'code-gen-counter/v3.ts');
  expect(await CodeServer.load(node, url)).toMatchObject({ vsn: 'v3', oldVsn: 'v2', killed: 0 });
  await progress(300);

  for (const c of clients) node.send(c, 'stop');
  stopOutside = true;
  await outsideLoop;
  let reports: Report[] = [];
  await until(async () => (reports = (await node.call(sink, 'reports')) as Report[]).length === clients.length, 'the client reports', 30_000);
  const final = await get();

  expect(outsideFailures).toEqual([]);
  for (const r of reports) expect(r.failures).toEqual([]);
  // Every reply is a distinct count; each caller's replies increase; none is lost.
  const all = [...outside, ...reports.flatMap((r) => r.values)];
  for (const seq of [outside, ...reports.map((r) => r.values)]) {
    for (let i = 1; i < seq.length; i++) expect(seq[i]).toBeGreaterThan(seq[i - 1]!);
  }
  expect(new Set(all).size).toBe(all.length);
  expect(final).toEqual({ vsn: 'v3', state: { count: all.length, upgrades: 2 } });
  for (const r of reports) expect(r.values.length).toBeGreaterThan(0);
  expect(await CodeServer.versions(node, url)).toMatchObject({ current: 'v3', old: 'v2', oldActors: 0, currentActors: 1 });
}

describe('a counter GenServer under a constant stream of calls, upgraded twice while running', () => {
  it('on one scheduler (LocalNode): no call fails, none is lost, the state is migrated', async () => {
    const node = new LocalNode();
    try {
      await upgradeTwiceUnderLoad(node, 'gen-local.ts', () => ({}));
    } finally {
      await node.stop();
    }
  });

  it('across two schedulers (ThreadedNode; server on one, callers on both and the embedding thread)', async () => {
    const node = await startNode({ schedulers: 2 });
    try {
      await upgradeTwiceUnderLoad(node, 'gen-threads.ts', (i) => ({ scheduler: i === 0 ? 1 : i % 2 }));
    } finally {
      await node.stop();
    }
  });
});
