/**
 * Scalar fast path of the message codec: a message that is one number, boolean, null,
 * undefined or short Latin-1 string is written and read here in one call, without the
 * encoder's or decoder's per-message setup (range checks, the reentrancy flag, the
 * Object.prototype check, try/finally). The bytes are exactly those MessageEncoder writes
 * for the same value (wire-format.ts), so either side may use either path: a record a
 * fast-path writer made decodes with MessageDecoder, and the other way round.
 *
 * Protocol:
 *   1. Writer: `writeScalar(v, bytes, off, end)` (callers skip it for objects: a `typeof`
 *      test, no call) returns the bytes written at `off`, or -1
 *      when `v` is not such a scalar or does not fit before `end` (then nothing useful
 *      was written; encode `v` with MessageEncoder instead).
 *   2. Reader: `readScalar(bytes, off, len)` (callers first test the tag byte with
 *      `isScalarTag`, so a container costs no call) returns the value if `bytes[off, off + len)`
 *      is exactly one scalar in one of the forms below, else `kNotScalar` (decode it with
 *      MessageDecoder instead, which also reports malformed input).
 *
 * The forms (wire-format.ts tags; little-endian numbers):
 *
 *   +------+                      FIXINT 0..127, TRUE, FALSE, NULL, UNDEFINED: 1 byte
 *   | tag  |
 *   +------+------+               INT8 -128..-1
 *   | 05   | i8   |
 *   +------+------+------+------+------+           INT32
 *   | 06   | i32 (4 bytes)             |
 *   +------+------+------+------+------+---...---+ FLOAT64 (every other number, -0, NaN)
 *   | 07   | f64 (8 bytes)                       |
 *   +------+------+------+--...--+               FIXLATIN1: 0x40 | n, n <= 31 chars
 *   | 4n   | n Latin-1 bytes     |
 *   +------+------+------+--...--+               LATIN1: n in 32..kShortStringChars
 *   | 0A   | n    | n Latin-1 bytes     |
 *   +------+------+---------------------+
 *
 * Short strings read back come from `cachedLatin1`, a direct-mapped cache of recently seen
 * short Latin-1 strings by a hash of their bytes (per thread), which the decoder also uses
 * for object keys: a stream of messages repeating 'ping' or the key 'from' makes no new
 * strings.
 *
 * Erlang/OTP mapping: like the small-integer and atom cases of term_to_binary /
 * binary_to_term (erts/emulator/beam/external.c), which take the immediate term without
 * the general encoder's bookkeeping; the string cache plays the part of the atom cache.
 */
import {
  kFalse, kFixInt, kFixLatin1, kFixLatin1Max, kFloat64, kInt32, kInt8, kLatin1, kNull, kTrue, kUndefined,
} from './wire-format.ts';
import { kKeyCacheSize, kShortStringChars } from './limits.ts';

/** What `readScalar` returns for bytes that are not one scalar of the forms above. */
export const kNotScalar: unknown = Symbol('notScalar');

// Float64 bytes go through these (one per thread): no DataView over the caller's bytes needed.
const f64 = new Float64Array(1);
const f64Bytes = new Uint8Array(f64.buffer);
const littleEndian = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/**
 * Write `v` at `bytes[off]` if it is a scalar (see the file header) and fits before `end`.
 * Returns the number of bytes written, or -1.
 */
export function writeScalar(v: unknown, bytes: Uint8Array, off: number, end: number): number {
  switch (typeof v) {
    case 'number':
      return writeNumber(v, bytes, off, end);
    case 'string':
      return writeShortLatin1(v, bytes, off, end);
    case 'boolean':
      if (off >= end) return -1;
      bytes[off] = v ? kTrue : kFalse;
      return 1;
    case 'undefined':
      if (off >= end) return -1;
      bytes[off] = kUndefined;
      return 1;
    case 'object':
      if (v !== null || off >= end) return -1;
      bytes[off] = kNull;
      return 1;
    default:
      return -1;
  }
}

function writeNumber(v: number, bytes: Uint8Array, off: number, end: number): number {
  if ((v | 0) === v && (v !== 0 || 1 / v > 0)) {
    if (v >= 0 && v < 0x80) {
      if (off >= end) return -1;
      bytes[off] = kFixInt | v;
      return 1;
    }
    if (v >= -0x80 && v < 0x80) {
      if (off + 2 > end) return -1;
      bytes[off] = kInt8;
      bytes[off + 1] = v & 0xff;
      return 2;
    }
    if (off + 5 > end) return -1;
    bytes[off] = kInt32;
    bytes[off + 1] = v & 0xff;
    bytes[off + 2] = (v >>> 8) & 0xff;
    bytes[off + 3] = (v >>> 16) & 0xff;
    bytes[off + 4] = v >>> 24;
    return 5;
  }
  if (off + 9 > end) return -1;
  bytes[off] = kFloat64;
  f64[0] = v;
  if (littleEndian) {
    for (let i = 0; i < 8; i++) bytes[off + 1 + i] = f64Bytes[i]!;
  } else {
    for (let i = 0; i < 8; i++) bytes[off + 1 + i] = f64Bytes[7 - i]!;
  }
  return 9;
}

/** A string of at most kShortStringChars chars, all <= U+00FF; else -1. */
function writeShortLatin1(s: string, bytes: Uint8Array, off: number, end: number): number {
  const n = s.length;
  if (n > kShortStringChars) return -1;
  const head = n <= kFixLatin1Max ? 1 : 2;
  if (off + head + n > end) return -1;
  let pos = off + head;
  for (let i = 0; i < n; i++) {
    const c = s.charCodeAt(i);
    if (c > 0xff) return -1;
    bytes[pos++] = c;
  }
  if (head === 1) {
    bytes[off] = kFixLatin1 | n;
  } else {
    bytes[off] = kLatin1;
    bytes[off + 1] = n;
  }
  return head + n;
}

/**
 * Can a value starting with this tag byte be a scalar of the forms above? A one-compare
 * filter for callers, so that a container (OBJECT 0x0E, ARRAY 0x0D, ...) costs no call.
 */
export function isScalarTag(tag: number): boolean {
  return tag >= kFixLatin1 || tag <= kFloat64 || tag === kLatin1;
}

/**
 * The value in `bytes[off, off + len)` if those bytes are exactly one scalar of the forms
 * in the file header; else `kNotScalar`. Never throws; never reads outside the range.
 */
export function readScalar(bytes: Uint8Array, off: number, len: number): unknown {
  if (len <= 0) return kNotScalar;
  const tag = bytes[off]!;
  if (tag >= kFixInt) return len === 1 ? tag & 0x7f : kNotScalar;
  if (tag >= kFixLatin1 && tag <= (kFixLatin1 | kFixLatin1Max)) {
    const n = tag & kFixLatin1Max;
    return len === 1 + n ? cachedLatin1(bytes, off + 1, n) : kNotScalar;
  }
  switch (tag) {
    case kInt8:
      return len === 2 ? (bytes[off + 1]! << 24) >> 24 : kNotScalar;
    case kInt32:
      return len === 5 ? bytes[off + 1]! | (bytes[off + 2]! << 8) | (bytes[off + 3]! << 16) | (bytes[off + 4]! << 24) : kNotScalar;
    case kFloat64:
      if (len !== 9) return kNotScalar;
      if (littleEndian) {
        for (let i = 0; i < 8; i++) f64Bytes[i] = bytes[off + 1 + i]!;
      } else {
        for (let i = 0; i < 8; i++) f64Bytes[7 - i] = bytes[off + 1 + i]!;
      }
      return f64[0]!;
    case kLatin1: {
      const n = len >= 2 ? bytes[off + 1]! : 0;
      return len >= 2 && n < 0x80 && len === 2 + n ? latin1(bytes, off + 2, n) : kNotScalar;
    }
    case kTrue:
      return len === 1 ? true : kNotScalar;
    case kFalse:
      return len === 1 ? false : kNotScalar;
    case kNull:
      return len === 1 ? null : kNotScalar;
    case kUndefined:
      return len === 1 ? undefined : kNotScalar;
    default:
      return kNotScalar;
  }
}

/** A fresh string of the n Latin-1 bytes at `buf[start]` (n small: a JS loop beats a call into C++). */
export function latin1(buf: Uint8Array, start: number, n: number): string {
  const stop = start + n;
  let s = '';
  let i = start;
  for (; i + 4 <= stop; i += 4) s += String.fromCharCode(buf[i]!, buf[i + 1]!, buf[i + 2]!, buf[i + 3]!);
  for (; i < stop; i++) s += String.fromCharCode(buf[i]!);
  return s;
}

/**
 * Short Latin-1 strings seen lately, by a hash of their bytes (direct-mapped, per thread).
 * A hit returns the same string again (one V8 has often internalized already, which makes
 * a property store with it as the key cheaper).
 */
const stringCache: (string | undefined)[] = new Array<string | undefined>(kKeyCacheSize).fill(undefined);

/** The string of the n (<= kFixLatin1Max) Latin-1 bytes at `buf[start]`, from the cache when it is there. */
export function cachedLatin1(buf: Uint8Array, start: number, n: number): string {
  let h = n;
  for (let i = start; i < start + n; i++) h = Math.imul(h ^ buf[i]!, 0x01000193);
  const slot = (h ^ (h >>> 16)) & (kKeyCacheSize - 1);
  const cached = stringCache[slot];
  if (cached !== undefined && cached.length === n) {
    let i = 0;
    while (i < n && cached.charCodeAt(i) === buf[start + i]) i++;
    if (i === n) return cached;
  }
  const s = latin1(buf, start, n);
  stringCache[slot] = s;
  return s;
}
