import { afterAll, describe, expect, it } from 'vitest';
import { LocalNode } from '../../src/core/local-node.ts';
import { CodeServer } from '../../src/otp/code-server.ts';
import { ModuleDir } from './code-helpers.ts';

const dir = new ModuleDir();
afterAll(() => dir.remove());

describe('CodeServer.load on a LocalNode', () => {
  it('moves a running handler actor to the new version at its next message, migrating state with codeChange', async () => {
    const url = dir.write('counter.ts', 'code-counter/v1.ts');
    const { Counter } = (await import(url)) as typeof import('./fixtures/code-counter/v1.ts');
    const node = new LocalNode();
    try {
      const pid = await node.spawn(Counter, [10]);
      expect(await node.call(pid, 'incr')).toBe(11);
      expect(await node.call(pid, 'get')).toEqual({ vsn: 'v1', state: { n: 11 } });

      dir.write('counter.ts', 'code-counter/v2.ts');
      const r = await CodeServer.load(node, url);
      expect(r).toEqual({ module: url, vsn: 'v2', oldVsn: 'v1', killed: 0 });

      // Same pid, new code, state migrated by v2's codeChange.
      expect(await node.call(pid, 'get')).toEqual({ vsn: 'v2', state: { count: 11, upgrades: 1 } });
      expect(await node.call(pid, 'incr')).toBe(12);
      expect((await node.processInfo(pid))!.behaviour).toMatch(/counter\.ts(\?v=\d+)?#Counter$/);

      const v = await CodeServer.versions(node, url);
      expect(v).toEqual({ module: url, current: 'v2', old: 'v1', oldActors: 0, currentActors: 1 });
    } finally {
      await node.stop();
    }
  });

  it('moves an idle actor at once (no message needed), so it is on the current version', async () => {
    const url = dir.write('idle.ts', 'code-counter/v1.ts');
    const { Counter } = (await import(url)) as typeof import('./fixtures/code-counter/v1.ts');
    const node = new LocalNode();
    try {
      const pid = await node.spawn(Counter, [1]);
      await node.idle();
      dir.write('idle.ts', 'code-counter/v2.ts');
      await CodeServer.load(node, url);
      await node.idle();
      expect(await CodeServer.versions(node, url)).toMatchObject({ current: 'v2', old: 'v1', oldActors: 0, currentActors: 1 });
      expect(await node.call(pid, 'get')).toEqual({ vsn: 'v2', state: { count: 1, upgrades: 1 } });
    } finally {
      await node.stop();
    }
  });
});
