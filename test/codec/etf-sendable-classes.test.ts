/**
 * The ETF classes cross the native codec and the local copy: every class comes back equal
 * (Atom as the one interned instance, so === holds), including a term with pids, refs,
 * ports and funs of an Erlang node; an Atom whose name is not a string is refused as
 * malformed; a term forwarded by an actor on a 2-scheduler node to an actor on another
 * scheduler thread arrives equal.
 */
import { describe, expect, it } from 'vitest';
import { decodeMessage, encodeMessage } from '../../src/codec/index.ts';
import {
  Atom, BitBinary, Charlist, ErlClosure, ErlExportFun, ErlFloat, ErlPid, ErlPort, ErlRef, ImproperList, Tuple, kEtfClassNames,
} from '../../src/codec/etf/index.ts';
import { copyMessage } from '../../src/core/copy.ts';
import { BadArgError } from '../../src/core/errors.ts';
import { startNode } from '../../src/dist/start-node.ts';
import { EtfForwarder, EtfKeeper } from './fixtures/etf-forwarding-actors.ts';

const e = Atom.of('e@127.0.0.1');
const pid = new ErlPid(e, 42, 1, 7);
const term = Tuple.of(
  Atom.of('ok'), pid, new ErlRef(e, 7, [1, 2, 3]), new ErlPort(e, 2n ** 40n, 7), new ImproperList([1, Atom.of('a')], Atom.of('t')),
  new BitBinary(new Uint8Array([0xe0]), 3), new Charlist('hé'), new ErlFloat(2), new ErlExportFun(Atom.of('lists'), Atom.of('map'), 2),
  new ErlClosure(Atom.of('m'), 1, new Uint8Array(16).fill(9), 0, 1, 2, pid, [Atom.of('free'), 5]),
  new Map<unknown, unknown>([[Atom.of('k'), [Tuple.of()]]]),
);

describe('ETF classes are sendable', () => {
  it('every class round-trips the native codec, atoms re-interned', () => {
    const back = decodeMessage(encodeMessage(term)) as Tuple;
    expect(back).toEqual(term);
    expect(back).toBeInstanceOf(Tuple);
    expect(back.elements[0]).toBe(Atom.of('ok'));
    expect((back.elements[1] as ErlPid).node).toBe(e);
    expect((back.elements[1] as ErlPid).equals(pid)).toBe(true);
    expect(kEtfClassNames).toHaveLength(11);
  });

  it('the local copy gives the same (atoms shared as the interned instance)', () => {
    const c = copyMessage(term) as Tuple;
    expect(c).toEqual(term);
    expect(c).not.toBe(term);
    expect(c.elements[0]).toBe(Atom.of('ok'));
  });

  it('an Atom whose name is not a string is refused as malformed', () => {
    const fake = Object.create(Atom.prototype) as Record<string, unknown>;
    Object.defineProperty(fake, 'name', { value: 17, enumerable: true });
    const bytes = encodeMessage(fake);
    expect(() => decodeMessage(bytes)).toThrow(BadArgError);
    expect(() => decodeMessage(bytes)).toThrow(/etf\.Atom.*string name/);
  });

  it('forwarded between the scheduler threads of a 2-scheduler node, it arrives equal', async () => {
    const node = await startNode({ schedulers: 2 });
    try {
      const keeper = await node.spawn(EtfKeeper, [], { scheduler: 1 });
      const fwd = await node.spawn(EtfForwarder, [keeper], { scheduler: 0 });
      node.send(fwd, term);
      let got: unknown[] = [];
      for (let i = 0; i < 200 && got.length === 0; i++) {
        got = await node.call<unknown[]>(keeper, 'get');
        if (got.length === 0) await new Promise((r) => setTimeout(r, 10));
      }
      expect(got).toEqual([{ sameAtom: true, term }]);
    } finally {
      await node.stop();
    }
  }, 20_000);
});
