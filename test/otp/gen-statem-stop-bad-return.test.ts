import { describe, expect, it } from 'vitest';
import { LocalNode } from '../../src/core/local-node.ts';
import { defineActor } from '../../src/core/behaviour.ts';
import { isCall } from '../../src/core/call-protocol.ts';
import { CallExitError } from '../../src/core/errors.ts';
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

describe('GenStatem: stop and bad returns', () => {
  it('{stop} sends its replies, then exits with the reason; terminate runs', async () => {
    const node = new LocalNode();
    try {
      const rec = await node.spawn(Recorder);
      const sm = await node.spawn(Timers, [rec]);
      expect(await node.call(sm, { do: 'stop' })).toBe('ok');
      await until(async () => !node.scheduler.isAlive(sm), 'the machine to stop');
      expect(await node.call(rec, 'log')).toEqual([{ terminated: 'asked', state: 'a' }]);
    } finally {
      await node.stop();
    }
  });

  it("a state function returning an unknown shape ends it with {kind:'bad_return_value'}; the caller gets CallExitError", async () => {
    const node = new LocalNode();
    try {
      const rec = await node.spawn(Recorder);
      const sm = await node.spawn(Timers, [rec]);
      const err = await node.call(sm, { do: 'bad' }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(CallExitError);
      expect((err as CallExitError).reason).toMatchObject({ kind: 'bad_return_value', callback: 'states.a' });
    } finally {
      await node.stop();
    }
  });
});
