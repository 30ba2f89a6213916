import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

// The runnable example (examples/cluster/dist-app/main.ts) as a user runs it: three node
// processes of node.ts, kill -9 of the one running proxima, failover, restart, takeover.

const run = promisify(execFile);

describe('examples/cluster/dist-app/main.ts', () => {
  it('prints the failover to b and the takeover back to a, and exits 0', async () => {
    const { stdout } = await run(process.execPath, ['scripts/run-ts.mjs', 'examples/cluster/dist-app/main.ts'], { timeout: 90_000 });
    const lines = stdout.trim().split('\n');
    expect(lines[0]).toBe('1. proxima serving on a, start type "normal"');
    expect(lines[2]).toBe('2. centauri on c -> {"count":2,"node":"a@127.0.0.1"}');
    expect(lines[3]).toMatch(/^3\. kill -9 a: serving on b after (\d+) ms \(failoverTimeoutMs 1500\), start type \{"failover":"a@127\.0\.0\.1"\}$/);
    expect(Number(/after (\d+) ms/.exec(lines[3]!)![1])).toBeGreaterThanOrEqual(1500);
    expect(lines[5]).toBe('4. a back: serving on a, start type {"takeover":"b@127.0.0.1"}; centauri on b -> {"count":2,"node":"a@127.0.0.1"}');
    expect(lines[6]).toBe('5. done');
  }, 100_000);
});
