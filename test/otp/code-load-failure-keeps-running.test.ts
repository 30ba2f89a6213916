import { afterAll, describe, expect, it } from 'vitest';
import { LocalNode } from '../../src/core/local-node.ts';
import { CodeServer } from '../../src/otp/code-server.ts';
import { CodeLoadError } from '../../src/otp/code-errors.ts';
import { InvalidOptionError } from '../../src/core/errors.ts';
import { ModuleDir } from './code-helpers.ts';

const dir = new ModuleDir();
afterAll(() => dir.remove());

describe('a load that fails', () => {
  it('rejects with CodeLoadError and switches nothing: the old code keeps running', async () => {
    const url = dir.write('broken.ts', 'code-counter/v1.ts');
    const v1 = (await import(url)) as typeof import('./fixtures/code-counter/v1.ts');
    const node = new LocalNode();
    try {
      const pid = await node.spawn(v1.Counter, [1]);
      dir.write('broken.ts', { source: "export const vsn = 'v2';\nthrow new Error('module init failed');\n" });
      const err = await CodeServer.load(node, url).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(CodeLoadError);
      expect((err as CodeLoadError).code).toBe('ERR_SB_CODE_LOAD');
      expect((err as CodeLoadError).message).toContain('module init failed');
      expect(await node.call(pid, 'incr')).toBe(2);
      expect(await node.call(pid, 'get')).toEqual({ vsn: 'v1', state: { n: 2 } });
      expect(await CodeServer.versions(node, url)).toMatchObject({ current: 'v1', old: null });

      // Fixed file: the next load works.
      dir.write('broken.ts', 'code-counter/v2.ts');
      expect(await CodeServer.load(node, url)).toMatchObject({ vsn: 'v2', oldVsn: 'v1' });
      expect(await node.call(pid, 'get')).toEqual({ vsn: 'v2', state: { count: 2, upgrades: 1 } });
    } finally {
      await node.stop();
    }
  });

  it('rejects bad arguments with typed errors', async () => {
    const node = new LocalNode();
    try {
      await expect(CodeServer.load(node, '')).rejects.toMatchObject({ code: 'ERR_SB_BADARG' });
      await expect(CodeServer.load(node, dir.url('x.ts'), { bogus: 1 } as never)).rejects.toBeInstanceOf(InvalidOptionError);
      await expect(CodeServer.load({} as never, dir.url('x.ts'))).rejects.toMatchObject({ code: 'ERR_SB_BADARG' });
    } finally {
      await node.stop();
    }
  });
});
