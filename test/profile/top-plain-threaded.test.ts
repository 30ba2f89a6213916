import { describe, expect, it } from 'vitest';
import { switchboard } from '../cli/fixtures/cli-process.ts';
import { twoBlocks } from './fixtures/top-blocks.ts';

// `switchboard top --schedulers 2` with stdout on a pipe: a ThreadedNode in the command's
// process, one scheduler line each, the rows sorted by mailbox; SIGINT stops it (exit 0).
// (Its own file: two scheduler threads take a few seconds to start on a shared machine.)

const run = 'test/profile/fixtures/top-actors.ts';

describe('switchboard top, stdout not a TTY, 2 scheduler threads', () => {
  it('--sort mailbox on 2 scheduler threads: the hoarder first, each scheduler with its own line', async () => {
    const p = switchboard(['top', '--run', run, '--interval', '300', '--sort', 'mailbox', '--schedulers', '2']);
    const [, b2] = await twoBlocks(p);
    expect(b2![0]).toMatch(/sort mailbox$/);
    expect(b2!.filter((l) => /^ {4}[01] /.test(l))).toHaveLength(2);
    expect(b2!.find((l) => l.startsWith('run queues: '))).toMatch(/^run queues: \d+ \(\d+ \d+\)$/);
    const rows = b2!.slice(b2!.findIndex((l) => l.startsWith('PID ')) + 1);
    expect(rows[0]).toMatch(/^<\d+\.\d+\.\d+> +hoarder +Hoarder +\S+ +\S+ +200 /);
    p.signal('SIGINT');
    expect(await p.exit()).toEqual({ code: 0, signal: null });
  });

});
