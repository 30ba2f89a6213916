import { describe, expect, it } from 'vitest';
import { makeScheduler, recordExits, spawnRecorder } from './helpers.ts';

describe('spawn: an actor killed while its module loads', () => {
  it('stays dead when the module arrives, and never runs', async () => {
    const { s } = makeScheduler();
    const exits = recordExits(s);
    const sink = spawnRecorder(s);
    const url = new URL('./fixtures/echo.ts', import.meta.url).href;
    const pid = s.spawn({ module: url, export: 'Echo' }, [sink.pid]);
    s.send(pid, 'hello');
    expect(s.processInfo(pid)!.status).toBe('loading');
    s.exit(pid, 'cancelled');
    s.runUntilIdle();
    expect(exits.get(pid.toString())).toBe('cancelled');
    await import('./fixtures/echo.ts');
    for (let i = 0; i < 20; i++) await new Promise((r) => setTimeout(r, 2));
    s.runUntilIdle();
    expect(sink.log).toEqual([]);
    expect(s.size).toBe(1);
  });
});
