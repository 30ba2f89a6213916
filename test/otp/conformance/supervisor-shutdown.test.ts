/**
 * OTP conformance: how a supervisor shuts its children down.
 *
 * Follows lib/stdlib/test/supervisor_SUITE.erl:
 *   sup_stop_infinity     shutdown 'infinity' (a supervisor child, and a worker): the
 *                         supervisor waits as long as the child takes; both end 'shutdown'
 *   sup_stop_timeout      shutdown 200 ms: a child that stops in time ends 'shutdown', one
 *                         that does not is killed ('killed')
 *   sup_stop_brutal_kill  'brutal_kill': killed at once, even a child that traps exits
 *   (start order / stop order)  children stop in reverse start order, one at a time: each
 *                         is gone before the one started before it is asked to stop
 */
import { expect, it } from 'vitest';
import { Supervisor, SupervisorFromSpec, Sys } from '../../../src/index.ts';
import type { Pid } from '../../../src/index.ts';
import { Kid, Lingerer } from './fixtures/children.ts';
import { describeOnSchedulers, started, watchDown, type ConformanceKind } from './support.ts';

function lingerer(kind: ConformanceKind, id: string, lingerMs: number, shutdown: number | 'infinity' | 'brutal_kill', peers: string[] = [], name?: string) {
  return { id, shutdown, ...(name === undefined ? {} : { name }), start: { behaviour: Lingerer, args: [id, kind.node.pid, lingerMs, peers], options: kind.placeOn(1) } };
}

describeOnSchedulers('supervisor shutdown', (kind) => {
  it('sup_stop_infinity: infinity waits for a slow supervisor child and a slow worker; both end shutdown', async () => {
    const { node, inbox } = kind;
    const inner = { children: [lingerer(kind, 'inner_w', 0, 100)] };
    const sup = (await Supervisor.start(node, {
      children: [
        { id: 'child1', type: 'supervisor' as const, shutdown: 'infinity' as const, start: { behaviour: SupervisorFromSpec, args: [inner], options: kind.placeOn(1) } },
        lingerer(kind, 'child2', 300, 'infinity'),
      ],
    }, { spawn: kind.placeOn(0) }))!;
    await inbox.next(started('inner_w'));
    await inbox.next(started('child2'));
    const [c1, c2] = (await Supervisor.whichChildren(node, sup)).map((c) => c.pid!);
    const d1 = await watchDown(kind, c1!);
    const d2 = await watchDown(kind, c2!);
    expect(await Sys.terminate(node, sup, 'shutdown')).toBe('ok');
    expect(await d2()).toBe('shutdown');
    expect(await d1()).toBe('shutdown');
    expect(await inbox.next((m: any) => m.stopped === 'inner_w')).toMatchObject({ reason: 'shutdown' });
  });

  it('sup_stop_timeout: a child that stops within its shutdown time ends shutdown, one that does not is killed', async () => {
    const { node, inbox } = kind;
    const sup = (await Supervisor.start(node, {
      children: [
        { id: 'child1', shutdown: 1000, start: { behaviour: Kid, args: ['child1', node.pid], options: kind.placeOn(1) } },
        lingerer(kind, 'child2', Infinity, 200),
      ],
    }, { spawn: kind.placeOn(0) }))!;
    const c1 = (await inbox.next(started('child1'))).pid as Pid;
    const c2 = (await inbox.next(started('child2'))).pid as Pid;
    const d1 = await watchDown(kind, c1);
    const d2 = await watchDown(kind, c2);
    const t0 = Date.now();
    expect(await Sys.terminate(node, sup, 'shutdown')).toBe('ok');
    expect(Date.now() - t0).toBeGreaterThanOrEqual(190); // child2 was given its 200 ms
    expect(await d1()).toBe('shutdown');
    expect(await d2()).toBe('killed');
  });

  it('sup_stop_brutal_kill: brutal_kill kills at once, even a child trapping exits', async () => {
    const { node, inbox } = kind;
    const sup = (await Supervisor.start(node, {
      children: [
        { id: 'child1', shutdown: 1000, start: { behaviour: Kid, args: ['child1', node.pid], options: kind.placeOn(1) } },
        { id: 'child2', shutdown: 'brutal_kill' as const, start: { behaviour: Kid, args: ['child2', node.pid], options: kind.placeOn(1) } },
      ],
    }, { spawn: kind.placeOn(0) }))!;
    const c1 = (await inbox.next(started('child1'))).pid as Pid;
    const c2 = (await inbox.next(started('child2'))).pid as Pid;
    const d1 = await watchDown(kind, c1);
    const d2 = await watchDown(kind, c2);
    expect(await Sys.terminate(node, sup, 'shutdown')).toBe('ok');
    expect(await d1()).toBe('shutdown');
    expect(await d2()).toBe('killed');
    // child1 ran terminate; child2 was given no chance to.
    expect(await inbox.next((m: any) => m.stopped === 'child1')).toEqual({ stopped: 'child1', reason: 'shutdown' });
    expect(inbox.pending().filter((m: any) => m.stopped === 'child2')).toEqual([]);
  });

  it('children stop in reverse start order, each gone before the previous one is asked', async () => {
    const { node, inbox } = kind;
    const names = ['a', 'b', 'c'].map((id) => kind.name(`order_${id}`));
    const sup = (await Supervisor.start(node, {
      children: ['a', 'b', 'c'].map((id, i) => lingerer(kind, id, 20, 1000, names, names[i])),
    }, { spawn: kind.placeOn(0) }))!;
    for (const id of ['a', 'b', 'c']) await inbox.next(started(id));
    expect(await Sys.terminate(node, sup, 'shutdown')).toBe('ok');
    const report = async (id: string) => inbox.next((m: any) => m.stopped === id);
    expect(await report('c')).toEqual({ stopped: 'c', reason: 'shutdown', alive: [names[0], names[1], names[2]] });
    expect(await report('b')).toEqual({ stopped: 'b', reason: 'shutdown', alive: [names[0], names[1]] });
    expect(await report('a')).toEqual({ stopped: 'a', reason: 'shutdown', alive: [names[0]] });
  });
});
