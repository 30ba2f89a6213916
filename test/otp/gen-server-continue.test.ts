import { afterEach, describe, expect, it } from 'vitest';
import { LocalNode } from '../../src/core/local-node.ts';
import { GenServer } from '../../src/otp/gen-server.ts';
import { Counter } from './fixtures/servers.ts';

let node: LocalNode;
afterEach(() => node?.stop());

describe('GenServer: handleContinue', () => {
  it('runs after init and after a callback that returns continue, before the next message', async () => {
    node = new LocalNode();
    // init returns { ok, continue: 100 }: the continue runs before the first call.
    const c = (await GenServer.start(node, Counter, [1, { init: 'continue' }]))!;
    // Queue the call right behind the one that asks for a continue: the continue still runs first.
    const p1 = GenServer.call(node, c, { continueWith: 5 });
    const p2 = GenServer.call(node, c, 'get');
    expect(await p1).toBe('ok');
    expect(await p2).toBe(106);
  });
});
