/**
 * The built package (`npm run build` → dist/) runs a multi-thread node: the scheduler
 * threads find their entry files next to the bundle, user behaviours that import the
 * package share one copy of the core with the host (code splitting), and a dirty task runs
 * on the pool. A real child process, so it also checks the process exits by itself.
 */
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const root = new URL('../../', import.meta.url).pathname;

describe('a node started from the build', () => {
  it('spawns on a scheduler thread, calls, runs dirty work and stops', () => {
    const build = spawnSync(process.execPath, ['scripts/build.mjs'], { cwd: root, encoding: 'utf8' });
    expect(build.status, build.stderr).toBe(0);
    const dir = mkdtempSync(join(tmpdir(), 'sb-build-'));
    try {
      const pkg = pathToFileURL(join(root, 'dist/index.js')).href;
      writeFileSync(join(dir, 'actor.mjs'), `
import { defineActor, isCall } from ${JSON.stringify(pkg)};
export function square(x) { return x * x; }
export const Counter = defineActor(import.meta.url, {
  init: (n) => ({ n, from: null }),
  handle(m, s, ctx) {
    if (isCall(m) && m.msg === 'incr') { s.n++; ctx.reply(m.from, s.n); }
    else if (isCall(m) && m.msg === 'square') { s.from = m.from; ctx.dirty(import.meta.url, 'square', [s.n]); }
    else if (m && m.type === '$dirty') ctx.reply(s.from, m.ok ? m.value : String(m.error));
    return s;
  },
}, 'Counter');
`);
      writeFileSync(join(dir, 'main.mjs'), `
import { startNode } from ${JSON.stringify(pkg)};
import { Counter } from './actor.mjs';
const node = await startNode({ schedulers: 2 });
const pid = await node.spawn(Counter, [41], { scheduler: 1 });
const a = await node.call(pid, 'incr', 10000);
const b = await node.call(pid, 'square', 30000);
await node.stop();
console.log(JSON.stringify({ a, b, scheduler: pid.id % 3 }));
`);
      const r = spawnSync(process.execPath, ['main.mjs'], { cwd: dir, encoding: 'utf8', timeout: 60_000 });
      expect(r.stderr).toBe('');
      expect(r.status).toBe(0);
      expect(JSON.parse(r.stdout.trim())).toEqual({ a: 42, b: 42 * 42, scheduler: 1 });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 90_000);
});
