import { describe, expect, it } from 'vitest';
import { ReductionCounter } from '../../src/core/reductions.ts';
import { loadInstrumented } from './helpers.ts';

// Every kind of function spends one reduction on entry; recursion is counted per call.
const source = `
export function decl(): number { return 1; }
export const expr = function (): number { return 2; };
export const arrowExpr = (x: number): number => x + 1;
export const arrowObject = (x: number) => ({ x });
export const arrowBlock = (x: number): number => { return x * 2; };
export const curried = (a: number) => (b: number) => a + b;
export async function asyncFn(): Promise<number> { return 3; }
export const asyncArrow = async (x: number) => x;
export function fib(n: number): number { return n < 2 ? n : fib(n - 1) + fib(n - 2); }
export function strict(): boolean { 'use strict'; return (function (this: unknown) { return this === undefined; })(); }

export class Base {
  v: number;
  constructor(v: number) { this.v = v; }
  method(): number { return this.v; }
  get twice(): number { return this.v * 2; }
  set twice(x: number) { this.v = x / 2; }
  static make(): Base { return new Base(7); }
}
export class Derived extends Base {
  extra = 1;
  constructor() { super(5); }
}
export let staticRuns = 0;
export class WithStatic { static { staticRuns++; } }
export const obj = {
  m(): number { return 1; },
  get g(): number { return 2; },
  arrow: () => 3,
};
`;

describe('instrumented functions', () => {
  it('spend one reduction per call of every function kind', async () => {
    const counter = new ReductionCounter();
    const m = await loadInstrumented(source, counter, 'functions.ts');
    const spent = (f: () => unknown, expected: unknown): number => {
      counter.left = 1e9;
      expect(f()).toEqual(expected);
      return 1e9 - counter.left;
    };
    expect(spent(() => m.decl(), 1)).toBe(1);
    expect(spent(() => m.expr(), 2)).toBe(1);
    expect(spent(() => m.arrowExpr(1), 2)).toBe(1);
    expect(spent(() => m.arrowObject(4), { x: 4 })).toBe(1);
    expect(spent(() => m.arrowBlock(2), 4)).toBe(1);
    expect(spent(() => m.curried(1)(2), 3)).toBe(2);
    expect(spent(() => m.strict(), true)).toBe(2);
    expect(spent(() => new m.Base(3).method(), 3)).toBe(2);
    expect(spent(() => new m.Base(3).twice, 6)).toBe(2);
    expect(
      spent(() => {
        const b = new m.Base(0);
        b.twice = 8;
        return b.v;
      }, 4),
    ).toBe(2);
    expect(spent(() => m.Base.make().v, 7)).toBe(2);
    // derived constructor: the check runs before super(), which must still work
    expect(spent(() => new m.Derived().v + new m.Derived().extra, 6)).toBe(4);
    expect(spent(() => m.obj.m() + m.obj.g + m.obj.arrow(), 6)).toBe(3);
    expect(m.staticRuns).toBe(1);
  });

  it('counts every recursive call', async () => {
    const counter = new ReductionCounter();
    const m = await loadInstrumented(source, counter, 'functions.ts');
    counter.left = 1e9;
    expect(m.fib(20)).toBe(6765);
    // fib(n) makes 2*fib(n+1) - 1 calls
    expect(1e9 - counter.left).toBe(2 * 10946 - 1);
  });

  it('counts async function entries', async () => {
    const counter = new ReductionCounter();
    const m = await loadInstrumented(source, counter, 'functions.ts');
    counter.left = 1e9;
    expect(await m.asyncFn()).toBe(3);
    expect(await m.asyncArrow(9)).toBe(9);
    expect(1e9 - counter.left).toBe(2);
  });

  it('spends nothing at module load beyond top-level calls', async () => {
    const counter = new ReductionCounter();
    counter.left = 1e9;
    await loadInstrumented(source, counter, 'functions.ts');
    // the static block runs once at class definition
    expect(1e9 - counter.left).toBe(1);
  });
});
