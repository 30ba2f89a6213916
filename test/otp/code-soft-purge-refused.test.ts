import { afterAll, describe, expect, it } from 'vitest';
import { LocalNode } from '../../src/core/local-node.ts';
import { CodeServer } from '../../src/otp/code-server.ts';
import { ModuleDir, until } from './code-helpers.ts';

const dir = new ModuleDir();
afterAll(() => dir.remove());

describe('CodeServer.softPurge', () => {
  it('refuses (false, nothing killed) while an actor runs the old version; succeeds once none does', async () => {
    const url = dir.write('soft.ts', 'code-counter/v1.ts');
    const v1 = (await import(url)) as typeof import('./fixtures/code-counter/v1.ts');
    const node = new LocalNode();
    try {
      const sink = await node.spawn(v1.Counter);
      const waiter = await node.spawn(v1.Waiter, [sink]);
      dir.write('soft.ts', 'code-counter/v2.ts');
      await CodeServer.load(node, url);
      await node.idle(); // the idle Counter moves to v2 in its next slice; the Waiter cannot

      expect(await CodeServer.softPurge(node, url)).toBe(false);
      expect(node.scheduler.isAlive(waiter)).toBe(true);
      expect(await CodeServer.versions(node, url)).toMatchObject({ old: 'v1', oldActors: 1 });

      node.send(waiter, 'stop');
      await until(() => !node.scheduler.isAlive(waiter), 'the waiter to end');
      expect(await CodeServer.softPurge(node, url)).toBe(true);
      expect(await CodeServer.versions(node, url)).toMatchObject({ current: 'v2', old: null });
      // The next load has no old version to purge.
      dir.write('soft.ts', 'code-counter/v3.ts');
      expect(await CodeServer.load(node, url)).toMatchObject({ vsn: 'v3', oldVsn: 'v2', killed: 0 });
    } finally {
      await node.stop();
    }
  });
});
