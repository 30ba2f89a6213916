/**
 * Delivery.send / deliver on one LocalNode: the receiver acks, the sender gets the report —
 * as a message for a handler-style sender, as the value of `yield* Delivery.deliver` for a
 * process-style one, as a promise from the embedding thread — and the courier ends with
 * its sender.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { LocalNode } from '../../src/core/local-node.ts';
import type { Context } from '../../src/core/context.ts';
import type { Pid } from '../../src/core/pid.ts';
import { Delivery, isDelivery, type DeliveryReport } from '../../src/cluster/delivery/index.ts';
import { inActor, waitFor } from '../otp/helpers.ts';

let node: LocalNode;
afterEach(() => node?.stop());

/** A receiver that records payloads and acks each envelope. */
async function acker(n: LocalNode, name?: string): Promise<{ pid: Pid; got: unknown[] }> {
  const got: unknown[] = [];
  const pid = await n.spawn({
    handle(m: unknown, st: null, ctx: Context) {
      if (isDelivery(m)) {
        got.push(m.msg);
        Delivery.ack(ctx, m);
      }
      return st;
    },
  }, [], name === undefined ? undefined : { name });
  return { pid, got };
}

describe('Delivery: ack and report', () => {
  it('a handler-style sender gets { type: delivery, ok: true } as a message, after the receiver processed it', async () => {
    node = new LocalNode();
    const r = await acker(node, 'svc');
    const reports: DeliveryReport[] = [];
    const ids: string[] = [];
    await node.spawn({
      init: () => null,
      handle(m: unknown, st: null, ctx: Context) {
        if (m === 'go') ids.push(Delivery.send(ctx, 'svc', { n: 1 }), Delivery.send(ctx, r.pid, { n: 2 }));
        else if (Delivery.isReport(m)) reports.push(m);
        return st;
      },
    }, [], { name: 'sender' });
    node.send('sender', 'go');
    await waitFor(() => reports.length === 2);
    expect(r.got).toEqual([{ n: 1 }, { n: 2 }]);
    expect(reports.map((x) => x.id)).toEqual(ids);
    expect(new Set(ids).size).toBe(2);
    expect(reports[0]).toMatchObject({ type: 'delivery', ok: true, target: 'svc', attempts: 1, duplicate: false });
    expect((reports[0] as { by: Pid }).by.equals(r.pid)).toBe(true);
    expect(reports[1]).toMatchObject({ ok: true, attempts: 1 });
  });

  it('a process-style sender: yield* Delivery.deliver returns the DeliveryOk; other messages stay queued', async () => {
    node = new LocalNode();
    const r = await acker(node, 'svc');
    const out = await inActor(node, function* (ctx) {
      ctx.send(ctx.self, 'other');
      const ok = yield* Delivery.deliver(ctx, 'svc', 'hello', { timeoutMs: 500 });
      const next = yield ctx.receive(undefined, 0);
      return { ok, next };
    });
    expect(out.ok).toMatchObject({ type: 'delivery', ok: true, target: 'svc', attempts: 1 });
    expect(out.next).toBe('other');
    expect(r.got).toEqual(['hello']);
  });

  it('from the embedding thread: await Delivery.deliver(node, ...) resolves with the DeliveryOk', async () => {
    node = new LocalNode();
    const r = await acker(node, 'svc');
    const ok = await Delivery.deliver(node, 'svc', [1, 2, 3]);
    expect(ok).toMatchObject({ ok: true, target: 'svc', attempts: 1 });
    expect(r.got).toEqual([[1, 2, 3]]);
  });

  it("the sender's courier ends when its sender ends normally", async () => {
    node = new LocalNode();
    await acker(node, 'svc');
    const before = (await node.processes()).length;
    await inActor(node, function* (ctx) {
      yield* Delivery.deliver(ctx, 'svc', 'x');
    });
    await waitFor(async () => (await node.processes()).length === before);
  });
});
