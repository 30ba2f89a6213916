import { describe, expect, it } from 'vitest';
import { startPortMapper, type PortMapperServer } from '../../src/dist/port-mapper-server.ts';
import { freePort } from '../dist/fixtures/free-port.ts';
import { switchboard } from './fixtures/cli-process.ts';

// `switchboard node` runs until SIGTERM or SIGINT (sent to the switchboard process, which
// passes it on to the node's process), then stops the node and exits 0, having printed
// the stop lines: a clean stop, not a death by signal, and no process left behind (the
// switchboard process exits only once the node's process did).

describe('switchboard node: SIGTERM and SIGINT stop it cleanly', () => {
  for (const sig of ['SIGTERM', 'SIGINT'] as const) {
    it(`a local node (no --name) stops on ${sig}: exit 0, stop lines printed`, async () => {
      const p = switchboard(['node']);
      await p.line('node nonode@nohost listening');
      p.signal(sig);
      const exit = await p.exit();
      expect(exit, p.stderr).toEqual({ code: 0, signal: null });
      expect(p.lines).toEqual(['node nonode@nohost listening', `node nonode@nohost stopping (${sig})`, 'node nonode@nohost stopped']);
    });
  }
});

describe('switchboard node --name: registered while it runs, unregistered after a signal', () => {
  it('registers with the port mapper, listens on --listen-port, and stops on SIGTERM', async () => {
    const mapper: PortMapperServer = await startPortMapper({ port: 0 });
    try {
      const port = await freePort();
      const p = switchboard(['node', '--name', 'cli@127.0.0.1', '--cookie', 'c', '--port-mapper', `127.0.0.1:${mapper.port}`, '--listen-port', String(port)]);
      await p.line('node cli@127.0.0.1 listening');
      expect(mapper.entries().map((e) => [e.name, e.port])).toEqual([['cli', port]]);
      p.signal('SIGTERM');
      expect(await p.exit()).toEqual({ code: 0, signal: null });
      expect(p.lines.at(-1)).toBe('node cli@127.0.0.1 stopped');
      // Its registration ends with its port-mapper connection.
      await expect.poll(() => mapper.entries(), { timeout: 5000 }).toEqual([]);
    } finally {
      await mapper.close();
    }
  });
});
