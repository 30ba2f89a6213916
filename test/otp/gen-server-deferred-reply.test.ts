import { afterEach, describe, expect, it } from 'vitest';
import { LocalNode } from '../../src/core/local-node.ts';
import { GenServer } from '../../src/otp/gen-server.ts';
import { Counter } from './fixtures/servers.ts';

let node: LocalNode;
afterEach(() => node?.stop());

describe('GenServer: deferred reply', () => {
  it('a noreply call is answered later with GenServer.reply, while the server keeps serving others', async () => {
    node = new LocalNode();
    const c = (await GenServer.start(node, Counter, [9]))!;
    const slow = GenServer.call(node, c, { defer: 80 });
    let slowDone = false;
    void slow.then(() => (slowDone = true));
    expect(await GenServer.call(node, c, { add: 1 })).toBe(10);
    expect(slowDone).toBe(false);
    expect(await slow).toBe(9);
  });
});
