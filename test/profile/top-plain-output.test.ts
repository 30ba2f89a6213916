import { describe, expect, it } from 'vitest';
import { switchboard, type CliProcess } from '../cli/fixtures/cli-process.ts';

// `switchboard top` with stdout on a pipe (not a TTY): one plain block of text per
// interval, no escape codes, no keys; SIGTERM stops the node cleanly (exit 0). Read as a
// script reading the pipe would: the blocks start with the title line.

const run = 'test/profile/fixtures/top-actors.ts';
const title = /^switchboard top {2}nonode@nohost {2}\d+ processes \(\d+ sampled\) {2}every 300 ms {2}sort /;

/** The blocks printed so far (each from its title line up to the blank line after it). */
function blocks(p: CliProcess): string[][] {
  const out: string[][] = [];
  for (const l of p.lines) {
    if (title.test(l)) out.push([l]);
    else if (out.length > 0 && l !== '') out.at(-1)!.push(l);
  }
  return out;
}

/** The NAME column of the actor rows of a block (after its PID header). */
function names(block: string[]): string[] {
  const h = block.findIndex((l) => l.startsWith('PID '));
  return block.slice(h + 1).map((l) => l.slice(15, 31).trim());
}

async function twoBlocks(p: CliProcess): Promise<string[][]> {
  // The third title line means the second block is complete.
  const deadline = Date.now() + 15_000;
  while (p.lines.filter((l) => title.test(l)).length < 3) {
    if (Date.now() > deadline) throw new Error(`no 3 blocks within 15 s: ${JSON.stringify(p.lines)} ${p.stderr}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  return blocks(p).slice(0, 2);
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
