import { afterEach, describe, expect, it } from 'vitest';
import { LocalNode } from '../../src/core/local-node.ts';
import type { Pid } from '../../src/core/pid.ts';
import { Supervisor } from '../../src/otp/supervisor.ts';
import { Worker } from './fixtures/workers.ts';
import { recorder, waitFor } from './helpers.ts';

let node: LocalNode;
afterEach(() => node?.stop());

const spec = (id: string) => ({ id, start: { behaviour: Worker, args: [id] } });

describe('Supervisor one_for_one', () => {
  it('restarts only the child that crashed', async () => {
    node = new LocalNode();
    const { log } = await recorder(node, 'report');
    const sup = (await Supervisor.start(node, { strategy: 'one_for_one', intensity: 5, children: [spec('a'), spec('b'), spec('c')] }))!;
    const before = await Supervisor.whichChildren(node, sup);
    expect(before.map((c) => c.id)).toEqual(['a', 'b', 'c']);
    const b = before[1]!.pid as Pid;
    await expect(node.call(b, 'crash')).rejects.toMatchObject({ code: 'ERR_SB_CALL_EXIT' });
    await waitFor(() => log.filter((m) => m.started === 'b').length === 2);
    const after = await Supervisor.whichChildren(node, sup);
    expect(after[0]!.pid!.equals(before[0]!.pid)).toBe(true);
    expect(after[2]!.pid!.equals(before[2]!.pid)).toBe(true);
    expect(after[1]!.pid!.equals(b)).toBe(false);
    expect(await node.call(after[1]!.pid!, 'ping')).toBe('pong from b');
    // a and c were never stopped
    expect(log.filter((m) => m.stopped !== undefined).map((m) => m.stopped)).toEqual(['b']);
  });
});
