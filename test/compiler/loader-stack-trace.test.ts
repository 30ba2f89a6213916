import { describe, expect, it } from 'vitest';
import { runNode } from './helpers.ts';

// Modules loaded through run-ts report errors at their original .ts lines.
describe('loader: stack traces', () => {
  it('point at the TypeScript source lines', () => {
    const r = runNode(['scripts/run-ts.mjs', 'test/compiler/fixtures/throws.ts'], { SWITCHBOARD_INSTRUMENT: 'all' });
    expect(r.status).not.toBe(0);
    expect(r.stderr).toContain('Error: failed at depth 0');
    expect(r.stderr).toMatch(/at fail \(.*test\/compiler\/fixtures\/throws\.ts:10:\d+\)/);
    expect(r.stderr).toMatch(/at fail \(.*throws\.ts:9:\d+\)/);
    expect(r.stderr).toMatch(/throws\.ts:13:\d+/);
  });
});
