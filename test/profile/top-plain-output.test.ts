import { describe, expect, it } from 'vitest';
import { switchboard } from '../cli/fixtures/cli-process.ts';
import { twoBlocks } from './fixtures/top-blocks.ts';

// `switchboard top` with stdout on a pipe (not a TTY): one plain block of text per
// interval, no escape codes, no keys; SIGTERM stops the node cleanly (exit 0). Read as a
// script reading the pipe would: the blocks start with the title line.

const run = 'test/profile/fixtures/top-actors.ts';

/** The NAME column of the actor rows of a block (after its PID header). */
function names(block: string[]): string[] {
  const h = block.findIndex((l) => l.startsWith('PID '));
  return block.slice(h + 1).map((l) => l.slice(15, 31).trim());
}

describe('switchboard top, stdout not a TTY', () => {
  it('prints one plain block per interval: rates from the second block on, the busy actor first; SIGTERM exits 0', async () => {
    const p = switchboard(['top', '--run', run, '--interval', '300', '--limit', '5']);
    const [b1, b2] = await twoBlocks(p);
    expect(p.lines.join('\n')).not.toMatch(/\u001b/);
    expect(b1![0]).toMatch(/8 processes \(8 sampled\).*sort reductions\/s$/);
    expect(b1![1]).toMatch(/^SCHED STATE +UTILISATION +BUSY +SPIN +PARK +RUNQ +ACTORS +RED\/S$/);
    // First block: no interval yet, so no rates.
    expect(b1!.find((l) => l.startsWith('<0.1.0>'))).toMatch(/^<0\.1\.0> +busy +Busy +\S+ +- /);
    // Second block: a utilisation bar and percentages, the busy actor on top, 5 rows at most.
    expect(b2![2]).toMatch(/^ {4}0 \S+ +\[\|+ *\] +\d+\.\d% +\d+% +0% +\d+% +\d+ +8 +[\d.]+[KMG]?$/);
    expect(b2!.find((l) => l.startsWith('run queues: '))).toMatch(/^run queues: \d+ \(\d+\)/);
    expect(names(b2!)).toHaveLength(5);
    expect(names(b2!)[0]).toBe('busy');
    expect(b2!.find((l) => l.startsWith('<0.1.0>'))).toMatch(/^<0\.1\.0> +busy +Busy +\S+ +[\d.]+[KMG]? +\d+ +\d/);
    p.signal('SIGTERM');
    expect(await p.exit()).toEqual({ code: 0, signal: null });
    expect(p.lines.at(-1)).toBe('switchboard top: node nonode@nohost stopped');
  });

  it('a bad --sort is refused before anything starts (exit 2)', async () => {
    const p = switchboard(['top', '--run', run, '--sort', 'cpu']);
    expect(await p.exit()).toEqual({ code: 2, signal: null });
    expect(p.stderr.trim()).toBe('switchboard top: --sort must be one of reductions, mailbox, memory, got "cpu"');
    expect(p.lines).toEqual([]);
  });
});
