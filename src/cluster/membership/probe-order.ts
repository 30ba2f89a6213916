/**
 * SWIM's randomized round-robin probe order: every member is probed once per round, in an
 * order shuffled anew each round, so a failed member is probed by each node within one
 * round (n probe periods) at worst, and by SOME node within about one period on average.
 *
 *   1. `next(isProbeable)` returns the member at the cursor, skipping those the caller
 *      says not to probe (dead, left, gone) and advancing;
 *   2. at the end of the list, the list is rebuilt from `members()` and shuffled
 *      (Fisher-Yates with the injected random source);
 *   3. a member added mid-round is inserted at a random position after the cursor
 *      (memberlist does the same) so it is probed within this round.
 */
import type { MemberName } from './types.ts';

export class ProbeOrder {
  private list: MemberName[] = [];
  private cursor = 0;

  constructor(
    private readonly random: () => number,
    private readonly members: () => MemberName[],
  ) {}

  /** Steps 1-2. Returns undefined when nothing is probeable. */
  next(isProbeable: (name: MemberName) => boolean): MemberName | undefined {
    for (let rebuilt = 0; rebuilt < 2; ) {
      while (this.cursor < this.list.length) {
        const name = this.list[this.cursor++]!;
        if (isProbeable(name)) return name;
      }
      this.list = this.members();
      this.shuffle();
      this.cursor = 0;
      rebuilt++;
    }
    return undefined;
  }

  /** Step 3. */
  add(name: MemberName): void {
    const span = this.list.length - this.cursor;
    const at = this.cursor + Math.floor(this.random() * (span + 1));
    this.list.splice(at, 0, name);
  }

  private shuffle(): void {
    const a = this.list;
    for (let i = a.length - 1; i > 0; i--) {
      const j = Math.floor(this.random() * (i + 1));
      const t = a[i]!;
      a[i] = a[j]!;
      a[j] = t;
    }
  }
}
