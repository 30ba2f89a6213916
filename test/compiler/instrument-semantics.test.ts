import { describe, expect, it } from 'vitest';
import { ReductionCounter } from '../../src/core/reductions.ts';
import { loadInstrumented } from './helpers.ts';

// Instrumented code computes the same results as the original, across awkward syntax.
const source = `#!/usr/bin/env node
// braces in comments { and strings "{" and regexes /\\{/ must not confuse insertion
export function asi() {
  let i = 0, s = ''
  while (i < 3) i++
  do s += i--
  while (i > 0)
  for (;;) if (s.length > 5) break; else s += '.'
  return s
}
export const objArrow = () => ({ a: { b: [1, 2] } });
export const seqArrow = (a: number) => (a++, a * 2);
export const nestedArrows = (a: number) => (b: number) => (c: number) => a + b + c;
export const templ = (x: number) => \`v\${x > 1 ? \`big\${x}\` : 'small'}{}\`;
export function args(..._xs: number[]) { return arguments.length; }
export function target(this: unknown) { return new.target === undefined ? 'call' : 'new'; }
export function* delegate(): Generator<number> { yield* [1, 2]; for (const x of [3, 4]) yield x; }
export class Priv {
  #n = 1;
  #inc() { return ++this.#n; }
  static #count = 0;
  run(): number { for (let i = 0; i < 3; i++) this.#inc(); Priv.#count++; return this.#n; }
  field = async () => this.#n;
}
export function labelledBlock(): number {
  let n = 0;
  block: { n++; if (n) break block; n = 100; }
  outer: while (true) { inner: do { n++; if (n > 4) break outer; continue inner; } while (n < 3); }
  return n;
}
export function switchInLoop(): string {
  let r = '';
  for (const c of 'abc') { switch (c) { case 'a': r += 1; continue; case 'b': r += 2; break; default: r += 3; } r += '|'; }
  return r;
}
export function catchScopes(): string {
  const out: string[] = [];
  try { throw new Error('x'); } catch ({ message, extra = () => 'd' }: any) { out.push(message, extra()); }
  try { throw 1; } catch (e) { var e2 = e; out.push(String(e2)); }
  const shadow = 'outer';
  try { throw {}; } catch ({ v = shadow }: any) { const shadow = 'inner'; out.push(v, shadow); }
  try { out.push('t'); } finally { out.push('f'); }
  return out.join(',');
}
export function getterSetter() {
  const o = { _v: 1, get v() { return this._v; }, set v(x) { this._v = x * 10; } };
  o.v = 2;
  return o.v;
}
export const regexes = () => '{a}'.replace(/\\{(\\w)\\}/g, (_m, c) => c.toUpperCase());
`;

describe('instrumented semantics', () => {
  it('computes the same results as the original', async () => {
    const counter = new ReductionCounter();
    counter.left = 1e9;
    const m = await loadInstrumented(source, counter, 'semantics.ts');
    expect(m.asi()).toBe('321...');
    expect(m.objArrow()).toEqual({ a: { b: [1, 2] } });
    expect(m.seqArrow(1)).toBe(4);
    expect(m.nestedArrows(1)(2)(3)).toBe(6);
    expect(m.templ(2)).toBe('vbig2{}');
    expect(m.templ(0)).toBe('vsmall{}');
    expect(m.args(1, 2, 3)).toBe(3);
    expect(m.target()).toBe('call');
    expect(new m.target() instanceof m.target).toBe(true);
    expect([...m.delegate()]).toEqual([1, 2, 3, 4]);
    const p = new m.Priv();
    expect(p.run()).toBe(4);
    expect(await p.field()).toBe(4);
    expect(m.labelledBlock()).toBe(5);
    expect(m.switchInLoop()).toBe('12|3|');
    expect(m.catchScopes()).toBe('x,d,1,outer,inner,t,f');
    expect(m.getterSetter()).toBe(20);
    expect(m.regexes()).toBe('A');
    expect(counter.left).toBeLessThan(1e9);
  });
});
