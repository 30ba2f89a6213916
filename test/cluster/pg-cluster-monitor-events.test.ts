import { describe, expect, it } from 'vitest';
import { fullName, startCluster } from '../dist/support/node-cluster.ts';
import type { NodeProcess, NodeProcessEvent } from '../dist/support/node-process.ts';

// A group monitor on c (Pg.monitor from the node) across three node processes: join and
// leave on a come as events with a's pids; when b's scope server stops (b stays up) its
// members leave; when a is killed, its members leave. Each event exactly once.

const kFixture = 'test/cluster/fixtures/pg-node.ts';
const run = <R>(p: NodeProcess, fn: string, ...args: unknown[]): Promise<R> => p.request<R>({ cmd: 'run', module: kFixture, export: fn, args });

interface Seen {
  readonly tag: string;
  readonly event: 'join' | 'leave';
  readonly group: string;
  readonly pids: string[];
}
const seenOf = (e: NodeProcessEvent): Seen | null => (e.event === 'custom' && (e as { name?: string }).name === 'pg' ? ((e as { data: Seen }).data) : null);

async function nextSeen(p: NodeProcess, event: 'join' | 'leave', pids: string[]): Promise<void> {
  await p.events.waitFor((e) => {
    const s = seenOf(e);
    return s !== null && s.event === event && JSON.stringify([...s.pids].sort()) === JSON.stringify([...pids].sort());
  }, 10_000, `${event} of ${pids.join(' ')}`);
}

describe('pg monitor across node processes', () => {
  it('join, leave, a stopped scope and a killed node, as events on c', async () => {
    const { nodes: { a, b, c } } = await startCluster(['a', 'b', 'c'], { tickTimeMs: 1000 });
    for (const p of [a!, b!, c!]) await run(p, 'startScope');
    await c!.request({ cmd: 'connect', node: fullName('a') });
    await c!.request({ cmd: 'connect', node: fullName('b') });
    expect(await run(c!, 'watch', 'w', 'g')).toEqual([]);

    const onA = await run<string[]>(a!, 'spawnMembers', 'ka', 'g', 2);
    await nextSeen(c!, 'join', onA);
    expect(await run(a!, 'leaveMembers', 'ka', 'g')).toBe('ok');
    await nextSeen(c!, 'leave', onA);

    const onB = await run<string[]>(b!, 'spawnMembers', 'kb', 'g', 1);
    await nextSeen(c!, 'join', onB);
    await run(b!, 'stopScope');
    await nextSeen(c!, 'leave', onB);
    expect(await c!.request({ cmd: 'nodes' })).toContain(fullName('b'));

    const onA2 = await run<string[]>(a!, 'spawnMembers', 'ka2', 'g', 1);
    await nextSeen(c!, 'join', onA2);
    await a!.kill9();
    await nextSeen(c!, 'leave', onA2);
    expect(await run(c!, 'members', 'g')).toEqual([]);

    const all = c!.events.all.map(seenOf).filter((s): s is Seen => s !== null);
    expect(all.map((s) => `${s.event} ${s.pids.length}`)).toEqual(['join 2', 'leave 2', 'join 1', 'leave 1', 'join 1', 'leave 1']);
  }, 45_000);
});
