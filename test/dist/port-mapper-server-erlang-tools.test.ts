import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { lookupNode, registerNode } from '../../src/dist/port-mapper-client.ts';
import { type PortMapperServer, startPortMapper } from '../../src/dist/port-mapper-server.ts';
import { epmdNames, hasEpmd, hasErl } from './fixtures/erlang-tools.ts';

if (!hasEpmd || !hasErl) console.warn('port-mapper-server-erlang-tools: skipped, `epmd`/`erl` not installed (apt-get install erlang-nox)');

let server: PortMapperServer | undefined;
let erl: ChildProcess | undefined;
afterEach(async () => {
  if (erl !== undefined && erl.exitCode === null && erl.signalCode === null) {
    erl.kill('SIGKILL');
    await once(erl, 'exit');
  }
  erl = undefined;
  await server?.close();
  server = undefined;
});

describe.skipIf(!hasEpmd || !hasErl)('embedded port mapper, as the real Erlang tools see it', () => {
  it('the real `epmd -names` client lists a Switchboard registration', async () => {
    server = await startPortMapper({ port: 0 });
    const reg = await registerNode({ port: server.port, name: 'listed', listenPort: 46001 });
    const out = await epmdNames(server.port);
    expect(out).toBe(`epmd: up and running on port ${server.port} with data:\nname listed at port 46001\n`);
    await reg.close();
  });

  it('a real `erl -sname` node registers with it, lookupNode finds it, and it is gone when the node dies', async () => {
    server = await startPortMapper({ port: 0 });
    const port = server.port;
    erl = spawn('erl', ['-sname', 'probe', '-noshell', '-start_epmd', 'false', '-eval', 'timer:sleep(infinity)'], {
      env: { ...process.env, ERL_EPMD_PORT: String(port) },
      stdio: 'ignore',
    });
    await vi.waitFor(() => expect(server!.entries().map((e) => e.name)).toEqual(['probe']), { timeout: 20_000, interval: 50 });
    const entry = await lookupNode('probe', { port });
    expect(entry).toMatchObject({ name: 'probe', nodeType: 77, protocol: 0, highestVersion: 6 });
    expect(entry!.port).toBeGreaterThan(0);
    expect(await epmdNames(port)).toContain(`name probe at port ${entry!.port}`);

    erl.kill('SIGKILL');
    await once(erl, 'exit');
    await vi.waitFor(() => expect(server!.entries()).toEqual([]), { timeout: 5000, interval: 20 });
    expect(await lookupNode('probe', { port })).toBeUndefined();
  });
});
