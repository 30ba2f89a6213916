import { describe, expect, it } from 'vitest';
import { instrument } from '../../src/compiler/index.ts';
import { reductions, RunawaySignal } from '../../src/core/reductions.ts';
import { loadInstrumented, runNode } from './helpers.ts';

// counter: 'global' makes checks read globalThis.__switchboardReductions (the same counter
// object as the runtime's `reductions`), keeping the import prologue.
const source = `
export function count(n: number): number { let i = 0; while (i < n) i++; return i; }
export function* gen(): Generator<unknown, void, unknown> { for (;;) {} }
export function swallow(): string { try { for (;;) {} } catch { return 'swallowed'; } }
`;

describe("instrument({ counter: 'global' })", () => {
  it('emits checks against the global counter and keeps the prologue', () => {
    const { code } = instrument(source, '/x/g.ts', { runtime: 'rt', counter: 'global' });
    expect(code.startsWith('import { reductions as $sbR } from "rt"; $sbR.instrumented.add(import.meta.url);')).toBe(true);
    expect(code).toContain('if (--__switchboardReductions.left < 0) __switchboardReductions.slow();');
    expect(code).toContain('const $sbG = __switchboardReductions.claim();');
    expect(code).toContain('if ($sbG) yield __switchboardReductions.PREEMPT; else __switchboardReductions.slow();');
    expect(code).toContain('__switchboardReductions.rethrow($sbE);');
    expect(code.replace(/^import[^;]*;[^;]*;/, '')).not.toContain('$sbR');
  });

  it('counts on the thread counter, preempts and stops runaways', async () => {
    expect(globalThis.__switchboardReductions).toBe(reductions);
    const m = await loadInstrumented(source, reductions, 'global.ts', { counter: 'global' });
    reductions.left = 1e6;
    expect(m.count(100)).toBe(100);
    expect(1e6 - reductions.left).toBe(101);

    reductions.claimNext = true;
    reductions.left = 10;
    expect(m.gen().next().value).toBe(reductions.PREEMPT);

    reductions.left = 10;
    reductions.overrun = 0;
    reductions.limit = 5000;
    reductions.kill = 0;
    reductions.beginMessage();
    expect(() => m.swallow()).toThrow(RunawaySignal);
  });

  it('is selected in the loader by SWITCHBOARD_COUNTER=global', () => {
    const r = runNode(['scripts/run-ts.mjs', 'test/compiler/fixtures/report.ts'], {
      SWITCHBOARD_INSTRUMENT: '',
      SWITCHBOARD_COUNTER: 'global',
    });
    expect(r.stderr).toBe('');
    const report = JSON.parse(r.stdout);
    expect(report.counter).toBe('global');
    expect(report.directive).toBe(97); // 1 entry + 3 batches of 32 loop iterations (kLoopBatch)
  });
});
