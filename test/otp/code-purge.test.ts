import { afterAll, describe, expect, it } from 'vitest';
import { LocalNode } from '../../src/core/local-node.ts';
import { defineActor } from '../../src/core/behaviour.ts';
import { isCall } from '../../src/core/call-protocol.ts';
import type { Pid } from '../../src/core/pid.ts';
import { CodeServer } from '../../src/otp/code-server.ts';
import { ModuleDir, until } from './code-helpers.ts';

const dir = new ModuleDir();
afterAll(() => dir.remove());

/** Records the DOWN reasons of the pids it monitors. */
const Watcher = defineActor(import.meta.url, {
  init: () => [] as unknown[],
  handle(msg: unknown, log: unknown[], ctx) {
    if (isCall(msg)) ctx.reply(msg.from, log);
    const m = msg as { watch?: Pid; type?: string; reason?: unknown };
    if (m.watch !== undefined) ctx.monitor(m.watch);
    else if (m.type === 'DOWN') log.push(m.reason);
    return log;
  },
});

describe('CodeServer.purge', () => {
  it("kills the actors on the old version with {kind:'purged', module, vsn}, untrappable, and drops it", async () => {
    const url = dir.write('purge.ts', 'code-counter/v1.ts');
    const v1 = (await import(url)) as typeof import('./fixtures/code-counter/v1.ts');
    const node = new LocalNode();
    try {
      const watcher = await node.spawn(Watcher);
      const waiters = await Promise.all([0, 1, 2].map(() => node.spawn(v1.Waiter, [watcher], { trapExit: true })));
      for (const w of waiters) node.send(watcher, { watch: w });
      dir.write('purge.ts', 'code-counter/v2.ts');
      await CodeServer.load(node, url);
      expect(await CodeServer.versions(node, url)).toMatchObject({ old: 'v1', oldActors: 3 });

      expect(await CodeServer.purge(node, url)).toBe(3);
      await until(() => waiters.every((w) => !node.scheduler.isAlive(w)), 'the waiters to die');
      let reasons: unknown[] = [];
      await until(async () => (reasons = (await node.call(watcher, 'log')) as unknown[]).length === 3, 'three DOWNs');
      expect(reasons).toEqual([0, 1, 2].map(() => ({ kind: 'purged', module: url, vsn: 'v1' })));
      expect(await CodeServer.versions(node, url)).toMatchObject({ current: 'v2', old: null, oldActors: 0 });
      // Nothing left to purge.
      expect(await CodeServer.purge(node, url)).toBe(0);
    } finally {
      await node.stop();
    }
  });
});
