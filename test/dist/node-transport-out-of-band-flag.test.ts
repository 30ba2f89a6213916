import { afterEach, describe, expect, it } from 'vitest';
import { kOpRegSend, kOpSend } from '../../src/codec/dist-ops.ts';
import { kPartsTag } from '../../src/codec/op-parts.ts';
import { kDistFlags, kFlagOutOfBand } from '../../src/dist/handshake-frames.ts';
import { kOutMessage } from '../../src/dist/io-protocol.ts';
import { startFakeDistNode, type FakeDistNode } from './support/fake-node.ts';

// Out-of-band payloads (tag 0x3e) go only to a peer that offered kFlagOutOfBand in its
// handshake; an older peer gets the same message with its binary in band.

let t: FakeDistNode | null = null;
afterEach(async () => {
  await t?.node.stop();
  t = null;
});

/** Equal bytes (a Buffer compare: toEqual walks 70,000 elements slowly). */
const same = (a: unknown, b: Uint8Array): boolean => a instanceof Uint8Array && Buffer.compare(a, b) === 0;

const big = (): Uint8Array => {
  const b = new Uint8Array(70_000);
  for (let i = 0; i < b.length; i++) b[i] = (i * 7) & 0xff;
  return b;
};

function sent(f: FakeDistNode): Uint8Array[] {
  return f.io.written.filter((r) => r.kind === kOutMessage).map((r) => r.payload);
}

describe('NodeTransport out-of-band capability', () => {
  it('is offered by this node', () => {
    expect(kDistFlags & kFlagOutOfBand).toBe(kFlagOutOfBand);
  });

  it('sends a large binary out of band to a peer that offered the flag', async () => {
    const f = (t = startFakeDistNode());
    f.up(3, 5, kFlagOutOfBand);
    f.node.send(f.peerPid(7), { big: big() });
    await f.node.idle();
    const [payload] = sent(f);
    expect(payload![0]).toBe(kPartsTag);
    const op = f.decode(payload!);
    expect(op[0]).toBe(kOpSend);
    expect(same((op[2] as { big: Uint8Array }).big, big())).toBe(true);
  });

  it('sends it in band to a peer without the flag, up or connected later, pid or name', async () => {
    const f = (t = startFakeDistNode());
    f.node.send(f.peerPid(6), { big: big(), n: 0 }); // waits for the connection
    await f.node.idle();
    f.up(3, 5, kDistFlags & ~kFlagOutOfBand);
    f.node.send(f.peerPid(7), { big: big(), n: 1 });
    f.node.send({ name: 'sink', node: 'b@h' } as never, { big: big(), n: 2 });
    await f.node.idle();
    const payloads = sent(f);
    expect(payloads).toHaveLength(3);
    const ops = payloads.map((p) => {
      expect(p[0]).not.toBe(kPartsTag);
      return f.decode(p);
    });
    expect(ops.map((op) => op[0])).toEqual([kOpSend, kOpSend, kOpRegSend]);
    const msgs = [ops[0]![2], ops[1]![2], ops[2]![3]] as { big: Uint8Array; n: number }[];
    expect(msgs.map((m) => m.n)).toEqual([0, 1, 2]);
    expect(msgs.every((m) => same(m.big, big()))).toBe(true);
    expect(ops[2]![2]).toBe('sink');
  });
});
