import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../', import.meta.url));
const script = fileURLToPath(new URL('./fixtures/io-stop-child.ts', import.meta.url));

function runChild(deadlineMs = 25_000): Promise<{ code: number | null | 'hung'; out: string; err: string }> {
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

describe('IoHost.stop()', () => {
  it('closes the connections (the peer sees nodedown), ends the thread and leaves no handle', async () => {
    const r = await runChild();
    expect(r.err, r.out).toBe('');
    expect(r.code, r.err).toBe(0);
    const seen = JSON.parse(r.out.trim()) as { down: unknown; codes: number[]; resources: string[] };
    expect(seen.down).toEqual({ name: 'a@127.0.0.1', reason: 'noconnection', detail: 'closed' });
    expect(seen.codes).toHaveLength(2);
    expect(seen.resources.filter((x) => x !== 'PipeWrap' && x !== 'TTYWrap')).toEqual([]);
  });
});
