/**
 * The remote-attach tests' target: a port mapper in this process and a REAL named node
 * in a child process, `switchboard node --name <name> --cookie <cookie> --port-mapper ...
 * --schedulers 1 --app test/profile/fixtures/observe-app.ts` (so the agent is the one
 * `switchboard node` starts, as for a user). `stop()` sends SIGTERM and checks the node
 * stopped cleanly; the port mapper is closed. Nodes are named per test file so files
 * running side by side never share a name.
 */
import { expect } from 'vitest';
import { startPortMapper, type PortMapperServer } from '../../src/dist/port-mapper-server.ts';
import { switchboard, type CliProcess } from '../cli/fixtures/cli-process.ts';

export const kCookie = 'remote-attach-cookie';

export interface RemoteTarget {
  readonly name: string;
  readonly mapper: PortMapperServer;
  readonly process: CliProcess;
  /** The flags a tool needs to reach it. */
  readonly flags: readonly string[];
  stop(): Promise<void>;
}

export async function startRemoteTarget(name: string, extra: readonly string[] = []): Promise<RemoteTarget> {
  const mapper = await startPortMapper({ port: 0 });
  const pm = `127.0.0.1:${mapper.port}`;
  const p = switchboard(['node', '--name', name, '--cookie', kCookie, '--port-mapper', pm, '--schedulers', '1', '--app', 'test/profile/fixtures/observe-app.ts', ...extra]);
  try {
    await p.line(`node ${name} listening`, 60_000);
  } catch (e) {
    await mapper.close();
    throw e;
  }
  return {
    name,
    mapper,
    process: p,
    flags: ['--node', name, '--cookie', kCookie, '--port-mapper', pm],
    stop: async () => {
      p.signal('SIGTERM');
      expect(await p.exit(25_000)).toEqual({ code: 0, signal: null });
      expect(p.lines.at(-1)).toBe(`node ${name} stopped`);
      await mapper.close();
    },
  };
}
