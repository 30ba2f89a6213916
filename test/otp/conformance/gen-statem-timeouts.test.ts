/**
 * gen_statem conformance: state, event and generic time-outs — zero, cancel, update,
 * Infinity, restart. Follows OTP's gen_statem_SUITE (erlang/otp lib/stdlib/test):
 *   state_timeout              zero time-outs run after the inserted events and before
 *                              the mailbox (a message sent to self waits for all of
 *                              them), in the order set; a zero state time-out cancels a
 *                              zero event time-out set after it; a state time-out fires
 *                              after its time (issue 17 point 4, with ZeroFirst below)
 *   state_timeout (zero first) the three kinds at 0 ms, set after two messages were sent
 *                              to self, run first, in the order they were set
 *   event_order (postponed)    a postponed time-out event retried after the state change
 *                              cancels the event time-out started by that change, as any
 *                              event does (issue 17 point 3), with a timer and at 0 ms
 *   timeout_cancel_and_update  cancel a state time-out; update a generic one (content
 *                              changes, deadline stays) and a state one; the status lists
 *                              the one event time-out left
 *   generic_timers             named time-outs across state changes: a zero one first,
 *                              Infinity cancels, a restart carries new content (an
 *                              inserted call answered from it)
 * On 0 schedulers and on 2 (the machine on scheduler 1, called from the embedding thread).
 */
import { expect, it } from 'vitest';
import { GenStatem, Sys } from '../../../src/index.ts';
import { describeOnZeroAndTwo, kStartTimeoutMs, reports, watch } from './support.ts';
import { CancelAndUpdate, GenericTimers, StateTimeout } from './fixtures/statem-machines.ts';
import { PostponedTimeout, ZeroFirst } from './fixtures/statem-zero-postpone.ts';

describeOnZeroAndTwo('gen_statem time-outs', (kind) => {
  it('state_timeout: zero time-outs after inserted events, before the mailbox, in order; then a timed state time-out', async () => {
    const { node, inbox } = kind;
    const sm = (await GenStatem.start(node, StateTimeout, [node.pid], { spawn: kind.placeOn(1), timeoutMs: kStartTimeoutMs }))!;
    const exited = await watch(kind, sm);
    // Any other order of events is an unexpected event: the machine would crash.
    // t0 before the call: the 100 ms state time-out is started after it (by the
    // transition that answers it), so 'check' cannot be answered sooner.
    const t0 = performance.now();
    expect(await GenStatem.call(node, sm, { go: 100 })).toBe('ok');
    expect(await GenStatem.call(node, sm, 'check')).toBe('ok');
    expect(performance.now() - t0).toBeGreaterThanOrEqual(95);
    expect(await inbox.next((m) => m?.terminated !== undefined)).toEqual({ terminated: 'normal' });
    expect(await exited()).toBe('normal');
  });

  it('state_timeout (zero first): zero event, state and generic time-outs run before queued messages, in the order set', async () => {
    const { node, inbox } = kind;
    const sm = (await GenStatem.start(node, ZeroFirst, [node.pid], { spawn: kind.placeOn(1), timeoutMs: kStartTimeoutMs }))!;
    expect(await GenStatem.call(node, sm, 'go')).toBe('ok');
    expect(await reports(inbox, 5)).toEqual([
      { state: 'b', ev: 'timeout', content: 'e' },
      { state: 'b', ev: 'stateTimeout', content: 's' },
      { state: 'b', ev: 'genericTimeout', name: 'g', content: 'g' },
      { state: 'b', ev: 'info', content: 'm1' },
      { state: 'b', ev: 'info', content: 'm2' },
    ]);
    await GenStatem.stop(node, sm);
  });

  for (const go of [30, 0]) {
    it(`event_order (postponed): a retried postponed time-out event cancels the event time-out of the state change (${go} ms)`, async () => {
      const { node, inbox } = kind;
      const sm = (await GenStatem.start(node, PostponedTimeout, [node.pid], { spawn: kind.placeOn(1), timeoutMs: kStartTimeoutMs }))!;
      expect(await GenStatem.call(node, sm, { arm: 5 })).toBe('ok');
      expect(await inbox.next((m) => m?.ev === 'timeout')).toEqual({ state: 'a', ev: 'timeout', content: 'first' });
      // The probe is due well after the new event time-out: had that one not been
      // cancelled, it would be reported before the probe (one process's timers fire in
      // deadline order, and zero time-outs before any timer).
      expect(await GenStatem.call(node, sm, { go, probe: go + 120 })).toBe('ok');
      expect(await reports(inbox, 2)).toEqual([
        { state: 'b', ev: 'timeout', content: 'first' },
        { state: 'b', ev: 'genericTimeout', name: 'probe', content: 'probe' },
      ]);
      expect(inbox.pending()).toEqual([]);
      await GenStatem.stop(node, sm);
    });
  }

  it('timeout_cancel_and_update: cancel, update (generic and state), and the status shows the time-out left', async () => {
    const { node, inbox } = kind;
    const sm = (await GenStatem.start(node, CancelAndUpdate, [node.pid], { spawn: kind.placeOn(1), timeoutMs: kStartTimeoutMs }))!;
    const exited = await watch(kind, sm);
    expect(await GenStatem.call(node, sm, 'test')).toBe('ok');
    const status = await Sys.getStatus(node, sm);
    expect(status.state).toEqual({ state: 'state3', data: { report: node.pid, step: 3, from: expect.anything() }, timeouts: [{ type: 'timeout', zero: false, content: 'long' }], postponed: 0 });
    expect(await GenStatem.call(node, sm, 'stop')).toBe('ok');
    expect(await inbox.next((m) => m?.terminated !== undefined)).toEqual({ terminated: 'normal' });
    expect(await exited()).toBe('normal');
  });

  it('generic_timers: a zero generic time-out first, Infinity cancels, a restart carries the inserted call', async () => {
    const { node, inbox } = kind;
    const sm = (await GenStatem.start(node, GenericTimers, [node.pid, 40], { spawn: kind.placeOn(1), timeoutMs: kStartTimeoutMs }))!;
    const exited = await watch(kind, sm);
    expect(await GenStatem.call(node, sm, 'stop')).toBe('stopped');
    expect(await inbox.next((m) => m?.terminated !== undefined)).toEqual({ terminated: 'shutdown' });
    expect(await exited()).toBe('shutdown');
  });
});
