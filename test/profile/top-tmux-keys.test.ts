import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, describe, expect, it } from 'vitest';

// `switchboard top` in a real terminal, as a person uses it: run under tmux (its own
// server socket, 120x40), read the screen with capture-pane, type keys with send-keys.
// The wrapper shell records the command's exit code in a file, then prints it and stays
// (so the screen after quitting can be read too: the terminal is restored).

const root = fileURLToPath(new URL('../../', import.meta.url));
const tmux = ['/usr/bin/tmux', '/usr/local/bin/tmux'].find((p) => existsSync(p));
if (tmux === undefined) console.warn('top-tmux-keys: tmux is not installed; the TTY test of `switchboard top` is skipped');

const socket = `sbtop-${process.pid}-${Date.now()}`;
const session = 'top';
let dir: string | undefined;

function t(...args: string[]): string {
  return execFileSync(tmux!, ['-L', socket, ...args], { encoding: 'utf8' });
}

const screen = (): string => t('capture-pane', '-p', '-t', session);

/** The screen, once `pred` holds for it; rejects after deadlineMs with the last screen. */
async function screenWhen(pred: (s: string) => boolean, what: string, deadlineMs = 10_000): Promise<string> {
  const deadline = Date.now() + deadlineMs;
  let s = '';
  for (;;) {
    s = screen();
    if (pred(s)) return s;
    if (Date.now() > deadline) throw new Error(`${what}: not on screen within ${deadlineMs} ms; screen:\n${s}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** The NAME of the first actor row (the line after the PID header). */
function firstName(s: string): string | undefined {
  const lines = s.split('\n');
  const h = lines.findIndex((l) => l.startsWith('PID '));
  return h < 0 ? undefined : lines[h + 1]?.slice(15, 31).trim();
}

afterEach(() => {
  if (tmux !== undefined) spawnSync(tmux, ['-L', socket, 'kill-server']);
  if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
  dir = undefined;
});

// kill-server leaves its socket file behind: remove it (tmux's default socket directory).
afterAll(() => {
  const base = process.env.TMUX_TMPDIR ?? '/tmp';
  rmSync(join(base, `tmux-${process.getuid?.() ?? 0}`, socket), { force: true });
});

describe.skipIf(tmux === undefined)('switchboard top in a terminal (tmux)', () => {
  it('shows the table, re-sorts on m / y / r, and quits on q with exit 0 and the terminal restored', async () => {
    dir = mkdtempSync(join(tmpdir(), 'sbtop-'));
    const rc = join(dir, 'rc');
    const cmd = `cd '${root}' && '${process.execPath}' scripts/switchboard.mjs top --run test/profile/fixtures/top-actors.ts --interval 300 --limit 10; echo $? > '${rc}'; echo "exited $(cat '${rc}')"; sleep 60`;
    t('new-session', '-d', '-s', session, '-x', '120', '-y', '40', cmd);
    // The live screen: title, a filled utilisation bar, the busy actor on top by rate.
    let s = await screenWhen((x) => /\[\|+ *\]/.test(x) && firstName(x) === 'busy', 'the table sorted by reductions/s', 15_000);
    expect(s.split('\n')[0]).toMatch(/^switchboard top {2}nonode@nohost {2}8 processes \(8 sampled\) {2}every 300 ms {2}sort reductions\/s/);
    expect(s).toContain('keys: r sort by reductions/s   m by mailbox   y by memory   q quit');
    t('send-keys', '-t', session, 'm');
    s = await screenWhen((x) => /sort mailbox/.test(x), 'sort mailbox');
    expect(firstName(s)).toBe('hoarder');
    expect(s).toMatch(/hoarder +Hoarder +\S+ +\S+ +200 /);
    t('send-keys', '-t', session, 'y');
    s = await screenWhen((x) => /sort memory/.test(x), 'sort memory');
    expect(firstName(s)).toBe('hog');
    t('send-keys', '-t', session, 'r');
    s = await screenWhen((x) => /sort reductions\/s/.test(x), 'sort reductions/s again');
    expect(firstName(s)).toBe('busy');
    t('send-keys', '-t', session, 'q');
    s = await screenWhen((x) => x.includes('exited '), 'the wrapper after the command ended');
    expect(readFileSync(rc, 'utf8').trim()).toBe('0');
    // Back on the main screen: the stop line, no table left behind.
    expect(s).toContain('switchboard top: node nonode@nohost stopped');
    expect(s).not.toContain('PID ');
  });

  it('Ctrl-C quits (a byte in raw mode; a SIGINT if raw mode were off): exit 0', async () => {
    dir = mkdtempSync(join(tmpdir(), 'sbtop-'));
    const rc = join(dir, 'rc');
    const cmd = `cd '${root}' && '${process.execPath}' scripts/switchboard.mjs top --run test/profile/fixtures/top-actors.ts --interval 300 --sort mailbox; echo $? > '${rc}'; echo "exited $(cat '${rc}')"; sleep 60`;
    t('new-session', '-d', '-s', session, '-x', '120', '-y', '40', cmd);
    const s = await screenWhen((x) => firstName(x) === 'hoarder', 'the table sorted by mailbox', 15_000);
    expect(s.split('\n')[0]).toMatch(/sort mailbox$/);
    t('send-keys', '-t', session, 'C-c');
    await screenWhen((x) => x.includes('exited '), 'the wrapper after the command ended');
    expect(readFileSync(rc, 'utf8').trim()).toBe('0');
  });
});
