import { afterAll, describe, expect, it } from 'vitest';
import { Scheduler } from '../../src/core/scheduler.ts';
import { CodeServer } from '../../src/otp/code-server.ts';
import { ModuleDir } from './code-helpers.ts';
import { recordExits, spawnRecorder } from '../core/helpers.ts';

const dir = new ModuleDir();
afterAll(() => dir.remove());

describe('CodeServer.load of a third version', () => {
  it("kills the actors still on the oldest version with {kind:'purged'}; actors that moved survive", async () => {
    const url = dir.write('third.ts', 'code-counter/v1.ts');
    const v1 = (await import(url)) as typeof import('./fixtures/code-counter/v1.ts');
    // The per-scheduler variant: a Scheduler driven by hand, on this thread.
    const s = new Scheduler();
    const exits = recordExits(s);
    const sink = spawnRecorder(s);
    const waiter = s.spawn(v1.Waiter, [sink.pid]); // process style: never switches
    const counter = s.spawn(v1.Counter, [3]); // handler style: switches
    const trapper = s.spawn(v1.Counter, [0], { trapExit: true }); // trapping does not save it...
    s.suspend(trapper); // ...and a suspended actor cannot switch
    s.send(waiter, 'a');
    s.runUntilIdle();
    expect(sink.log).toEqual([{ vsn: 'v1', m: 'a' }]);

    dir.write('third.ts', 'code-counter/v2.ts');
    expect(await CodeServer.load(s, url)).toMatchObject({ vsn: 'v2', oldVsn: 'v1', killed: 0 });
    s.runUntilIdle();
    // The generator keeps running v1 code; the counter runs v2.
    s.send(waiter, 'b');
    s.runUntilIdle();
    expect(sink.log).toEqual([{ vsn: 'v1', m: 'a' }, { vsn: 'v1', m: 'b' }]);
    expect(await CodeServer.versions(s, url)).toMatchObject({ current: 'v2', old: 'v1', oldActors: 2, currentActors: 1 });

    dir.write('third.ts', 'code-counter/v3.ts');
    const r = await CodeServer.load(s, url);
    expect(r).toMatchObject({ vsn: 'v3', oldVsn: 'v2', killed: 2 });
    s.runUntilIdle();
    expect(s.isAlive(waiter)).toBe(false);
    expect(s.isAlive(trapper)).toBe(false);
    expect(exits.get(waiter.toString())).toEqual({ kind: 'purged', module: url, vsn: 'v1' });
    expect(exits.get(trapper.toString())).toEqual({ kind: 'purged', module: url, vsn: 'v1' });
    expect(s.isAlive(counter)).toBe(true);
    expect(await CodeServer.versions(s, url)).toMatchObject({ current: 'v3', old: 'v2', oldActors: 0, currentActors: 1 });
  });
});
