import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// stop() destroys the node's dirty pool: even with a dirty task still running, the
// process ends by itself, with no thread or handle left (a terminated thread's port may
// take a few event-loop turns to close after stop() resolves; nothing may stay).

const root = fileURLToPath(new URL('../../', import.meta.url));
const script = fileURLToPath(new URL('./fixtures/start-dirty-stop-node.ts', import.meta.url));

function runChild(deadlineMs = 30_000): Promise<{ code: number | null | 'hung'; out: string; err: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['scripts/run-ts.mjs', script], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      resolve({ code: 'hung', out, err });
    }, deadlineMs);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, out, err });
    });
  });
}

describe('node.stop() with a dirty pool', () => {
  it('destroys the pool: the process exits by itself, even with a dirty task running', async () => {
    const r = await runChild();
    expect(r.code, r.err).toBe(0);
    const seen = JSON.parse(r.out.trim());
    expect(seen.results).toEqual([expect.objectContaining({ ok: true, value: 5 })]);
    expect(seen.resources.filter((x: string) => x !== 'PipeWrap' && x !== 'TTYWrap')).toEqual([]);
  }, 40_000);
});
