import { describe, expect, it } from 'vitest';
import { BadArgError } from '../../src/core/errors.ts';
import { GenServer } from '../../src/otp/gen-server.ts';
import { Sys } from '../../src/otp/sys.ts';
import { Counter } from './fixtures/servers.ts';
import { startNode } from '../../src/dist/start-node.ts';

describe('sys: a callback tracer needs a node that spawns closures', () => {
  it('rejects with BadArgError on a node whose schedulers run on other threads, and the server keeps running', async () => {
    const node = await startNode({ schedulers: 1 });
    try {
      expect(node.spawnsClosures).toBeFalsy();
      const c = (await GenServer.start(node, Counter, [0]))!;
      const err = await Sys.trace(node, c, () => undefined).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(BadArgError);
      expect((err as BadArgError).code).toBe('ERR_SB_BADARG');
      expect((err as BadArgError).message).toBe(
        'Sys.trace: a callback tracer needs a ctx or a node that spawns closures (node.spawnsClosures); pass a tracer pid',
      );
      expect(await Sys.getStatus(node, c)).toMatchObject({ status: 'running' });
    } finally {
      await node.stop();
    }
  });
});
