import { describe, expect, it } from 'vitest';
import { fullName, startCluster } from '../dist/support/node-cluster.ts';
import type { NodeProcess } from '../dist/support/node-process.ts';
import { kLeaderFixture, reportsOf, waitReport } from './fixtures/leader-events.ts';

// What happens to leader calls when there is no leader, or the leader dies with a call:
// a call made while no leader is known is queued and answered once one is elected; a
// worker never leads (with its only candidate gone, its leader calls time out); a call
// forwarded to a leader that is killed before answering fails with LeaderDiedError. The
// ctx path of the API (start, leaderCall, election from inside an actor) is used once.

const A = fullName('a');
const B = fullName('b');
const W = fullName('w');

interface Done {
  readonly ok: boolean;
  readonly value?: unknown;
  readonly error?: { name: string; code?: string; message: string };
}

async function callDone(p: NodeProcess, what: string): Promise<Done> {
  const e = await p.events.waitFor((x) => x.event === 'custom' && (x as { name?: string }).name === 'leaderCallDone', 10_000, what);
  return (e as { data: Done }).data;
}

async function statusOf(p: NodeProcess): Promise<{ queuedLeaderRequests: number; forwardedLeaderCalls: number; election: { leader: string | null } }> {
  return p.request({ cmd: 'run', module: kLeaderFixture, export: 'status' });
}

describe('GenLeader: leader calls while there is no leader', () => {
  it('queues a call until a leader is elected; a worker never leads; with no candidate left calls time out', async () => {
    const { nodes: { a, w } } = await startCluster(['a', 'w'], { tickTimeMs: 2000 });
    await w!.request({ cmd: 'run', module: kLeaderFixture, export: 'startLeader', args: [[A], [W]] });
    await w!.request({ cmd: 'run', module: kLeaderFixture, export: 'leaderCallLater', args: [{ put: 'early' }, 10_000] });
    // Held on w (its caller waits), not answered, while there is no leader.
    expect(await statusOf(w!)).toMatchObject({ queuedLeaderRequests: 1, election: { leader: null } }); // (undefined crosses as null)
    expect(reportsOf(w!).some((r) => r.leaderEvent === 'elected')).toBe(false);

    // a starts its server from inside an actor (GenLeader.start / leaderCall / election with ctx).
    await a!.request({ cmd: 'run', module: kLeaderFixture, export: 'startFromActor', args: [[A], [W], 'from-actor'] });
    const started = await a!.events.waitFor((e) => e.event === 'message' && (e as { msg?: { starter?: string } }).msg?.starter !== undefined, 10_000, 'starter report');
    expect((started as { msg: unknown }).msg).toMatchObject({ starter: 'done', leader: A });
    expect(await callDone(w!, 'the queued call answered')).toMatchObject({ ok: true, value: { leader: A } });
    expect(await a!.request({ cmd: 'run', module: kLeaderFixture, export: 'leaderCall', args: ['log'] })).toEqual(expect.arrayContaining(['early', 'from-actor']));
    expect(await statusOf(w!)).toMatchObject({ queuedLeaderRequests: 0, election: { leader: A } });

    await a!.kill9();
    // Wait until w has seen a go (no callback tells a follower; its election snapshot does).
    for (const deadline = Date.now() + 5000; (await statusOf(w!)).election.leader !== null; ) {
      if (Date.now() > deadline) throw new Error('w still follows a 5 s after the kill');
    }
    const late = w!.request({ cmd: 'run', module: kLeaderFixture, export: 'leaderCall', args: [{ put: 'late' }, 500] });
    await expect(late).rejects.toMatchObject({ remote: { name: 'CallTimeoutError', code: 'ERR_SB_CALL_TIMEOUT' } });
    expect(reportsOf(w!).some((r) => r.leaderEvent === 'elected')).toBe(false); // a worker never leads
  }, 20_000);

  it('a call forwarded to a leader killed before it answers fails with LeaderDiedError', async () => {
    const { nodes: { a, b } } = await startCluster(['a', 'b'], { tickTimeMs: 2000 });
    for (const p of [a!, b!]) await p.request({ cmd: 'run', module: kLeaderFixture, export: 'startLeader', args: [[A, B]] });
    await waitReport(b!, (r) => r.leaderEvent === 'surrendered' && r.leader === A, 'b follows a');
    // a's scheduler (its main thread: schedulers 0) stops running actors; its connections stay up.
    void a!.request({ cmd: 'block', ms: 20_000 }).catch(() => undefined);
    await a!.events.waitFor((e) => e.event === 'blocking', 5000, 'a blocking');
    await b!.request({ cmd: 'run', module: kLeaderFixture, export: 'leaderCallLater', args: [{ put: 'lost?' }, 10_000] });
    expect(await statusOf(b!)).toMatchObject({ forwardedLeaderCalls: 1 });
    await a!.kill9();
    const done = await callDone(b!, 'the forwarded call ended');
    expect(done).toMatchObject({ ok: false, error: { name: 'LeaderDiedError', code: 'ERR_SB_LEADER_DIED' } });
    expect(done.error!.message).toContain(A);
    await waitReport(b!, (r) => r.leaderEvent === 'elected' && r.joined === null, 'b leads');
  }, 20_000);
});
