/**
 * At-least-once delivery + dedupe across real node processes, with the receiving node
 * killed mid-stream: A streams N deliveries to the service 'delivery-svc' on B with C as
 * fallback; B is killed -9 after it processed about a third; every message is processed
 * exactly once by B or C and none is lost — counted from what the receivers recorded.
 *
 * What "exactly once by one of the receivers" rests on (and why the count is honest): B
 * and C dedupe with one DedupeTable file shared by both (in this test's tmp dir), and
 * their processing's effect IS the record `{ k: key, v: { seq, node } }` appended in one
 * write, so no crash can fall between the effect and its key. A message B processed but
 * whose ack died with B is resent to C, which reads B's record on the miss and acks it as
 * a duplicate. The count is taken from the file, not from the receivers' word. Lost acks
 * are also forced (every 97th seq's first ack is never sent), so duplicates certainly
 * occur and must be acked without being processed again.
 * Fails without the shared table: a message B processed whose ack died with it would be
 * processed again by C (recorded twice).
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { fullName, nodeupsOf, startCluster } from '../dist/support/node-cluster.ts';
import type { SenderSummary } from './fixtures/delivery-stream.ts';

const fixture = 'test/cluster/fixtures/delivery-stream.ts';
const N = 1500;
let dir = '';
afterEach(() => {
  if (dir !== '') rmSync(dir, { recursive: true, force: true });
});

describe('Delivery across nodes: kill -9 of the receiving node mid-stream', () => {
  it('every message is processed exactly once by B or C, none lost', async () => {
    dir = mkdtempSync(join(tmpdir(), 'sb-delivery-'));
    const file = join(dir, 'processed.log');
    const c = await startCluster(['a', 'b', 'c'], { cookie: 'delivery', tickTimeMs: 2000 });
    const { a, b, c: cNode } = c.nodes as Record<'a' | 'b' | 'c', (typeof c.nodes)[string]>;
    await a.request({ cmd: 'connect', node: fullName('b') });
    await a.request({ cmd: 'connect', node: fullName('c') });
    await nodeupsOf(a, ['b', 'c']);
    await b.request({ cmd: 'run', module: fixture, export: 'startReceiver', args: [file, 97] });
    await cNode.request({ cmd: 'run', module: fixture, export: 'startReceiver', args: [file, 97] });

    await a.request({
      cmd: 'run', module: fixture, export: 'startSender',
      args: [{ name: 'delivery-svc', node: fullName('b') }, [fullName('c')], N, 64, 1000, 2],
    });
    await b.events.waitFor((e) => e.event === 'custom' && e.name === 'processed' && (e.data as number) >= N / 3, 15_000, 'B processing a third');
    await b.kill9();
    const done = await a.events.waitFor((e) => e.event === 'custom' && e.name === 'sender-done', 20_000, 'the sender to finish');
    const s = (done as { data: SenderSummary & { ms: number } }).data;

    // The sender: every delivery acknowledged, by B (before the kill) or C.
    expect(s.failed).toEqual([]);
    expect(s.ok).toBe(N);
    expect(s.byNode[fullName('b')]).toBeGreaterThan(0);
    expect(s.byNode[fullName('c')]).toBeGreaterThan(0);
    expect(s.duplicates).toBeGreaterThan(0); // the forced lost acks at least
    expect(s.attempts).toBeGreaterThan(N);
    // After B's DOWN 'noconnection' the courier skips B's node (courier.ts, "Down nodes"):
    // later messages go to C at once instead of paying a failed attempt on B each.
    expect(s.attempts).toBeLessThan(N * 1.2);

    // The receivers' records: each seq exactly once, all of them, by B and by C.
    const lines = readFileSync(file, 'utf8').split('\n').filter((l) => l !== '');
    const recs = lines.map((l) => JSON.parse(l) as { k: string; v: { seq: number; node: string } });
    const perSeq = new Map<number, number>();
    for (const r of recs) perSeq.set(r.v.seq, (perSeq.get(r.v.seq) ?? 0) + 1);
    const twice = [...perSeq].filter(([, n]) => n > 1);
    const missing = Array.from({ length: N }, (_, i) => i).filter((i) => !perSeq.has(i));
    expect(twice).toEqual([]);
    expect(missing).toEqual([]);
    expect(recs).toHaveLength(N);
    expect(new Set(recs.map((r) => r.k)).size).toBe(N);
    const byB = recs.filter((r) => r.v.node === fullName('b')).length;
    const byC = recs.filter((r) => r.v.node === fullName('c')).length;
    expect(byB).toBeGreaterThanOrEqual(N / 3);
    expect(byC).toBeGreaterThan(0);
    expect(byB + byC).toBe(N);
    console.log(`delivery kill -9: ${N} messages in ${s.ms} ms, ${byB} processed by B, ${byC} by C, ${s.duplicates} acked as duplicates, ${s.attempts} attempts`);
  }, 60_000);
});
