import { describe, expect, it } from 'vitest';
import { runNode } from './helpers.ts';

// SWITCHBOARD_INSTRUMENT selects modules by glob, or `all` outside node_modules and src/.
function report(env: string) {
  const r = runNode(['scripts/run-ts.mjs', 'test/compiler/fixtures/report.ts'], { SWITCHBOARD_INSTRUMENT: env });
  expect(r.stderr).toBe('');
  expect(r.status).toBe(0);
  return JSON.parse(r.stdout) as { instrumented: string[]; plain: number; directive: number };
}

describe('loader: SWITCHBOARD_INSTRUMENT', () => {
  it('instruments modules matching a glob', () => {
    const r = report('nothing/**, test/compiler/fixtures/plain-*.ts');
    expect(r.instrumented).toEqual(['directive-helper.ts', 'plain-helper.ts']);
    expect(r.plain).toBe(97); // 1 entry + 3 batches of 32 loop iterations (kLoopBatch)
  });

  it('`all` instruments user modules but not Switchboard src/ or node_modules', () => {
    const r = report('all');
    // reductions.ts (src/core) is not in the list; report.ts itself is
    expect(r.instrumented).toEqual(['directive-helper.ts', 'plain-helper.ts', 'report.ts']);
    expect(r.plain).toBe(97); // 1 entry + 3 batches of 32 loop iterations (kLoopBatch)
  });

  it('a glob that matches nothing instruments nothing extra', () => {
    const r = report('src/**,**/node_modules/**');
    expect(r.instrumented).toEqual(['directive-helper.ts']);
    expect(r.plain).toBe(0);
  });
});
