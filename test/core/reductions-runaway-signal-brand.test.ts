/**
 * A RunawaySignal is recognised by brand: a copy of src/core/reductions.ts loaded a second
 * time in the same thread (as a bundle or a second install would) throws signals that this
 * copy's `instanceof` and `rethrow` still recognise, and vice versa.
 */
import { describe, expect, it } from 'vitest';
import { RunawaySignal, reductions } from '../../src/core/reductions.ts';

describe('RunawaySignal', () => {
  it('is recognised across two copies of the module', async () => {
    const url = new URL('../../src/core/reductions.ts', import.meta.url).href;
    const other = (await import(/* @vite-ignore */ `${url}?copy=2`)) as typeof import('../../src/core/reductions.ts');
    expect(other.RunawaySignal).not.toBe(RunawaySignal);
    const foreign = new other.RunawaySignal('kill', 7);
    expect(foreign instanceof RunawaySignal).toBe(true);
    let thrown: unknown = null;
    try {
      reductions.rethrow(foreign);
    } catch (e) {
      thrown = e;
    }
    expect(thrown).toBe(foreign); // rethrown as is, not wrapped
    expect(thrown).toMatchObject({ cause: 'kill', reductions: 7 });
    expect(new RunawaySignal('runaway', 1) instanceof other.RunawaySignal).toBe(true);
    expect(({ cause: 'kill' }) instanceof RunawaySignal).toBe(false);
    expect(new Error('x') instanceof RunawaySignal).toBe(false);
    expect(() => reductions.rethrow(new Error('x'))).not.toThrow();
  });
});
