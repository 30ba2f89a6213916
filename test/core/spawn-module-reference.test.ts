import { describe, expect, it } from 'vitest';
import { makeScheduler, recordExits, spawnRecorder } from './helpers.ts';
import type { Scheduler } from '../../src/core/scheduler.ts';
import type { Pid } from '../../src/core/pid.ts';

const echoUrl = new URL('./fixtures/echo.ts', import.meta.url).href;
const counterUrl = new URL('./fixtures/counter-process.ts', import.meta.url).href;

/** Wait (on the event loop, not on the scheduler's clock) until the module has loaded. */
async function loaded(s: Scheduler, pid: Pid): Promise<void> {
  for (let i = 0; i < 500 && s.processInfo(pid)?.status === 'loading'; i++) {
    await new Promise((r) => setTimeout(r, 2));
  }
}

describe('spawn: behaviour referenced by module + export', () => {
  it('queues messages sent while the module loads and handles them in order once it has', async () => {
    const { s } = makeScheduler();
    const sink = spawnRecorder(s);
    const pid = s.spawn({ module: echoUrl, export: 'Echo' }, [sink.pid]);
    s.send(pid, 1);
    s.send(pid, 2);
    s.runUntilIdle();
    // The first spawn of a module in this file: its import has not finished yet.
    const info = s.processInfo(pid)!;
    expect(info.status).toBe('loading');
    expect(info.behaviour).toBe('loading');
    expect(info.messageQueueLen).toBe(2);
    expect(sink.log).toEqual([]);
    await loaded(s, pid);
    s.send(pid, 3);
    s.runUntilIdle();
    expect(sink.log).toEqual([{ from: pid, msg: 1 }, { from: pid, msg: 2 }, { from: pid, msg: 3 }]);
    expect(s.processInfo(pid)!.behaviour).toBe('echo.ts#Echo');
  });

  it('loads a process-style export too; a second spawn of a loaded module starts at once', async () => {
    const { s } = makeScheduler();
    const sink = spawnRecorder(s);
    const first = s.spawn({ module: counterUrl, export: 'CounterProcess' }, [sink.pid]);
    s.send(first, 'a');
    s.send(first, 'stop');
    await loaded(s, first);
    s.runUntilIdle();
    expect(sink.log).toEqual([{ count: 1 }]);

    const second = s.spawn({ module: counterUrl, export: 'CounterProcess' }, [sink.pid]);
    expect(s.processInfo(second)!.status).not.toBe('loading');
    s.send(second, 'stop');
    s.runUntilIdle();
    expect(sink.log).toEqual([{ count: 1 }, { count: 0 }]);
  });

  it('can be spawned from the Behaviour object that defineActor returned', async () => {
    const { Echo } = await import('./fixtures/echo.ts');
    const { s } = makeScheduler();
    const sink = spawnRecorder(s);
    const pid = s.spawn(Echo, [sink.pid]);
    s.send(pid, 'hi');
    s.runUntilIdle();
    expect(sink.log).toEqual([{ from: pid, msg: 'hi' }]);
    expect(Echo.module).toBe(echoUrl);
  });
});

describe('spawn: a missing export', () => {
  it("ends the actor with {kind:'undef'} naming module and export", async () => {
    const { s } = makeScheduler();
    const exits = recordExits(s);
    const pid = s.spawn({ module: echoUrl, export: 'NoSuchExport' });
    s.send(pid, 'lost');
    await loaded(s, pid);
    s.runUntilIdle();
    expect(s.isAlive(pid)).toBe(false);
    expect(exits.get(pid.toString())).toMatchObject({ kind: 'undef', module: echoUrl, export: 'NoSuchExport' });
  });

  it("ends the actor with {kind:'undef'} when the module does not exist", async () => {
    const { s } = makeScheduler();
    const exits = recordExits(s);
    const missing = new URL('./fixtures/does-not-exist.ts', import.meta.url).href;
    const pid = s.spawn({ module: missing, export: 'X' });
    await loaded(s, pid);
    s.runUntilIdle();
    expect(exits.get(pid.toString())).toMatchObject({ kind: 'undef', module: missing, export: 'X' });
  });
});
