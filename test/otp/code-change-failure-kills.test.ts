import { afterAll, describe, expect, it } from 'vitest';
import { Scheduler } from '../../src/core/scheduler.ts';
import { CodeServer } from '../../src/otp/code-server.ts';
import { ModuleDir } from './code-helpers.ts';
import { recordExits } from '../core/helpers.ts';

const dir = new ModuleDir();
afterAll(() => dir.remove());

async function upgradeWith(name: string, extra: unknown, v2: string | { source: string } = 'code-counter/v2.ts') {
  const url = dir.write(name, 'code-counter/v1.ts');
  const v1 = (await import(url)) as typeof import('./fixtures/code-counter/v1.ts');
  const s = new Scheduler();
  const exits = recordExits(s);
  const pid = s.spawn(v1.Counter, [7]);
  s.runUntilIdle();
  dir.write(name, v2);
  await CodeServer.load(s, url, { extra });
  s.runUntilIdle();
  return { s, pid, url, reason: exits.get(pid.toString()) };
}

describe('a failed code change', () => {
  it("codeChange returning {error} ends the actor with {kind:'codeChange', module, export, oldVsn, error}", async () => {
    const { s, pid, url, reason } = await upgradeWith('refuse.ts', 'refuse');
    expect(s.isAlive(pid)).toBe(false);
    expect(reason).toEqual({ kind: 'codeChange', module: url, export: 'Counter', oldVsn: 'v1', error: 'refused' });
  });

  it('codeChange throwing ends it the same way, the error as a tagged reason', async () => {
    const { s, pid, reason } = await upgradeWith('throw.ts', 'throw');
    expect(s.isAlive(pid)).toBe(false);
    expect(reason).toMatchObject({ kind: 'codeChange', export: 'Counter', oldVsn: 'v1', error: { kind: 'error', name: 'Error', message: 'codeChange blew up' } });
  });

  it('a new version that no longer exports the behaviour ends its actors with a codeChange undef reason', async () => {
    const source = "export const vsn = 'v2';\nexport const Other = 1;\n";
    const { s, pid, reason } = await upgradeWith('gone.ts', undefined, { source });
    expect(s.isAlive(pid)).toBe(false);
    expect(reason).toMatchObject({ kind: 'codeChange', export: 'Counter', oldVsn: 'v1', error: expect.stringMatching(/^undef/) });
  });

  it('the same upgrade with a good extra keeps the actor alive', async () => {
    const { s, pid, reason } = await upgradeWith('fine.ts', undefined);
    expect(reason).toBeUndefined();
    expect(s.isAlive(pid)).toBe(true);
  });
});
