/**
 * Lifeguard's dynamic suspicion timeout (src/cluster/membership/suspicion.ts): starts at
 * the maximum, shrinks logarithmically with each independent confirmation, reaches the
 * minimum at k confirmations, never counts a confirmer twice, never moves later.
 */
import { describe, expect, it } from 'vitest';
import { SuspicionTimer } from '../../src/cluster/membership/suspicion.ts';

describe('membership suspicion timer', () => {
  it('shrinks from max to min with k confirmations', () => {
    const t = new SuspicionTimer(1000, 'a', 8000, 48000, 2);
    expect(t.deadline).toBe(1000 + 48000);
    expect(t.confirm('a')).toBe(false); // the first suspector does not confirm itself
    expect(t.confirm('b')).toBe(true);
    // c = 1, k = 2: max - (max - min) * log 2 / log 3
    expect(t.deadline).toBeCloseTo(1000 + 48000 - 40000 * (Math.log(2) / Math.log(3)), 6);
    expect(t.confirm('b')).toBe(false);
    expect(t.confirm('c')).toBe(true);
    expect(t.deadline).toBe(1000 + 8000);
    expect(t.confirm('d')).toBe(false); // no more useful
    expect(t.confirmations).toBe(2);
  });

  it('with no confirmations expected, the minimum applies at once', () => {
    const t = new SuspicionTimer(0, 'a', 4000, 24000, 0);
    expect(t.deadline).toBe(4000);
    expect(t.confirm('b')).toBe(false);
    expect(t.deadline).toBe(4000);
  });
});
