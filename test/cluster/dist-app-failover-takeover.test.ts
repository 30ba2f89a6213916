import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { readLifetimes, servingIntervals } from '../../examples/cluster/dist-app/lifetime-log.ts';
import type { NodeProcess, NodeProcessEvent } from '../dist/support/node-process.ts';
import { fullName, startCluster } from '../dist/support/node-cluster.ts';

// A distributed application on three node processes: it runs on the first live node of
// its list; kill -9 of that node -> it starts on the next one, NOT before
// failoverTimeoutMs, with start type { failover }; the first node back -> it takes the
// application over ({ takeover }) with the counter carried over in a start phase; at no
// moment do two instances SERVE (serving intervals from the lifetime log never overlap,
// although the two server processes of a takeover do live side by side for a while).

const kFixture = 'test/cluster/fixtures/dist-app-node.ts';
const A = fullName('a');
const B = fullName('b');
const C = fullName('c');
const kFailoverMs = 1500;

interface Serving {
  readonly node: string;
  readonly startType: unknown;
  readonly t: number;
}

function servingOf(e: NodeProcessEvent): Serving | null {
  return e.event === 'custom' && (e as { name?: string }).name === 'serving' ? ((e as { data: Serving }).data) : null;
}

async function waitServing(p: NodeProcess, deadlineMs: number, what: string): Promise<Serving> {
  return servingOf(await p.events.waitFor((e) => servingOf(e) !== null, deadlineMs, what))!;
}

type Answer = { ok: { count: number; node: string }; tries: number } | { error: string };

async function ask(p: NodeProcess, msg = 'incr'): Promise<{ count: number; node: string }> {
  const a = await p.request<Answer>({ cmd: 'run', module: kFixture, export: 'ask', args: [msg] }, 45_000);
  if ('error' in a) throw new Error(`centauri on ${p.name}: ${a.error}`);
  return a.ok;
}

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('distributed application: failover and takeover across node processes', () => {
  it('runs on A; kill -9 A -> B after the timeout; A back -> taken over with its state; never two serving', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'dist-app-'));
    dirs.push(dir);
    const log = join(dir, 'lifetimes.jsonl');
    const opts = { nodes: [A, [B, C]], failoverTimeoutMs: kFailoverMs, lifetimeLog: log, syncNodesOptional: [A, B, C], syncNodesTimeoutMs: 10_000 };
    const c = await startCluster(['a', 'b', 'c'], { tickTimeMs: 1000 });
    const [a, b, cc] = [c.nodes.a!, c.nodes.b!, c.nodes.c!];
    const boot = (p: NodeProcess) => p.request<{ where: string | null }>({ cmd: 'run', module: kFixture, export: 'boot', args: [opts] }, 20_000);

    // 1. Started everywhere: it runs on A, the first node of the list, with start type 'normal'.
    const booted = await Promise.all([boot(a), boot(b), boot(cc)]);
    expect(booted.map((x) => x.where)).toEqual([A, A, A]);
    expect((await waitServing(a, 5000, 'proxima serving on a')).startType).toBe('normal');
    expect(await ask(b)).toEqual({ count: 1, node: A });
    expect(await ask(cc)).toEqual({ count: 2, node: A });
    expect(await ask(b)).toEqual({ count: 3, node: A });

    // 2. kill -9 A: B (the smaller name of the equal rank [B, C]) starts it, not before the timeout.
    const tKill = Date.now();
    await a.kill9();
    const during = ask(cc); // made during the failover: answered once B serves
    const onB = await waitServing(b, 15_000, 'proxima serving on b');
    expect(onB.startType).toEqual({ failover: A });
    expect(onB.t - tKill).toBeGreaterThanOrEqual(kFailoverMs);
    expect(await during).toEqual({ count: 1, node: B }); // A's counter died with A
    expect(await ask(b)).toEqual({ count: 2, node: B });
    expect(cc.events.filter((e) => servingOf(e) !== null)).toEqual([]);

    // 3. A comes back (same name): it takes proxima over while callers keep calling.
    const a2 = await c.add('a');
    let booting = true;
    const counts: number[] = [];
    const caller = (async () => {
      while (booting) counts.push((await ask(cc)).count);
    })();
    const rebooted = await boot(a2);
    booting = false;
    await caller;
    expect(rebooted.where).toBe(A);
    expect((await waitServing(a2, 5000, 'proxima serving on the new a')).startType).toEqual({ takeover: B });
    const after = await ask(b);
    expect(after.node).toBe(A);
    // No increment lost or applied twice across the handoff: 3, 4, ... , after.count.
    expect([...counts, after.count], `counts during the takeover: ${counts}`).toEqual(Array.from({ length: counts.length + 1 }, (_, i) => 3 + i));
    for (const p of [a2, b, cc]) expect(await p.request({ cmd: 'run', module: kFixture, export: 'where' })).toBe(A);

    // B stops its old instance once A's runs (its controller got A's 'running').
    await b.events.waitFor((e) => e.event === 'message' && (e as { msg?: { op?: string } }).msg?.op === 'stop', 5000, 'the stop order on b');
    let records = readLifetimes(log);
    for (let i = 0; i < 100 && !records.some((r) => r.node === B && r.event === 'proc_stop'); i++) {
      await new Promise((r) => setTimeout(r, 50));
      records = readLifetimes(log);
    }

    // 4. The lifetime log: three serving intervals, one after the other, never overlapping.
    const a1 = records.find((r) => r.node === A && r.event === 'proc_start')!.instance;
    const serving = servingIntervals(records, (inst) => (inst === a1 ? tKill : Date.now()));
    expect(serving.map((s) => [s.node, s.startType])).toEqual([[A, 'normal'], [B, { failover: A }], [A, { takeover: B }]]);
    for (let i = 1; i < serving.length; i++) expect(serving[i]!.from).toBeGreaterThanOrEqual(serving[i - 1]!.to);
    expect(serving[1]!.from - tKill).toBeGreaterThanOrEqual(kFailoverMs);
    // The takeover overlap Erlang allows: A's new process started before B's old one stopped.
    const procStart = (node: string, type: unknown) => records.find((r) => r.node === node && r.event === 'proc_start' && JSON.stringify(r.startType) === JSON.stringify(type))!.t;
    const bStop = records.find((r) => r.node === B && r.event === 'proc_stop')!.t;
    expect(procStart(A, { takeover: B })).toBeLessThanOrEqual(bStop);
    expect(serving[1]!.to).toBeLessThanOrEqual(bStop);
  }, 60_000);
});
