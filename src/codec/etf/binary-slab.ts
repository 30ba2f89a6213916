/**
 * The binary slab of the ETF decoder (decoder.ts's readBinary / readBitBinary). Small
 * binaries are copied into a shared slab and given out as views of it (as Node's
 * Buffer pool does): one ArrayBuffer per kSlabBytes instead of one per binary, which is
 * what a slice costs (a backing store each; measured: 100-byte binaries from a shared ring
 * about 5x faster). A binary's `.buffer` is then the slab (its byteOffset / byteLength say
 * where it is); a view keeps its slab alive. Binaries of kSlabMax bytes or more get their
 * own buffer. Module state: one slab per thread.
 *
 * Protocol (copyOut(buf, pos, n)):
 *   1. n >= kSlabMax (or 0): a slice of its own.
 *   2. The slab lacks n bytes: a fresh slab (the old one lives as long as views of it do).
 *   3. Copy the bytes in at slabUsed, move slabUsed past them (8-aligned), return the view.
 *
 * Erlang mapping: erts keeps binaries up to 64 bytes on the process heap and larger ones
 * reference-counted off-heap; this is the JS side's way to make small ones cheap.
 *
 *   slab (kSlabBytes) +-----------+-----------+-------+---------------------+
 *                     | binary 1  | binary 2  |  ...  | free (slabUsed ->)  |
 *                     +-----------+-----------+-------+---------------------+
 */
const kSlabBytes = 64 * 1024;
const kSlabMax = 4096;
let slab = new Uint8Array(kSlabBytes);
let slabUsed = 0;

/** A copy of buf[pos, pos + n) that the caller owns (the decoder's input may be a ring's memory). */
export function copyOut(buf: Uint8Array, pos: number, n: number): Uint8Array {
  if (n >= kSlabMax || n === 0) return buf.slice(pos, pos + n);
  if (slabUsed + n > kSlabBytes) {
    slab = new Uint8Array(kSlabBytes);
    slabUsed = 0;
  }
  const at = slabUsed;
  const s = slab;
  s.set(buf.subarray(pos, pos + n), at);
  // Keep the next binary 8-byte aligned, so a view of one can back any typed array.
  slabUsed = (at + n + 7) & ~7;
  return s.subarray(at, at + n);
}
