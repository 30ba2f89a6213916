import { describe, expect, it } from 'vitest';
import { Pid } from '../../src/core/pid.ts';
import { kOpExit } from '../../src/codec/dist-ops.ts';
import { DistProbe } from './fixtures/dist-actors.ts';
import { startThreadedDistNode } from './fixtures/dist-node.ts';

// Stopping a named ThreadedNode: the exit signals its scheduler actors' ends send to linked
// remote pids are written to the I/O side before the distribution stops; so is an exit
// signal sent to a remote pid from the embedding thread.

describe('distributed ThreadedNode: stop', () => {
  it('writes the shutdown exits of scheduler actors linked to remote pids, then stops the I/O side', async () => {
    const t = await startThreadedDistNode(2);
    t.up(3);
    const remote = t.peerPid(8);
    const probe = await t.node.spawn(DistProbe, [t.node.pid], { scheduler: 1 });
    t.node.send(probe, { cmd: 'link', pid: remote });
    t.node.send(probe, { cmd: 'nodes', tag: 'linked' });
    await t.waitFor((x) => x?.tag === 'linked');
    t.node.exit(t.peerPid(9), 'from the embedding thread');
    await t.node.stop();
    expect(t.io.stopped).toBe(true);
    const exits = t.outOps().filter((o) => o.op[0] === kOpExit).map((o) => o.op);
    expect(exits).toHaveLength(2);
    const byId = new Map(exits.map((e) => [(e[1] as Pid).id, e]));
    expect(byId.get(9)![3]).toBe('from the embedding thread');
    expect(byId.get(9)![4]).toBe(false);
    const viaLink = byId.get(8)!;
    expect((viaLink[1] as Pid).equals(remote)).toBe(true);
    expect((viaLink[2] as Pid).equals(probe)).toBe(true);
    expect(viaLink[3]).toBe('shutdown');
    expect(viaLink[4]).toBe(true);
  });
});
