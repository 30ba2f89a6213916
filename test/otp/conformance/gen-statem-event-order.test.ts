/**
 * gen_statem conformance: the order events are handled in, inserted events, and a stop
 * that replies. Follows OTP's gen_statem_SUITE (erlang/otp lib/stdlib/test):
 *   event_order      postponed casts are retried after the state change, after the
 *                    events the transition inserted (in their order), and they cancel a
 *                    zero event time-out set with them: it never fires
 *   event_types      nextEvent inserts every event type (internal, stateTimeout, timeout,
 *                    info, cast, a generic time-out, a call — answered from its from);
 *                    init may insert events too
 *   stop_and_reply   a stop result answers its reply actions (a held call and the current
 *                    one) before the process exits with the reason
 *   shutdown         a machine stopped with { kind: 'shutdown', ... } exits with it; a
 *                    call afterwards fails with NoProcError
 * On 0 schedulers and on 2 (the machine on scheduler 1, called from the embedding thread).
 */
import { expect, it } from 'vitest';
import { GenStatem, NoProcError } from '../../../src/index.ts';
import { describeOnZeroAndTwo, kStartTimeoutMs, reports, watch } from './support.ts';
import { EventOrder, EventTypes, StopAndReply } from './fixtures/statem-machines.ts';

async function noProc(p: Promise<unknown>): Promise<void> {
  const e = await p.then(() => null, (x: unknown) => x);
  expect(e).toBeInstanceOf(NoProcError);
  expect((e as NoProcError).code).toBe('ERR_SB_NOPROC');
}

describeOnZeroAndTwo('gen_statem event order', (kind) => {
  it('event_order: inserted events first, then the postponed casts in arrival order; the zero event time-out is cancelled', async () => {
    const { node, inbox } = kind;
    const sm = (await GenStatem.start(node, EventOrder, [node.pid], { spawn: kind.placeOn(1), timeoutMs: kStartTimeoutMs }))!;
    const exited = await watch(kind, sm);
    GenStatem.cast(node, sm, 'ok1');
    GenStatem.cast(node, sm, 'ok2');
    expect(await GenStatem.call(node, sm, 'buffer')).toBe('ok');
    expect(await GenStatem.call(node, sm, { stop: 'reason' })).toBe('ok');
    expect(await reports(inbox, 4, (m) => m?.seen !== undefined)).toEqual([{ seen: 'ok3' }, { seen: 'ok4' }, { seen: 'ok1' }, { seen: 'ok2' }]);
    expect(await inbox.next((m) => m?.terminated !== undefined)).toEqual({ terminated: 'reason' });
    expect(await exited()).toBe('reason');
    await noProc(GenStatem.call(node, sm, 'hej'));
    // ok5, the zero event time-out, never came: nothing was seen but the four.
    expect(inbox.pending()).toEqual([]);
  });

  it('event_types: every event type can be inserted, a call included, from init too', async () => {
    const { node, inbox } = kind;
    const sm = (await GenStatem.start(node, EventTypes, [node.pid], { spawn: kind.placeOn(1), timeoutMs: kStartTimeoutMs }))!;
    const exited = await watch(kind, sm);
    // The call walks start2 -> state1 ... state7 through the inserted events, the last of
    // them the call itself, which state7 answers.
    expect(await GenStatem.call(node, sm, 'stop')).toBe('stopped');
    expect(await inbox.next((m) => m?.terminated !== undefined)).toEqual({ terminated: 'shutdown' });
    expect(await exited()).toBe('shutdown');
    await noProc(GenStatem.call(node, sm, 'hej'));
  });

  it('stop_and_reply: the held call and the stopping call are answered, then the exit', async () => {
    const { node, inbox } = kind;
    const sm = (await GenStatem.start(node, StopAndReply, [node.pid], { spawn: kind.placeOn(1), timeoutMs: kStartTimeoutMs }))!;
    const exited = await watch(kind, sm);
    const held = GenStatem.call(node, sm, 'hold');
    const stopping = GenStatem.call(node, sm, { stop: 'reason' });
    expect(await held).toBe('reply1');
    expect(await stopping).toBe('reply2');
    expect(await inbox.next((m) => m?.terminated !== undefined)).toEqual({ terminated: 'reason' });
    expect(await exited()).toBe('reason');
    await noProc(GenStatem.call(node, sm, 'hej'));
  });

  it('shutdown: a { kind: "shutdown" } stop reason is the exit reason; the next call is noproc', async () => {
    const { node, inbox } = kind;
    const sm = (await GenStatem.start(node, StopAndReply, [node.pid], { spawn: kind.placeOn(1), timeoutMs: kStartTimeoutMs }))!;
    const exited = await watch(kind, sm);
    const held = GenStatem.call(node, sm, 'hold');
    const reason = { kind: 'shutdown', reason: 'reason' };
    expect(await GenStatem.call(node, sm, { stop: reason })).toBe('reply2');
    expect(await held).toBe('reply1');
    expect(await inbox.next((m) => m?.terminated !== undefined)).toEqual({ terminated: reason });
    expect(await exited()).toEqual(reason);
    await noProc(GenStatem.call(node, sm, 'hej'));
  });
});
