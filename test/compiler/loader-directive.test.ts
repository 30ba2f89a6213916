import { describe, expect, it } from 'vitest';
import { runNode } from './helpers.ts';

// The loader instruments exactly the modules that start with 'use switchboard';.
describe('loader: the directive', () => {
  it('instruments directive modules only', () => {
    const r = runNode(['scripts/run-ts.mjs', 'test/compiler/fixtures/report.ts'], { SWITCHBOARD_INSTRUMENT: '', SWITCHBOARD_COUNTER: '' });
    expect(r.status).toBe(0);
    const report = JSON.parse(r.stdout);
    expect(report.instrumented).toEqual(['directive-helper.ts']);
    expect(report.directive).toBe(97); // 1 entry + 100 iterations charged 32 at a time (96; the last 4 wait for the next batch)
    expect(report.plain).toBe(0);
    expect(report.counter).toBe('global'); // the default with the default runtime
  });
});
