/**
 * From the build (dist/), the threads a node starts load modules as the thread that
 * starts it does (src/threads/worker-loader.ts): a parent that registered Switchboard's
 * hooks in code (`registerSwitchboardLoader()`) gets them on its scheduler threads and
 * dirty-pool threads too — a `.ts` behaviour loads there and a 'use switchboard' module
 * is instrumented there, and so is a module its `instrument` glob selects (the hooks'
 * settings travel with them) — and a parent that registered none starts threads without hooks.
 * Real child processes on the built package, as a user runs it.
 */
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const root = new URL('../../', import.meta.url).pathname;

/** A behaviour module: `Squarer` answers a call with the square of n, worked out by a dirty task of this module. */
function behaviourModule(pkg: string, ts: boolean, directive = true): string {
  const n = ts ? 'n: number' : 'n';
  const any = ts ? ': any' : '';
  return `${directive ? "'use switchboard';" : '// selected for reduction counting by a glob, not by the directive'}
import { defineActor, isCall } from ${JSON.stringify(pkg)};
export function square(${n}) { let s = 0; for (let i = 0; i < n; i++) s += n; return s; }
export const Squarer = defineActor(import.meta.url, {
  init: () => ({ from: null }),
  handle(m${any}, s${any}, ctx${any}) {
    if (isCall(m)) { s.from = m.from; ctx.dirty(import.meta.url, 'square', [m.msg]); }
    else if (m && m.type === '$dirty') ctx.reply(s.from, m.ok ? m.value : m.error.message);
    return s;
  },
}, 'Squarer');
`;
}

/** The program: optionally register the hooks in code, start 2 schedulers, use `Squarer` on scheduler 1. */
function mainModule(pkg: string, compiler: string, register: boolean, module: string, data: object = {}): string {
  return `
${register ? `import { registerSwitchboardLoader } from ${JSON.stringify(compiler)};\nawait registerSwitchboardLoader(${JSON.stringify(data)});` : ''}
const { startNode } = await import(${JSON.stringify(pkg)});
const { Squarer } = await import(${JSON.stringify(module)});
const node = await startNode({ schedulers: 2 });
const pid = await node.spawn(Squarer, [], { scheduler: 1 });
const squared = await node.call(pid, 12, 30000);
const info = await node.processInfo(pid);
await node.stop();
console.log(JSON.stringify({ squared, scheduler: pid.id % 3, instrumented: info.instrumented }));
`;
}

function run(dir: string, main: string): { stdout: string; stderr: string; status: number | null } {
  writeFileSync(join(dir, 'main.mjs'), main);
  return spawnSync(process.execPath, ['main.mjs'], { cwd: dir, encoding: 'utf8', timeout: 60_000 });
}

describe('worker loader from the build', () => {
  it('passes hooks registered in code to scheduler and dirty threads, and none when there are none', () => {
    const build = spawnSync(process.execPath, ['scripts/build.mjs'], { cwd: root, encoding: 'utf8' });
    expect(build.status, build.stderr).toBe(0);
    const dir = mkdtempSync(join(tmpdir(), 'sb-loader-'));
    try {
      const pkg = pathToFileURL(join(root, 'dist/index.js')).href;
      const compiler = pathToFileURL(join(root, 'dist/compiler/index.js')).href;
      writeFileSync(join(dir, 'squarer.ts'), behaviourModule(pkg, true));
      writeFileSync(join(dir, 'squarer.mjs'), behaviourModule(pkg, false));

      // Registered in code: the .ts module loads on scheduler 1 and on the dirty pool, instrumented.
      const ts = run(dir, mainModule(pkg, compiler, true, './squarer.ts'));
      expect(ts.stderr).toBe('');
      expect(ts.status).toBe(0);
      expect(JSON.parse(ts.stdout.trim())).toEqual({ squared: 144, scheduler: 1, instrumented: true });

      // The same for a plain-JS module that opts in to reduction counting.
      const js = run(dir, mainModule(pkg, compiler, true, './squarer.mjs'));
      expect(js.stderr).toBe('');
      expect(js.status).toBe(0);
      expect(JSON.parse(js.stdout.trim())).toEqual({ squared: 144, scheduler: 1, instrumented: true });

      // The hooks' settings travel with them: a module without the directive, selected by the
      // parent's `instrument` glob, is instrumented on scheduler 1 too.
      writeFileSync(join(dir, 'glob-squarer.mjs'), behaviourModule(pkg, false, false));
      const glob = run(dir, mainModule(pkg, compiler, true, './glob-squarer.mjs', { instrument: '**/glob-squarer.mjs' }));
      expect(glob.stderr).toBe('');
      expect(glob.status).toBe(0);
      expect(JSON.parse(glob.stdout.trim())).toEqual({ squared: 144, scheduler: 1, instrumented: true });

      // No hooks in the parent: none on its threads either (the module runs uninstrumented).
      const plain = run(dir, mainModule(pkg, compiler, false, './squarer.mjs'));
      expect(plain.stderr).toBe('');
      expect(plain.status).toBe(0);
      expect(JSON.parse(plain.stdout.trim())).toEqual({ squared: 144, scheduler: 1, instrumented: false });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);
});
