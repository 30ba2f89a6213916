import { afterEach, describe, expect, it } from 'vitest';
import { LocalNode } from '../../src/core/local-node.ts';
import type { Node } from '../../src/core/node.ts';
import { startNode } from '../../src/dist/start-node.ts';
import { GenServer } from '../../src/otp/gen-server.ts';
import type { Pid } from '../../src/core/pid.ts';
import { Supervisor } from '../../src/otp/supervisor.ts';
import { Global } from '../../src/cluster/global/index.ts';
import { until, waitMessage } from './fixtures/global-messages.ts';
import { GlobalSelfRegistered } from './fixtures/global-actors.ts';

// Global.registerSelf: a GenServer registering itself in init (which cannot wait) on both
// node kinds — a second one with the same name is told it is taken —, and a supervisor
// child doing so: the name follows the child across restarts (the dead child's name goes
// with its DOWN, the restarted child takes it again), { global } reaches the one running.

let node: Node | null = null;
afterEach(async () => {
  await node?.stop();
  node = null;
});

describe.each([0, 2])('Global.registerSelf with schedulers: %i', (schedulers) => {
  it('a GenServer registers itself in init (Global.registerSelf); a second one is told the name is taken', async () => {
    const n = (node = schedulers === 0 ? new LocalNode() : await startNode({ schedulers }));
    await Global.start(n);
    const a = (await GenServer.start(n, GlobalSelfRegistered, [n.pid, 'self-reg']))!;
    await Global.sync(n);
    expect(Global.whereis(n, 'self-reg')).toEqual(a);
    const taken = waitMessage(n, (m) => m?.got?.type === 'global_name_taken', 'name taken');
    const b = (await GenServer.start(n, GlobalSelfRegistered, [n.pid, 'self-reg']))!;
    expect(await taken).toEqual({ got: { type: 'global_name_taken', name: 'self-reg', owner: a }, by: b });
    expect(Global.whereis(n, 'self-reg')).toEqual(a);
  }, 20_000);
});

describe('Global.registerSelf in a supervised child', () => {
  it('the global name follows the child across restarts', async () => {
    const n = (node = new LocalNode());
    await Global.start(n);
    const sup = (await Supervisor.start(n, {
      strategy: 'one_for_one',
      intensity: 5,
      children: [{ id: 'svc', start: { behaviour: GlobalSelfRegistered, args: [n.pid, 'proxima'] } }],
    }))!;
    const first = await until(() => Global.whereis(n, 'proxima'), (p) => p !== undefined, 'first child registered');
    expect(await n.call({ global: 'proxima' }, 'ping')).toEqual({ echo: 'ping', by: first });
    n.exit(first!, 'kill');
    const second = await until(() => Global.whereis(n, 'proxima'), (p) => p !== undefined && !p.equals(first), 'restarted child registered');
    const [child] = (await Supervisor.whichChildren(n, sup)) as { pid: Pid }[];
    expect(second).toEqual(child!.pid);
    expect(await n.call({ global: 'proxima' }, 'ping')).toEqual({ echo: 'ping', by: second });
  });
});
