import { describe, expect, it } from 'vitest';
import { switchboard } from '../cli/fixtures/cli-process.ts';

// `switchboard observe --run <module>` starts a node in its own process, runs the module,
// prints the page's address and serves it until SIGTERM (exit 0, the node stopped); a
// non-loopback --host without a token exits 2 with ObserveTokenRequiredError's message.

describe('switchboard observe --run', () => {
  it('prints the address, serves the page and the frames, stops on SIGTERM', async () => {
    const p = switchboard(['observe', '--run', 'test/profile/fixtures/observe-app.ts', '--interval', '200']);
    const line = await p.line(/^switchboard observe: nonode@nohost at http:\/\/127\.0\.0\.1:\d+\/$/, 30_000);
    const url = line.slice(line.indexOf(' at ') + 4);
    const page = await fetch(url);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<title>Switchboard observer</title>');
    await expect.poll(async () => {
      const r = await fetch(`${url}api/frame`);
      return r.status === 200 ? ((await r.json()) as { actors: { name: string | null }[] }).actors.map((a) => a.name) : [];
    }, { timeout: 15_000, interval: 100 }).toEqual(expect.arrayContaining(['busy', 'hoarder', 'shop_cache']));
    p.signal('SIGTERM');
    expect(await p.exit()).toEqual({ code: 0, signal: null });
    expect(p.lines.at(-1)).toBe('switchboard observe: stopped');
  });

  it('a non-loopback host without a token exits 2; the token may come from the environment', async () => {
    const p = switchboard(['observe', '--host', '0.0.0.0']);
    expect(await p.exit()).toEqual({ code: 2, signal: null });
    expect(p.stderr).toBe('switchboard observe: option "host" is "0.0.0.0", not a loopback address: option "token" is required to bind there\n');
    const q = switchboard(['observe', '--host', '0.0.0.0'], { SWITCHBOARD_OBSERVE_TOKEN: 'from-the-env-123' });
    const line = await q.line(/^switchboard observe: nonode@nohost at /, 30_000);
    expect(line).toMatch(/^switchboard observe: nonode@nohost at http:\/\/0\.0\.0\.0:\d+\/\?token=from-the-env-123$/);
    const port = /:(\d+)\//.exec(line)![1];
    expect((await fetch(`http://127.0.0.1:${port}/`)).status).toBe(401);
    expect((await fetch(`http://127.0.0.1:${port}/?token=from-the-env-123`)).status).toBe(200);
    q.signal('SIGTERM');
    expect(await q.exit()).toEqual({ code: 0, signal: null });
  });
});
