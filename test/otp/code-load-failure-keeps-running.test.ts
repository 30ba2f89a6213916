import { afterAll, describe, expect, it } from 'vitest';
import { LocalNode } from '../../src/core/local-node.ts';
import { CodeServer } from '../../src/otp/code-server.ts';
import { CodeLoadError } from '../../src/otp/code-errors.ts';
import { BadArgError, InvalidOptionError } from '../../src/core/errors.ts';
import { ModuleDir } from './code-helpers.ts';
import { rejectionOf } from './helpers.ts';

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
      const err = await rejectionOf(CodeServer.load(node, url));
      expect(err).toBeInstanceOf(CodeLoadError);
      // The import of the new version (`?v=<n>`) threw.
      expect(err).toMatchObject({ code: 'ERR_SB_CODE_LOAD', module: url, message: expect.stringMatching(new RegExp(`^cannot load ${escapeRegExp(url)}\\?v=\\d+: module init failed$`)) });
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
      const noUrl = await rejectionOf(CodeServer.load(node, ''));
      expect(noUrl).toBeInstanceOf(BadArgError);
      expect(noUrl).toMatchObject({ code: 'ERR_SB_BADARG', message: 'code server: module must be a non-empty URL string (e.g. import.meta.url or new URL(path, import.meta.url).href)' });
      const badOption = await rejectionOf(CodeServer.load(node, dir.url('x.ts'), { bogus: 1 } as never));
      expect(badOption).toBeInstanceOf(InvalidOptionError);
      expect(badOption).toMatchObject({ code: 'ERR_SB_INVALID_OPTION', message: 'CodeServer.load: unknown option "bogus"' });
      const noNode = await rejectionOf(CodeServer.load({} as never, dir.url('x.ts')));
      expect(noNode).toBeInstanceOf(BadArgError);
      expect(noNode).toMatchObject({ code: 'ERR_SB_BADARG', message: 'code server: target must be a node (startNode) or a Scheduler' });
    } finally {
      await node.stop();
    }
  });
});

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
