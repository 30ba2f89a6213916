import { describe, expect, it } from 'vitest';
import { runNode } from './helpers.ts';

// `node scripts/run-ts.mjs file.ts args...` runs TypeScript without a build step.
describe('scripts/run-ts.mjs', () => {
  it('runs a TypeScript file with its arguments', () => {
    const r = runNode(['scripts/run-ts.mjs', 'test/compiler/fixtures/report.ts', 'one', '--two'], {
      SWITCHBOARD_INSTRUMENT: '',
    });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const report = JSON.parse(r.stdout);
    expect(report.args).toEqual(['one', '--two']);
    // './plain-helper.js' resolved to plain-helper.ts; it ran (uninstrumented)
    expect(report.plain).toBe(0);
  });

  it('prints usage and fails without a file', () => {
    const r = runNode(['scripts/run-ts.mjs']);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('usage');
  });
});
