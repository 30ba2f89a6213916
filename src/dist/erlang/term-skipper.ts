/**
 * Where one External Term Format term ends, without building it: the framing needs to
 * split a distribution message into its control message (one term) and its payload (the
 * rest), and the ETF codec (src/codec/etf, another module) does the decoding.
 *
 * skipTerm(bytes, at) reads tags from `at` and returns the offset just past the term:
 *   1. `left` = 1 term to skip;
 *   2. while left > 0: read a tag, left -= 1, and by the tag
 *      - leaves (integers, floats, atoms, atom cache refs, strings, binaries, bignums,
 *        bit binaries, NEW_FUN_EXT by its size field): skip their bytes;
 *      - pids, ports, references: skip their node atom in place, then their fixed bytes;
 *      - containers: left += their element count (tuple arity, 2 x map arity, list
 *        length + 1 for the tail, 3 for EXPORT_EXT);
 *   3. every length is checked against the bytes that are there before it is skipped.
 * No recursion (a deep term cannot overflow the stack), no allocation; time is linear in
 * the bytes skipped. The version byte (131) is not expected: terms after a distribution
 * header have none (pass-through terms do; the caller skips it).
 *
 * Refused (ErlangFrameError 'bad_term'): unknown tags, a term cut short, and the tags
 * whose length cannot be known without decoding or that never appear in distribution:
 * compressed terms (80), LOCAL_EXT (121), the removed FUN_EXT (117).
 */
import { ErlangFrameError } from './errors.ts';

const T_NEW_FLOAT = 70;
const T_BIT_BINARY = 77;
const T_ATOM_CACHE_REF = 82;
const T_NEW_PID = 88;
const T_NEW_PORT = 89;
const T_NEWER_REFERENCE = 90;
const T_SMALL_INTEGER = 97;
const T_INTEGER = 98;
const T_FLOAT = 99;
const T_ATOM = 100;
const T_REFERENCE = 101;
const T_PORT = 102;
const T_PID = 103;
const T_SMALL_TUPLE = 104;
const T_LARGE_TUPLE = 105;
const T_NIL = 106;
const T_STRING = 107;
const T_LIST = 108;
const T_BINARY = 109;
const T_SMALL_BIG = 110;
const T_LARGE_BIG = 111;
const T_NEW_FUN = 112;
const T_EXPORT = 113;
const T_NEW_REFERENCE = 114;
const T_SMALL_ATOM = 115;
const T_MAP = 116;
const T_ATOM_UTF8 = 118;
const T_SMALL_ATOM_UTF8 = 119;
const T_V4_PORT = 120;

function cut(at: number, what: string): ErlangFrameError {
  return new ErlangFrameError('bad_term', `term: ${what} at offset ${at} runs past the end of the message`);
}

function u16(b: Uint8Array, at: number): number {
  return (b[at]! << 8) | b[at + 1]!;
}

function u32(b: Uint8Array, at: number): number {
  return ((b[at]! << 24) >>> 0) + ((b[at + 1]! << 16) | (b[at + 2]! << 8) | b[at + 3]!);
}

/** Skip `n` bytes from `at` (checked); returns the new offset. */
function take(b: Uint8Array, at: number, n: number, what: string): number {
  if (at + n > b.length) throw cut(at, what);
  return at + n;
}

/** An atom in place (the node of a pid, port or reference); returns the offset past it. */
function skipAtom(b: Uint8Array, at: number): number {
  if (at >= b.length) throw cut(at, 'a node atom');
  const tag = b[at]!;
  switch (tag) {
    case T_ATOM_CACHE_REF: return take(b, at + 1, 1, 'an atom cache ref');
    case T_SMALL_ATOM:
    case T_SMALL_ATOM_UTF8: {
      const p = take(b, at + 1, 1, 'an atom length');
      return take(b, p, b[at + 1]!, 'an atom');
    }
    case T_ATOM:
    case T_ATOM_UTF8: {
      const p = take(b, at + 1, 2, 'an atom length');
      return take(b, p, u16(b, at + 1), 'an atom');
    }
    default:
      throw new ErlangFrameError('bad_term', `term: expected an atom (a node name) at offset ${at}, got tag ${tag}`);
  }
}

/**
 * The offset just past the term that starts at `bytes[at]`.
 * @throws ErlangFrameError 'bad_term' (see the header)
 */
export function skipTerm(bytes: Uint8Array, at = 0): number {
  const b = bytes;
  let p = at;
  let left = 1;
  while (left > 0) {
    if (p >= b.length) throw cut(p, 'a term');
    const tag = b[p]!;
    const start = p;
    p++;
    left--;
    switch (tag) {
      case T_SMALL_INTEGER: case T_ATOM_CACHE_REF: p = take(b, p, 1, 'a small integer'); break;
      case T_INTEGER: p = take(b, p, 4, 'an integer'); break;
      case T_NEW_FLOAT: p = take(b, p, 8, 'a float'); break;
      case T_FLOAT: p = take(b, p, 31, 'an old float'); break;
      case T_NIL: break;
      case T_ATOM: case T_ATOM_UTF8: case T_SMALL_ATOM: case T_SMALL_ATOM_UTF8: p = skipAtom(b, start); break;
      case T_STRING: { const q = take(b, p, 2, 'a string length'); p = take(b, q, u16(b, p), 'a string'); break; }
      case T_BINARY: { const q = take(b, p, 4, 'a binary length'); p = take(b, q, u32(b, p), 'a binary'); break; }
      case T_BIT_BINARY: { const q = take(b, p, 5, 'a bit binary header'); p = take(b, q, u32(b, p), 'a bit binary'); break; }
      case T_SMALL_BIG: { const q = take(b, p, 2, 'a bignum header'); p = take(b, q, b[p]!, 'a bignum'); break; }
      case T_LARGE_BIG: { const q = take(b, p, 5, 'a bignum header'); p = take(b, q, u32(b, p), 'a bignum'); break; }
      case T_NEW_FUN: {
        take(b, p, 4, 'a fun size');
        const size = u32(b, p);
        if (size < 4) throw new ErlangFrameError('bad_term', `term: a fun of size ${size} at offset ${start}`);
        p = take(b, p, size, 'a fun');
        break;
      }
      case T_PID: p = take(b, skipAtom(b, p), 9, 'a pid'); break;
      case T_NEW_PID: p = take(b, skipAtom(b, p), 12, 'a pid'); break;
      case T_PORT: p = take(b, skipAtom(b, p), 5, 'a port'); break;
      case T_NEW_PORT: p = take(b, skipAtom(b, p), 8, 'a port'); break;
      case T_V4_PORT: p = take(b, skipAtom(b, p), 12, 'a port'); break;
      case T_REFERENCE: p = take(b, skipAtom(b, p), 5, 'a reference'); break;
      case T_NEW_REFERENCE:
      case T_NEWER_REFERENCE: {
        const q = take(b, p, 2, 'a reference length');
        const words = u16(b, p);
        if (words > 5) throw new ErlangFrameError('bad_term', `term: a reference of ${words} words at offset ${start} (at most 5)`);
        p = take(b, skipAtom(b, q), (tag === T_NEWER_REFERENCE ? 4 : 1) + 4 * words, 'a reference');
        break;
      }
      case T_SMALL_TUPLE: p = take(b, p, 1, 'a tuple arity'); left += b[p - 1]!; break;
      case T_LARGE_TUPLE: p = take(b, p, 4, 'a tuple arity'); left += u32(b, p - 4); break;
      case T_MAP: p = take(b, p, 4, 'a map arity'); left += 2 * u32(b, p - 4); break;
      case T_LIST: p = take(b, p, 4, 'a list length'); left += u32(b, p - 4) + 1; break;
      case T_EXPORT: left += 3; break;
      default:
        throw new ErlangFrameError('bad_term', `term: tag ${tag} at offset ${start} is not a term the distribution carries`);
    }
    // Each term still to skip needs at least one byte: a count beyond that is a lie.
    if (left > b.length - p) throw cut(p, `${left} more terms`);
  }
  return p;
}
