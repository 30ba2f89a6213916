import { afterEach, describe, expect, it } from 'vitest';
import { LocalNode } from '../../src/core/local-node.ts';
import { Supervisor } from '../../src/otp/supervisor.ts';
import { Worker } from './fixtures/workers.ts';
import { recorder } from './helpers.ts';

let node: LocalNode;
afterEach(() => node?.stop());

describe('Supervisor startChild / terminateChild / restartChild / deleteChild', () => {
  it('manages one child through its whole life', async () => {
    node = new LocalNode();
    const { log } = await recorder(node, 'report');
    const sup = (await Supervisor.start(node, { children: [] }))!;
    const spec = { id: 'x', start: { behaviour: Worker, args: ['x'] } };
    const started = await Supervisor.startChild(node, sup, spec);
    expect('ok' in started && started.ok !== null).toBe(true);
    const pid = (started as { ok: any }).ok;
    expect(await node.call(pid, 'ping')).toBe('pong from x');
    expect(await Supervisor.startChild(node, sup, spec)).toEqual({ error: { alreadyStarted: pid } });
    expect(await Supervisor.deleteChild(node, sup, 'x')).toEqual({ error: 'running' });

    expect(await Supervisor.terminateChild(node, sup, 'x')).toBe('ok');
    expect(log).toContainEqual({ stopped: 'x', reason: 'shutdown' });
    expect(await node.processInfo(pid)).toBeUndefined();
    expect((await Supervisor.whichChildren(node, sup))[0]).toMatchObject({ id: 'x', pid: null });
    expect(await Supervisor.startChild(node, sup, spec)).toEqual({ error: 'already_present' });

    const again = (await Supervisor.restartChild(node, sup, 'x')) as { ok: any };
    expect(again.ok.equals(pid)).toBe(false);
    expect(await node.call(again.ok, 'ping')).toBe('pong from x');
    expect(await Supervisor.restartChild(node, sup, 'x')).toEqual({ error: 'running' });

    expect(await Supervisor.terminateChild(node, sup, 'x')).toBe('ok');
    expect(await Supervisor.deleteChild(node, sup, 'x')).toBe('ok');
    expect(await Supervisor.whichChildren(node, sup)).toEqual([]);
    expect(await Supervisor.terminateChild(node, sup, 'x')).toEqual({ error: 'not_found' });
    expect(await Supervisor.restartChild(node, sup, 'x')).toEqual({ error: 'not_found' });
    expect(await Supervisor.deleteChild(node, sup, 'x')).toEqual({ error: 'not_found' });
  });
});
