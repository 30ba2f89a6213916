import { afterEach, describe, expect, it } from 'vitest';
import { BadArgError } from '../../src/core/errors.ts';
import type { Node } from '../../src/core/node.ts';
import { startNode } from '../../src/dist/start-node.ts';
import { kProfileAgentName, startProfileAgent } from '../../src/profile/remote/index.ts';
import { Pulse } from './fixtures/observe-app.ts';

// The profile agent answers its protocol's requests through the node's embedding thread
// (called here from the node itself: the same call a remote tool makes), refuses
// malformed ones with { error, code }, is started once per node, and needs a named node.

let node: Node | undefined;
afterEach(async () => {
  await node?.stop();
  node = undefined;
});

describe('profile agent', () => {
  it('answers hello, frame, processInfo (plain data), and refuses bad requests', async () => {
    node = await startNode({ schedulers: 0, name: 'agent-req@127.0.0.1', cookie: 'c', dist: { portMapper: false, staticPorts: {} } });
    const agent = await startProfileAgent(node);
    expect(await startProfileAgent(node)).toBe(agent);
    expect(node.whereis(kProfileAgentName)).toEqual(agent.pid);
    const ask = (req: unknown) => node!.call<Record<string, unknown>>(kProfileAgentName, req, 5000);
    expect(await ask({ op: 'hello' })).toEqual({ ok: { node: 'agent-req@127.0.0.1', version: 1, schedulers: 0 } });
    const p = await node.spawn(Pulse, [1000, 5]);
    node.send(p, 'tick');
    const f = (await ask({ op: 'frame', session: 's1', actorRows: 10 }))['ok'] as { seq: number; node: string; actors: { pid: string }[] };
    expect(f.seq).toBe(1);
    expect(f.node).toBe('agent-req@127.0.0.1');
    expect(f.actors.map((a) => a.pid)).toContain(p.toString());
    expect(((await ask({ op: 'frame', session: 's1', actorRows: 10 }))['ok'] as { seq: number }).seq).toBe(2);
    expect(((await ask({ op: 'frame', session: 's2', actorRows: 10 }))['ok'] as { seq: number }).seq).toBe(1);
    const info = (await ask({ op: 'processInfo', pid: p.toString() }))['ok'] as Record<string, unknown>;
    expect(info['pid']).toBe(p.toString());
    expect(info['behaviour']).toMatch(/#Pulse$/);
    expect(await ask({ op: 'processInfo', pid: '<0.9999.0>' })).toEqual({ ok: null });
    expect(await ask({ op: 'processInfo', pid: 'x' })).toEqual({ error: 'processInfo: "x" is not a pid (<node.id.serial>)', code: 'ERR_SB_BADARG' });
    expect(await ask({ op: 'frame', session: '', actorRows: 10 })).toEqual({ error: 'profile agent: session must be a non-empty string', code: 'ERR_SB_BADARG' });
    expect(await ask({ op: 'frame', session: 's1', actorRows: 0 })).toEqual({ error: 'profile agent: actorRows must be an integer from 1 to 10000', code: 'ERR_SB_BADARG' });
    expect(await ask({ op: 'traceChunk', id: 7, offset: 0 })).toEqual({ error: 'profile agent: no such stopped trace (only the last one is kept, until it is read)', code: 'ERR_SB_BADARG' });
    expect(await ask('nonsense')).toEqual({
      error: 'profile agent: unknown request null (hello, frame, snapshot, processInfo, supervision, end, traceStart, traceStop, traceChunk)',
      code: 'ERR_SB_BADARG',
    });
    expect(await ask({ op: 'end', session: 's1' })).toEqual({ ok: true });
    await agent.stop();
    expect(node.whereis(kProfileAgentName)).toBeUndefined();
  });

  it('refuses a node without a name', async () => {
    node = await startNode({ schedulers: 0 });
    const err = await startProfileAgent(node).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BadArgError);
    expect((err as Error).message).toBe('startProfileAgent: the node has no name: start it with a name (startNode({ name, cookie })) so a tool can attach');
  });
});
