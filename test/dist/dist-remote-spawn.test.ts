import { describe, expect, it } from 'vitest';
import { fullName, startCluster } from './support/node-cluster.ts';

// Remote spawn: a module-defined behaviour spawned from a on node b runs on b (it answers
// with b's name); the pid a gets back is a remote pid (node index not 0) that a can call.

describe('distribution: remote spawn', () => {
  it('spawns an Echo on b from a; a calls it by the returned pid', async () => {
    const { nodes: { a } } = await startCluster(['a', 'b']);
    const remote = await a!.request<{ pid: string; printed: string }>({ cmd: 'spawn', behaviour: 'Echo', node: fullName('b') });
    expect(remote.printed).toMatch(/^<[1-9]\d*\.\d+\.\d+>$/);
    const r = await a!.request<{ value: { echo: unknown; self: string; node: string } }>({ cmd: 'call', to: { pid: remote.pid }, msg: 'where are you?' });
    expect(r.value).toEqual({ echo: 'where are you?', self: remote.printed, node: fullName('b') });
  }, 30_000);

  it('spawns a GenServer on b with arguments', async () => {
    const { nodes: { a } } = await startCluster(['a', 'b']);
    const counter = await a!.request<{ pid: string }>({ cmd: 'spawn', behaviour: 'Counter', args: [10], node: fullName('b') });
    expect(await a!.request({ cmd: 'call', to: { pid: counter.pid }, msg: { add: 5 } })).toEqual({ value: 15 });
  }, 30_000);
});
