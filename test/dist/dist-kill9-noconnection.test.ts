import { describe, expect, it } from 'vitest';
import { fullName, nodeupsOf, startCluster } from './support/node-cluster.ts';

// kill -9 of a peer: its sockets close with the process, so a sees nodedown at once (not
// after tickTimeMs, left at its 60 s default), and a's monitor and link on a process of
// the dead node fire with reason 'noconnection'.

describe('distribution: kill -9 of a peer', () => {
  it('nodedown at once; remote monitors get DOWN and trapped links EXIT, noconnection', async () => {
    const { nodes: { a, b } } = await startCluster(['a', 'b']);
    await b!.request({ cmd: 'spawn', behaviour: 'Echo', register: 'echo' });
    const echo = await a!.request<{ pid: string }>({ cmd: 'call', to: { name: 'echo', node: fullName('b') }, msg: 'pid?', keepPid: 'self' });
    await nodeupsOf(a!, ['b']);
    const { tag: mon } = await a!.request<{ tag: string }>({ cmd: 'monitor', target: { pid: echo.pid } });
    const { tag: lnk } = await a!.request<{ tag: string }>({ cmd: 'link', target: { pid: echo.pid } });
    // (Whether b has processed the monitor/link signals yet or not, a dead connection
    // must end both with noconnection.)

    const t0 = Date.now();
    await b!.kill9();
    const down = await a!.events.waitFor((e) => e.event === 'nodedown' && e.name === fullName('b'), 5000, 'nodedown of b');
    expect(Date.now() - t0).toBeLessThan(5000);
    expect(down).toMatchObject({ event: 'nodedown', name: fullName('b'), reason: 'noconnection' });
    const d = await a!.events.waitFor((e) => e.event === 'DOWN' && e.tag === mon, 5000, 'DOWN');
    const x = await a!.events.waitFor((e) => e.event === 'EXIT' && e.tag === lnk, 5000, 'EXIT');
    expect(d).toMatchObject({ reason: 'noconnection' });
    expect(x).toMatchObject({ reason: 'noconnection' });
    expect(await a!.request({ cmd: 'nodes' })).toEqual([]);
  }, 30_000);
});
