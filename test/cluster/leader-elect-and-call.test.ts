import { describe, expect, it } from 'vitest';
import { fullName, startCluster } from '../dist/support/node-cluster.ts';
import { NodeProcessRequestError } from '../dist/support/node-process.ts';
import { intervalsOf, kLeaderFixture, reportsOf, waitReport } from './fixtures/leader-events.ts';

// GenLeader on three node processes: the highest-priority candidate is elected and every
// node agrees; a leader call made on a follower is answered by the leader, and its
// broadcast reaches every follower's fromLeader (and their copies of the state); a second
// start, or a start on a node outside the lists, is refused.

const A = fullName('a');
const B = fullName('b');
const C = fullName('c');

describe('GenLeader: election, leader calls and casts', () => {
  it('elects the first candidate, all agree; a leader call is answered by it and its broadcast seen by the followers', async () => {
    const { nodes: { a, b, c } } = await startCluster(['a', 'b', 'c'], { tickTimeMs: 2000 });
    // Started in reverse priority order: c (then b) may lead until a higher one is up.
    for (const p of [c!, b!, a!]) await p.request({ cmd: 'run', module: kLeaderFixture, export: 'startLeader', args: [[A, B, C]] });
    await waitReport(a!, (r) => r.leaderEvent === 'elected' && r.joined === null, 'a elected');
    await waitReport(b!, (r) => r.leaderEvent === 'surrendered' && r.leader === A, 'b follows a');
    await waitReport(c!, (r) => r.leaderEvent === 'surrendered' && r.leader === A, 'c follows a');
    // c or b may have led for a moment while the higher ones were not up yet: each such
    // term ended (leadershipLost) before a was elected.
    const aElected = reportsOf(a!).find((r) => r.leaderEvent === 'elected' && r.joined === null)!.at;
    for (const p of [b!, c!]) {
      for (const t of intervalsOf(reportsOf(p), Infinity)) expect(t.to).toBeLessThanOrEqual(aElected);
    }

    for (const p of [a!, b!, c!]) {
      const e = await p.request<{ leader: string; candidates: string[]; workers: string[] }>({ cmd: 'run', module: kLeaderFixture, export: 'election' });
      expect(e).toMatchObject({ leader: A, candidates: [A, B, C], workers: [] });
    }
    const ea = await a!.request<{ alive: string[] }>({ cmd: 'run', module: kLeaderFixture, export: 'election' });
    expect(ea.alive).toEqual([A, B, C]);

    const answer = await c!.request({ cmd: 'run', module: kLeaderFixture, export: 'leaderCall', args: [{ put: 'x1' }] });
    expect(answer).toEqual({ leader: A, n: 1 });
    for (const p of [b!, c!]) {
      const r = await waitReport(p, (x) => x.leaderEvent === 'fromLeader', `fromLeader on ${p.name}`);
      expect(r.synch).toEqual({ put: 'x1' });
      expect(await p.request({ cmd: 'run', module: kLeaderFixture, export: 'localLog' })).toEqual(['x1']);
    }
    expect(reportsOf(a!).some((r) => r.leaderEvent === 'fromLeader')).toBe(false); // the leader does not get its own broadcast
    expect(await b!.request({ cmd: 'run', module: kLeaderFixture, export: 'leaderCall', args: ['log'] })).toEqual(['x1']);

    // A leader cast from a follower: handled by the leader, broadcast like a call's.
    await b!.request({ cmd: 'run', module: kLeaderFixture, export: 'leaderCast', args: ['x2'] });
    for (const p of [b!, c!]) await waitReport(p, (x) => x.leaderEvent === 'fromLeader' && (x.synch as { put: string }).put === 'x2', `cast broadcast on ${p.name}`);
    expect(await a!.request({ cmd: 'run', module: kLeaderFixture, export: 'localLog' })).toEqual(['x1', 'x2']);

    // Starting again: a node outside the lists is refused first, then a second start.
    const notMember = a!.request({ cmd: 'run', module: kLeaderFixture, export: 'startLeader', args: [[B, C]] });
    await expect(notMember).rejects.toBeInstanceOf(NodeProcessRequestError);
    await expect(notMember).rejects.toMatchObject({ remote: { name: 'NotInElectionError', code: 'ERR_SB_LEADER_NOT_MEMBER' } });
    const again = a!.request({ cmd: 'run', module: kLeaderFixture, export: 'startLeader', args: [[A, B, C]] });
    await expect(again).rejects.toMatchObject({ remote: { name: 'LeaderAlreadyStartedError', code: 'ERR_SB_LEADER_ALREADY_STARTED' } });
  }, 30_000);
});
