import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Node } from '../../src/core/node.ts';
import { CodeServer } from '../../src/otp/code-server.ts';
import { CodeLoadError } from '../../src/otp/code-errors.ts';
import { ModuleDir, until } from './code-helpers.ts';
import { rejectionOf } from './helpers.ts';
import { startNode } from '../../src/dist/start-node.ts';

const dir = new ModuleDir();
let node: Node;
beforeAll(async () => {
  node = await startNode({ schedulers: 2 });
});
afterAll(async () => {
  await node.stop();
  dir.remove();
});

describe('CodeServer on a ThreadedNode (2 schedulers)', () => {
  it('loads the new version on every scheduler: actors on both move, and a third load purges the oldest on both', async () => {
    const url = dir.write('counter.ts', 'code-counter/v1.ts');
    const ref = { module: url, export: 'Counter' };
    const c0 = await node.spawn(ref, [100], { scheduler: 0 });
    const c1 = await node.spawn(ref, [200], { scheduler: 1 });
    const w0 = await node.spawn({ module: url, export: 'Waiter' }, [c0], { scheduler: 0 });
    const w1 = await node.spawn({ module: url, export: 'Waiter' }, [c1], { scheduler: 1 });
    expect(await node.call(c0, 'incr')).toBe(101);
    expect(await node.call(c1, 'get')).toEqual({ vsn: 'v1', state: { n: 200 } });

    dir.write('counter.ts', 'code-counter/v2.ts');
    expect(await CodeServer.load(node, url)).toEqual({ module: url, vsn: 'v2', oldVsn: 'v1', killed: 0 });
    expect(await node.call(c0, 'get')).toEqual({ vsn: 'v2', state: { count: 101, upgrades: 1 } });
    expect(await node.call(c1, 'get')).toEqual({ vsn: 'v2', state: { count: 200, upgrades: 1 } });
    // The two generator actors stay on v1, one per scheduler.
    expect(await CodeServer.versions(node, url)).toEqual({ module: url, current: 'v2', old: 'v1', oldActors: 2, currentActors: 2 });
    // A new spawn by reference starts v2 on either scheduler.
    const fresh = await node.spawn(ref, [1], { scheduler: 1 });
    expect(await node.call(fresh, 'get')).toEqual({ vsn: 'v2', state: { count: 1, upgrades: 0 } });

    dir.write('counter.ts', 'code-counter/v3.ts');
    expect(await CodeServer.load(node, url)).toEqual({ module: url, vsn: 'v3', oldVsn: 'v2', killed: 2 });
    await until(async () => (await node.processInfo(w0)) === undefined && (await node.processInfo(w1)) === undefined, 'the v1 waiters to be purged');
    expect(await node.call(c0, 'get')).toEqual({ vsn: 'v3', state: { count: 101, upgrades: 2 } });
    expect(await node.call(c1, 'get')).toEqual({ vsn: 'v3', state: { count: 200, upgrades: 2 } });
  });

  it('a version that fails to load on the schedulers switches none of them', async () => {
    const url = dir.write('bad.ts', 'code-counter/v1.ts');
    const c0 = await node.spawn({ module: url, export: 'Counter' }, [1], { scheduler: 0 });
    const c1 = await node.spawn({ module: url, export: 'Counter' }, [2], { scheduler: 1 });
    dir.write('bad.ts', { source: 'export const vsn = ;\n' });
    const err = await rejectionOf(CodeServer.load(node, url));
    expect(err).toBeInstanceOf(CodeLoadError);
    // The import of the new version (`?v=<n>`) failed on esbuild's syntax error.
    expect(err).toMatchObject({ code: 'ERR_SB_CODE_LOAD', module: url, message: expect.stringMatching(new RegExp(`^cannot load ${escapeRegExp(url)}\\?v=\\d+: Transform failed with 1 error:\n.*bad\\.ts:1:19: ERROR: Unexpected ";"$`)) });
    expect(await node.call(c0, 'get')).toEqual({ vsn: 'v1', state: { n: 1 } });
    expect(await node.call(c1, 'get')).toEqual({ vsn: 'v1', state: { n: 2 } });
    expect(await CodeServer.versions(node, url)).toMatchObject({ current: 'v1', old: null });
  });
});

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
