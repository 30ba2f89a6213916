/**
 * ErlangDispatch on hostile input (fast-check): control tuples with a known or random
 * operation code and fields of any term type, with or without a message, and random bytes
 * in the inbound layout. Every one is served or refused with a typed error
 * (BadArgError, the ETF decoder's errors, RangeError for a bad layout) — never another
 * exception — and the inbound side only ever gets core pids.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Atom, EtfEncoder, EtfLimitError, EtfMalformedError, EtfUnsupportedError, Tuple } from '../../src/codec/etf/index.ts';
import { BadArgError } from '../../src/core/errors.ts';
import { Pid, type Ref } from '../../src/core/pid.ts';
import type { Inbound } from '../../src/core/router.ts';
import { ErlangDispatch } from '../../src/dist/erlang-peer/erlang-dispatch.ts';
import { packInbound } from '../../src/dist/erlang-peer/erlang-payload.ts';
import { ErlangPeerState } from '../../src/dist/erlang-peer/erlang-peer-state.ts';
import { pidArb, termArb } from '../codec/fixtures/etf-arbitrary.ts';

const pidsOk: unknown[] = [];
const check = (...xs: unknown[]): void => {
  for (const x of xs) if (!(x instanceof Pid)) pidsOk.push(x);
};
const inbound: Inbound = {
  deliverTo: (to) => (check(to), true),
  exitIn: (to, from) => check(to, from),
  linkIn: (to, from) => check(to, from),
  unlinkIn: (to, from) => check(to, from),
  monitorIn: (to, w, _r: Ref) => check(to, w),
  demonitorIn: (to) => check(to),
  downIn: (w, _r, p) => check(w, p),
  peerGone: () => {},
};
const dispatch = new ErlangDispatch(inbound, { whereis: (n) => (n === 'reg' ? new Pid(0, 1, 0) : undefined) }, () => {});
const peer = new ErlangPeerState('e@127.0.0.1', 1, 0x3_ffff_ffff);
const enc = new EtfEncoder();

function typed(e: unknown): boolean {
  return e instanceof BadArgError || e instanceof EtfMalformedError || e instanceof EtfLimitError || e instanceof EtfUnsupportedError || e instanceof RangeError;
}

function serve(bytes: Uint8Array): void {
  try {
    dispatch.dispatch(peer, bytes);
  } catch (e) {
    if (!typed(e)) throw e;
  }
}

const opArb = fc.oneof(fc.constantFrom(1, 2, 3, 4, 6, 8, 12, 13, 16, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 33, 35, 36), fc.integer({ min: -5, max: 300 }));
const fieldArb = fc.oneof(pidArb, termArb(2), fc.constant(Atom.of('reg')), fc.constant(Atom.of('net_kernel')));

describe('ErlangDispatch on hostile input', () => {
  it('control tuples of any shape: served or a typed error', () => {
    fc.assert(fc.property(opArb, fc.array(fieldArb, { maxLength: 5 }), fc.option(termArb(2)), (op, fields, msg) => {
      const control = enc.encodeTerm(Tuple.of(op, ...fields));
      serve(packInbound([], control, msg === null ? null : enc.encodeTerm(msg)));
    }), { numRuns: 3000 });
    expect(pidsOk).toEqual([]);
  });

  it('random bytes in the inbound layout: a typed error or served', () => {
    fc.assert(fc.property(fc.array(fc.string({ maxLength: 6 }), { maxLength: 3 }), fc.uint8Array({ maxLength: 64 }), (atoms, raw) => {
      serve(packInbound(atoms, raw, null));
      serve(raw);
    }), { numRuns: 3000 });
    expect(pidsOk).toEqual([]);
  });
});
