/**
 * Delivery fallback: the targets are tried in order — the first, then `fallback` — each
 * until its retries are used up (timeouts) or it goes DOWN (a dead pid, an unregistered
 * name: at once, without waiting for the timers); the report names the target that acked
 * and the failure lists every target tried, in order, with its attempts and outcome.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { LocalNode } from '../../src/core/local-node.ts';
import type { Context } from '../../src/core/context.ts';
import type { Pid } from '../../src/core/pid.ts';
import { Delivery, isDelivery, type DeliveryEnvelope } from '../../src/cluster/delivery/index.ts';
import { setGlobalNameResolver } from '../../src/core/global-name.ts';
import { inActor } from '../otp/helpers.ts';

let node: LocalNode;
afterEach(() => {
  setGlobalNameResolver(null);
  return node?.stop();
});

async function receiver(n: LocalNode, name: string, acks: boolean, log: string[]): Promise<Pid> {
  return n.spawn({
    handle(m: unknown, st: null, ctx: Context) {
      if (isDelivery(m)) {
        log.push(name);
        if (acks) Delivery.ack(ctx, m);
      }
      return st;
    },
  }, [], { name });
}

describe('Delivery: fallback order', () => {
  it('dead pid (DOWN), unregistered name (DOWN), silent receiver (timeouts), then the one that acks', async () => {
    node = new LocalNode();
    const log: string[] = [];
    const dead = await node.spawn({ handle: (_m: unknown, s: null) => s });
    node.exit(dead, 'kill');
    await receiver(node, 'silent', false, log);
    const good = await receiver(node, 'good', true, log);
    const t0 = Date.now();
    const ok = await inActor(node, function* (ctx) {
      return yield* Delivery.deliver(ctx, dead, 'm', { retries: 1, timeoutMs: 40, fallback: ['nobody', 'silent', 'good', 'never-tried'] });
    });
    const took = Date.now() - t0;
    expect(ok).toMatchObject({ ok: true, target: 'good', attempts: 1 + 1 + 2 + 1 });
    expect(ok.by.equals(good)).toBe(true);
    expect(log).toEqual(['silent', 'silent', 'good']);
    // Only the silent receiver's two timeouts were waited for; DOWNs fail over at once.
    expect(took).toBeGreaterThanOrEqual(80);
    expect(took).toBeLessThan(1000);
  });

  it('all targets fail: tried lists each in order with its attempts and outcome', async () => {
    node = new LocalNode();
    const log: string[] = [];
    await receiver(node, 'silent', false, log);
    const out = await inActor(node, function* (ctx) {
      const id = Delivery.send(ctx, 'silent', 'm', { retries: 2, timeoutMs: 20, fallback: ['nobody'] });
      return yield ctx.receive((m: unknown) => Delivery.isReport(m, id));
    });
    expect(out).toMatchObject({
      ok: false, attempts: 4,
      reason: { kind: 'delivery_failed', tried: [
        { target: 'silent', attempts: 3, outcome: 'timeout' },
        { target: 'nobody', attempts: 1, outcome: 'down: noproc' },
      ] },
    });
    expect(log).toEqual(['silent', 'silent', 'silent']);
  });

  it('a target that dies while deliveries wait on it fails them all over at once (one monitor for all)', async () => {
    node = new LocalNode();
    const log: string[] = [];
    const silent = await receiver(node, 'silent', false, log);
    await receiver(node, 'good', true, log);
    const out = await inActor(node, function* (ctx) {
      const ids = [0, 1, 2, 3, 4].map((i) => Delivery.send(ctx, 'silent', i, { timeoutMs: 10_000, fallback: ['good'] }));
      yield ctx.sleep(20);
      const info = ctx.processInfo(silent)!;
      ctx.exit(silent, 'kill');
      const t0 = ctx.now();
      const reports: unknown[] = [];
      while (reports.length < ids.length) reports.push(yield ctx.receive((m: unknown) => Delivery.isReport(m)));
      return { reports, monitoredBy: info.monitoredBy.length, took: ctx.now() - t0 };
    });
    expect(out.monitoredBy).toBe(1);
    expect(out.took).toBeLessThan(1000);
    expect(out.reports).toHaveLength(5);
    expect(out.reports.every((r) => (r as { ok: boolean; target: string }).ok && (r as { target: string }).target === 'good')).toBe(true);
    expect(log.filter((x) => x === 'good')).toHaveLength(5);
  });

  it('{ global: name } targets: an unknown one goes DOWN at once, a known one is resolved and acks', async () => {
    node = new LocalNode();
    const log: string[] = [];
    const login = await receiver(node, 'login-local', true, log);
    setGlobalNameResolver({ whereis: (n) => (n === 'login' ? login : undefined) });
    const ok = await inActor(node, function* (ctx) {
      return yield* Delivery.deliver(ctx, { global: 'ghost' }, 'm', { timeoutMs: 5000, fallback: [{ global: 'login' }] });
    });
    expect(ok).toMatchObject({ ok: true, target: { global: 'login' }, attempts: 2 });
    expect(log).toEqual(['login-local']);
  });

  it('a late ack from an earlier target settles the delivery and the report names that target', async () => {
    node = new LocalNode();
    const log: string[] = [];
    await node.spawn(function* (ctx: Context) {
      const m = (yield ctx.receive(Delivery.pattern)) as DeliveryEnvelope;
      yield ctx.sleep(60);
      Delivery.ack(ctx, m);
    }, [], { name: 'slow' });
    const silent = ['s1', 's2', 's3', 's4', 's5'];
    for (const name of silent) await receiver(node, name, false, log);
    const ok = await inActor(node, function* (ctx) {
      // 25 ms per target: the slow ack (at 60 ms) comes while the third or fourth silent one waits.
      return yield* Delivery.deliver(ctx, 'slow', 'm', { retries: 0, timeoutMs: 25, fallback: silent });
    });
    expect(ok).toMatchObject({ ok: true, target: 'slow' });
    expect(ok.attempts).toBeGreaterThanOrEqual(3);
    expect(log.length).toBe(ok.attempts - 1); // each fallback tried got its copy
  });
});
