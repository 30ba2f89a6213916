/**
 * The exact UTF-8 byte length of `JSON.stringify(value)` for plain JSON data, computed
 * without building the string. The simulator counts the bytes of every message with it
 * (the wire form it measures is JSON; a term codec would be smaller), which is several
 * times cheaper than stringifying a million messages. The unit test compares it with
 * `Buffer.byteLength(JSON.stringify(x))` on random messages.
 *
 *   1. strings of printable ASCII without `"` or `\` cost length + 2; any other string is
 *      measured by stringifying it alone (escapes, non-ASCII);
 *   2. finite numbers cost the length of their shortest decimal form; non-finite ones and
 *      null cost 4 ("null"); booleans 4 or 5;
 *   3. arrays: brackets, elements, commas (undefined elements count as null);
 *   4. objects: braces, `"key":value` per own enumerable key whose value is not undefined,
 *      commas.
 * `messageByteLength` computes the same for the protocol's messages from their fixed
 * shapes (no key walking); it is the one the simulator uses.
 */
import type { Claim, Message, StateEntry } from '../types.ts';

const kPlainAscii = /^[\x20\x21\x23-\x5b\x5d-\x7e]*$/;

export function jsonByteLength(v: unknown): number {
  switch (typeof v) {
    case 'string':
      return kPlainAscii.test(v) ? v.length + 2 : Buffer.byteLength(JSON.stringify(v));
    case 'number':
      return Number.isFinite(v) ? String(v).length : 4;
    case 'boolean':
      return v ? 4 : 5;
    case 'object': {
      if (v === null) return 4;
      if (Array.isArray(v)) {
        let n = 2 + Math.max(0, v.length - 1);
        for (const x of v) n += x === undefined ? 4 : jsonByteLength(x);
        return n;
      }
      let n = 2;
      let fields = 0;
      for (const k in v) {
        if (!Object.hasOwn(v, k)) continue;
        const x = (v as Record<string, unknown>)[k];
        if (x === undefined || typeof x === 'function') continue;
        n += jsonByteLength(k) + 1 + jsonByteLength(x);
        fields++;
      }
      return n + Math.max(0, fields - 1);
    }
    default:
      return 0;
  }
}

// ---- the same length for the protocol's own message shapes, without walking keys ----
// (types.ts fixes the keys of every message, claim and state entry; the unit test checks
// this against JSON.stringify too). A field costs `"key":value`; an object its braces
// and the commas between fields.

const str = (s: string): number => (kPlainAscii.test(s) ? s.length + 2 : Buffer.byteLength(JSON.stringify(s)));
const num = (n: number): number => (Number.isFinite(n) ? String(n).length : 4);
const field = (keyLen: number, value: number): number => keyLen + 3 + value;
const obj = (sum: number, fields: number): number => 2 + sum + fields - 1;

function arr<T>(xs: readonly T[], size: (x: T) => number): number {
  let n = 2 + Math.max(0, xs.length - 1);
  for (const x of xs) n += size(x);
  return n;
}

function claimLength(c: Claim): number {
  const last = c.t === 'alive' ? c.addr : c.from;
  return obj(field(1, c.t.length + 2) + field(4, str(c.node)) + field(3, num(c.inc)) + field(4, str(last)), 4);
}

function entryLength(e: StateEntry): number {
  return obj(field(4, str(e.node)) + field(4, str(e.addr)) + field(3, num(e.inc)) + field(5, e.state.length + 2), 4);
}

/** `jsonByteLength` for a protocol message (what the simulator counts). */
export function messageByteLength(m: Message): number {
  const k = field(1, m.k.length + 2);
  const g = field(1, arr(m.g, claimLength));
  switch (m.k) {
    case 'ping':
      return obj(k + field(3, num(m.seq)) + field(6, str(m.target)) + field(3, num(m.sus)) + g, 5);
    case 'ack':
    case 'nack':
      return obj(k + field(3, num(m.seq)) + g, 3);
    case 'pingReq':
      return obj(k + field(3, num(m.seq)) + field(6, str(m.target)) + field(4, m.nack ? 4 : 5) + g, 5);
    case 'gossip':
      return obj(k + g, 2);
    case 'sync':
      return obj(k + field(5, m.reply ? 4 : 5) + field(4, m.join ? 4 : 5) + field(5, arr(m.state, entryLength)) + g, 5);
  }
}
