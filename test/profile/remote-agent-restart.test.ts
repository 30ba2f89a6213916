import { afterEach, describe, expect, it } from 'vitest';
import type { Node } from '../../src/core/node.ts';
import { startNode } from '../../src/dist/start-node.ts';
import { kProfileAgentName, startProfileAgent } from '../../src/profile/remote/index.ts';
import { eventually } from '../threads/fixtures/node-helpers.ts';

// startProfileAgent caches one agent per node: a second call returns the same handle
// (concurrent calls too), but once the agent actor was killed the cached handle is stale,
// and the next call starts a new agent, registered and answering, instead of returning it.

let node: Node | undefined;
afterEach(async () => {
  await node?.stop();
  node = undefined;
});

describe('profile agent: a killed agent is restarted', () => {
  it('returns a live agent after the cached one was killed', async () => {
    node = await startNode({ schedulers: 0, name: 'agent-restart@127.0.0.1', cookie: 'c', dist: { portMapper: false, staticPorts: {} } });
    const [a, b] = await Promise.all([startProfileAgent(node), startProfileAgent(node)]);
    expect(b).toBe(a);
    node.exit(a.pid, 'kill');
    await eventually(async () => node!.whereis(kProfileAgentName), (p) => p === undefined, 5000);
    const c = await startProfileAgent(node);
    expect(c).not.toBe(a);
    expect(c.pid.equals(a.pid)).toBe(false);
    expect(node.whereis(kProfileAgentName)).toEqual(c.pid);
    expect(await startProfileAgent(node)).toBe(c);
    expect(await node.call(kProfileAgentName, { op: 'hello' }, 5000)).toEqual({ ok: { node: 'agent-restart@127.0.0.1', version: 1, schedulers: 0 } });
    // Stopping the stale handle again must not drop the live one.
    await a.stop();
    expect(await startProfileAgent(node)).toBe(c);
    await c.stop();
    expect(node.whereis(kProfileAgentName)).toBeUndefined();
  });
});
