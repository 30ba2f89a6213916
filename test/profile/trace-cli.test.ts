import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { switchboard } from '../cli/fixtures/cli-process.ts';
import { traceEventProblems } from './fixtures/trace-format.ts';

// `switchboard trace --seconds S --run <module> -o file`: the file is a valid trace (JSON,
// every event well-formed) with the --run module's spinner as slices; a bad option exits 2
// with a message and writes nothing.

const dir = mkdtempSync(join(tmpdir(), 'sb-trace-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const run = 'test/profile/fixtures/trace-actors.ts';

describe('switchboard trace', () => {
  it('writes a valid Chrome trace of the --run module and exits 0', async () => {
    const out = join(dir, 'trace.json');
    const p = switchboard(['trace', '--seconds', '0.5', '--run', run, '--schedulers', '2', '-o', out]);
    const exit = await p.exited;
    expect(exit.code, p.stderr).toBe(0);
    expect(p.lines.some((l) => /^switchboard trace: \d+ events written to /.test(l))).toBe(true);
    const t = JSON.parse(readFileSync(out, 'utf8')) as { traceEvents: { name: string; cat?: string; args?: { reductions?: number } }[] };
    expect(traceEventProblems(t)).toEqual([]);
    const spins = t.traceEvents.filter((e) => e.cat === 'slice' && e.name === 'spinner');
    expect(spins.length).toBeGreaterThan(5);
    expect(spins.every((e) => (e.args?.reductions ?? 0) > 0)).toBe(true);
  });

  it('bad options exit 2 with a message', async () => {
    const out = join(dir, 'none.json');
    const p = switchboard(['trace', '--seconds', '0', '--run', run, '-o', out]);
    const exit = await p.exited;
    expect(exit.code).toBe(2);
    expect(p.stderr).toContain('--seconds must be a number in (0, 3600]');
    const q = switchboard(['trace', '--seconds', '1', '-o', out]);
    expect((await q.exited).code).toBe(2);
    expect(q.stderr).toContain('switchboard trace: --run <module> or --node <name> is required');
    expect(() => readFileSync(out)).toThrow();
  });
});
