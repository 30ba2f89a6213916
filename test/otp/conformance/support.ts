/**
 * What the OTP conformance tests share: the node kinds they run on (0 and 2 schedulers,
 * one node per describe block, as test/contract/node-kinds.ts does for the contract
 * suite), a Watcher that reports a process's exit reason (OTP's `{'EXIT', Pid, Reason}`
 * check, seen from a monitor), and `reports(inbox, n)` — the next n reports in arrival
 * order (OTP's `flush()` compared with an expected list).
 *
 * Each conformance file names, in its header, the OTP test cases it follows
 * (erlang/otp lib/stdlib/test/gen_server_SUITE.erl, gen_statem_SUITE.erl).
 */
import { afterAll, beforeAll, beforeEach, describe } from 'vitest';
import { startNode } from '../../../src/index.ts';
import type { Node, Pid } from '../../../src/index.ts';
import { Inbox, type NodeKind } from '../../contract/node-kinds.ts';
import { Watcher } from './fixtures/watcher.ts';

export type { NodeKind };

/** `describe` `body` on a node of 0 schedulers (LocalNode) and one of 2 scheduler threads. */
export function describeOnZeroAndTwo(title: string, body: (kind: NodeKind) => void): void {
  for (const schedulers of [0, 2]) {
    describe(`${title} [schedulers: ${schedulers}]`, () => {
      let node: Node | null = null;
      const inbox = new Inbox();
      const kind: NodeKind = {
        schedulers,
        get node(): Node {
          if (node === null) throw new Error('conformance: the node is used outside its describe block');
          return node;
        },
        inbox,
        placeOn: (i, more) => ({ ...more, scheduler: i % Math.max(1, schedulers) }),
        startAnother: () => startNode({ schedulers }),
      };
      beforeAll(async () => {
        node = await startNode({ schedulers });
        node.on('message', inbox.push);
      });
      beforeEach(() => inbox.clear());
      afterAll(async () => {
        const n = node;
        node = null;
        if (n !== null) {
          n.off('message', inbox.push);
          await n.stop();
        }
      });
      body(kind);
    });
  }
}

/** The next `n` reports `pred` accepts, in arrival order. */
export async function reports(inbox: Inbox, n: number, pred: (m: any) => boolean = () => true, what = 'reports'): Promise<unknown[]> {
  const out: unknown[] = [];
  for (let i = 0; i < n; i++) out.push(await inbox.next(pred, `${what} (${i + 1} of ${n})`));
  return out;
}

/**
 * Watch `pid`, which runs on scheduler `on` of the node: resolves with its exit reason,
 * reported by a monitoring Watcher as `{ down: tag, reason }`. Start it before provoking
 * the exit. The Watcher runs on the target's scheduler, so its monitor is set before
 * `watch` returns (a monitor from another thread is a signal that could arrive after
 * the exit, and see noproc).
 */
export async function watch(kind: NodeKind, pid: Pid, on = 1): Promise<() => Promise<unknown>> {
  const { node, inbox } = kind;
  const tag = `w${++watchSerial}`;
  await node.spawn(Watcher, [node.pid, pid, tag], kind.placeOn(on));
  await inbox.next((m) => m?.watching === tag, 'the watcher', kStartTimeoutMs);
  return async () => ((await inbox.next((m) => m?.down === tag, `the exit of ${String(pid)}`)) as { reason: unknown }).reason;
}
let watchSerial = 0;

/**
 * The start timeout of the conformance starts: the first start on a scheduler thread
 * imports the fixture module there, which can take seconds on a loaded machine; how long
 * init takes is not what these tests look at.
 */
export const kStartTimeoutMs = 30_000;
