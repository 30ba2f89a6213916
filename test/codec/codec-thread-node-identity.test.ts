import { describe, expect, it } from 'vitest';
import { BadArgError } from '../../src/core/errors.ts';
import { NodeTable } from '../../src/core/node-table.ts';
import { Pid, Ref } from '../../src/core/pid.ts';
import { MessageDecoder, MessageEncoder } from '../../src/codec/index.ts';
import { threadNodeHooks } from '../../src/codec/node-hooks.ts';

// The hooks of the rings between the threads of one node: this node (index 0) crosses as
// the number 0; any other node as its identity, interned into the receiving thread's table.

describe('codec: threadNodeHooks', () => {
  it('sends index 0 as the bare index (the same bytes as without hooks)', () => {
    const t = new NodeTable('a@h', 1);
    const v = { p: new Pid(0, 9, 1), r: new Ref(0, 2, 5) };
    const plain = new MessageEncoder().encode(v).slice();
    const hooked = new MessageEncoder(1024, threadNodeHooks(t)).encode(v).slice();
    expect(hooked).toEqual(plain);
    const out = new MessageDecoder(threadNodeHooks(t)).decode(hooked) as typeof v;
    expect(out.p).toEqual(v.p);
    expect(out.r).toEqual(v.r);
  });

  it('sends another node by identity: the receiving table gives it its own index', () => {
    const sender = new NodeTable('a@h', 1);
    const receiver = new NodeTable('a@h', 1);
    receiver.intern('x@h', 3); // the receiver's indices differ from the sender's
    const b5 = sender.intern('b@h', 5);
    const b4 = sender.intern('b@h', 4);
    const enc = new MessageEncoder(1024, threadNodeHooks(sender));
    const dec = new MessageDecoder(threadNodeHooks(receiver));
    const out = dec.decode(enc.encode([new Pid(b5, 7, 0), new Pid(b4, 7, 0), new Ref(b5, 0, 9)])) as [Pid, Pid, Ref];
    expect(receiver.identity(out[0].node)).toEqual({ name: 'b@h', creation: 5 });
    expect(receiver.identity(out[1].node)).toEqual({ name: 'b@h', creation: 4 });
    expect(out[0].node).not.toBe(b5);
    expect(out[0].node).not.toBe(out[1].node);
    expect(out[2].node).toBe(out[0].node);
    expect([out[0].id, out[0].serial]).toEqual([7, 0]);
  });

  it('refuses an index this thread\'s table never gave out, and a bare index other than 0 on decode', () => {
    const t = new NodeTable('a@h', 1);
    const enc = new MessageEncoder(1024, threadNodeHooks(t));
    expect(() => enc.encode(new Pid(4, 1, 0))).toThrow(BadArgError);
    expect(() => enc.encode(new Pid(4, 1, 0))).toThrow('encodeNode: no node 4 in the node table');
    // A pid encoded without hooks with index 2: not something a thread of this node sends.
    const bytes = new MessageEncoder().encode(new Pid(2, 1, 0)).slice();
    const dec = new MessageDecoder(threadNodeHooks(t));
    expect(() => dec.decode(bytes)).toThrow(BadArgError);
    expect(() => dec.decode(bytes)).toThrow('decodeNode: node index 2 cannot cross threads (only 0, or an identity)');
  });
});
