import { describe, expect, it } from 'vitest';
import { fullName, startCluster } from '../dist/support/node-cluster.ts';
import { kLeaderFixture, reportsOf, waitReport } from './fixtures/leader-events.ts';

// A partition ({a} | {b, c}: a closes its connections to b and c) then a heal (a connects
// again): each side has its own leader while apart (gen_leader elects per connected
// partition), and after the heal the lower leader surrenders — one leader again, the
// first candidate, seen by all.

const A = fullName('a');
const B = fullName('b');
const C = fullName('c');

describe('GenLeader: partition and heal', () => {
  it('each side elects its own leader; after the heal the lower leader surrenders', async () => {
    const { nodes: { a, b, c } } = await startCluster(['a', 'b', 'c'], { tickTimeMs: 2000 });
    for (const p of [a!, b!, c!]) await p.request({ cmd: 'run', module: kLeaderFixture, export: 'startLeader', args: [[A, B, C]] });
    await waitReport(b!, (r) => r.leaderEvent === 'surrendered' && r.leader === A, 'b follows a');
    await waitReport(c!, (r) => r.leaderEvent === 'surrendered' && r.leader === A, 'c follows a');

    await a!.request({ cmd: 'disconnect', node: B });
    await a!.request({ cmd: 'disconnect', node: C });
    await waitReport(b!, (r) => r.leaderEvent === 'elected' && r.joined === null, 'b leads {b, c}');
    await waitReport(c!, (r) => r.leaderEvent === 'surrendered' && r.leader === B, 'c follows b');
    await waitReport(a!, (r) => r.leaderEvent === 'down' && r.down === B, 'a sees b gone');
    await waitReport(a!, (r) => r.leaderEvent === 'down' && r.down === C, 'a sees c gone');
    expect(await a!.request({ cmd: 'run', module: kLeaderFixture, export: 'election' })).toMatchObject({ leader: A, alive: [A] });
    expect(await b!.request({ cmd: 'run', module: kLeaderFixture, export: 'election' })).toMatchObject({ leader: B, alive: [B, C] });
    // Each side takes leader calls on its own.
    expect(await c!.request({ cmd: 'run', module: kLeaderFixture, export: 'leaderCall', args: [{ put: 'bc' }] })).toEqual({ leader: B, n: 1 });
    expect(await a!.request({ cmd: 'run', module: kLeaderFixture, export: 'leaderCall', args: [{ put: 'a' }] })).toEqual({ leader: A, n: 1 });

    const bLostBefore = reportsOf(b!).filter((r) => r.leaderEvent === 'lost').length;
    await a!.request({ cmd: 'connect', node: B });
    await a!.request({ cmd: 'connect', node: C });
    const lost = await waitReport(b!, (r) => r.leaderEvent === 'lost' && reportsOf(b!).filter((x) => x.leaderEvent === 'lost').length > bLostBefore, 'b gives way');
    await waitReport(b!, (r) => r.leaderEvent === 'surrendered' && r.leader === A && r.at >= lost.at, 'b follows a again');
    await waitReport(c!, (r) => r.leaderEvent === 'surrendered' && r.leader === A && r.at >= lost.at, 'c follows a again');
    expect(reportsOf(a!).some((r) => r.leaderEvent === 'lost')).toBe(false); // a never stopped leading
    for (const p of [a!, b!, c!]) {
      expect(await p.request({ cmd: 'run', module: kLeaderFixture, export: 'election' })).toMatchObject({ leader: A });
    }
    // The winner's state is the followers' state again (elected's synch: a's log).
    expect(await b!.request({ cmd: 'run', module: kLeaderFixture, export: 'localLog' })).toEqual(['a']);
  }, 30_000);
});
