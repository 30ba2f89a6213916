import { afterEach, describe, expect, it } from 'vitest';
import { LocalNode } from '../../src/core/local-node.ts';
import { StartFailedError } from '../../src/otp/errors.ts';
import { Sys } from '../../src/otp/sys.ts';
import { Supervisor } from '../../src/otp/supervisor.ts';
import { Worker } from './fixtures/workers.ts';
import { recorder } from './helpers.ts';

let node: LocalNode;
afterEach(() => node?.stop());

const spec = (id: string, opts?: { failInit?: boolean }) => ({ id, start: { behaviour: Worker, args: opts === undefined ? [id] : [id, opts] } });

describe('Supervisor start order and stop order', () => {
  it('starts children in order (each init done before the next starts) and stops them in reverse', async () => {
    node = new LocalNode();
    const { log } = await recorder(node, 'report');
    const sup = (await Supervisor.start(node, { children: [spec('a'), spec('b'), spec('c')] }))!;
    expect(log.map((m) => m.started)).toEqual(['a', 'b', 'c']);
    log.length = 0;
    expect(await Sys.terminate(node, sup, 'shutdown')).toBe('ok');
    expect(log).toEqual([
      { stopped: 'c', reason: 'shutdown' },
      { stopped: 'b', reason: 'shutdown' },
      { stopped: 'a', reason: 'shutdown' },
    ]);
    expect(await node.processInfo(sup)).toBeUndefined();
  });

  it('a child failing to start stops the ones already started (reverse) and fails the supervisor start', async () => {
    node = new LocalNode();
    const { log } = await recorder(node, 'report');
    const start = Supervisor.start(node, { children: [spec('a'), spec('b'), spec('x', { failInit: true }), spec('d')] });
    const err = await start.catch((e: unknown) => e);
    expect(err).toBeInstanceOf(StartFailedError);
    expect(err).toMatchObject({
      code: 'ERR_SB_START_FAILED',
      reason: { kind: 'shutdown', reason: { failedToStartChild: 'x', reason: 'init_failed' } },
      message: 'the process failed to start: {"kind":"shutdown","reason":{"failedToStartChild":"x","reason":"init_failed"}}',
    });
    expect(log).toEqual([
      { started: 'a', pid: log[0].pid },
      { started: 'b', pid: log[1].pid },
      { stopped: 'b', reason: 'shutdown' },
      { stopped: 'a', reason: 'shutdown' },
    ]);
  });
});
