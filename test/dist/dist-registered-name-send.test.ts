import { describe, expect, it } from 'vitest';
import { fullName, startCluster } from './support/node-cluster.ts';

// Sending to { name, node }: the message reaches the process registered under that name
// on that node; one sent to a name nobody holds there is dropped (as in Erlang) without
// an error for the sender, and the next one to a real name still arrives.

describe('distribution: send to a registered name on another node', () => {
  it('delivers to the name, drops for an unknown name, no error either way', async () => {
    const { nodes: { a, b } } = await startCluster(['a', 'b']);
    await b!.request({ cmd: 'spawn', behaviour: 'Collector', args: [{ $gateway: true }], register: 'inbox' });
    expect(await a!.request({ cmd: 'send', to: { name: 'nobody', node: fullName('b') }, msg: 'lost' })).toBeNull();
    await a!.request({ cmd: 'send', to: { name: 'inbox', node: fullName('b') }, msg: { hello: 1 } });
    await a!.request({ cmd: 'send', to: { name: 'inbox', node: fullName('b') }, msg: { tag: 'end', last: true } });
    const done = await b!.events.waitFor((e) => e.event === 'message', 10_000, "the inbox's notice");
    expect(done).toEqual({ event: 'message', msg: { collected: 2, tag: 'end' } });
    expect(await b!.request({ cmd: 'call', to: { name: 'inbox' }, msg: 'get' })).toEqual({ value: [{ hello: 1 }, { tag: 'end', last: true }] });
  }, 30_000);
});
