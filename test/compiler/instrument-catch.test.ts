import { describe, expect, it } from 'vitest';
import { ReductionCounter, RunawaySignal } from '../../src/core/reductions.ts';
import { loadInstrumented, runNode } from './helpers.ts';

// User catch clauses (and finally blocks) cannot swallow a RunawaySignal.
// The loops are bounded (2e8 iterations, well under a second uninstrumented) so that a
// compiler regression fails these tests instead of hanging the run; the literal
// \`while (true) {}\` case runs in a child process with a timeout (last test).
const source = `
const FOREVER = 2e8;
export function bareCatch(): string { try { let i = 0; while (i++ < FOREVER) {} } catch {} return 'swallowed'; }
export function namedCatch(): string { try { for (let i = 0; i < FOREVER; i++); } catch (e) { return 'caught ' + String(e); } return 'done'; }
export function destructuring(): string {
  try { let i = 0; while (i++ < FOREVER) {} } catch ({ message }: any) { return 'caught ' + message; }
  return 'done';
}
export function nested(): string {
  for (let k = 0; k < 2; k++) { try { try { let i = 0; while (i++ < FOREVER) {} } catch { continue; } } catch { continue; } }
  return 'done';
}
export function finallyReturn(): string {
  // a finally that returns would normally swallow the exception
  try { let i = 0; while (i++ < FOREVER) {} } finally { return 'swallowed by finally'; }
}
export function finallyLoop(): string {
  try { let i = 0; while (i++ < FOREVER) {} } finally { let j = 0; while (j++ < FOREVER) {} }
  return 'done';
}
export function ordinary(): string {
  try { throw new Error('user error'); } catch (e) { return (e as Error).message; } finally { }
}
export function ordinaryBare(): number {
  let n = 0;
  try { JSON.parse('{'); } catch { n = 1; }
  return n;
}
`;

function fresh(): ReductionCounter {
  const c = new ReductionCounter();
  c.left = 50;
  c.overrun = 0;
  c.kill = 0;
  c.limit = 20_000;
  c.beginMessage();
  return c;
}

function signalOf(f: () => unknown): RunawaySignal {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(RunawaySignal);
    return e as RunawaySignal;
  }
  throw new Error('returned normally');
}

describe('instrumented catch and finally', () => {
  const names = ['bareCatch', 'namedCatch', 'destructuring', 'nested', 'finallyReturn', 'finallyLoop'] as const;

  for (const name of names) {
    it(`${name}: ends with a RunawaySignal once the per-message limit is spent`, async () => {
      const counter = fresh();
      const m = await loadInstrumented(source, counter, 'catch.ts');
      counter.beginMessage();
      const sig = signalOf(() => m[name]());
      expect(sig.cause).toBe('runaway');
      expect(sig.reductions).toBeGreaterThan(20_000);
      expect(sig.reductions).toBeLessThan(25_000);
    });

    it(`${name}: ends with a RunawaySignal when killed`, async () => {
      const counter = fresh();
      counter.limit = Number.MAX_SAFE_INTEGER;
      const m = await loadInstrumented(source, counter, 'catch.ts');
      let polls = 0;
      // the kill arrives while the loop spins (as a threaded scheduler's poll would deliver it)
      counter.poll = () => (++polls >= 3 ? 1 : 0);
      const sig = signalOf(() => m[name]());
      expect(sig.cause).toBe('kill');
      expect(polls).toBe(3);
    });
  }

  it('leaves ordinary exceptions to user catch clauses', async () => {
    const counter = fresh();
    const m = await loadInstrumented(source, counter, 'catch.ts');
    expect(m.ordinary()).toBe('user error');
    expect(m.ordinaryBare()).toBe(1);
  });

  it('ends a literal `try { while (true) {} } catch {}` (child process, real counter)', () => {
    const r = runNode(['scripts/run-ts.mjs', 'test/compiler/fixtures/runaway.ts']);
    expect(r.stderr).toBe('');
    expect(r.stdout.trim()).toBe('runaway kill');
  });
});
