import { afterEach, describe, expect, it } from 'vitest';
import { LocalNode } from '../../src/core/local-node.ts';
import { GenServer } from '../../src/otp/gen-server.ts';
import { Sys } from '../../src/otp/sys.ts';
import { Counter } from './fixtures/servers.ts';
import { recorder, waitFor } from './helpers.ts';

let node: LocalNode;
afterEach(() => node?.stop());

describe('sys: trace', () => {
  it('sends every message in and every reply out of one server to the tracer, until turned off', async () => {
    node = new LocalNode();
    const c = (await GenServer.start(node, Counter, [0]))!;
    const tracer = await recorder(node);
    expect(await Sys.trace(node, c, tracer.pid)).toBe('ok');
    GenServer.cast(node, c, 'inc');
    expect(await GenServer.call(node, c, { add: 2 })).toBe(3);
    await waitFor(() => tracer.log.length === 3);
    const [castIn, callIn, replyOut] = tracer.log;
    expect(castIn).toMatchObject({ type: '$trace', dir: 'in', msg: { type: '$cast', msg: 'inc' } });
    expect(castIn.pid.equals(c)).toBe(true);
    expect(callIn).toMatchObject({ type: '$trace', dir: 'in', msg: { type: '$call', msg: { add: 2 } } });
    expect(replyOut).toMatchObject({ type: '$trace', dir: 'out', msg: 3 });
    expect(await Sys.trace(node, c, null)).toBe('ok');
    expect(await GenServer.call(node, c, 'get')).toBe(3);
    await new Promise((r) => setTimeout(r, 20));
    expect(tracer.log).toHaveLength(3);
  });

  it('takes a callback tracer on a LocalNode', async () => {
    node = new LocalNode();
    const c = (await GenServer.start(node, Counter, [0]))!;
    const seen: string[] = [];
    await Sys.trace(node, c, (ev) => void seen.push(ev.dir));
    expect(await GenServer.call(node, c, 'get')).toBe(0);
    await waitFor(() => seen.length === 2);
    expect(seen).toEqual(['in', 'out']);
  });
});
