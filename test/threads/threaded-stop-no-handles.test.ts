import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../', import.meta.url));
const script = fileURLToPath(new URL('./fixtures/start-stop-node.ts', import.meta.url));

/** Run the child; resolve with its exit code and output, or 'hung' if it does not end. */
function runChild(args: string[], deadlineMs = 25_000): Promise<{ code: number | null | 'hung'; out: string; err: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['scripts/run-ts.mjs', script, ...args], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
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

/** The child's own stdout/stderr are pipes to us: those are not the node's. */
function handlesBesidesStdio(resources: string[]): string[] {
  return resources.filter((r) => r !== 'PipeWrap' && r !== 'TTYWrap');
}

describe('node.stop()', () => {
  it('ends every worker and leaves no handle: the process exits by itself', async () => {
    const r = await runChild([]);
    expect(r.err, r.out).toBe('');
    expect(r.code, r.err).toBe(0);
    const seen = JSON.parse(r.out.trim());
    expect(seen.reply).toMatchObject({ echo: 'ping' });
    // The call made right before stop() settles with the reply if the callee answered
    // before the stop hooks were done, else with NotRunningError: pending calls fail when
    // stop begins, before any actor stops, so no DOWN 'shutdown' can settle it first.
    if (typeof seen.pending === 'object') expect(seen.pending).toMatchObject({ echo: 'never answered?' });
    else expect(seen.pending).toBe('NotRunningError');
    expect(seen.stats).toEqual(['stopped', 'stopped']);
    expect(handlesBesidesStdio(seen.resources)).toEqual([]);
  });

  it('terminates a worker that an actor left a handle in, and still exits by itself', async () => {
    const r = await runChild(['lingering']);
    expect(r.code, r.err).toBe(0);
    const seen = JSON.parse(r.out.trim());
    expect(handlesBesidesStdio(seen.resources)).toEqual([]);
  });
});
