/**
 * A call between two schedulers of one node (src/core/thread-call.ts): the server removes
 * the caller's monitor as it replies and flags the reply, so the caller needs no
 * DEMONITOR record; GenServer.call across threads leaves no monitor on either side.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Node } from '../../src/core/node.ts';
import type { Pid } from '../../src/core/pid.ts';
import { startNode } from '../../src/dist/start-node.ts';
import { MonitorCountServer, RawCaller } from './fixtures/thread-call.ts';

let node: Node;
beforeAll(async () => {
  node = await startNode({ schedulers: 2 });
});
afterAll(() => node.stop());

describe('call across threads: the reply ends the monitor', () => {
  it('the server drops the monitor as it replies and flags the reply; a caller that never demonitors leaves no entry on the server', async () => {
    const server = await node.spawn(MonitorCountServer, [], { scheduler: 1 });
    const caller = await node.spawn(RawCaller, [server], { scheduler: 0 });
    const [reply, callerMonitors, serverMonitoredBy] = (await node.call(caller, 'go', 20_000)) as [Record<string, unknown>, number, number];
    expect(reply.type).toBe('$reply');
    expect(reply.value).toBe('pong');
    expect(reply.demonitored).toBe(true);
    expect(callerMonitors).toBe(1); // the caller did not forget it: that is the caller's step 3
    expect(serverMonitoredBy).toBe(0);
  });

  it('the embedding thread calling a server on a scheduler thread leaves no monitor behind', async () => {
    const server = (await node.spawn(MonitorCountServer, [], { scheduler: 1 })) as Pid;
    for (let i = 0; i < 3; i++) expect(await node.call(server, 'ping', 20_000)).toBe('pong');
    const info = await node.processInfo(server);
    expect(info?.monitoredBy).toEqual([]);
  });
});
