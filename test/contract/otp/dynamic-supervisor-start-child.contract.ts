import { describe, expect, it } from 'vitest';
import { CallExitError, DynamicSupervisor } from '../../../src/index.ts';
import type { Pid } from '../../../src/index.ts';
import { rejectionOf } from '../node-kinds.ts';
import type { NodeKind } from '../node-kinds.ts';
import { Worker } from '../fixtures/otp.ts';

/** The contract, run on each node kind by contract-suite.test.ts. */
export default function contract(kind: NodeKind): void {
  describe('DynamicSupervisor: children started on demand from one template', () => {
    it('startChild appends the extra args; a crashed child restarts with the same args; maxChildren bounds it', async () => {
      const { node, inbox } = kind;
      const sup = (await DynamicSupervisor.start(node, {
        child: { id: 'w', start: { behaviour: Worker, options: kind.placeOn(1) } },
        intensity: 5,
        maxChildren: 3,
      }))!;
      const pids: Pid[] = [];
      for (const id of ['x', 'y', 'z']) {
        const r = (await DynamicSupervisor.startChild(node, sup, [id, node.pid])) as { ok: Pid };
        pids.push(r.ok);
        expect((await inbox.next((m: any) => m.started === id, `${id} started`)).pid).toEqual(r.ok);
      }
      expect(await DynamicSupervisor.startChild(node, sup, ['over', node.pid])).toEqual({ error: 'max_children' });
      expect(await DynamicSupervisor.countChildren(node, sup)).toEqual({ specs: 3, active: 3, supervisors: 0, workers: 3 });
      expect(await node.call(pids[1]!, 'ping')).toBe('pong from y');

      const err = await rejectionOf(node.call(pids[1]!, 'crash'));
      expect(err).toBeInstanceOf(CallExitError);
      expect(err).toMatchObject({ code: 'ERR_SB_CALL_EXIT', reason: { kind: 'error', message: 'y crashed' } });
      const y2 = (await inbox.next((m: any) => m.started === 'y', 'y restarted')).pid as Pid;
      expect(y2).not.toEqual(pids[1]);
      expect(await node.call(y2, 'ping')).toBe('pong from y');
      expect(await DynamicSupervisor.terminateChild(node, sup, pids[0]!)).toBe('ok');
      expect(await inbox.next((m: any) => m.stopped === 'x', 'x stopped')).toEqual({ stopped: 'x', reason: 'shutdown' });
      expect(await DynamicSupervisor.countChildren(node, sup)).toEqual({ specs: 2, active: 2, supervisors: 0, workers: 2 });
    });
  });
}
