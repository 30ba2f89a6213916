import { writeFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runNode, writeInstrumented } from './helpers.ts';

// Stack traces through instrumented code point at the user's original .ts lines.
const source = `'use switchboard';
import type { Something } from './nowhere.ts';

interface Shape {
  kind: 'circle' | 'square';
  size: number;
}

enum Mode { A, B }

type Pair<T> = [T, T];

export function area(s: Shape): number {
  if (s.kind === 'circle') return Math.PI * s.size ** 2;
  const pair: Pair<number> = [s.size, s.size];
  for (const v of pair) {
    if (v < 0) throw new Error('negative size ' + Mode.B);
  }
  return pair[0] * pair[1];
}

export const run = (): number => [1, 2, -3].map((size) => area({ kind: 'square', size })).length;
run();
`;
// 'throw new Error' is on line 17; the arrow calling area() is on line 22.
const THROW_LINE = 17;

function expectUserFrames(stderr: string, tsName: string, generated: string): void {
  const esc = tsName.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  expect(stderr).toContain('negative size 1');
  expect(stderr).toMatch(new RegExp(`at area \\(.*${esc}:${THROW_LINE}:\\d+\\)`));
  expect(stderr).toMatch(new RegExp(`${esc}:22:\\d+`));
  // no frame points into the generated module
  expect(stderr).not.toContain(generated.replace(/^.*\//, '') + ':');
}

describe('instrumented source maps', () => {
  it('map stack traces to the original lines with --enable-source-maps', () => {
    const { file, code } = writeInstrumented(source, null, 'maps.ts');
    expect(code).toContain('$sbR.left');
    const r = runNode(['--enable-source-maps', file]);
    expect(r.status).not.toBe(0);
    expectUserFrames(r.stderr, 'maps.ts', file);
  });

  it('map stack traces with process.setSourceMapsEnabled(true)', () => {
    const { file } = writeInstrumented(source, null, 'maps2.ts');
    const driver = file.replace(/\.mjs$/, '-driver.mjs');
    writeFileSync(
      driver,
      `process.setSourceMapsEnabled(true);
       try { await import(${JSON.stringify(pathToFileURL(file).href)}); }
       catch (e) { console.error(e.stack); process.exit(3); }`,
    );
    const r = runNode([driver]);
    expect(r.status).toBe(3);
    expectUserFrames(r.stderr, 'maps2.ts', file);
  });
});
