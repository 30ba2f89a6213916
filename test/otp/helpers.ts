/**
 * Helpers for the OTP tests: run a process-style body inside an actor of a node and get
 * its result as a promise; wait for a condition with a generous deadline; a recorder
 * actor; a ThreadedNode typed as the one Node interface; what a call rejects with or throws.
 */
import type { Context } from '../../src/core/context.ts';
import type { Node } from '../../src/core/node.ts';
import type { Pid } from '../../src/core/pid.ts';
import type { SpawnOptions } from '../../src/core/scheduler.ts';
import { type ThreadedNode } from '../../src/threads/index.ts';
import { startNode, type StartNodeOptions as NodeOptions } from '../../src/dist/start-node.ts';

/** Run `body` as a process-style actor on `node` (one that spawns closures); resolves with what it returns. */
export function inActor<T>(node: Node, body: (ctx: Context) => Generator<any, T, any>, opts?: SpawnOptions): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    node.spawn(function* (ctx: Context) {
      try {
        resolve(yield* body(ctx));
      } catch (e) {
        reject(e);
      }
    }, [], opts).catch(reject);
  });
}

/** Poll `cond` every few ms until it holds (throws after `timeoutMs`). */
export async function waitFor(cond: () => boolean | Promise<boolean>, timeoutMs = 5000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await cond())) {
    if (Date.now() > end) throw new Error('waitFor: condition not met in time');
    await new Promise((r) => setTimeout(r, 5));
  }
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** A handler actor on `node` (one that spawns closures) that appends every message it gets to `log`. */
export async function recorder(node: Node, name?: string): Promise<{ pid: Pid; log: any[] }> {
  const log: any[] = [];
  const pid = await node.spawn({
    handle(msg: unknown, st: unknown) {
      log.push(msg);
      return st;
    },
  }, [], name === undefined ? undefined : { name });
  return { pid, log };
}


/** What `p` rejects with; a promise that resolves fails the test instead. */
export function rejectionOf(p: Promise<unknown>): Promise<unknown> {
  return p.then(
    (v: unknown) => {
      throw new Error(`expected a rejection, got ${String(v)}`);
    },
    (e: unknown) => e,
  );
}

/** What `fn` throws; a call that returns fails the test instead. */
export function thrownBy(fn: () => unknown): unknown {
  try {
    fn();
  } catch (e) {
    return e;
  }
  throw new Error('expected a throw');
}
