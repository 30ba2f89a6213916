import { describe, expect, it } from 'vitest';
import { ReductionCounter } from '../../src/core/reductions.ts';
import { loadInstrumented } from './helpers.ts';

// Every loop kind spends one reduction per iteration (plus 1 for the function entry).
const source = `
export function forLoop(n: number): number { let s = 0; for (let i = 0; i < n; i++) { s += i; } return s; }
export function forBare(n: number): number { let s = 0; for (let i = 0; i < n; i++) s += i; return s; }
export function forEmpty(n: number): number { let i = 0; for (; i < n; i++); return i; }
export function whileLoop(n: number): number { let i = 0; while (i < n) i++; return i; }
export function doWhile(n: number): number { let i = 0; do i++; while (i < n); return i; }
export function forIn(o: Record<string, number>): number { let s = 0; for (const k in o) s += o[k]!; return s; }
export function forOf(a: number[]): number { let s = 0; for (const x of a) { s += x; } return s; }
export async function forAwait(a: number[]): Promise<number> { let s = 0; for await (const x of a) s += x; return s; }
export function labelled(n: number): number {
  let s = 0;
  outer: for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      if (j === 1) continue outer;
      s++;
    }
  }
  return s;
}
export function plainContinue(n: number): number {
  let s = 0;
  for (let i = 0; i < n; i++) { if (i % 2 === 0) continue; s++; }
  return s;
}
`;

async function setup() {
  const counter = new ReductionCounter();
  const m = await loadInstrumented(source, counter, 'loops.ts');
  const spent = <T>(f: () => T): [T, number] => {
    counter.left = 1e9;
    const r = f();
    return [r, 1e9 - counter.left];
  };
  return { counter, m, spent };
}

describe('instrumented loops', () => {
  it('spend one reduction per iteration of every loop kind', async () => {
    const { m, spent } = await setup();
    const n = 1000;
    expect(spent(() => m.forLoop(n))).toEqual([(n * (n - 1)) / 2, n + 1]);
    expect(spent(() => m.forBare(n))).toEqual([(n * (n - 1)) / 2, n + 1]);
    expect(spent(() => m.forEmpty(n))).toEqual([n, n + 1]);
    expect(spent(() => m.whileLoop(n))).toEqual([n, n + 1]);
    expect(spent(() => m.doWhile(n))).toEqual([n, n + 1]);
    const obj = Object.fromEntries(Array.from({ length: 50 }, (_, i) => [`k${i}`, i]));
    expect(spent(() => m.forIn(obj))).toEqual([1225, 51]);
    const arr = Array.from({ length: n }, (_, i) => i);
    expect(spent(() => m.forOf(arr))).toEqual([(n * (n - 1)) / 2, n + 1]);
  });

  it('counts for-await iterations', async () => {
    const { m, counter } = await setup();
    counter.left = 1e9;
    const r = await m.forAwait([1, 2, 3, 4]);
    expect(r).toBe(10);
    expect(1e9 - counter.left).toBe(5);
  });

  it('hits the check on every continue, labelled or not', async () => {
    const { m, spent } = await setup();
    // outer runs 10 times; each inner run does j=0, j=1 (continue outer): 2 iterations
    expect(spent(() => m.labelled(10))).toEqual([10, 1 + 10 + 20]);
    expect(spent(() => m.plainContinue(10))).toEqual([5, 11]);
  });

  it('takes the slow path once per grant', async () => {
    const { m, counter } = await setup();
    counter.left = 10;
    counter.overrun = 0;
    m.forLoop(5000);
    // 5001 reductions from left=10: the slow path granted 1000 five times
    expect(counter.overrun).toBe(5000);
    expect(counter.spent(10)).toBe(5001);
  });
});
