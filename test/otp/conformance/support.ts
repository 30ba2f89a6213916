/**
 * The node kinds the OTP conformance tests run on, and the helpers they share.
 *
 * The conformance tests port cases of OTP's own suites (lib/stdlib/test/supervisor_SUITE.erl,
 * lib/kernel/test/application_SUITE.erl); each file's header names the OTP cases it follows.
 * Every case runs twice, as the issue asks:
 *
 *   schedulers: 0   one scheduler on the calling thread (LocalNode)
 *   schedulers: 2   two scheduler worker threads; children are placed on the other
 *                   scheduler than their supervisor (`kind.placeOn(1)`), so starts, exits
 *                   and shutdowns cross threads
 *
 * Use:
 *   describeOnSchedulers('supervisor restart types', (kind) => {
 *     it('...', async () => { const sup = await Supervisor.start(kind.node, spec, { spawn: kind.placeOn(0) }); });
 *   });
 *
 * One node per kind per file (started in beforeAll, stopped in afterAll); what actors send
 * to `node.pid` lands in `kind.inbox` (emptied before each test), as in the contract suite
 * (test/contract/node-kinds.ts, whose Inbox this reuses). SWITCHBOARD_CONTRACT_KINDS=0 (or
 * 2) runs one kind only.
 */
import { afterAll, beforeAll, beforeEach, describe } from 'vitest';
import { startNode } from '../../../src/index.ts';
import type { Node, Pid, SpawnOptions } from '../../../src/index.ts';
import { Inbox } from '../../contract/node-kinds.ts';
import { Watcher } from './fixtures/children.ts';

export { eventually, rejectionOf } from '../../contract/node-kinds.ts';

export const kConformanceKinds: readonly number[] = [0, 2];

export interface ConformanceKind {
  readonly schedulers: number;
  readonly node: Node;
  readonly inbox: Inbox;
  /** Spawn options putting an actor on scheduler `i` (modulo the count). */
  placeOn(i: number, more?: SpawnOptions): SpawnOptions;
  /** A name unique to this kind (the two kinds' nodes run in one process). */
  name(base: string): string;
}

function selected(): readonly number[] {
  const env = process.env.SWITCHBOARD_CONTRACT_KINDS;
  if (env === undefined || env.trim() === '') return kConformanceKinds;
  return kConformanceKinds.filter((k) => env.split(',').map((s) => Number(s.trim())).includes(k));
}

export function describeOnSchedulers(title: string, body: (kind: ConformanceKind) => void): void {
  for (const schedulers of selected()) {
    describe(`${title} [schedulers: ${schedulers}]`, () => {
      let node: Node | null = null;
      const inbox = new Inbox();
      const kind: ConformanceKind = {
        schedulers,
        get node(): Node {
          if (node === null) throw new Error('conformance: the node is used outside its describe block');
          return node;
        },
        inbox,
        placeOn: (i, more) => ({ ...more, scheduler: i % Math.max(1, schedulers) }),
        name: (base) => `${base}_s${schedulers}`,
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

/** `{ started: id }` reports, as an inbox predicate. */
export const started = (id: string) => (m: any): boolean => m?.started === id;
/** `{ stopped: id }` reports, as an inbox predicate. */
export const stopped = (id: string) => (m: any): boolean => m?.stopped === id;

/**
 * Arm a Watcher on `pid`; the function returned resolves with its exit reason. The watcher
 * runs on `pid`'s own scheduler (`on`: 1 for the children, 0 for the supervisors here), so
 * its monitor is set when it reports { watching } — from another thread the monitor signal
 * could still be on its way when the test makes the process exit.
 */
export async function watchDown(kind: ConformanceKind, pid: Pid, on = 1): Promise<() => Promise<unknown>> {
  const ref = `${String(pid)}#${Math.random()}`;
  await kind.node.spawn(Watcher, [pid, kind.node.pid, ref], kind.placeOn(on));
  // The watcher reports { watching } once its monitor is set: nothing can end unseen.
  await kind.inbox.next((m: any) => m?.watching === ref, 'the watcher armed');
  return async () => ((await kind.inbox.next((m: any) => m?.down === ref, `the DOWN of ${String(pid)}`, 15_000)) as { reason: unknown }).reason;
}
