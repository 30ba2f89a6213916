import { afterEach, describe, expect, it } from 'vitest';
import { StartFailedError } from '../../src/otp/errors.ts';
import { LocalNode } from '../../src/core/local-node.ts';
import type { Node } from '../../src/core/node.ts';
import type { Pid } from '../../src/core/pid.ts';
import { startNode } from '../../src/dist/start-node.ts';
import { Supervisor } from '../../src/otp/supervisor.ts';
import { Global } from '../../src/cluster/global/index.ts';
import { GlobalEcho } from './fixtures/global-actors.ts';
import { until } from './fixtures/global-messages.ts';

// A supervisor child spec naming its child `{ global: name }` (Erlang's child started with
// gen_server:start_link({global, Name}, ...)): the started child gets the name cluster-wide,
// a restarted child gets it again, a second child of that name fails to start with
// { kind: 'already_started', name, pid } and is killed, and a node without Global.start
// refuses with { kind: 'global_not_started' } — on both node kinds (the supervisor on a
// scheduler thread registers through that thread's replica).

let node: Node | null = null;
afterEach(async () => {
  await node?.stop();
  node = null;
});

const spec = (id: string) => ({ id, name: { global: 'svc' }, start: { behaviour: GlobalEcho, args: [null] } });

describe.each([0, 2])('a child spec name { global } with schedulers: %i', (schedulers) => {
  it('registers the started child, again after a restart; a second one is already_started', async () => {
    const n = (node = schedulers === 0 ? new LocalNode() : await startNode({ schedulers }));
    await Global.start(n);
    const sup = (await Supervisor.start(n, { strategy: 'one_for_one', intensity: 5, children: [spec('svc')] }))!;
    const [child] = (await Supervisor.whichChildren(n, sup)) as { pid: Pid }[];
    await Global.sync(n);
    expect(Global.whereis(n, 'svc')).toEqual(child!.pid);
    expect(await n.call({ global: 'svc' }, 'ping')).toMatchObject({ echo: 'ping' });

    n.exit(child!.pid, 'kill');
    const second = await until(() => Global.whereis(n, 'svc'), (p) => p !== undefined && !p.equals(child!.pid), 'the restarted child named');
    const [now] = (await Supervisor.whichChildren(n, sup)) as { pid: Pid }[];
    expect(second).toEqual(now!.pid);

    const e = await Supervisor.start(n, { strategy: 'one_for_one', children: [spec('other')] }).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(StartFailedError);
    expect((e as StartFailedError).reason).toEqual({
      kind: 'shutdown',
      reason: { failedToStartChild: 'other', reason: { kind: 'already_started', name: { global: 'svc' }, pid: second } },
    });
    expect(Global.whereis(n, 'svc')).toEqual(second);
  }, 20_000);
});

describe('a child spec name { global } without Global.start', () => {
  it('fails the start with global_not_started', async () => {
    const n = (node = new LocalNode());
    const e = await Supervisor.start(n, { strategy: 'one_for_one', children: [spec('svc')] }).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(StartFailedError);
    expect((e as StartFailedError).reason).toEqual({
      kind: 'shutdown',
      reason: { failedToStartChild: 'svc', reason: { kind: 'global_not_started', name: { global: 'svc' } } },
    });
  });
});
