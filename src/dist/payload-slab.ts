/**
 * PayloadSlab: where the I/O thread keeps its copies of inline payloads (views into the
 * node thread's ring, valid only while a record is handed over) until the frame writer has
 * written them. Copies are carved front to back from one slab, and a full slab is replaced
 * by a fresh one (the old one lives as long as views into it are queued), so a stream of
 * small messages costs one ArrayBuffer per slab instead of one per message: the GC of the
 * I/O thread then has little to do (it spent 16% copying and collecting those buffers).
 *
 *   slab (kSlabBytes)
 *   +---------+-----+-------------+--------------------------- - - -+
 *   | copy 1  | c 2 | copy 3      | free ->                          |
 *   +---------+-----+-------------+--------------------------- - - -+
 *   ^ views handed to FrameWriter.message (subarrays, never overwritten)
 *
 * Protocol: copy(view) returns a Uint8Array with the same bytes that stays valid; a payload
 * of more than kOwnBytes gets a buffer of its own (it would waste most of a slab).
 */
const kSlabBytes = 256 * 1024;
const kOwnBytes = 16 * 1024;

export class PayloadSlab {
  private slab = new Uint8Array(kSlabBytes);
  private used = 0;
  /** Slabs started (the first included): for tests and stats. */
  slabs = 1;

  copy(view: Uint8Array): Uint8Array {
    const n = view.length;
    if (n > kOwnBytes) return view.slice();
    if (kSlabBytes - this.used < n) {
      this.slab = new Uint8Array(kSlabBytes);
      this.used = 0;
      this.slabs++;
    }
    const at = this.used;
    const slab = this.slab;
    if (n <= 32) for (let i = 0; i < n; i++) slab[at + i] = view[i]!;
    else slab.set(view, at);
    this.used = at + n;
    return slab.subarray(at, at + n);
  }
}
