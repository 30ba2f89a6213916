/**
 * SquareWorker: the worker of the pg example — a module-defined GenServer that answers
 * `{ square: n }` with `{ value: n * n, node }` (the node that did the work).
 */
import { defineGenServer } from '../../../src/otp/gen-server.ts';

/** The cookie every node of the example shares. */
export const kExampleCookie = 'pg-example-cookie';

export interface SquareReply {
  readonly value: number;
  readonly node: string;
}

export const SquareWorker = defineGenServer<null, { square: number }, never, SquareReply, []>(import.meta.url, {
  init: () => ({ ok: null }),
  handleCall: (msg, _from, st, ctx) => ({ reply: { value: msg.square * msg.square, node: ctx.nodeName }, state: st }),
}, 'SquareWorker');
