/**
 * The receiving side's atom cache of one Erlang connection (distribution header,
 * DFLAG_DIST_HDR_ATOM_CACHE): 8 segments of 256 entries. A header's new-entry refs set
 * entries (segment from the flag nibble, index from the InternalSegmentIndex byte); its
 * cached refs read them; an entry stays until a later header replaces it. Erlang keeps
 * one such table per connection and direction; this is the inbound one (we send headers
 * with no refs, so we never ask the peer to keep one for us).
 */
export const kAtomCacheSegments = 8;
export const kAtomCacheSegmentSize = 256;

export class ErlangAtomCache {
  private readonly entries: (string | undefined)[] = new Array<string | undefined>(kAtomCacheSegments * kAtomCacheSegmentSize);
  private count = 0;

  /** The atom at (segment 0..7, index 0..255), or undefined if never set. */
  get(segment: number, index: number): string | undefined {
    return this.entries[segment * kAtomCacheSegmentSize + index];
  }

  set(segment: number, index: number, atom: string): void {
    const k = segment * kAtomCacheSegmentSize + index;
    if (this.entries[k] === undefined) this.count++;
    this.entries[k] = atom;
  }

  /** Entries set. */
  get size(): number {
    return this.count;
  }
}
