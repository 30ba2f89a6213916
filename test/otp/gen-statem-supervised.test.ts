import { describe, expect, it } from 'vitest';
import { LocalNode } from '../../src/core/local-node.ts';
import type { Pid } from '../../src/core/pid.ts';
import { Supervisor } from '../../src/otp/supervisor.ts';
import { Sys } from '../../src/otp/sys.ts';
import { Door } from './fixtures/gen-statem-door.ts';
import { until } from './code-helpers.ts';

type ChildInfo = { id: string; pid: Pid | null };

describe('GenStatem under a Supervisor', () => {
  it('starts through the start protocol, is restarted after a crash, and is shut down with its supervisor', async () => {
    const node = new LocalNode();
    try {
      const sup = (await Supervisor.start(node, {
        strategy: 'one_for_one',
        intensity: 3,
        period: 5,
        children: [{ id: 'door', start: { behaviour: Door, args: ['1', 10_000] }, restart: 'permanent', shutdown: 1000, type: 'worker' }],
      }))!;
      const first = ((await Supervisor.whichChildren(node, sup)) as ChildInfo[])[0]!.pid!;
      expect(await node.call(first, { unlock: '1' })).toBe('opened');
      node.exit(first, 'boom');
      let second: Pid | null = null;
      await until(async () => {
        second = ((await Supervisor.whichChildren(node, sup)) as ChildInfo[])[0]!.pid;
        return second !== null && String(second) !== String(first);
      }, 'the restart');
      // A fresh machine: locked again, in its initial state.
      expect(await Sys.getState(node, second!)).toMatchObject({ state: 'locked', data: { enters: { locked: 1 } } });
      expect(await Sys.terminate(node, sup, 'shutdown')).toBe('ok');
      await until(() => !node.scheduler.isAlive(second!) && !node.scheduler.isAlive(sup), 'the tree to stop');
    } finally {
      await node.stop();
    }
  });
});
