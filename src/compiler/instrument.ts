/**
 * The reduction-counting compiler: TypeScript or JavaScript in, instrumented JavaScript
 * (ESM) and a source map back to the user's original lines out.
 *
 * Pipeline
 *   1. esbuild strips types (and lowers what Node 20 lacks, e.g. decorators and `using`)
 *      and emits a source map from its JavaScript back to the input.
 *   2. acorn parses esbuild's output; one walk finds every function, class static block,
 *      loop, catch clause and finally block; magic-string inserts text at those points
 *      without touching anything else, and gives a second source map.
 *   3. @jridgewell/remapping composes the two maps, so lines map back to the original
 *      `.ts` file (Node prints them with `--enable-source-maps` /
 *      `process.setSourceMapsEnabled(true)`).
 *
 * Why acorn on esbuild's output and not the TypeScript compiler API on the input: esbuild
 * has to run anyway (it is the type stripper for the loader, the vite plugin and the
 * bundler plugin), its output is plain standard JavaScript that a small, fast, spec-exact
 * ESTree parser reads without any TypeScript-version coupling, and `typescript` is a
 * 9 MB dev-only dependency that takes ~170 ms to load (acorn: ~10 ms) in every loader
 * thread. Inserting into the JavaScript also means type-only constructs (overloads,
 * `declare`, ambient functions) can never receive a check, and what we instrument is
 * exactly what runs.
 *
 * What is inserted (the protocol of `src/core/reductions.ts`; every name starts with
 * `$sb`, a prefix reserved for the compiler):
 *   - module prologue, on the first line (after a hashbang) so line numbers are unchanged:
 *       import { reductions as $sbR } from "<runtime>"; $sbR.instrumented.add(import.meta.url);
 *   - every function entry (declarations, expressions, arrows, methods, getters/setters,
 *     constructors, async functions, async generators) and every class static block:
 *       if (--$sbR.left < 0) $sbR.slow();
 *     An arrow with an expression body becomes `=> { <check> return <expr> }`.
 *     The check goes after a body's directive prologue (`"use strict"` must stay first).
 *     It never reads `this`, so it is safe before `super()` in derived constructors.
 *   - a (non-async) generator body starts with `const $sbG = $sbR.claim();` and gets no
 *     entry check (a generator must not preempt before its first back-edge).
 *   - every loop (for, for-in, for-of, for-await, while, do-while) gets a batched check
 *     as the first statement of its body, which runs once per iteration, so it covers the
 *     back-edge and every `continue` (labelled or not). A single-statement body is wrapped
 *     in braces. The batch counter is a local: the module prologue and every function (or
 *     static block) with a loop of its own declare `let $sbL = 32;` (option `loopBatch`,
 *     default kLoopBatch = 32), and the check is
 *       if (--$sbL === 0) { $sbL = 32; if (($sbR.left -= 32) < 0) $sbR.slow(); }
 *     so a tight loop pays a register decrement per iteration and touches the shared
 *     counter once per 32 (reductions are charged 32 at a time; up to 31 iterations of a
 *     loop that ends are never charged). Inside a generator body (not inside a nested
 *     function) the inner branch is
 *       { if ($sbG) yield $sbR.PREEMPT; else $sbR.slow(); }
 *   - every `catch` starts with `$sbR.rethrow(e);` (a binding `$sbE` is added to
 *     `catch {}`; a destructuring parameter becomes `catch ($sbE) { $sbR.rethrow($sbE);
 *     let <pattern> = $sbE; { <body> } }`, rethrowing before destructuring can throw, and
 *     the inner block keeps the body's declarations in their own scope as before).
 *   - every `finally` block starts with the ordinary check.
 *   - in a generator body, `yield* X` becomes `yield* $sbR.delegate(X, $sbG)`: when the
 *     generator was claimed and X is a generator object, the claim passes to X's body, so
 *     a loop in a delegated helper generator preempts instead of running to the hard limit.
 *   With the option `counter: 'global'`, `$sbR` in the checks (not in the prologue) is
 *   replaced by the global `__switchboardReductions` (see `InstrumentOptions.counter`).
 *
 * What holds for `finally`: `slow()` throws a RunawaySignal without refilling `left`, so
 * while a signal propagates `left` stays negative and the kill / limit state persists.
 * Every later check (function entry, back-edge, finally entry) therefore calls `slow()`
 * again, which throws again. The check at the top of each `finally` makes this immediate:
 * a finally block entered while a signal propagates throws the signal again before any of
 * its code runs, so `finally { return x }` or `finally { break }` cannot swallow it, and a
 * finally block that loops cannot run away either. (If the scheduler ever lets `left` go
 * negative by its own accounting, a finally check just takes a normal slow-path grant.)
 * What remains: code in modules that are not instrumented can swallow the signal.
 *
 * Per-check cost. The fast path of `if (--$sbR.left < 0) $sbR.slow();` compiles (V8 11.3,
 * TurboFan, x64) to: load the import cell's value, check it is not the TDZ hole, check it
 * is a heap object with ReductionCounter's map, load `left`, decrement with an overflow
 * check, store it back, compare and branch: ~12 instructions and one store, no call. The
 * `slow()` call happens once per `kGrant` (1000) reductions of overrun. With the option
 * `counter: 'global'` the checks name the global `__switchboardReductions` instead (the
 * same object); V8 embeds a global's value as a constant guarded by a code dependency, so
 * the cell load, hole check and map check disappear (~8 instructions). Measured by
 * `node scripts/run-ts.mjs native-bench/instrument-overhead.ts` (Node 20.20, 2 vCPUs,
 * slowdown vs the same code uninstrumented, import / global; loop back-edges batched by 32):
 *   tight numeric loop (~1 ns of work per iteration)   ~1.10x / ~1.18x
 *   recursive fib (one check per call)                 ~1.26x / ~1.14x
 *   array loops (indexed, for-of, a callback per item) ~1.40x / ~1.18x
 * (before batching the numeric loop cost ~1.50x / ~1.31x). A function-entry check costs
 * roughly 0.5 ns (import) or 0.3 ns (global). The loader and the plugins use the global
 * access by default with the default runtime, so every case above stays under 1.2x.
 */

import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { transform, transformSync, type Loader, type TransformOptions } from 'esbuild';
import { parse, type Node as AcornNode } from 'acorn';
import MagicString from 'magic-string';
import remapping from '@jridgewell/remapping';

/** A version-3 source map (JSON-serialisable). */
export interface SourceMap {
  version: 3;
  file?: string | null;
  sources: (string | null)[];
  sourcesContent?: (string | null)[];
  names: string[];
  mappings: string;
}

export interface InstrumentOptions {
  /**
   * Specifier of the module that exports `reductions` (the ReductionCounter). Default:
   * `defaultRuntime('url')`, the file URL of `src/core/reductions.ts` next to this compiler.
   */
  runtime?: string;
  /** esbuild loader; default from the file extension (`ts`, `tsx`, `jsx`, else `js`). */
  loader?: Loader;
  /** esbuild target for the type-stripping pass. Default `node20`. */
  target?: string | string[];
  /** Passed to esbuild (TypeScript settings such as `experimentalDecorators`). */
  tsconfigRaw?: TransformOptions['tsconfigRaw'];
  /** Keep the original text in `sourcesContent`. Default true. */
  sourcesContent?: boolean;
  /**
   * Output module format of `transpile` / `transpileAsync` (default: keep the input's
   * `import` / `export`). Instrumented output is always an ES module.
   */
  format?: 'cjs';
  /**
   * How inserted checks reach the counter.
   *  - `'import'` (the default of `instrument()`; the protocol text): through the prologue's import binding,
   *    `if (--$sbR.left < 0) $sbR.slow();`. Safe under import cycles and honours `runtime`.
   *  - `'global'`: through the global `__switchboardReductions` that the runtime module
   *    sets (`if (--__switchboardReductions.left < 0) __switchboardReductions.slow();`),
   *    the same object when `runtime` is `src/core/reductions.ts`. V8 embeds a global's
   *    value as a constant in optimized code, which removes the per-check load of the
   *    import cell, its hole check and the map check; see native-bench/instrument-overhead.ts
   *    for the difference. The prologue is unchanged (it still imports the runtime, which
   *    therefore runs first and defines the global).
   */
  counter?: 'import' | 'global';
  /**
   * Loop iterations per charge to the shared counter (default `kLoopBatch`, 32): a
   * back-edge decrements a function-local `$sbL` and every `loopBatch` iterations charges
   * `loopBatch` reductions at once. 1 charges every iteration (exact counts, slower).
   */
  loopBatch?: number;
}

export interface InstrumentResult {
  code: string;
  map: SourceMap;
}

/** The reserved names the compiler inserts. */
export const RUNTIME_BINDING = '$sbR';
/** The global that `src/core/reductions.ts` keeps the thread's counter in. */
export const GLOBAL_COUNTER = '__switchboardReductions';

/**
 * Where the runtime lives, relative to this file.
 *
 * From source (`src/compiler/instrument.ts`) it is `../core/reductions.ts`. From a build,
 * the compiler is bundled into some `dist/…/*.js` file, so `import.meta.url` is the
 * bundle's URL and `../core/reductions.ts` no longer exists; the build must then emit the
 * runtime as its own file, either mirroring the source layout (`dist/core/reductions.js`
 * next to `dist/compiler/`) or beside a flat bundle (`dist/core/reductions.js` next to
 * `dist/index.js`). The candidates are tried in that order. Because `reductions.ts` keeps
 * its counter on `globalThis.__switchboardReductions`, that standalone runtime file and the
 * copy inlined in the bundle share one counter (and one RunawaySignal class, as `slow()` and
 * `rethrow()` are methods of the one counter object).
 */
const RUNTIME_CANDIDATES = ['../core/reductions.ts', '../core/reductions.js', './core/reductions.js'];

/** Default runtime specifier: a file URL (Node loader) or a filesystem path (bundlers). */
export function defaultRuntime(form: 'url' | 'path' = 'url'): string {
  const here = import.meta.url;
  if (here.startsWith('file:')) {
    for (const rel of RUNTIME_CANDIDATES) {
      const url = new URL(rel, here);
      if (existsSync(url)) return form === 'url' ? url.href : fileURLToPath(url);
    }
  }
  throw new Error(
    `switchboard compiler: cannot locate the reductions runtime relative to ${here}; pass the "runtime" option`,
  );
}

/** Path of the reductions runtime (for excluding it from instrumentation), or null. */
export function runtimePath(runtime: string): string | null {
  if (runtime.startsWith('file:')) return fileURLToPath(runtime);
  if (runtime.startsWith('/') || /^[A-Za-z]:[\\/]/.test(runtime)) return runtime;
  return null;
}

const DIRECTIVE_RE =
  /^(?:#![^\n]*\n)?(?:\s|\/\/[^\n]*(?:\n|$)|\/\*[\s\S]*?\*\/)*(['"])use switchboard\1[ \t]*(?:;|\r?\n|\/\/|\/\*|$)/;

/** True when the module's first statement is the directive `'use switchboard';`. */
export function hasSwitchboardDirective(source: string): boolean {
  return DIRECTIVE_RE.test(source);
}

function toPath(filename: string): string {
  return filename.startsWith('file:') ? fileURLToPath(filename) : filename;
}

export function loaderFor(filename: string): Loader {
  const m = /\.([cm]?)([jt]sx?)$/.exec(toPath(filename).replace(/[?#].*$/, ''));
  if (m === null) return 'js';
  return m[2] as Loader;
}

function esbuildOptions(filename: string, options: InstrumentOptions): TransformOptions {
  return {
    loader: options.loader ?? loaderFor(filename),
    target: options.target ?? 'node20',
    sourcefile: toPath(filename),
    sourcemap: 'external',
    sourcesContent: options.sourcesContent ?? true,
    tsconfigRaw: options.tsconfigRaw,
    // no `format` by default: imports and exports are passed through as written
    ...(options.format === 'cjs' ? { format: 'cjs' as const } : {}),
  };
}

/** Strip types only (no instrumentation); used for modules that do not opt in. */
export function transpile(source: string, filename: string, options: InstrumentOptions = {}): InstrumentResult {
  const r = transformSync(source, esbuildOptions(filename, options));
  return { code: r.code, map: JSON.parse(r.map) as SourceMap };
}

export async function transpileAsync(
  source: string,
  filename: string,
  options: InstrumentOptions = {},
): Promise<InstrumentResult> {
  const r = await transform(source, esbuildOptions(filename, options));
  return { code: r.code, map: JSON.parse(r.map) as SourceMap };
}

/** Instrument TypeScript or JavaScript source (synchronous; uses esbuild's sync API). */
export function instrument(source: string, filename: string, options: InstrumentOptions = {}): InstrumentResult {
  const t = transpile(source, filename, { ...options, format: undefined });
  return instrumentJs(t.code, t.map, filename, options);
}

/** Same as `instrument`, with esbuild's asynchronous API (preferred in loader threads). */
export async function instrumentAsync(
  source: string,
  filename: string,
  options: InstrumentOptions = {},
): Promise<InstrumentResult> {
  const t = await transpileAsync(source, filename, { ...options, format: undefined });
  return instrumentJs(t.code, t.map, filename, options);
}

/** `code` plus a trailing inline `//# sourceMappingURL=data:` comment. */
export function withInlineSourceMap(code: string, map: SourceMap): string {
  const b64 = Buffer.from(JSON.stringify(map), 'utf8').toString('base64');
  return `${code}\n//# sourceMappingURL=data:application/json;charset=utf-8;base64,${b64}\n`;
}

// ---------------------------------------------------------------------------------------
// The instrumenting walk over esbuild's output.

type AnyNode = AcornNode & Record<string, unknown>;
type Ctx = 'plain' | 'generator';

/**
 * Back-edges are counted in batches: a function-local `$sbL` counts down from kLoopBatch
 * and every kLoopBatch iterations the batch is charged to the shared counter at once.
 */
export const kLoopBatch = 32;

const FUNCTION_TYPES = new Set(['FunctionDeclaration', 'FunctionExpression', 'ArrowFunctionExpression']);
const LOOP_TYPES = new Set([
  'ForStatement',
  'ForInStatement',
  'ForOfStatement',
  'WhileStatement',
  'DoWhileStatement',
]);

function isNode(v: unknown): v is AnyNode {
  return typeof v === 'object' && v !== null && typeof (v as { type?: unknown }).type === 'string';
}

/**
 * Instrument JavaScript that esbuild produced (`inputMap` maps it back to the original
 * `filename`); exposed for callers that already ran esbuild themselves.
 */
export function instrumentJs(
  js: string,
  inputMap: SourceMap | null,
  filename: string,
  options: InstrumentOptions = {},
): InstrumentResult {
  const runtime = options.runtime ?? defaultRuntime('url');
  const path = toPath(filename);
  const R = options.counter === 'global' ? GLOBAL_COUNTER : RUNTIME_BINDING;
  const CHECK = `if (--${R}.left < 0) ${R}.slow();`;
  const B = options.loopBatch ?? kLoopBatch;
  if (!Number.isInteger(B) || B < 1 || B > 1 << 20) throw new RangeError(`switchboard compiler: option "loopBatch" must be an integer from 1 to ${1 << 20}, got ${String(B)}`);
  const LOOP_CHECK = `if (--$sbL === 0) { $sbL = ${B}; if ((${R}.left -= ${B}) < 0) ${R}.slow(); }`;
  const GEN_CHECK = `if (--$sbL === 0) { $sbL = ${B}; if ((${R}.left -= ${B}) < 0) { if ($sbG) yield ${R}.PREEMPT; else ${R}.slow(); } }`;
  const CLAIM = `const $sbG = ${R}.claim();`;
  const LOOP_DECL = `let $sbL = ${B};`;
  /** The innermost function (or static block, or the module) being walked: did it get a loop? */
  let scope = { hasLoop: false };
  const program = parse(js, {
    ecmaVersion: 'latest',
    sourceType: 'module',
    allowHashBang: true,
    preserveParens: true,
  }) as unknown as AnyNode;

  const s = new MagicString(js);

  /** Position right after the `{` of a block that starts at or after `from`. */
  const afterBrace = (from: number): number => {
    let i = from;
    while (i < js.length) {
      const c = js.charCodeAt(i);
      if (c === 123 /* { */) return i + 1;
      if (c === 47 /* / */ && js.charCodeAt(i + 1) === 47) {
        const nl = js.indexOf('\n', i);
        i = nl < 0 ? js.length : nl + 1;
      } else if (c === 47 && js.charCodeAt(i + 1) === 42) {
        const end = js.indexOf('*/', i + 2);
        i = end < 0 ? js.length : end + 2;
      } else {
        i++;
      }
    }
    throw new Error(`switchboard compiler: no block found at offset ${from} of ${path}`);
  };

  /** Insertion point in a function body: after `{` and after any directive prologue. */
  const bodyStart = (block: AnyNode): number => {
    const stmts = block.body as AnyNode[];
    let pos = block.start + 1;
    for (const st of stmts) {
      if (st.type === 'ExpressionStatement' && typeof st.directive === 'string') pos = st.end;
      else break;
    }
    return pos;
  };

  const instrumentLoopBody = (body: AnyNode, ctx: Ctx): void => {
    const check = ctx === 'generator' ? GEN_CHECK : LOOP_CHECK;
    scope.hasLoop = true;
    if (body.type === 'BlockStatement') {
      s.appendLeft(body.start + 1, ` ${check}`);
    } else {
      s.appendLeft(body.start, `{ ${check} `);
      s.prependLeft(body.end, ' }');
    }
  };

  const visitChildren = (node: AnyNode, ctx: Ctx): void => {
    for (const key in node) {
      if (key === 'type' || key === 'start' || key === 'end' || key === 'loc' || key === 'range') continue;
      const v = node[key];
      if (Array.isArray(v)) {
        for (const item of v) if (isNode(item)) visit(item, ctx);
      } else if (isNode(v)) {
        visit(v, ctx);
      }
    }
  };

  const visit = (node: AnyNode, ctx: Ctx): void => {
    const type = node.type;
    if (FUNCTION_TYPES.has(type)) {
      const body = node.body as AnyNode;
      const isGen = node.generator === true && node.async !== true;
      const inner: Ctx = isGen ? 'generator' : 'plain';
      const outer = scope;
      scope = { hasLoop: false };
      if (body.type === 'BlockStatement') {
        s.appendLeft(bodyStart(body), ` ${isGen ? CLAIM : CHECK}`);
      } else {
        // arrow with an expression body (with preserveParens, `body.start` includes parens)
        s.appendLeft(body.start, `{ ${CHECK} return `);
        s.prependLeft(body.end, ' }');
      }
      for (const p of node.params as AnyNode[]) visit(p, inner);
      visit(body, inner);
      if (scope.hasLoop && body.type === 'BlockStatement') s.appendLeft(bodyStart(body), ` ${LOOP_DECL}`);
      scope = outer;
      return;
    }
    if (type === 'StaticBlock') {
      const outer = scope;
      scope = { hasLoop: false };
      const at = afterBrace(node.start + 'static'.length);
      s.appendLeft(at, ` ${CHECK}`);
      for (const st of node.body as AnyNode[]) visit(st, 'plain');
      if (scope.hasLoop) s.appendLeft(at, ` ${LOOP_DECL}`);
      scope = outer;
      return;
    }
    if (LOOP_TYPES.has(type)) {
      instrumentLoopBody(node.body as AnyNode, ctx);
      visitChildren(node, ctx);
      return;
    }
    if (type === 'CatchClause') {
      const param = node.param as AnyNode | null;
      const body = node.body as AnyNode;
      if (param === null) {
        s.appendLeft(node.start + 'catch'.length, ' ($sbE)');
        s.appendLeft(body.start + 1, ` ${R}.rethrow($sbE);`);
      } else if (param.type === 'Identifier') {
        s.appendLeft(body.start + 1, ` ${R}.rethrow(${param.name as string});`);
        visit(body, ctx);
        return;
      } else {
        // `catch (PATTERN) { BODY }` →
        //   `catch ($sbE) { $sbR.rethrow($sbE); let PATTERN = $sbE; { BODY } }`
        // The pattern is moved (not copied), so edits inside it (e.g. an arrow in a default
        // value) and its source mapping move with it. The inner block gives BODY its own
        // scope, as the catch parameter's scope is outside the catch block in the original.
        visit(param, ctx);
        s.appendLeft(param.start, '$sbE');
        s.prependRight(param.start, ` ${R}.rethrow($sbE); let `);
        s.appendLeft(param.end, ' = $sbE; {');
        s.move(param.start, param.end, body.start + 1);
        s.appendLeft(body.end - 1, ' }');
      }
      visit(body, ctx);
      return;
    }
    if (type === 'YieldExpression' && node.delegate === true && ctx === 'generator' && isNode(node.argument)) {
      // `yield* X` in a generator body → `yield* $sbR.delegate(X, $sbG)`: a claimed
      // generator hands its claim to the generator it delegates to, so a loop inside a
      // `yield*` helper preempts too (PREEMPT travels up through yield* to the scheduler).
      const arg = node.argument as AnyNode;
      s.appendLeft(arg.start, `${R}.delegate(`);
      visit(arg, ctx);
      s.appendLeft(arg.end, ', $sbG)');
      return;
    }
    if (type === 'TryStatement') {
      const fin = node.finalizer as AnyNode | null;
      if (fin !== null) s.appendLeft(fin.start + 1, ` ${CHECK}`);
      visitChildren(node, ctx);
      return;
    }
    visitChildren(node, ctx);
  };

  visitChildren(program, 'plain');

  // Module prologue, on line 1 (after a hashbang line) so the output keeps esbuild's lines.
  const prologue =
    `import { reductions as ${RUNTIME_BINDING} } from ${JSON.stringify(runtime)}; ` +
    `${RUNTIME_BINDING}.instrumented.add(import.meta.url); let $sbL = ${B}; `;
  if (js.startsWith('#!')) {
    const nl = js.indexOf('\n');
    if (nl < 0) s.append(`\n${prologue}`);
    else s.appendLeft(nl + 1, prologue);
  } else {
    s.prepend(prologue);
  }

  const code = s.toString();
  const ownMap = s.generateMap({ source: path, hires: 'boundary', includeContent: false });
  let map: SourceMap;
  if (inputMap !== null) {
    const composed = remapping(
      [JSON.parse(ownMap.toString()) as SourceMap, inputMap as never],
      () => null,
      { excludeContent: options.sourcesContent === false },
    );
    map = JSON.parse(composed.toString()) as SourceMap;
  } else {
    map = JSON.parse(ownMap.toString()) as SourceMap;
    if (options.sourcesContent !== false) map.sourcesContent = [js];
  }
  map.file = path.replace(/^.*[\\/]/, '');
  return { code, map };
}

