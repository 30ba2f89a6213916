/**
 * gen_statem conformance: state enter calls. Follows OTP's gen_statem_SUITE
 * (erlang/otp lib/stdlib/test) case state_enter, step by step with its numbering:
 *   - the initial state's enter call runs at start, with the state itself as previous;
 *   - a state change runs the new state's enter call (content: the previous state);
 *     `repeat` from an enter call runs it again; `repeat` from an event runs the enter
 *     call of the same state;
 *   - an enter call may set time-outs: zero event and state time-outs set by repeated
 *     enter calls replace each other, and run (event first, as set) after them;
 *   - an event inserted by the transition runs after the enter call;
 *   - a stop answers its reply actions, then the exit with the reason.
 * Reports are the machine's sends to the node, in order; replies are the calls' results.
 * On 0 schedulers and on 2 (the machine on scheduler 1, called from the embedding thread).
 */
import { expect, it } from 'vitest';
import { GenStatem, NoProcError, Sys } from '../../../src/index.ts';
import { describeOnZeroAndTwo, kStartTimeoutMs, reports, watch } from './support.ts';
import { StateEnter } from './fixtures/statem-machines.ts';

describeOnZeroAndTwo('gen_statem state enter', (kind) => {
  it('state_enter: enter calls at start and on every state change, repeat, time-outs set by enter calls', async () => {
    const { node, inbox } = kind;
    const sm = (await GenStatem.start(node, StateEnter, [node.pid], { spawn: kind.placeOn(1), timeoutMs: kStartTimeoutMs }))!;
    const exited = await watch(kind, sm);
    const steps = (n: number) => reports(inbox, n, Array.isArray, 'steps');
    expect(await steps(1)).toEqual([[1, 'enter', 'start', 'start']]);
    expect(await GenStatem.call(node, sm, 'echo')).toEqual([2, 'echo', 'start']);
    expect(await steps(5)).toEqual([
      [3, { enter: 'start' }],
      [4, { enter: 'start' }],
      [5, 'enter', 'wait', 'start'],
      [6, { timeout: 5 }],
      [7, { stateTimeout: 5 }],
    ]);
    expect(await Sys.getState(node, sm)).toEqual({ state: 'wait', data: { report: node.pid, n: 8 } });
    expect(await GenStatem.call(node, sm, 'repeat')).toEqual([8, 'repeat', 'wait']);
    expect(await steps(3)).toEqual([
      [8, 'enter', 'wait', 'wait'],
      [9, { timeout: 8 }],
      [10, { stateTimeout: 8 }],
    ]);
    expect(await GenStatem.call(node, sm, 'echo')).toEqual([11, 'echo', 'wait']);
    expect(await steps(2)).toEqual([
      [12, 'enter', 'start', 'wait'],
      [13, 'internal', 'start', 'wait'],
    ]);
    expect(await GenStatem.call(node, sm, 'repeat')).toEqual([14, 'repeat', 'start']);
    expect(await steps(1)).toEqual([[15, 'enter', 'start', 'start']]);
    expect(await GenStatem.call(node, sm, { stop: 'bye' })).toEqual([16, 'stop']);
    expect(await inbox.next((m) => m?.terminated !== undefined)).toEqual({ terminated: 'bye' });
    expect(await exited()).toBe('bye');
    const e = await GenStatem.call(node, sm, 'hej').then(() => null, (x: unknown) => x);
    expect(e).toBeInstanceOf(NoProcError);
    expect(inbox.pending()).toEqual([]);
  });
});
