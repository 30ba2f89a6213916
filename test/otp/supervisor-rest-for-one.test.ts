import { afterEach, describe, expect, it } from 'vitest';
import { LocalNode } from '../../src/core/local-node.ts';
import { Supervisor } from '../../src/otp/supervisor.ts';
import { Worker } from './fixtures/workers.ts';
import { recorder, waitFor } from './helpers.ts';

let node: LocalNode;
afterEach(() => node?.stop());

const spec = (id: string) => ({ id, start: { behaviour: Worker, args: [id] } });

describe('Supervisor rest_for_one', () => {
  it('a crash restarts that child and those started after it, not those before', async () => {
    node = new LocalNode();
    const { log } = await recorder(node, 'report');
    const sup = (await Supervisor.start(node, { strategy: 'rest_for_one', intensity: 5, children: [spec('a'), spec('b'), spec('c'), spec('d')] }))!;
    const before = await Supervisor.whichChildren(node, sup);
    log.length = 0;
    await expect(node.call(before[1]!.pid!, 'crash')).rejects.toMatchObject({ code: 'ERR_SB_CALL_EXIT' });
    await waitFor(() => log.filter((m) => m.started !== undefined).length === 3);
    expect(log.filter((m) => m.stopped !== undefined).map((m) => m.stopped)).toEqual(['b', 'd', 'c']);
    expect(log.filter((m) => m.started !== undefined).map((m) => m.started)).toEqual(['b', 'c', 'd']);
    const after = await Supervisor.whichChildren(node, sup);
    expect(after[0]!.pid!.equals(before[0]!.pid)).toBe(true);
    for (let i = 1; i < 4; i++) expect(after[i]!.pid!.equals(before[i]!.pid)).toBe(false);
  });
});
