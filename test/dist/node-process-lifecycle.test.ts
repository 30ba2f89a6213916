import { describe, expect, it } from 'vitest';
import { NodeProcessExitedError, NodeProcessRequestError, NodeProcessTimeoutError, startNodeProcess } from './support/node-process.ts';

// The child-process harness with a node that has no name (distribution not needed): it
// starts, spawns module-defined behaviours, answers local calls with ids matched, reports
// watcher events, bounds every request by a deadline, sees a kill -9 at once, and a stop
// leaves the child exited by itself with code 0.

describe('node process harness: lifecycle of a local node', () => {
  it('starts, spawns an echo and a GenServer counter, calls them, and stops: the child exits 0 by itself', async () => {
    const n = await startNodeProcess();
    expect(n.name).toBe('nonode@nohost');
    const echo = await n.request<{ pid: string; printed: string }>({ cmd: 'spawn', behaviour: 'Echo', register: 'echo' });
    expect(echo.pid).toMatch(/^p\d+$/);
    expect(echo.printed).toMatch(/^<0\.\d+\.\d+>$/);
    const counter = await n.request<{ pid: string }>({ cmd: 'spawn', behaviour: 'Counter', args: [40] });

    // Several requests in flight at once: each answer finds its own request.
    const [byName, byPid, added, got] = await Promise.all([
      n.request({ cmd: 'call', to: { name: 'echo' }, msg: 'by name' }),
      n.request({ cmd: 'call', to: { pid: echo.pid }, msg: { n: 1 } }),
      n.request({ cmd: 'call', to: { pid: counter.pid }, msg: { add: 2 } }),
      n.request({ cmd: 'call', to: { pid: counter.pid }, msg: 'get' }),
    ]);
    expect(byName).toEqual({ value: { echo: 'by name', self: echo.printed, node: 'nonode@nohost' } });
    expect(byPid).toEqual({ value: { echo: { n: 1 }, self: echo.printed, node: 'nonode@nohost' } });
    expect(added).toEqual({ value: 42 });
    expect(got).toEqual({ value: 42 });

    const exit = await n.stop();
    expect(exit, n.stderr).toEqual({ code: 0, signal: null });
    expect(n.alive).toBe(false);
  });

  it("reports a watcher's DOWN and a trapped EXIT as events, with the reason", async () => {
    const n = await startNodeProcess();
    const victim = await n.request<{ pid: string; printed: string }>({ cmd: 'spawn', behaviour: 'Echo' });
    const { tag: mon } = await n.request<{ tag: string }>({ cmd: 'monitor', target: { pid: victim.pid } });
    const { tag: lnk } = await n.request<{ tag: string }>({ cmd: 'link', target: { pid: victim.pid } });
    await n.request({ cmd: 'exit', target: { pid: victim.pid }, reason: { gone: 'away' } });
    const down = await n.events.waitFor((e) => e.event === 'DOWN' && e.tag === mon, 5000, 'DOWN');
    const ex = await n.events.waitFor((e) => e.event === 'EXIT' && e.tag === lnk, 5000, 'EXIT');
    expect(down).toEqual({ event: 'DOWN', tag: mon, pid: victim.printed, reason: { gone: 'away' } });
    expect(ex).toEqual({ event: 'EXIT', tag: lnk, pid: victim.printed, reason: { gone: 'away' } });
    expect((await n.stop()).code).toBe(0);
  });

  it('an error in the child rejects the request with its name and message; a missing answer hits the deadline', async () => {
    const n = await startNodeProcess();
    const e = await n.request({ cmd: 'call', to: { name: 'nobody' }, msg: 1 }).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(NodeProcessRequestError);
    expect((e as NodeProcessRequestError).remote).toEqual({ name: 'NoProcError', code: 'ERR_SB_NOPROC', message: 'no such process: nobody' });
    expect((e as Error).message).toBe('call: NoProcError [ERR_SB_NOPROC]: no such process: nobody');

    const slow = await n.request({ cmd: 'block', ms: 1500 }, 200).catch((x: unknown) => x);
    expect(slow).toBeInstanceOf(NodeProcessTimeoutError);
    expect((slow as Error).message).toBe('block to nonode@nohost: no answer within 200 ms');
    // The child is still fine afterwards (the late answer is dropped).
    expect(await n.request({ cmd: 'info' })).toEqual({ name: 'nonode@nohost' });
    expect((await n.stop()).code).toBe(0);
  });

  it('kill9: the exit is seen at once, and a pending request rejects instead of hanging', async () => {
    const n = await startNodeProcess();
    const pending = n.request({ cmd: 'block', ms: 20_000 }, 25_000).catch((x: unknown) => x);
    const t0 = Date.now();
    expect(await n.kill9()).toEqual({ code: null, signal: 'SIGKILL' });
    const e = await pending;
    expect(e).toBeInstanceOf(NodeProcessExitedError);
    expect(Date.now() - t0).toBeLessThan(5000);
    await expect(n.request({ cmd: 'info' })).rejects.toBeInstanceOf(NodeProcessExitedError);
  });
});
