import { describe, expect, it } from 'vitest';
import { instrument } from '../../src/compiler/index.ts';

// The inserted text is exactly the protocol of src/core/reductions.ts.
const CHECK = 'if (--$sbR.left < 0) $sbR.slow();';
const LOOP_CHECK = 'if (--$sbL === 0) { $sbL = 32; if (($sbR.left -= 32) < 0) $sbR.slow(); }';
const GEN_CHECK = 'if (--$sbL === 0) { $sbL = 32; if (($sbR.left -= 32) < 0) { if ($sbG) yield $sbR.PREEMPT; else $sbR.slow(); } }';
const CLAIM = 'const $sbG = $sbR.claim();';
const LOOP_DECL = 'let $sbL = 32;';

const count = (code: string, needle: string): number => code.split(needle).length - 1;

describe('instrument() output', () => {
  it('starts with the prologue importing the runtime and registering the module', () => {
    const { code } = instrument('export const a: number = 1;', '/x/a.ts', { runtime: 'file:///rt/reductions.ts' });
    expect(code.startsWith(
      'import { reductions as $sbR } from "file:///rt/reductions.ts"; $sbR.instrumented.add(import.meta.url); ',
    )).toBe(true);
  });

  it('defaults the runtime to src/core/reductions.ts next to the compiler', () => {
    const { code } = instrument('export {};', '/x/a.ts');
    const url = new URL('../../src/core/reductions.ts', import.meta.url).href;
    expect(code).toContain(`from ${JSON.stringify(url)}`);
  });

  it('keeps a hashbang first', () => {
    const { code } = instrument('#!/usr/bin/env node\nconsole.log(1);\n', '/x/a.js', { runtime: 'rt' });
    expect(code.startsWith('#!/usr/bin/env node\nimport { reductions as $sbR }')).toBe(true);
  });

  it('inserts the ordinary check, the generator claim and the generator back-edge check', () => {
    const { code } = instrument(
      `function f() { for (;;) break; }
       function* g() { while (true) { yield 1; } }
       async function* ag() { while (true) { yield 1; } }
       async function af() { do {} while (false); }`,
      '/x/a.ts',
      { runtime: 'rt' },
    );
    expect(count(code, CLAIM)).toBe(1);
    expect(count(code, GEN_CHECK)).toBe(1);
    // f loop + ag loop + af loop: batched back-edge checks
    expect(count(code, LOOP_CHECK)).toBe(3);
    // f entry + ag entry + af entry
    expect(count(code, CHECK)).toBe(3);
    // the module and each of the four functions (all have a loop) declare the batch counter
    expect(count(code, LOOP_DECL)).toBe(5);
    // the generator body starts with the claim, not with a check
    expect(code).toMatch(/function\* g\(\) \{ const \$sbG = \$sbR\.claim\(\); let \$sbL = 32;\s*while \(true\) \{ if \(--\$sbL === 0\) \{ \$sbL = 32; if \(\(\$sbR\.left -= 32\) < 0\) \{ if \(\$sbG\) yield/);
  });

  it('declares the batch counter only in functions that have a loop of their own', () => {
    const { code } = instrument(
      `function noLoop() { return () => { for (;;) break; }; }
       class C { static { while (false); } }`,
      '/x/a.ts',
      { runtime: 'rt' },
    );
    // module + the inner arrow + the static block; not noLoop
    expect(count(code, LOOP_DECL)).toBe(3);
    expect(code).toMatch(/function noLoop\(\) \{ if \(--\$sbR\.left < 0\) \$sbR\.slow\(\);\s*return/);
  });

  it('with loopBatch 1 charges every iteration', () => {
    const { code } = instrument('function f() { for (;;) break; }', '/x/a.ts', { runtime: 'rt', loopBatch: 1 });
    expect(code).toContain('if (--$sbL === 0) { $sbL = 1; if (($sbR.left -= 1) < 0) $sbR.slow(); }');
    // A RangeError, not a SwitchboardError with a code (src/compiler is below core's errors):
    // exact class and message.
    let err: unknown = null;
    try {
      instrument('', '/x/a.ts', { loopBatch: 0 });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(RangeError);
    expect((err as RangeError).message).toBe('switchboard compiler: option "loopBatch" must be an integer from 1 to 1048576, got 0');
  });

  it('makes every catch rethrow first', () => {
    const { code } = instrument(
      `try {} catch (err) { f(); }
       try {} catch { g(); }
       try {} catch ({ message }) { h(message); }`,
      '/x/a.ts',
      { runtime: 'rt' },
    );
    expect(code).toMatch(/catch \(err\) \{ \$sbR\.rethrow\(err\);\s*f\(\);/);
    expect(code).toMatch(/catch \(\$sbE\) \{ \$sbR\.rethrow\(\$sbE\);\s*g\(\);/);
    expect(code).toMatch(/catch \(\$sbE\) \{ \$sbR\.rethrow\(\$sbE\); let \{ message \} = \$sbE; \{\s*h\(message\);\s*\}\s*\}/);
  });

  it('keeps directive prologues first in function bodies', () => {
    const { code } = instrument(`function f() { 'use strict'; return 1; }`, '/x/a.js', { runtime: 'rt' });
    expect(code).toMatch(/function f\(\) \{\s*"use strict"; if \(--\$sbR\.left < 0\) \$sbR\.slow\(\);/);
  });
});
