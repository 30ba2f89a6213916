import { afterAll, describe, expect, it } from 'vitest';
import { LocalNode } from '../../src/core/local-node.ts';
import { CodeServer } from '../../src/otp/code-server.ts';
import { ModuleDir } from './code-helpers.ts';

const dir = new ModuleDir();
afterAll(() => dir.remove());

describe('CodeServer.load of a GenStatem module', () => {
  it("moves a running machine to the new version: its codeChange migrates data and keeps the state; `extra` reaches it", async () => {
    const url = dir.write('switch.ts', 'code-statem/v1.ts');
    const { Switch } = (await import(url)) as typeof import('./fixtures/code-statem/v1.ts');
    const node = new LocalNode();
    try {
      const sw = await node.spawn(Switch);
      for (let i = 0; i < 3; i++) expect(await node.call(sw, 'flip')).toBe('ok');
      expect(await node.call(sw, 'get')).toEqual({ vsn: 'v1', state: 'on', data: { flips: 3 } });
      dir.write('switch.ts', 'code-statem/v2.ts');
      expect(await CodeServer.load(node, url, { extra: 'dim' })).toMatchObject({ vsn: 'v2', oldVsn: 'v1', killed: 0 });
      expect(await node.call(sw, 'get')).toEqual({ vsn: 'v2', state: 'on', data: { count: 3, dimmed: true } });
      expect(await node.call(sw, 'flip')).toBe('ok');
      expect(await node.call(sw, 'get')).toEqual({ vsn: 'v2', state: 'off', data: { count: 4, dimmed: true } });
    } finally {
      await node.stop();
    }
  });
});
