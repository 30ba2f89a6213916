import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);

// The pg example as its users run it: a dispatcher node and two worker node processes;
// the jobs are spread over the group's members on both nodes, and after one worker node
// is killed every job goes to the other one's members.

describe('example: a worker pool found through a pg group', () => {
  it('runs as a script: node scripts/run-ts.mjs examples/cluster/pg/run-example.ts', async () => {
    const { stdout } = await run(process.execPath, ['scripts/run-ts.mjs', 'examples/cluster/pg/run-example.ts', '12'], { timeout: 60_000 });
    const last = JSON.parse(stdout.trim().split('\n').pop()!);
    expect(last).toEqual({ jobs: 12, before: { 'w1@127.0.0.1': 6, 'w2@127.0.0.1': 6 }, after: { 'w1@127.0.0.1': 12 } });
  }, 60_000);
});
