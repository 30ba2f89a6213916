import { describe, expect, it } from 'vitest';
import { NodeProcessRequestError } from './support/node-process.ts';
import { fullName, startCluster } from './support/node-cluster.ts';

// A GenServer on b called from a: by { name, node } and by the pid that came back in a
// reply (decoded on a as a remote pid); a call to a name nobody holds on b fails with
// NoProcError instead of hanging until the timeout.

describe('distribution: call a GenServer on another node', () => {
  it('by name and by remote pid; the state is the one server', async () => {
    const { nodes: { a, b } } = await startCluster(['a', 'b']);
    await b!.request({ cmd: 'spawn', behaviour: 'Counter', args: [1], register: 'counter' });
    const at = { name: 'counter', node: fullName('b') };
    expect(await a!.request({ cmd: 'call', to: at, msg: { add: 2 } })).toEqual({ value: 3 });
    const self = await a!.request<{ value: string; pid: string }>({ cmd: 'call', to: at, msg: 'self', keepPid: '' });
    expect(self.value).toMatch(/^<[1-9]\d*\.\d+\.\d+>$/);
    expect(await a!.request({ cmd: 'call', to: { pid: self.pid }, msg: { add: 4 } })).toEqual({ value: 7 });
    expect(await b!.request({ cmd: 'call', to: { name: 'counter' }, msg: 'get' })).toEqual({ value: 7 });
  }, 30_000);

  it('a call to a name not registered on b rejects with NoProcError', async () => {
    const { nodes: { a } } = await startCluster(['a', 'b']);
    const e = await a!.request({ cmd: 'call', to: { name: 'nobody', node: fullName('b') }, msg: 'get', timeoutMs: 8000 }).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(NodeProcessRequestError);
    expect((e as NodeProcessRequestError).remote.name).toBe('NoProcError');
  }, 30_000);
});
