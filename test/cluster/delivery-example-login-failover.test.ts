/**
 * The delivery example runs as separate node processes (examples/cluster/delivery/run.ts):
 * a client logs users in to the login service on b with c as fallback, b is killed -9
 * after a third, and every login is processed exactly once by b or c.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);

describe('example: delivery with failover (examples/cluster/delivery)', () => {
  it('runs as a script: every login processed exactly once by b or c, none lost', async () => {
    const { stdout } = await run(process.execPath, ['scripts/run-ts.mjs', 'examples/cluster/delivery/run.ts', '90'], { timeout: 40_000 });
    const last = JSON.parse(stdout.trim().split('\n').pop()!) as {
      count: number; twice: number; lost: number; client: { ok: number; failed: number }; processedByNode: Record<string, number>;
    };
    expect(stdout).toMatch(/killed b \(kill -9\) after \d+ logins/);
    expect(last).toMatchObject({ count: 90, twice: 0, lost: 0, client: { ok: 90, failed: 0 } });
    expect(last.processedByNode['b@127.0.0.1']).toBeGreaterThanOrEqual(30);
    expect(last.processedByNode['c@127.0.0.1']).toBeGreaterThan(0);
  }, 45_000);
});
