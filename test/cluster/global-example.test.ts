import { describe, expect, it } from 'vitest';
import { runGlobalExample } from '../../examples/cluster/global/main.ts';

// The example (examples/cluster/global): three node processes contend for one global name
// (exactly one takes it, all three call the same owner); kill -9 of the owner's node ->
// a survivor takes it over and both survivors call it.

describe('example: examples/cluster/global', () => {
  it('one owner of "counter" at a time, taken over after kill -9 of its node', async () => {
    const r = await runGlobalExample(() => {});
    expect(r.tookFirst).toEqual([r.first]);
    expect(r.second).not.toBe(r.first);
    expect(['a@127.0.0.1', 'b@127.0.0.1', 'c@127.0.0.1']).toContain(r.second);
  }, 60_000);
});
