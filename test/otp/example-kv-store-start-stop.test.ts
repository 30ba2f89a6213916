import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { runDemo } from '../../examples/kv-store/demo.ts';

const run = promisify(execFile);

describe('example: the supervised key-value store', () => {
  it('starts the application, serves many sessions, survives a store crash and stops with the node', async () => {
    const r = await runDemo(undefined, 300);
    expect(r.sessions).toBe(300);
    expect(r.readBack).toBe(300);
    expect(r.statsBefore).toEqual({ gets: 300, puts: 300, sessions: 300 });
    expect(r.storeRestarted).toBe(true);
    // rest_for_one: the session supervisor after the store was restarted too, empty.
    expect(r.sessionsAfterRestart).toBe(0);
    expect(r.sizeAfterRestart).toBe(0);
  });

  it('runs as a script: node scripts/run-ts.mjs examples/kv-store/main.ts', async () => {
    const { stdout } = await run(process.execPath, ['scripts/run-ts.mjs', 'examples/kv-store/main.ts', '50'], { timeout: 60_000 });
    const last = JSON.parse(stdout.trim().split('\n').pop()!);
    expect(last).toMatchObject({ sessions: 50, readBack: 50, storeRestarted: true });
    expect(stdout).toContain('node stopped');
  }, 60_000);
});
