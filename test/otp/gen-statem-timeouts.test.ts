import { describe, expect, it } from 'vitest';
import { LocalNode } from '../../src/core/local-node.ts';
import { defineActor } from '../../src/core/behaviour.ts';
import { isCall } from '../../src/core/context.ts';
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
      const rec = node.spawn(Recorder);
      const sm = node.spawn(Timers, [rec]);
      await node.call(sm, { do: 'eventTimeout', ms: 20 });
      await until(async () => ((await node.call(rec, 'log')) as Ev[]).length === 1, 'the event timeout');
      expect(await node.call(rec, 'log')).toEqual([{ state: 'a', ev: 'timeout', content: 'event-timeout' }]);

      // A long event timeout, then an event (a cast): the timeout never fires.
      await node.call(sm, { do: 'eventTimeout', ms: 1000 });
      node.send(sm, { type: '$cast', msg: 'poke' });
      await new Promise((r) => setTimeout(r, 1500));
      expect(((await node.call(rec, 'log')) as Ev[]).map((e) => e.ev)).toEqual(['timeout', 'cast']);
    } finally {
      await node.stop();
    }
  });

  it('a state change cancels the state timeout but not a generic timeout', async () => {
    const node = new LocalNode();
    try {
      const rec = node.spawn(Recorder);
      const sm = node.spawn(Timers, [rec]);
      await node.call(sm, { do: 'stateTimeout', ms: 1000 });
      await node.call(sm, { do: 'genericTimeout', ms: 1000 });
      await node.call(sm, { do: 'goto', to: 'b' });
      await until(async () => ((await node.call(rec, 'log')) as Ev[]).length >= 1, 'the generic timeout');
      await new Promise((r) => setTimeout(r, 500));
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
