/**
 * A server that exits while a call is pending: the caller gets CallExitError carrying the
 * server's exact reason — on one scheduler (the local fast path: the server's pending-call
 * marker, src/core/local-call.ts), on two schedulers with both on one scheduler (fast path
 * again) and with them on different schedulers (the monitor protocol).
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
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

const reason = { kind: 'quit', n: 7, why: ['tagged', 'data'] };
const expected = { error: 'CallExitError', code: 'ERR_SB_CALL_EXIT', reason, message: expect.stringContaining('the called process exited') };

async function exitDuringCall(n: Node, serverOn?: number, clientOn?: number): Promise<unknown> {
  const server = (await GenServer.start(n, Quitter, [], serverOn === undefined ? undefined : { spawn: { scheduler: serverOn } }))!;
  const client = await n.spawn(CallOutcome, [], clientOn === undefined ? undefined : { scheduler: clientOn });
  expect(await n.call(client, { to: server, msg: 'ping' }, 10_000)).toEqual({ ok: 'pong' });
  return n.call(client, { to: server, msg: { quit: reason }, timeoutMs: 10_000 }, 20_000);
}

describe('call: the server exits during the call', () => {
  it('0 schedulers (LocalNode): CallExitError with the reason', async () => {
    node = new LocalNode();
    expect(await exitDuringCall(node)).toEqual(expected);
  });

  describe('2 schedulers', () => {
    let threaded: Node;
    beforeAll(async () => {
      threaded = await startNode({ schedulers: 2 });
    });
    afterAll(() => threaded.stop());

    it('client and server on one scheduler: CallExitError with the reason', async () => {
      expect(await exitDuringCall(threaded, 1, 1)).toEqual(expected);
    });

    it('client and server on different schedulers: CallExitError with the reason', async () => {
      expect(await exitDuringCall(threaded, 1, 0)).toEqual(expected);
    });
  });
});
