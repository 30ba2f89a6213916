import { afterEach, describe, expect, it } from 'vitest';
import { LocalNode } from '../../src/core/local-node.ts';
import type { Pid } from '../../src/core/pid.ts';
import { Supervisor } from '../../src/otp/supervisor.ts';
import { Global } from '../../src/cluster/global/index.ts';
import { GlobalSelfRegistered } from './fixtures/global-actors.ts';

// A supervisor child that registers itself globally in init (Global.registerSelf): the
// name follows the child across restarts (the dead child's name goes with its DOWN, the
// restarted child takes it again), and { global } reaches whichever child runs now.

let node: LocalNode | null = null;
afterEach(async () => {
  await node?.stop();
  node = null;
});

async function until<T>(f: () => T, ok: (v: T) => boolean, what: string): Promise<T> {
  const t0 = Date.now();
  for (;;) {
    const v = f();
    if (ok(v)) return v;
    if (Date.now() - t0 > 5000) throw new Error(`${what}: still ${String(v)}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

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
