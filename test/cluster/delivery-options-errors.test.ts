/**
 * Delivery and DedupeTable refuse bad input with typed errors and core/options.ts's
 * messages: InvalidOptionError naming the option, BadArgError for a bad target or a
 * non-envelope; nothing is sent.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { LocalNode } from '../../src/core/local-node.ts';
import { BadArgError, InvalidOptionError, UnsendableError } from '../../src/core/errors.ts';
import { Pid } from '../../src/core/pid.ts';
import { Delivery, DedupeTable } from '../../src/cluster/delivery/index.ts';
import { inActor, rejectionOf } from '../otp/helpers.ts';

let node: LocalNode;
afterEach(() => node?.stop());

const opt = (option: string, message: string) => ({ code: 'ERR_SB_INVALID_OPTION', option, message });

describe('Delivery: bad options and arguments', () => {
  it('Delivery.send: each bad option is an InvalidOptionError with its message', async () => {
    node = new LocalNode();
    const errs = await inActor(node, function* (ctx) {
      const cases: unknown[] = [
        { retries: -1 }, { retries: 1.5 }, { timeoutMs: 0 }, { timeoutMs: 'x' }, { fallback: 'b@h' },
        { fallback: [42] }, { key: '' }, { colour: 'red' }, 'opts',
      ];
      const out: unknown[] = [];
      for (const c of cases) {
        try {
          Delivery.send(ctx, 'svc', 'm', c as never);
          out.push(null);
        } catch (e) {
          out.push(e);
        }
      }
      try {
        Delivery.send(ctx, new Pid(0, 1, 0), 'm', { fallback: [{ node: 'b@h' }] });
      } catch (e) {
        out.push(e);
      }
      yield ctx.receive(undefined, 0);
      return out;
    });
    for (const e of errs) expect(e).toBeInstanceOf(InvalidOptionError);
    expect(errs).toMatchObject([
      opt('retries', 'Delivery.send: option "retries" must be a non-negative integer'),
      opt('retries', 'Delivery.send: option "retries" must be a non-negative integer'),
      opt('timeoutMs', 'Delivery.send: option "timeoutMs" must be a positive number of milliseconds or Infinity'),
      opt('timeoutMs', 'Delivery.send: option "timeoutMs" must be a positive number of milliseconds or Infinity'),
      opt('fallback', 'Delivery.send: option "fallback" must be an array of targets (pids, names, { name, node }, { global } or { node })'),
      opt('fallback', 'Delivery.send: option "fallback" must be an array of targets (pids, names, { name, node }, { global } or { node })'),
      opt('key', 'Delivery.send: option "key" must be a non-empty string'),
      opt('colour', 'Delivery.send: unknown option "colour"'),
      opt('options', 'Delivery.send: options must be an object'),
      opt('fallback', 'Delivery.send: option "fallback" may hold { node } only when the target is a registered name or { name, node }'),
    ]);
  });

  it('a bad target, an unsendable message, a non-envelope ack: BadArgError / UnsendableError; from a node the promise rejects', async () => {
    node = new LocalNode();
    const out = await inActor(node, function* (ctx) {
      const r: unknown[] = [];
      for (const f of [() => Delivery.send(ctx, 42 as never, 'm'), () => Delivery.send(ctx, 'svc', () => 1), () => Delivery.ack(ctx, { type: 'x' } as never)]) {
        try {
          f();
          r.push(null);
        } catch (e) {
          r.push(e);
        }
      }
      yield ctx.receive(undefined, 0);
      return r;
    });
    expect(out[0]).toBeInstanceOf(BadArgError);
    expect((out[0] as Error).message).toBe('Delivery.send: target must be a pid, a registered name, { name, node } or { global: name }, got 42');
    expect(out[1]).toBeInstanceOf(UnsendableError);
    expect(out[2]).toBeInstanceOf(BadArgError);
    expect((out[2] as Error).message).toBe('Delivery.ack: expected a delivery envelope (Delivery.isDelivery)');
    expect(() => Delivery.send(node as never, 'svc', 'm')).toThrow(BadArgError);
    expect(() => Delivery.send(node as never, 'svc', 'm')).toThrow("Delivery.send: the first argument must be the running actor's ctx (from the embedding thread use Delivery.deliver(node, ...))");
    const e = await rejectionOf(Delivery.deliver(node, 'svc', 'm', { retries: -2 }));
    expect(e).toBeInstanceOf(InvalidOptionError);
    expect(e).toMatchObject(opt('retries', 'Delivery.deliver: option "retries" must be a non-negative integer'));
  });

  it('DedupeTable: bad options are InvalidOptionErrors', () => {
    const cases: [unknown, string, string][] = [
      [{ maxEntries: 0 }, 'maxEntries', 'DedupeTable: option "maxEntries" must be a positive integer'],
      [{ maxAgeMs: -5 }, 'maxAgeMs', 'DedupeTable: option "maxAgeMs" must be a positive number of milliseconds or Infinity'],
      [{ order: 'whenever' }, 'order', `DedupeTable: option "order" must be 'process-first' or 'record-first'`],
      [{ file: '' }, 'file', 'DedupeTable: option "file" must be a file path'],
      [{ shared: true }, 'shared', 'DedupeTable: option "shared" needs option "file"'],
      [{ sync: true }, 'sync', 'DedupeTable: option "sync" needs option "file"'],
      [{ file: '/tmp/x', shared: true, compactAtStart: true }, 'compactAtStart', `DedupeTable: option "compactAtStart" cannot be used with "shared" (the other writers' appends would be lost)`],
      [{ size: 3 }, 'size', 'DedupeTable: unknown option "size"'],
    ];
    for (const [o, option, message] of cases) {
      let err: unknown = null;
      try {
        new DedupeTable(o as never);
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(InvalidOptionError);
      expect(err).toMatchObject(opt(option, message));
    }
  });
});
