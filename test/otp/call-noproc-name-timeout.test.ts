/**
 * The rest of a call's outcomes from an actor, on 0 and 2 schedulers: a dead pid is
 * NoProcError (nothing waits), a registered name is called like its pid, an unknown
 * name is NoProcError naming it, and a server that never answers gives CallTimeoutError
 * with no late message left behind (the actor's next call gets its own answer).
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { Node } from '../../src/core/node.ts';
import { LocalNode } from '../../src/core/local-node.ts';
import { startNode } from '../../src/dist/start-node.ts';
import { GenServer } from '../../src/otp/gen-server.ts';
import { CallOutcome, Quitter } from './fixtures/call-clients.ts';

let node: Node | null = null;
afterEach(async () => {
  await node?.stop();
  node = null;
});

async function outcomes(n: Node, name: string, on?: number): Promise<unknown[]> {
  const spawn = on === undefined ? undefined : { scheduler: on };
  const client = await n.spawn(CallOutcome, [], spawn);
  const server = (await GenServer.start(n, Quitter, [], { name, ...(spawn ? { spawn } : {}) }))!;
  const dead = (await GenServer.start(n, Quitter, [], spawn ? { spawn } : undefined))!;
  expect(await n.call(client, { to: dead, msg: { quit: 'normal' }, timeoutMs: 10_000 }, 20_000)).toMatchObject({ error: 'CallExitError', reason: 'normal' });
  const ask = (to: unknown, msg: unknown, timeoutMs = 10_000) => n.call(client, { to, msg, timeoutMs }, 20_000);
  return [
    await ask(dead, 'ping'),
    await ask(name, 'ping'),
    await ask('no_such_server', 'ping'),
    await ask(server, { hold: true }, 50),
    await ask(server, 'ping'),
    String(dead),
  ];
}

function check(got: unknown[]): void {
  const deadText = got[5] as string;
  expect(got[0]).toEqual({ error: 'NoProcError', code: 'ERR_SB_NOPROC', reason: null, message: `no such process: ${deadText}` });
  expect(got[1]).toEqual({ ok: 'pong' });
  expect(got[2]).toEqual({ error: 'NoProcError', code: 'ERR_SB_NOPROC', reason: null, message: 'no such process: no_such_server' });
  expect(got[3]).toEqual({ error: 'CallTimeoutError', code: 'ERR_SB_CALL_TIMEOUT', reason: null, message: 'call timed out after 50 ms' });
  expect(got[4]).toEqual({ ok: 'pong' });
}

describe('call: noproc, names, timeout', () => {
  it('0 schedulers (LocalNode)', async () => {
    node = new LocalNode();
    check(await outcomes(node, 'quitter0'));
  });

  it('2 schedulers, client and server on one scheduler', async () => {
    node = await startNode({ schedulers: 2 });
    check(await outcomes(node, 'quitter2', 1));
  });
});
