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

describe('GenStatem: nextEvent', () => {
  it('runs inserted events in order, before the messages already in the mailbox', async () => {
    const node = new LocalNode();
    try {
      const rec = await node.spawn(Recorder);
      const sm = await node.spawn(Timers, [rec]);
      await node.idle();
      // The call and a cast are queued together: the call's inserted events come first.
      const p = node.call(sm, { do: 'insert', events: ['x', 'y'] });
      node.send(sm, { type: '$cast', msg: 'after' });
      expect(await p).toBe('ok');
      await until(async () => ((await node.call(rec, 'log')) as unknown[]).length === 3, 'three events');
      expect(await node.call(rec, 'log')).toEqual([
        { state: 'a', ev: 'internal', content: 'x' },
        { state: 'a', ev: 'internal', content: 'y' },
        { state: 'a', ev: 'cast', content: 'after' },
      ]);
    } finally {
      await node.stop();
    }
  });
});
