import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { fullName, startCluster } from '../dist/support/node-cluster.ts';
import type { NodeProcess } from '../dist/support/node-process.ts';
import { intervalsOf, kLeaderFixture, overlaps, reportsOf, waitReport, type Interval } from './fixtures/leader-events.ts';

// Repeated kill -9 of the leader and restart of its node, three rounds, no partition: every
// node life reports when it starts and stops leading (timestamps taken in the callbacks);
// a killed life's term ends at the kill. No two terms of different nodes may overlap, the
// restarted first candidate takes the lead back each time, and its incarnation (persisted
// in a directory) grows with every restart.

const A = fullName('a');
const B = fullName('b');
const C = fullName('c');
const kCandidates = [A, B, C];

let dir: string | null = null;
afterEach(() => {
  if (dir !== null) fs.rmSync(dir, { recursive: true, force: true });
  dir = null;
});

describe('GenLeader: never two leaders', () => {
  it('across three rounds of kill -9 of the leader and restart, leadership terms never overlap', async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sb-leader-'));
    const c = await startCluster(['a', 'b', 'c'], { tickTimeMs: 2000 });
    const lives: { p: NodeProcess; endAt: number | null }[] = [];
    const startOn = async (p: NodeProcess) => {
      lives.push({ p, endAt: null });
      await p.request({ cmd: 'run', module: kLeaderFixture, export: 'startLeader', args: [kCandidates, [], dir] });
    };
    for (const s of ['a', 'b', 'c']) await startOn(c.nodes[s]!);
    await waitReport(c.nodes.a!, (r) => r.leaderEvent === 'elected' && r.joined === null, 'a elected');
    const incs: number[] = [];

    for (let round = 0; round < 3; round++) {
      const a = c.nodes.a!;
      const first = await waitReport(a, (r) => r.leaderEvent === 'elected' && r.joined === null, 'a leads');
      incs.push(first.inc!);
      for (const s of ['b', 'c']) await waitReport(c.nodes[s]!, (r) => r.leaderEvent === 'surrendered' && r.leader === A && r.inc === first.inc, `${s} follows a`);
      const at = Date.now();
      await a.kill9();
      lives.find((l) => l.p === a)!.endAt = at;
      await waitReport(c.nodes.b!, (r) => r.leaderEvent === 'elected' && r.joined === null && r.at >= at, `b leads, round ${round}`);
      const again = await c.add('a');
      await startOn(again);
    }
    const last = await waitReport(c.nodes.a!, (r) => r.leaderEvent === 'elected' && r.joined === null, 'a leads at the end');
    incs.push(last.inc!);
    for (const s of ['b', 'c']) await waitReport(c.nodes[s]!, (r) => r.leaderEvent === 'surrendered' && r.leader === A && r.inc === last.inc, `${s} follows a at the end`);

    const now = Date.now();
    const terms: Interval[] = lives.flatMap((l) => intervalsOf(reportsOf(l.p), l.endAt ?? now));
    expect(overlaps(terms)).toEqual([]);
    // a led 4 times, b once per round (between the kill and a's return), c never (b was alive).
    expect(terms.filter((t) => t.node === A)).toHaveLength(4);
    expect(terms.filter((t) => t.node === B)).toHaveLength(3);
    expect(terms.filter((t) => t.node === C)).toHaveLength(0);
    expect(incs).toEqual([1, 2, 3, 4]);
  }, 40_000);
});
