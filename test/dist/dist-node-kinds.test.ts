import { describe, expect, it } from 'vitest';
import { fullName, nodeupsOf, startCluster } from './support/node-cluster.ts';

// Distribution works from every node kind (issue 11 point 8): a node on two scheduler
// threads talking to a node on the calling thread, both ways — registered-name send,
// remote GenServer call, remote spawn onto scheduler threads, and a monitor that fires
// 'noconnection' when the peer is killed -9.

describe('distribution between node kinds (schedulers 2 and 0)', () => {
  it('send, call, spawn and noconnection across a ThreadedNode and a LocalNode', async () => {
    const { nodes: { t, l } } = await startCluster(['t', 'l'], { per: { t: { schedulers: 2 }, l: { schedulers: 0 } } });
    await t!.request({ cmd: 'spawn', behaviour: 'Counter', args: [10], register: 'counter' });
    await l!.request({ cmd: 'spawn', behaviour: 'Echo', register: 'echo' });

    // l -> t: a call to a GenServer on a scheduler thread of t.
    expect(await l!.request({ cmd: 'call', to: { name: 'counter', node: fullName('t') }, msg: { add: 5 } })).toEqual({ value: 15 });
    // t -> l: a send from t's embedding thread, answered to its gateway.
    await t!.request({ cmd: 'send', to: { name: 'echo', node: fullName('l') }, msg: { echoTo: { $gateway: true }, msg: 'from t' } });
    expect(await t!.events.waitFor((e) => e.event === 'message', 10_000, 'the echo')).toEqual({ event: 'message', msg: { echoed: 'from t', from: fullName('l') } });
    await nodeupsOf(t!, ['l']);
    expect(await t!.request({ cmd: 'nodes' })).toEqual([fullName('l')]);

    // l spawns an Echo on t (it lands on one of t's scheduler threads) and calls it.
    const spawned = await l!.request<{ pid: string; printed: string }>({ cmd: 'spawn', behaviour: 'Echo', node: fullName('t') });
    expect(spawned.printed).toMatch(/^<[1-9]\d*\.\d+\.\d+>$/);
    const answer = await l!.request<{ value: { node: string } }>({ cmd: 'call', to: { pid: spawned.pid }, msg: 'hi' });
    expect(answer.value.node).toBe(fullName('t'));

    // l monitors t's counter; t is killed -9: DOWN noconnection.
    const counter = await l!.request<{ pid: string }>({ cmd: 'call', to: { name: 'counter', node: fullName('t') }, msg: 'self', keepPid: '' });
    const { tag } = await l!.request<{ tag: string }>({ cmd: 'monitor', target: { pid: counter.pid } });
    await t!.kill9();
    expect(await l!.events.waitFor((e) => e.event === 'DOWN' && e.tag === tag, 5000, 'DOWN')).toMatchObject({ reason: 'noconnection' });
  }, 40_000);
});
