/**
 * The distribution header that starts every packet after the handshake when
 * DFLAG_DIST_HDR_ATOM_CACHE is in use (frame-reader.ts reads packets, frame-writer.ts
 * writes them):
 *
 *   normal          | 131 | 68 | atom cache refs ... | control term | payload term? |
 *   first fragment  | 131 | 69 | seq u64 | frag u64 | atom cache refs ... | data ... |
 *   next fragment   | 131 | 70 | seq u64 | frag u64 | data ... |
 *
 * Atom cache refs:
 *
 *   | n u8 | flags: n/2+1 bytes (none if n = 0) | ref 0 | ... | ref n-1 |
 *
 *   flags hold one nibble per ref (ref i: byte i/2, low nibble if i is even, high if odd)
 *   and one more nibble after the last ref's; a ref's nibble is | new 1 bit | segment 3 bits |,
 *   the extra nibble's lowest bit is LongAtoms. A ref is
 *     new:     | index u8 | length u8 (u16 with LongAtoms) | UTF-8 text |  -> sets the entry
 *     cached:  | index u8 |                                               -> reads the entry
 *   and ATOM_CACHE_REF i in the terms that follow means the atom of ref i.
 *
 * Reading, in steps: 1. n and the flag bytes; 2. LongAtoms; 3. each ref in order (new
 * ones are stored in the connection's cache at once, so a later ref of the same header
 * may read them); 4. the list of the n atoms and the offset where the terms start.
 * Every failure is an ErlangFrameError: 'bad_header' (cut short), 'bad_atom' (not UTF-8,
 * longer than 255 characters), 'unknown_atom_ref' (a cached ref to an entry never set).
 *
 * Fragments: the sequence id names a message in reassembly; the fragment id counts down
 * from the number of fragments to 1 (the last). The refs (and the control message) are
 * in the first fragment.
 */
import { ErlangAtomCache } from './atom-cache.ts';
import { ErlangFrameError } from './errors.ts';

export const kVersionMagic = 131;
export const kDistHeader = 68;
export const kDistFragFirst = 69;
export const kDistFragNext = 70;
/** A packet without a distribution header (pass-through: DIST_HDR_ATOM_CACHE not in use). */
export const kPassThrough = 112;

/** | 131 | 69 or 70 | seq u64 | frag u64 | */
export const kFragmentHeaderBytes = 18;
export const kMaxAtomChars = 255;

const utf8d = new TextDecoder('utf-8', { fatal: true });

export interface AtomRefs {
  /** atoms[i] is the atom of ATOM_CACHE_REF i. */
  readonly atoms: string[];
  /** Where what follows the refs starts. */
  readonly end: number;
}

const kNoAtoms: string[] = [];

function short(what: string, at: number): ErlangFrameError {
  return new ErlangFrameError('bad_header', `distribution header: ${what} at offset ${at} runs past the end of the packet`);
}

/** Steps 1-4 for the refs that start at `b[at]`, updating `cache`. */
export function readAtomRefs(b: Uint8Array, at: number, cache: ErlangAtomCache): AtomRefs {
  if (at >= b.length) throw short('the number of atom cache refs', at);
  const n = b[at]!;
  let p = at + 1;
  if (n === 0) return { atoms: kNoAtoms, end: p };
  const flagsAt = p;
  const flagBytes = (n >> 1) + 1;
  if (p + flagBytes > b.length) throw short('the atom cache flags', p);
  p += flagBytes;
  const nibble = (i: number): number => {
    const byte = b[flagsAt + (i >> 1)]!;
    return (i & 1) === 0 ? byte & 0x0f : byte >> 4;
  };
  const longAtoms = (nibble(n) & 1) === 1;
  const atoms = new Array<string>(n);
  for (let i = 0; i < n; i++) {
    const f = nibble(i);
    const segment = f & 7;
    if (p >= b.length) throw short(`atom cache ref ${i}`, p);
    const index = b[p++]!;
    if ((f & 8) !== 0) {
      const lenBytes = longAtoms ? 2 : 1;
      if (p + lenBytes > b.length) throw short(`the length of atom cache ref ${i}`, p);
      const len = longAtoms ? (b[p]! << 8) | b[p + 1]! : b[p]!;
      p += lenBytes;
      if (p + len > b.length) throw short(`the text of atom cache ref ${i}`, p);
      let text: string;
      try {
        text = utf8d.decode(b.subarray(p, p + len));
      } catch {
        throw new ErlangFrameError('bad_atom', `distribution header: atom cache ref ${i} is not UTF-8`);
      }
      if ([...text].length > kMaxAtomChars) {
        throw new ErlangFrameError('bad_atom', `distribution header: atom cache ref ${i} has more than ${kMaxAtomChars} characters`);
      }
      p += len;
      cache.set(segment, index, text);
      atoms[i] = text;
    } else {
      const text = cache.get(segment, index);
      if (text === undefined) {
        throw new ErlangFrameError('unknown_atom_ref', `distribution header: atom cache ref ${i} reads entry ${segment}/${index}, which was never set`);
      }
      atoms[i] = text;
    }
  }
  return { atoms, end: p };
}

/** | 131 | 68 | 0 |: a normal header with no atom cache refs. */
export const kEmptyDistHeader: Uint8Array = Uint8Array.of(kVersionMagic, kDistHeader, 0);

/** The header of a first fragment (with no refs) or of a next fragment, into `out` at `at`; returns the end. */
export function writeFragmentHeader(out: Uint8Array, at: number, first: boolean, seq: bigint, frag: bigint): number {
  const v = new DataView(out.buffer, out.byteOffset, out.byteLength);
  out[at] = kVersionMagic;
  out[at + 1] = first ? kDistFragFirst : kDistFragNext;
  v.setBigUint64(at + 2, seq);
  v.setBigUint64(at + 10, frag);
  if (!first) return at + kFragmentHeaderBytes;
  out[at + kFragmentHeaderBytes] = 0;
  return at + kFragmentHeaderBytes + 1;
}
