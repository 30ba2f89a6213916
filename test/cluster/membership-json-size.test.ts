/**
 * The simulator's byte counter (src/cluster/membership/sim/json-size.ts) equals the UTF-8
 * length of JSON.stringify on random protocol messages, including names that need
 * escaping or are not ASCII.
 */
import { describe, expect, it } from 'vitest';
import { jsonByteLength, messageByteLength } from '../../src/cluster/membership/sim/json-size.ts';
import { SeededRandom } from '../../src/cluster/membership/index.ts';
import type { Claim, Message } from '../../src/cluster/membership/types.ts';

describe('membership json size', () => {
  it('jsonByteLength and messageByteLength match Buffer.byteLength(JSON.stringify(msg)) on random messages', () => {
    const r = new SeededRandom(9);
    const names = ['a@h', 'node-17@10.0.0.3', 'q"uote', 'back\\slash', 'ünï@cødé', 'tab\there', '日本@x'];
    const name = (): string => names[Math.floor(r.next() * names.length)]!;
    const claim = (): Claim => {
      const x = r.next();
      const inc = Math.floor(r.next() * 1e6);
      if (x < 0.4) return { t: 'alive', node: name(), inc, addr: r.next() < 0.5 ? '' : '127.0.0.1:4370' };
      if (x < 0.7) return { t: 'suspect', node: name(), inc, from: name() };
      return { t: 'dead', node: name(), inc, from: name() };
    };
    const claims = (): Claim[] => Array.from({ length: Math.floor(r.next() * 5) }, claim);
    for (let i = 0; i < 500; i++) {
      const kind = Math.floor(r.next() * 6);
      const msg: Message =
        kind === 0 ? { k: 'ping', seq: i, target: name(), sus: r.next() < 0.5 ? -1 : 3, g: claims() }
        : kind === 1 ? { k: 'ack', seq: i * 1000, g: claims() }
        : kind === 2 ? { k: 'pingReq', seq: i, target: name(), nack: r.next() < 0.5, g: claims() }
        : kind === 3 ? { k: 'nack', seq: i, g: [] }
        : kind === 4 ? { k: 'gossip', g: claims() }
        : { k: 'sync', reply: true, join: false, state: [{ node: name(), addr: '', inc: 0, state: 'left' }, { node: name(), addr: 'h:1', inc: 12, state: 'suspect' }], g: claims() };
      expect(jsonByteLength(msg)).toBe(Buffer.byteLength(JSON.stringify(msg)));
      expect(messageByteLength(msg)).toBe(Buffer.byteLength(JSON.stringify(msg)));
    }
    expect(jsonByteLength({ a: undefined, b: [undefined, null, 1.5, true] })).toBe(Buffer.byteLength(JSON.stringify({ a: undefined, b: [undefined, null, 1.5, true] })));
  });
});
