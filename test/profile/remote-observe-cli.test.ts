import { afterEach, describe, expect, it } from 'vitest';
import { switchboard } from '../cli/fixtures/cli-process.ts';
import { startRemoteTarget, type RemoteTarget } from './remote-target.ts';

// `switchboard observe --node` serves the observer page for a running named node in
// another process: its frames (sampled there, pids in its own text), its supervision
// tree, one actor's info, and the tool listed among its hidden nodes.

let target: RemoteTarget | undefined;
afterEach(async () => {
  await target?.stop();
  target = undefined;
});

async function json(url: string): Promise<any> {
  const r = await fetch(url);
  expect(r.status).toBe(200);
  return r.json();
}

describe('switchboard observe --node', () => {
  it('serves the remote node: frames, tree, processInfo; the tool is a hidden node there', { timeout: 90_000 }, async () => {
    target = await startRemoteTarget('remote-obs@127.0.0.1');
    const p = switchboard(['observe', ...target.flags, '--interval', '200']);
    const line = await p.line(/^switchboard observe: remote-obs@127\.0\.0\.1 at http:\/\/127\.0\.0\.1:\d+\/$/, 60_000);
    const url = line.slice(line.indexOf(' at ') + 4);
    let frame: any;
    await expect.poll(async () => {
      const r = await fetch(`${url}api/frame`);
      frame = r.status === 200 ? await r.json() : null;
      return frame?.seq ?? 0;
    }, { timeout: 30_000, interval: 100 }).toBeGreaterThanOrEqual(2);
    expect(frame.node).toBe('remote-obs@127.0.0.1');
    expect(frame.schedulers).toHaveLength(1);
    expect(frame.schedulers[0].source).toBe('stats');
    expect(frame.nodes.visible).toEqual([]);
    expect(frame.nodes.hidden).toEqual([expect.stringMatching(/^sbtool\d+_[0-9a-f]{6}@127\.0\.0\.1$/)]);
    const busy = frame.actors.find((a: any) => a.name === 'busy');
    expect(busy.pid).toBe('<0.0.0>');
    const info = await json(`${url}api/process?pid=${encodeURIComponent(busy.pid)}`);
    expect(info).toMatchObject({ pid: '<0.0.0>', registeredName: 'busy', behaviour: 'observe-app.ts#Pulse' });
    expect((await fetch(`${url}api/process?pid=${encodeURIComponent('<0.9999.0>')}`)).status).toBe(404);
    expect((await fetch(`${url}api/process?pid=nope`)).status).toBe(400);
    const tree = await json(`${url}api/tree`);
    expect(tree.applications.map((a: any) => a.name)).toEqual(['shop']);
    expect(tree.trees[0].tree.children.map((c: any) => c.id)).toEqual(['cache', 'orders_sup', 'pool']);
    p.signal('SIGTERM');
    expect(await p.exit()).toEqual({ code: 0, signal: null });
    expect(p.lines.at(-1)).toBe('switchboard observe: stopped');
    expect(target.process.lines).toEqual(['node remote-obs@127.0.0.1 listening']);
  });
});
