import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

// The Datos example (examples/cluster/leader/) as its README says to run it: three node
// processes; a put made on c is answered by the leader a and broadcast to b and c; after
// kill -9 of a, b is elected, its handleDOWN names a, and c's puts and reads go on.

const run = promisify(execFile);

describe('example: Datos, a replicated table on GenLeader', () => {
  it('runs as separate node processes: node scripts/run-ts.mjs examples/cluster/leader/main.ts', async () => {
    const { stdout } = await run(process.execPath, ['scripts/run-ts.mjs', 'examples/cluster/leader/main.ts'], { timeout: 60_000 });
    const lines = stdout.trim().split('\n');
    const summary = JSON.parse(lines.find((l) => l.startsWith('{"firstLeader"'))!) as Record<string, unknown>;
    expect(summary).toMatchObject({
      firstLeader: 'datos_a@127.0.0.1',
      broadcastSeenBy: ['datos_b@127.0.0.1', 'datos_c@127.0.0.1'],
      secondLeader: 'datos_b@127.0.0.1',
      handleDOWN: 'datos_a@127.0.0.1',
      colour: 'blue',
      size: 3,
    });
    expect(summary.electedAfterKillMs).toBeLessThan(2000); // kill -9 closes the sockets: no tick timeout to wait for
  }, 60_000);
});
