import { afterEach, describe, expect, it } from 'vitest';
import { LocalNode } from '../../src/core/local-node.ts';
import { GenServer } from '../../src/otp/gen-server.ts';
import { Counter, Log } from './fixtures/servers.ts';
import { inActor } from './helpers.ts';

let node: LocalNode;
afterEach(() => node?.stop());

describe('GenServer: cast', () => {
  it('handles casts in order, from the embedding thread and from actors, with no reply', async () => {
    node = new LocalNode();
    const log = (await GenServer.start(node, Log, []))!;
    for (let i = 0; i < 5; i++) GenServer.cast(node, log, i);
    await inActor(node, function* (ctx) {
      for (let i = 5; i < 10; i++) GenServer.cast(ctx, log, i);
    });
    expect(await GenServer.call(node, log, 'get')).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });

  it('changes state seen by later calls; a cast to an unregistered name does not throw', async () => {
    node = new LocalNode();
    const c = (await GenServer.start(node, Counter, [0]))!;
    GenServer.cast(node, c, 'inc');
    GenServer.cast(node, c, 'inc');
    GenServer.cast(node, c, { set: 40 });
    GenServer.cast(node, c, 'inc');
    expect(await GenServer.call(node, c, 'get')).toBe(41);
    expect(() => GenServer.cast(node, 'nobody_here', 'x')).not.toThrow();
  });
});
