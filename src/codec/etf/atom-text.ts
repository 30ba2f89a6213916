/**
 * Reading atom names off the wire for the ETF decoder: the text of an atom's bytes, and a
 * small per-thread cache of recent atoms keyed by their UTF-8 bytes (a stream of messages
 * repeats its atoms: `$gen_call`, `ok`, node names), so a hit makes no string and no atom
 * table lookup.
 *
 * Cache: direct-mapped, kSlots slots, atoms of up to kMaxBytes bytes; a slot holds the last
 * atom whose bytes hashed there, checked byte for byte against the input before it is used.
 */
import type { Atom } from './atom.ts';

const kSlots = 512; // a power of two
const kMaxBytes = 32;
const recent: (Atom | undefined)[] = new Array<Atom | undefined>(kSlots).fill(undefined);
const kUtf8Fatal = new TextDecoder('utf-8', { fatal: true });

/** The cache slot for the UTF-8 atom `buf[start, start + n)`, or -1 if it is too long to cache. */
export function recentAtomSlot(buf: Uint8Array, start: number, n: number): number {
  if (n > kMaxBytes) return -1;
  let h = n;
  for (let i = start; i < start + n; i++) h = (Math.imul(h, 31) + buf[i]!) | 0;
  return (h ^ (h >>> 15)) & (kSlots - 1);
}

/** The atom in `slot` if its bytes are `buf[start, start + n)`. */
export function recentAtomAt(slot: number, buf: Uint8Array, start: number, n: number): Atom | undefined {
  const hit = recent[slot];
  if (hit === undefined) return undefined;
  const known = hit.utf8;
  if (known.length !== n) return undefined;
  for (let i = 0; i < n; i++) if (known[i] !== buf[start + i]) return undefined;
  return hit;
}

export function rememberAtom(slot: number, atom: Atom): void {
  recent[slot] = atom;
}

/** The name in `buf[start, start + n)`, as UTF-8 or Latin-1; undefined for invalid UTF-8. */
export function atomText(buf: Uint8Array, start: number, n: number, utf8: boolean): string | undefined {
  let name = '';
  if (n <= 64) {
    let i = start;
    for (; i < start + n; i++) {
      const c = buf[i]!;
      if (c >= 0x80) break;
      name += String.fromCharCode(c);
    }
    if (i === start + n) return name; // ASCII: the same in both encodings
  }
  if (!utf8) {
    name = '';
    for (let i = start; i < start + n; i++) name += String.fromCharCode(buf[i]!);
    return name;
  }
  try {
    return kUtf8Fatal.decode(buf.subarray(start, start + n));
  } catch {
    return undefined;
  }
}
