import { describe, expect, it } from 'vitest';
import { LocalNode } from '../../src/core/local-node.ts';
import { defineActor } from '../../src/core/behaviour.ts';
import { isCall } from '../../src/core/call-protocol.ts';
import { Timers } from './fixtures/gen-statem-door.ts';
import { until } from './code-helpers.ts';

const Recorder = defineActor(import.meta.url, {
  init: () => [] as unknown[],
  handle(msg: unknown, log: unknown[], ctx) {
    if (isCall(msg)) ctx.reply(msg.from, log);
    else log.push(msg);
    return log;
  },
});

type Ev = { state: string; ev: string; name?: string; content: unknown };

describe('GenStatem: event, state and generic timeouts', () => {
  it('an event timeout fires when nothing comes, and any event cancels it', async () => {
    const node = new LocalNode();
    try {
      const rec = await node.spawn(Recorder);
      const sm = await node.spawn(Timers, [rec]);
      await node.call(sm, { do: 'eventTimeout', ms: 20 });
      await until(async () => ((await node.call(rec, 'log')) as Ev[]).length === 1, 'the event timeout');
      expect(await node.call(rec, 'log')).toEqual([{ state: 'a', ev: 'timeout', content: 'event-timeout' }]);

      // An event (a cast) cancels the event timeout. Proof by order, not by waiting: a
      // generic timeout armed first and due 250 ms after the event timeout would have
      // been, is a timer of the same process; timers fire in deadline order, so had the
      // event timeout stayed armed, it would be logged before the generic one.
      await node.call(sm, { do: 'genericTimeout', ms: 300 });
      await node.call(sm, { do: 'eventTimeout', ms: 50 });
      node.send(sm, { type: '$cast', msg: 'poke' });
      await until(async () => ((await node.call(rec, 'log')) as Ev[]).length >= 3, 'the generic timeout');
      expect(((await node.call(rec, 'log')) as Ev[]).map((e) => e.ev)).toEqual(['timeout', 'cast', 'genericTimeout']);
    } finally {
      await node.stop();
    }
  });

  it('a state change cancels the state timeout but not a generic timeout', async () => {
    const node = new LocalNode();
    try {
      const rec = await node.spawn(Recorder);
      const sm = await node.spawn(Timers, [rec]);
      // The state timeout is due 250 ms before the generic one: had the state change not
      // cancelled it, it would fire (and be logged) first — timers of one process fire in
      // deadline order, and the statem reports both to rec in the order it handles them.
      await node.call(sm, { do: 'stateTimeout', ms: 50 });
      await node.call(sm, { do: 'genericTimeout', ms: 300 });
      await node.call(sm, { do: 'goto', to: 'b' });
      await until(async () => ((await node.call(rec, 'log')) as Ev[]).length >= 1, 'the generic timeout');
      expect(await node.call(rec, 'log')).toEqual([{ state: 'b', ev: 'genericTimeout', name: 'g', content: 'generic-timeout' }]);

      // Without a state change the state timeout fires.
      await node.call(sm, { do: 'stateTimeout', ms: 10 });
      await until(async () => ((await node.call(rec, 'log')) as Ev[]).length === 2, 'the state timeout');
      expect(((await node.call(rec, 'log')) as Ev[])[1]).toEqual({ state: 'b', ev: 'stateTimeout', content: 'state-timeout' });
    } finally {
      await node.stop();
    }
  });
});
