import { describe, expect, it } from 'vitest';
import { Mailbox } from '../../src/core/mailbox.ts';

function contents(m: Mailbox): unknown[] {
  return Array.from({ length: m.mlen }, (_, i) => m.at(i));
}

describe('Mailbox: removeAt', () => {
  it('removes the i-th message and keeps the others in order, at every position', () => {
    for (let n = 1; n <= 9; n++) {
      for (let i = 0; i < n; i++) {
        const m = new Mailbox();
        // Offset the head so the contents wrap.
        for (let k = 0; k < 3; k++) m.push('pad');
        for (let k = 0; k < 3; k++) m.shift();
        for (let k = 0; k < n; k++) m.push(k);
        expect(m.removeAt(i)).toBe(i);
        const expected = [...Array(n).keys()].filter((k) => k !== i);
        expect(contents(m), `n=${n} i=${i}`).toEqual(expected);
        // Still a working FIFO afterwards.
        m.push('new');
        expect(contents(m)).toEqual([...expected, 'new']);
      }
    }
  });

  it('leaves no stale reference behind in the freed slot', () => {
    const m = new Mailbox();
    const big = { big: true };
    m.push(1);
    m.push(big);
    m.push(3);
    m.removeAt(1);
    m.removeAt(1);
    expect(m.mbuf!.includes(big)).toBe(false);
  });
});
