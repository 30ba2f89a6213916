import { afterEach, describe, expect, it } from 'vitest';
import { LocalNode } from '../../src/core/local-node.ts';
import { GenServer } from '../../src/otp/gen-server.ts';
import { Counter } from './fixtures/servers.ts';
import { recorder, waitFor } from './helpers.ts';

let node: LocalNode;
afterEach(() => node?.stop());

describe('GenServer: handleInfo', () => {
  it('gets plain messages (not calls or casts), and a timeout result delivers "timeout" if no message comes', async () => {
    node = new LocalNode();
    const rec = await recorder(node);
    const c = (await GenServer.start(node, Counter, [0, { report: rec.pid }]))!;
    node.send(c, { type: 'bump' });
    node.send(c, 'hello');
    expect(await GenServer.call(node, c, 'get')).toBe(1);
    expect(rec.log).toEqual([{ info: { type: 'bump' } }, { info: 'hello' }]);
    rec.log.length = 0;
    expect(await GenServer.call(node, c, { timeoutIn: 30 })).toBe('ok');
    await waitFor(() => rec.log.length === 1);
    expect(rec.log).toEqual([{ info: 'timeout' }]);
  });

  it('any message cancels a pending timeout', async () => {
    node = new LocalNode();
    const rec = await recorder(node);
    const c = (await GenServer.start(node, Counter, [0, { report: rec.pid }]))!;
    expect(await GenServer.call(node, c, { timeoutIn: 50 })).toBe('ok');
    // The message that must cancel the timeout is a call the server answers later, from a
    // timer of its own. That makes the proof one of order rather than of waiting:
    //   1. the deferred reply's timer (sendAfter, as the timeout's is) is due 200 ms from
    //      now, well after the timeout was; timers fire in deadline order, so had the
    //      timeout stayed armed, its 'timeout' would reach handleInfo before the reply;
    //   2. then a plain message: the server reports it to rec after any earlier report
    //      (one sender, one receiver: order kept).
    // So once rec has the marker, it has everything the timeout could have sent.
    expect(await GenServer.call(node, c, { defer: 200 })).toBe(0);
    node.send(c, 'marker');
    await waitFor(() => rec.log.length > 0);
    expect(rec.log).toEqual([{ info: 'marker' }]);
  });
});
