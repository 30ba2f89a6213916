import { afterEach, describe, expect, it } from 'vitest';
import { LocalNode } from '../../src/core/local-node.ts';
import { Supervisor } from '../../src/otp/supervisor.ts';
import { Worker } from './fixtures/workers.ts';
import { recorder, waitFor } from './helpers.ts';

let node: LocalNode;
afterEach(() => node?.stop());

const spec = (id: string) => ({ id, start: { behaviour: Worker, args: [id] } });

describe('Supervisor one_for_all', () => {
  it('a crash stops every other child (last started first) and starts them all again in order', async () => {
    node = new LocalNode();
    const { log } = await recorder(node, 'report');
    const sup = (await Supervisor.start(node, { strategy: 'one_for_all', intensity: 5, children: [spec('a'), spec('b'), spec('c')] }))!;
    const before = await Supervisor.whichChildren(node, sup);
    log.length = 0;
    await expect(node.call(before[1]!.pid!, 'crash')).rejects.toMatchObject({ code: 'ERR_SB_CALL_EXIT' });
    await waitFor(() => log.filter((m) => m.started !== undefined).length === 3);
    // b crashed (terminate with its error), then c and a were shut down in reverse order.
    const stops = log.filter((m) => m.stopped !== undefined);
    expect(stops.map((m) => m.stopped)).toEqual(['b', 'c', 'a']);
    expect(stops[0].reason.kind).toBe('error');
    expect(stops[1].reason).toBe('shutdown');
    expect(log.filter((m) => m.started !== undefined).map((m) => m.started)).toEqual(['a', 'b', 'c']);
    const after = await Supervisor.whichChildren(node, sup);
    for (let i = 0; i < 3; i++) expect(after[i]!.pid!.equals(before[i]!.pid)).toBe(false);
  });
});
