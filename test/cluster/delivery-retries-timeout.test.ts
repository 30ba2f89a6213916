/**
 * Delivery retries: an envelope that is not acked within `timeoutMs` is resent, `retries`
 * times per target, with the same id and key; a late ack of an earlier attempt settles
 * the delivery once; with the retries used up on the only target the report is
 * { ok: false, reason: { kind: 'delivery_failed', tried: [{ outcome: 'timeout' }] } } and
 * deliver throws DeliveryFailedError.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { LocalNode } from '../../src/core/local-node.ts';
import type { Context } from '../../src/core/context.ts';
import { Delivery, DeliveryFailedError, isDelivery, type DeliveryEnvelope } from '../../src/cluster/delivery/index.ts';
import { inActor } from '../otp/helpers.ts';

let node: LocalNode;
afterEach(() => node?.stop());

/** A receiver that drops the first `skip` envelopes it gets (no ack) and acks the rest. */
async function flaky(n: LocalNode, name: string, skip: number): Promise<DeliveryEnvelope[]> {
  const seen: DeliveryEnvelope[] = [];
  await n.spawn({
    handle(m: unknown, st: null, ctx: Context) {
      if (isDelivery(m)) {
        seen.push(m);
        if (seen.length > skip) Delivery.ack(ctx, m);
      }
      return st;
    },
  }, [], { name });
  return seen;
}

describe('Delivery: retries and timeout', () => {
  it('resends after each timeout with the same id and key until acked', async () => {
    node = new LocalNode();
    const seen = await flaky(node, 'svc', 2);
    const t0 = Date.now();
    const ok = await inActor(node, function* (ctx) {
      return yield* Delivery.deliver(ctx, 'svc', 'm', { retries: 3, timeoutMs: 40, key: 'order-7' });
    });
    const took = Date.now() - t0;
    expect(ok).toMatchObject({ ok: true, attempts: 3, target: 'svc' });
    expect(seen).toHaveLength(3);
    expect(new Set(seen.map((e) => e.id)).size).toBe(1);
    expect(seen.every((e) => e.key === 'order-7' && e.msg === 'm')).toBe(true);
    expect(took).toBeGreaterThanOrEqual(80); // two timeouts of 40 ms before the third attempt
  });

  it('retries: 0 makes one attempt; the failure names the target, its attempts and "timeout"', async () => {
    node = new LocalNode();
    const seen = await flaky(node, 'svc', Infinity);
    const out = await inActor(node, function* (ctx) {
      const id = Delivery.send(ctx, 'svc', 'm', { retries: 0, timeoutMs: 30 });
      const report = yield ctx.receive((m: unknown) => Delivery.isReport(m, id));
      let err: unknown = null;
      try {
        yield* Delivery.deliver(ctx, 'svc', 'again', { retries: 1, timeoutMs: 30 });
      } catch (e) {
        err = e;
      }
      return { report, err };
    });
    expect(out.report).toMatchObject({
      type: 'delivery', ok: false, attempts: 1,
      reason: { kind: 'delivery_failed', tried: [{ target: 'svc', attempts: 1, outcome: 'timeout' }] },
    });
    expect(out.err).toBeInstanceOf(DeliveryFailedError);
    expect(out.err).toMatchObject({ code: 'ERR_SB_DELIVERY_FAILED', reason: { kind: 'delivery_failed', tried: [{ target: 'svc', attempts: 2, outcome: 'timeout' }] } });
    expect((out.err as Error).message).toMatch(/^delivery .+ was not acknowledged: svc \(2 attempts, timeout\)$/);
    expect(seen.map((e) => e.msg)).toEqual(['m', 'again', 'again']);
  });

  it('a late ack of the first attempt settles the delivery once, and the resend\'s ack is ignored', async () => {
    node = new LocalNode();
    // Acks every envelope 50 ms after it came (longer than the 30 ms timeout).
    await node.spawn(function* (ctx: Context) {
      for (;;) {
        const m = (yield ctx.receive(Delivery.pattern)) as DeliveryEnvelope;
        yield ctx.sleep(50);
        Delivery.ack(ctx, m);
      }
    }, [], { name: 'slow' });
    const out = await inActor(node, function* (ctx) {
      const ok = yield* Delivery.deliver(ctx, 'slow', 'm', { retries: 5, timeoutMs: 30 });
      const extra = yield ctx.receive(undefined, 150); // nothing else may come
      return { ok, extra };
    });
    expect(out.ok).toMatchObject({ ok: true, attempts: 2 });
    expect(out.extra).toBe(Symbol.for('switchboard.timeout'));
  });
});
