/**
 * Erlang bignums (SMALL_BIG_EXT / LARGE_BIG_EXT: a sign byte and little-endian base-256
 * digits) to and from JS numbers and bigints. The mapping: an integer whose value is a
 * safe JS integer (|n| <= 2^53 - 1) is a number, any other integer a bigint, whatever
 * ext carried it. Conversions go through hex text, which V8 turns into a bigint in linear
 * time (a loop of shifts would be quadratic in the digit count).
 */

const kMaxSafe = BigInt(Number.MAX_SAFE_INTEGER);

/** The integer of `n` digits at `buf[pos..]` (least significant first), as number when safe. */
export function integerOfDigits(buf: Uint8Array, pos: number, n: number, negative: boolean): number | bigint {
  // Skip high zero digits (not canonical, but the value is what counts).
  let top = pos + n - 1;
  while (top >= pos && buf[top] === 0) top--;
  const used = top - pos + 1;
  if (used <= 6) {
    let v = 0;
    for (let i = top; i >= pos; i--) v = v * 256 + buf[i]!;
    return negative && v !== 0 ? -v : v;
  }
  let hex = '';
  for (let i = top; i >= pos; i--) hex += kHex[buf[i]!]!;
  const big = BigInt('0x' + hex);
  if (big <= kMaxSafe) return negative ? -Number(big) : Number(big);
  return negative ? -big : big;
}

const kHex: string[] = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

/** The little-endian base-256 digits of |v| (v != 0), for a big ext. */
export function digitsOfBigInt(abs: bigint): Uint8Array {
  let hex = abs.toString(16);
  if (hex.length & 1) hex = '0' + hex;
  const n = hex.length >> 1;
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) out[n - 1 - i] = parseInt(hex.substr(i * 2, 2), 16);
  return out;
}
