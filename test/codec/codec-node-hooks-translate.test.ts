import { describe, expect, it } from 'vitest';
import { BadArgError } from '../../src/core/errors.ts';
import { NodeTable } from '../../src/core/node-table.ts';
import { Pid, Ref, pidEquals } from '../../src/core/pid.ts';
import { MessageDecoder, MessageEncoder, nodeIdentityHooks } from '../../src/codec/index.ts';

/** Throws an error of exactly this class and message. */
const throwsExactly = (fn: () => unknown, err: Error): void => {
  expect(fn).toThrow(err.constructor as new () => Error);
  expect(fn).toThrow(err);
};

describe('codec: node identities are translated on encode and decode by hooks', () => {
  it('sends node indices as they are without hooks (threads of one node)', () => {
    const enc = new MessageEncoder();
    const dec = new MessageDecoder();
    const out = dec.decode(enc.encode({ p: new Pid(3, 9, 1), r: new Ref(3, 0, 5) })) as { p: Pid; r: Ref };
    expect(out.p).toEqual(new Pid(3, 9, 1));
    expect(out.r).toEqual(new Ref(3, 0, 5));
  });

  it('maps indices through the hooks: the receiver interns the sender\'s nodes into its own table', () => {
    const a = new NodeTable('a@host', 1);
    const b = new NodeTable('b@host', 1);
    const cInA = a.intern('c@host', 7);
    b.intern('x@host', 1); // b's indices differ from a's
    const enc = new MessageEncoder(1024, nodeIdentityHooks(a));
    const dec = new MessageDecoder(nodeIdentityHooks(b));
    const fromA = { self: new Pid(0, 1, 0), third: new Pid(cInA, 2, 0), ref: new Ref(cInA, 1, 3) };
    const out = dec.decode(enc.encode(fromA)) as typeof fromA;
    const aInB = b.intern('a@host', 1);
    const cInB = b.intern('c@host', 7);
    expect(out.self).toEqual(new Pid(aInB, 1, 0));
    expect(out.third).toEqual(new Pid(cInB, 2, 0));
    expect(out.ref).toEqual(new Ref(cInB, 1, 3));
    expect(cInB).not.toBe(cInA);

    // And back: b's pid of a's own node comes back to a as index 0.
    const back = new MessageDecoder(nodeIdentityHooks(a)).decode(new MessageEncoder(1024, nodeIdentityHooks(b)).encode(out)) as typeof fromA;
    expect(back.self).toEqual(new Pid(0, 1, 0));
    expect(back.third).toEqual(new Pid(cInA, 2, 0));
  });

  it('keeps a pid of a restarted node (new creation) apart from the old one', () => {
    const sender = new NodeTable('s@host', 1);
    const receiver = new NodeTable('r@host', 1);
    const enc = new MessageEncoder(1024, nodeIdentityHooks(sender));
    const dec = new MessageDecoder(nodeIdentityHooks(receiver));
    const oldPid = dec.decode(enc.encode(new Pid(0, 5, 0))) as Pid;
    sender.setLocal('s@host', 2); // s restarted
    const newPid = dec.decode(enc.encode(new Pid(0, 5, 0))) as Pid;
    expect(pidEquals(oldPid, newPid)).toBe(false);
    expect(receiver.identity(oldPid.node)).toEqual({ name: 's@host', creation: 1 });
    expect(receiver.identity(newPid.node)).toEqual({ name: 's@host', creation: 2 });
  });

  it('refuses a hook result that is not a node index, and an unknown index, with BadArgError', () => {
    const bytes = new MessageEncoder().encode(new Pid(0, 1, 0));
    throwsExactly(() => new MessageDecoder({ decodeNode: () => -1 }).decode(bytes), new BadArgError('malformed message at byte 2: decodeNode gave -1, not a node index'));
    throwsExactly(() => new MessageDecoder(nodeIdentityHooks(new NodeTable())).decode(bytes), new BadArgError('decodeNode: expected { name, creation }'));
    throwsExactly(() => new MessageEncoder(1024, nodeIdentityHooks(new NodeTable())).encode(new Pid(4, 1, 0)), new BadArgError('encodeNode: no node 4 in the node table'));
  });
});
