// The Pattern type checks what a receive is given: the `@ts-expect-error` lines below are
// compile errors under `npm run typecheck` (tsconfig.json includes test/), and stop being
// errors (so tsc fails with "Unused '@ts-expect-error' directive") if Pattern ever
// collapses to `unknown` again. The runtime part checks that what the type accepts works.
import { describe, expect, it } from 'vitest';
import { ANY, matches, type Pattern } from '../../src/core/pattern.ts';
import { makeScheduler } from './helpers.ts';

// A real pid and ref (from a scheduler, whatever their constructors take).
const { s } = makeScheduler();
const pid = s.spawn({ handle: (_m: unknown, st: unknown) => st });
const ref = s.sendAfter(1000, pid, 'later');

const accepted: Pattern[] = [
  'tick',
  42,
  null,
  ANY,
  pid,
  ['reply', ANY],
  { type: 'DOWN', ref: ref },
  { n: (x: number) => x > 2 },
  (m: { n: number }) => m.n,
  (m: unknown) => typeof m === 'string',
];

describe('pattern: the Pattern type', () => {
  it('accepts predicates and structural values, which then match at run time', () => {
    expect(accepted.length).toBe(10);
    expect(matches(accepted[5], ['reply', 1])).toBe(true);
    expect(matches(accepted[7], { n: 3 })).toBe(true);
    expect(matches(accepted[8], { n: 0 })).toBe(false);
  });

  it('rejects what is not a pattern (compile errors, checked by tsc)', () => {
    const maybe: unknown = 'tick';
    // @ts-expect-error an unknown value is not a pattern
    const p1: Pattern = maybe;
    // @ts-expect-error a Map is not a pattern (it has no keys: it would match every object)
    const p2: Pattern = new Map([['type', 'DOWN']]);
    // @ts-expect-error a Date is not a pattern
    const p3: Pattern = new Date(0);
    // @ts-expect-error a symbol other than ANY is not a pattern (symbols cannot be sent)
    const p4: Pattern = Symbol('x');
    // @ts-expect-error a function of two required arguments is not a predicate
    const p5: Pattern = (a: unknown, b: unknown) => a === b;
    // @ts-expect-error a Map nested in an object is not a pattern either
    const p6: Pattern = { type: 'DOWN', ref: new Map() };
    // @ts-expect-error nor a Set in an array
    const p7: Pattern = ['reply', new Set()];
    expect([p1, p2, p3, p4, p5, p6, p7].length).toBe(7);
  });
});
