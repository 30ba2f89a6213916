import { afterEach, describe, expect, it } from 'vitest';
import { DistProbe } from './fixtures/dist-actors.ts';
import { startThreadedDistNode, until, type ThreadedDistNode } from './fixtures/dist-node.ts';

// A scheduler whose actor has just sent to another node parks without its idle spin
// (worker-loop.ts step 4a): the answer is a network round trip away, and the embedding
// and I/O threads that carry the op need the core. Sending to the embedding thread's
// gateway still spins, so the same pacing shows the difference in spinMs.

let t: ThreadedDistNode | null = null;
afterEach(async () => {
  await t?.node.stop();
  t = null;
});

const kRounds = 40;
/** The adaptive spin's floor (worker-loop.ts kMinSpinMs): every spin lasts at least this. */
const kMinSpinMs = 0.02;

describe('distributed ThreadedNode: no idle spin after a send to another node', () => {
  it('spins after local sends, not after remote ones', async () => {
    const d = (t = await startThreadedDistNode(1));
    d.up(3);
    const probe = await d.node.spawn(DistProbe, [d.node.pid]);
    // Counters as published when the scheduler parks (the spin, if any, is over then).
    const parkedSpinMs = async (): Promise<number> => {
      await until(() => d.node.stats().schedulers[0]!.state === 'parked', 'the scheduler parked');
      return d.node.stats().schedulers[0]!.spinMs;
    };

    const s0 = await parkedSpinMs();
    for (let i = 0; i < kRounds; i++) {
      d.node.send(probe, { cmd: 'send', to: d.node.pid, msg: { local: i } });
      await d.waitFor((x) => x?.local === i);
    }
    const s1 = await parkedSpinMs();
    const remote = d.peerPid(7);
    for (let i = 0; i < kRounds; i++) {
      d.node.send(probe, { cmd: 'send', to: remote, msg: { remote: i } });
      await until(() => d.outOps().length === i + 1, `remote send ${i}`);
    }
    const s2 = await parkedSpinMs();

    expect(d.outOps().map((o) => (o.op[2] as { remote: number }).remote)).toEqual([...Array(kRounds).keys()]);
    const local = s1 - s0;
    const remoteSpin = s2 - s1;
    // Local: at least the adaptive spin's floor per round (it starts at spinUs, 0.5 ms, and
    // halves after each empty spin down to 20 us); remote: no spin at all (0 measured; with
    // the spin, the floor per round as well). The bounds sit at 3/4 and 1/4 of the floor.
    expect(local).toBeGreaterThan(kRounds * kMinSpinMs * 0.75);
    expect(remoteSpin).toBeLessThan(kRounds * kMinSpinMs * 0.25);
  });
});
