import { afterEach, describe, expect, it } from 'vitest';
import { LocalNode } from '../../src/core/local-node.ts';
import type { Node } from '../../src/core/node.ts';
import { NotRegisteredError, NoProcError } from '../../src/core/errors.ts';
import { Pid } from '../../src/core/pid.ts';
import { startNode } from '../../src/dist/start-node.ts';
import { GenServer } from '../../src/otp/gen-server.ts';
import { waitMessage } from './fixtures/global-messages.ts';
import { Global, GlobalNotRegisteredError, GlobalNotStartedError } from '../../src/cluster/global/index.ts';
import { GlobalEcho, GlobalProber } from './fixtures/global-actors.ts';

// Global names on one node, both node kinds: register / whereis / unregister / send /
// registered through the API, and { global: name } destinations used by send, call and
// monitor from the embedding thread and from actors on every scheduler, also after the
// owner moves to another process and after it dies. Global.sync is the barrier after which
// every thread's replica has caught up.

let node: Node | null = null;
afterEach(async () => {
  await node?.stop();
  node = null;
});

describe.each([0, 2])('Global on one node with schedulers: %i', (schedulers) => {
  it('registers, resolves { global } everywhere, follows the owner when it moves and dies', async () => {
    const n = (node = schedulers === 0 ? new LocalNode() : await startNode({ schedulers }));
    expect(() => Global.whereis(n, 'svc')).toThrow(GlobalNotStartedError);
    await expect(Global.register(n, 'svc', n.pid)).rejects.toMatchObject({ code: 'ERR_SB_GLOBAL_NOT_STARTED' });
    const server = await Global.start(n);
    expect(await Global.start(n)).toEqual(server); // idempotent
    const last = Math.max(0, schedulers - 1);
    const echo1 = (await GenServer.start(n, GlobalEcho, [n.pid], { spawn: { scheduler: last } }))!;
    const probers: Pid[] = [];
    for (let k = 0; k < Math.max(1, schedulers); k++) probers.push(await n.spawn(GlobalProber, [n.pid], { scheduler: k }));

    expect(await Global.register(n, 'svc', echo1)).toBe('yes');
    expect(await Global.register(n, 'svc', n.pid)).toBe('no');
    expect(Global.whereis(n, 'svc')).toEqual(echo1);
    expect(Global.registered(n)).toEqual(['svc']);
    expect(await n.call({ global: 'svc' }, 'hi')).toEqual({ echo: 'hi', by: echo1 });
    const got = waitMessage(n, (m) => m?.got === 'info1', 'info via { global }');
    n.send({ global: 'svc' }, 'info1');
    expect((await got).by).toEqual(echo1);
    expect(Global.send(n, 'svc', 'info2')).toEqual(echo1);
    await waitMessage(n, (m) => m?.got === 'info2', 'info via Global.send');

    await Global.sync(n);
    for (const p of probers) {
      const r = waitMessage(n, (m) => m?.probe === 'call', 'prober call');
      n.send(p, { op: 'call', name: 'svc', msg: 'from actor' });
      expect(await r).toEqual({ probe: 'call', reply: { echo: 'from actor', by: echo1 } });
      const g = waitMessage(n, (m) => m?.got === 'sent by actor', 'actor send');
      n.send(p, { op: 'send', name: 'svc', msg: 'sent by actor' });
      expect((await g).by).toEqual(echo1);
    }

    // The owner moves: re-registered to a new process, unregistered, registered again from
    // an actor (which sees its own write at once).
    const echo2 = (await GenServer.start(n, GlobalEcho, [n.pid], { spawn: { scheduler: 0 } }))!;
    expect(await Global.reRegister(n, 'svc', echo2)).toBe('yes'); // held by echo1: moved anyway
    expect(Global.whereis(n, 'svc')).toEqual(echo2);
    expect(await n.call({ global: 'svc' }, 're')).toEqual({ echo: 're', by: echo2 });
    expect(await Global.unregister(n, 'svc')).toBe('ok');
    expect(Global.whereis(n, 'svc')).toBeUndefined();
    const reg = waitMessage(n, (m) => m?.probe === 'register', 'register from actor');
    n.send(probers[probers.length - 1]!, { op: 'register', name: 'svc', pid: echo2 });
    expect(await reg).toEqual({ probe: 'register', result: 'yes', whereis: echo2 });
    await Global.sync(n);
    expect(Global.whereis(n, 'svc')).toEqual(echo2);
    expect(await n.call({ global: 'svc' }, 'again')).toEqual({ echo: 'again', by: echo2 });
    for (const p of probers) {
      const r = waitMessage(n, (m) => m?.probe === 'call', 'prober call after move');
      n.send(p, { op: 'call', name: 'svc', msg: 'moved' });
      expect(await r).toEqual({ probe: 'call', reply: { echo: 'moved', by: echo2 } });
    }

    // The owner dies: a monitor through { global } fires, the name is gone everywhere.
    const mon = waitMessage(n, (m) => m?.probe === 'monitoring', 'monitoring');
    n.send(probers[0]!, { op: 'monitor', name: 'svc' });
    await mon;
    const down = waitMessage(n, (m) => m?.probe === 'DOWN', 'DOWN via { global }');
    n.exit(echo2, 'kill');
    expect(await down).toEqual({ probe: 'DOWN', name: 'svc', reason: 'killed' });
    await Global.sync(n);
    expect(Global.whereis(n, 'svc')).toBeUndefined();
    expect(Global.registered(n)).toEqual([]);
    expect(() => Global.send(n, 'svc', 'x')).toThrow(GlobalNotRegisteredError);
    expect(() => n.send({ global: 'svc' }, 'x')).toThrow(NotRegisteredError);
    await expect(n.call({ global: 'svc' }, 'x')).rejects.toBeInstanceOf(NoProcError);
    for (const p of probers) {
      const r = waitMessage(n, (m) => m?.probe === 'send', 'prober send to a gone name');
      n.send(p, { op: 'send', name: 'svc', msg: 'x' });
      expect(await r).toEqual({ probe: 'send', error: 'NotRegisteredError', code: 'ERR_SB_NOT_REGISTERED' });
      const c = waitMessage(n, (m) => m?.probe === 'DOWN', 'monitor of a gone name');
      n.send(p, { op: 'monitor', name: 'svc' });
      expect(await c).toEqual({ probe: 'DOWN', name: 'svc', reason: 'noproc' });
    }
    expect(() => Global.send(n, 'svc', 'x')).toThrow('global name not registered: svc');
    await expect(Global.register(n, '', echo1)).rejects.toMatchObject({ code: 'ERR_SB_BADARG', message: 'Global.register: name must be a non-empty string' });
    await expect(Global.register(n, 'y', echo1, 'bogus' as never)).rejects.toMatchObject({
      code: 'ERR_SB_BADARG',
      message: "Global.register: resolve must be 'random_exit', 'notify_all' or { module, export } naming an exported function",
    });
  }, 20_000);
});

