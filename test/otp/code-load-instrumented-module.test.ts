import { afterAll, describe, expect, it } from 'vitest';
import { LocalNode } from '../../src/core/local-node.ts';
import { CallExitError } from '../../src/core/errors.ts';
import { CodeServer } from '../../src/otp/code-server.ts';
import { ModuleDir } from './code-helpers.ts';
import { startNode } from '../../src/dist/start-node.ts';

const dir = new ModuleDir();
afterAll(() => dir.remove());

/**
 * A new version is a fresh import of `module?v=n`: it must go through the same compiler
 * hooks as the first one (vitest's plugin in this thread, the Node loader hook in worker
 * threads), so a runaway loop in the new code is still killed.
 */
describe("CodeServer.load of a 'use switchboard' (instrumented) module", () => {
  it('instruments the new version under vitest (LocalNode)', async () => {
    const url = dir.write('spin-local.ts', 'code-spin/v1.ts');
    const node = new LocalNode({ maxReductionsPerMessage: 100_000 });
    try {
      const a = await node.spawn({ module: url, export: 'Spinner' });
      const b = await node.spawn({ module: url, export: 'Spinner' });
      expect(await node.call(a, 'vsn')).toBe('v1');
      dir.write('spin-local.ts', 'code-spin/v2.ts');
      await CodeServer.load(node, url);
      expect(await node.call(b, 'vsn')).toBe('v2');
      expect((await node.processInfo(b))!.instrumented).toBe(true);
      const err = await node.call(b, 'spin', 20_000).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(CallExitError);
      expect((err as CallExitError).reason).toMatchObject({ kind: 'runaway' });
    } finally {
      await node.stop();
    }
  });

  it('instruments the new version in worker threads (Node loader hook, ThreadedNode)', async () => {
    const url = dir.write('spin-threads.ts', 'code-spin/v1.ts');
    const node = await startNode({ schedulers: 2, maxReductionsPerMessage: 100_000 });
    try {
      const pid = await node.spawn({ module: url, export: 'Spinner' }, [], { scheduler: 1 });
      expect(await node.call(pid, 'vsn')).toBe('v1');
      dir.write('spin-threads.ts', 'code-spin/v2.ts');
      await CodeServer.load(node, url);
      expect(await node.call(pid, 'vsn')).toBe('v2');
      expect((await node.processInfo(pid))!.instrumented).toBe(true);
      const err = await node.call(pid, 'spin', 20_000).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(CallExitError);
      expect((err as CallExitError).reason).toMatchObject({ kind: 'runaway' });
    } finally {
      await node.stop();
    }
  });
});
