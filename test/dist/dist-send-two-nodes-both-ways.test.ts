import { describe, expect, it } from 'vitest';
import { fullName, nodeupsOf, startCluster } from './support/node-cluster.ts';

// Two nodes, each in its own process: a message sent to a registered name on the other
// node arrives, in both directions, and a pid carried inside the message (the sender's
// gateway) is usable by the receiver to answer.

describe('distribution: send between two nodes, both ways', () => {
  it('a -> b and b -> a, each answered through a pid carried in the message', async () => {
    const { nodes: { a, b } } = await startCluster(['a', 'b']);
    await a!.request({ cmd: 'spawn', behaviour: 'Echo', register: 'echo' });
    await b!.request({ cmd: 'spawn', behaviour: 'Echo', register: 'echo' });

    await a!.request({ cmd: 'send', to: { name: 'echo', node: fullName('b') }, msg: { echoTo: { $gateway: true }, msg: 'from a' } });
    const atA = await a!.events.waitFor((e) => e.event === 'message', 10_000, 'the echo from b');
    expect(atA).toEqual({ event: 'message', msg: { echoed: 'from a', from: fullName('b') } });

    await b!.request({ cmd: 'send', to: { name: 'echo', node: fullName('a') }, msg: { echoTo: { $gateway: true }, msg: 'from b' } });
    const atB = await b!.events.waitFor((e) => e.event === 'message', 10_000, 'the echo from a');
    expect(atB).toEqual({ event: 'message', msg: { echoed: 'from b', from: fullName('a') } });

    // The send auto-connected: both saw the other come up, and list it.
    await nodeupsOf(a!, ['b']);
    await nodeupsOf(b!, ['a']);
    expect(await a!.request({ cmd: 'nodes' })).toEqual([fullName('b')]);
    expect(await b!.request({ cmd: 'nodes' })).toEqual([fullName('a')]);
  }, 30_000);
});
