import { afterAll, describe, expect, it } from 'vitest';
import { LocalNode } from '../../src/core/local-node.ts';
import { CodeServer } from '../../src/otp/code-server.ts';
import { ModuleDir } from './code-helpers.ts';

const dir = new ModuleDir();
afterAll(() => dir.remove());

describe('spawn after CodeServer.load', () => {
  it('a spawn of the superseded Behaviour object starts the current version', async () => {
    const url = dir.write('spawn.ts', 'code-counter/v1.ts');
    const { Counter } = (await import(url)) as typeof import('./fixtures/code-counter/v1.ts');
    const node = new LocalNode();
    try {
      dir.write('spawn.ts', 'code-counter/v2.ts');
      await CodeServer.load(node, url);
      const pid = await node.spawn(Counter, [5]);
      expect(await node.call(pid, 'get')).toEqual({ vsn: 'v2', state: { count: 5, upgrades: 0 } });
      const byRef = await node.spawn({ module: url, export: 'Counter' }, [6]);
      expect(await node.call(byRef, 'get')).toEqual({ vsn: 'v2', state: { count: 6, upgrades: 0 } });
    } finally {
      await node.stop();
    }
  });
});
