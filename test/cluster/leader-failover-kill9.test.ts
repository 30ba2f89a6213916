import { describe, expect, it } from 'vitest';
import { fullName, startCluster } from '../dist/support/node-cluster.ts';
import { kLeaderFixture, waitReport } from './fixtures/leader-events.ts';

// kill -9 of the leader's node process: the next candidate is elected (its handleDOWN is
// told of the dead leader), the other follower surrenders to it, and the state the old
// leader broadcast lives on in the new leader (leader calls keep working).

const A = fullName('a');
const B = fullName('b');
const C = fullName('c');

describe('GenLeader: the leader is killed', () => {
  // On threaded nodes (the GenLeader runs on a scheduler thread); the other files use LocalNodes.
  it.each([2])('a new leader is elected and handleDOWN called on it (schedulers: %i)', async (schedulers) => {
    const { nodes: { a, b, c } } = await startCluster(['a', 'b', 'c'], { tickTimeMs: 2000, schedulers });
    for (const p of [a!, b!, c!]) await p.request({ cmd: 'run', module: kLeaderFixture, export: 'startLeader', args: [[A, B, C]] });
    await waitReport(b!, (r) => r.leaderEvent === 'surrendered' && r.leader === A, 'b follows a');
    await waitReport(c!, (r) => r.leaderEvent === 'surrendered' && r.leader === A, 'c follows a');
    expect(await c!.request({ cmd: 'run', module: kLeaderFixture, export: 'leaderCall', args: [{ put: 'before' }] })).toEqual({ leader: A, n: 1 });
    await waitReport(b!, (r) => r.leaderEvent === 'fromLeader', 'b got the broadcast');

    const killedAt = Date.now();
    await a!.kill9();
    const elected = await waitReport(b!, (r) => r.leaderEvent === 'elected' && r.joined === null, 'b elected');
    expect(elected.at).toBeGreaterThanOrEqual(killedAt);
    expect(elected.alive).toEqual([B, C]);
    const down = await waitReport(b!, (r) => r.leaderEvent === 'down', 'handleDOWN on b');
    expect(down.down).toBe(A);
    await waitReport(c!, (r) => r.leaderEvent === 'surrendered' && r.leader === B, 'c follows b');

    expect(await c!.request({ cmd: 'run', module: kLeaderFixture, export: 'leaderCall', args: [{ put: 'after' }] })).toEqual({ leader: B, n: 2 });
    expect(await c!.request({ cmd: 'run', module: kLeaderFixture, export: 'leaderCall', args: ['log'] })).toEqual(['before', 'after']);
  }, 30_000);
});
