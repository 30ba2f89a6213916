import { afterEach, describe, expect, it } from 'vitest';
import { switchboard } from '../cli/fixtures/cli-process.ts';
import { startRemoteTarget, type RemoteTarget } from './remote-target.ts';

// `switchboard top --node` against a running named node in another process (stdout a pipe:
// the plain print): the blocks name that node, its busy actors come first; SIGTERM
// detaches (exit 0) and leaves the node running.

let target: RemoteTarget | undefined;
afterEach(async () => {
  await target?.stop();
  target = undefined;
});

const title = /^switchboard top {2}remote-top@127\.0\.0\.1 {2}\d+ processes \(\d+ sampled\) {2}every 300 ms {2}sort reductions\/s$/;

describe('switchboard top --node', () => {
  it('shows the remote node, busiest actor first; SIGTERM detaches and the node goes on', { timeout: 90_000 }, async () => {
    target = await startRemoteTarget('remote-top@127.0.0.1');
    const p = switchboard(['top', ...target.flags, '--interval', '300', '--limit', '4']);
    // The third title line: the second block (the first with rates) is complete.
    const deadline = Date.now() + 60_000;
    while (p.lines.filter((l) => title.test(l)).length < 3) {
      if (Date.now() > deadline) throw new Error(`no 3 blocks: ${JSON.stringify(p.lines)} ${p.stderr}`);
      await new Promise((r) => setTimeout(r, 50));
    }
    const starts = p.lines.flatMap((l, i) => (title.test(l) ? [i] : []));
    const block = p.lines.slice(starts[1]!, starts[2]!).filter((l) => l !== '');
    // One scheduler line: the target runs --schedulers 1, its own thread's counters.
    expect(block.filter((l) => /^ {4}\d /.test(l))).toEqual([expect.stringMatching(/^ {4}0 \S+ +\[\|* *\] +\d+\.\d% +\d+% +\d+% +\d+% /)]);
    const rows = block.slice(block.findIndex((l) => l.startsWith('PID ')) + 1);
    expect(rows).toHaveLength(4);
    // Remote pids as this node sees them: node 1 of its table is the target.
    expect(rows[0]).toMatch(/^<1\.0\.0> +busy +Pulse +\S+ +[\d.]+[KMG]? /);
    p.signal('SIGTERM');
    expect(await p.exit()).toEqual({ code: 0, signal: null });
    expect(p.lines.at(-1)).toBe('switchboard top: detached from remote-top@127.0.0.1');
    expect(p.stderr).toBe('');
    // The target is still up: it printed nothing after `listening`.
    expect(target.process.lines).toEqual(['node remote-top@127.0.0.1 listening']);
  });
});
