import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { switchboard } from '../cli/fixtures/cli-process.ts';
import { traceEventProblems } from './fixtures/trace-format.ts';
import { startRemoteTarget, type RemoteTarget } from './remote-target.ts';

// `switchboard trace --node` records a timeline trace on a running named node in another
// process (its profile agent runs startTrace / stopTrace there and hands the JSON back in
// chunks): a valid trace, of that node, with its Pulse actors' slices; the node goes on.

const dir = mkdtempSync(join(tmpdir(), 'sb-remote-trace-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let target: RemoteTarget | undefined;
afterEach(async () => {
  await target?.stop();
  target = undefined;
});

describe('switchboard trace --node', () => {
  it('writes a valid Chrome trace of the remote node and leaves it running', { timeout: 90_000 }, async () => {
    target = await startRemoteTarget('remote-trace@127.0.0.1');
    const out = join(dir, 'trace.json');
    const p = switchboard(['trace', ...target.flags, '--seconds', '0.5', '-o', out]);
    const exit = await p.exit(60_000);
    expect(exit, p.stderr).toEqual({ code: 0, signal: null });
    expect(p.lines.at(-1)).toMatch(new RegExp(`^switchboard trace: \\d+ events written to ${out.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`));
    const t = JSON.parse(readFileSync(out, 'utf8')) as { traceEvents: { name: string; cat?: string; ph: string; args?: Record<string, unknown> }[] };
    expect(traceEventProblems(t)).toEqual([]);
    const pulses = t.traceEvents.filter((e) => e.cat === 'slice' && e.name === 'busy');
    expect(pulses.length).toBeGreaterThan(3);
    const process = t.traceEvents.find((e) => e.ph === 'M' && e.name === 'process_name');
    expect(process?.args?.['name']).toMatch(/remote-trace@127\.0\.0\.1/);
    expect(target.process.lines).toEqual(['node remote-trace@127.0.0.1 listening']);
  });
});
