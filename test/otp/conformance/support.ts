/**
 * What the OTP conformance tests share: the node kinds they run on, a Watcher-based exit
 * check, and ordered report reading.
 *
 * The conformance tests port cases of OTP's own suites (lib/stdlib/test/supervisor_SUITE.erl,
 * gen_server_SUITE.erl, gen_statem_SUITE.erl, lib/kernel/test/application_SUITE.erl); each
 * file's header names the OTP cases it follows. Every case runs twice, as issue 17 asks:
 *
 *   schedulers: 0   one scheduler on the calling thread (LocalNode)
 *   schedulers: 2   two scheduler worker threads; tests place processes on the other
 *                   scheduler than their supervisor or client (`kind.placeOn(1)`), so
 *                   starts, calls, exits and shutdowns cross threads
 *
 * Use:
 *   describeOnSchedulers('supervisor restart types', (kind) => {
 *     it('...', async () => { const sup = await Supervisor.start(kind.node, spec, { spawn: kind.placeOn(0) }); });
 *   });
 *
 * One node per kind per describe block (started in beforeAll, stopped in afterAll); what
 * actors send to `node.pid` lands in `kind.inbox` (emptied before each test), as in the
 * contract suite (test/contract/node-kinds.ts, whose Inbox and NodeKind this reuses).
 * SWITCHBOARD_CONTRACT_KINDS=0 (or 2) runs one kind only.
 */
import type { Pid } from '../../../src/index.ts';
import { describeEachNodeKind, type Inbox, type NodeKind } from '../../contract/node-kinds.ts';
import { Watcher } from './fixtures/children.ts';

export { eventually, rejectionOf } from '../../contract/node-kinds.ts';
export type { NodeKind };

export const kConformanceKinds: readonly number[] = [0, 2];

/**
 * The start timeout of the conformance starts: the first start on a scheduler thread
 * imports the fixture module there, which can take seconds on a loaded machine; how long
 * init takes is not what these tests look at.
 */
export const kStartTimeoutMs = 30_000;

export interface ConformanceKind extends NodeKind {
  /** A name unique to this kind (the two kinds' nodes run in one process). */
  name(base: string): string;
}

function selected(): readonly number[] {
  const env = process.env.SWITCHBOARD_CONTRACT_KINDS;
  if (env === undefined || env.trim() === '') return kConformanceKinds;
  return kConformanceKinds.filter((k) => env.split(',').map((s) => Number(s.trim())).includes(k));
}

/**
 * `describe` `body` on a node of 0 schedulers (LocalNode) and one of 2 scheduler threads:
 * the contract suite's harness (node-kinds.ts) with these kinds, plus `name`.
 */
export function describeOnSchedulers(title: string, body: (kind: ConformanceKind) => void): void {
  describeEachNodeKind(title, (kind) => {
    // Inherit from `kind` (its `node` is a getter, valid only inside the tests).
    const conformance = Object.create(kind) as { name: (base: string) => string } & ConformanceKind;
    conformance.name = (base) => `${base}_s${kind.schedulers}`;
    body(conformance);
  }, selected());
}

/** The gen_server / gen_statem files' name for the same thing. */
export const describeOnZeroAndTwo = describeOnSchedulers;

/** `{ started: id }` reports, as an inbox predicate. */
export const started = (id: string) => (m: any): boolean => m?.started === id;
/** `{ stopped: id }` reports, as an inbox predicate. */
export const stopped = (id: string) => (m: any): boolean => m?.stopped === id;

/** The next `n` reports `pred` accepts, in arrival order (OTP's `flush()` against an expected list). */
export async function reports(inbox: Inbox, n: number, pred: (m: any) => boolean = () => true, what = 'reports'): Promise<unknown[]> {
  const out: unknown[] = [];
  for (let i = 0; i < n; i++) out.push(await inbox.next(pred, `${what} (${i + 1} of ${n})`));
  return out;
}

let watchSerial = 0;

/**
 * Watch `pid`, which runs on scheduler `on` of the node (1 for children and servers here,
 * 0 for supervisors): the function returned resolves with its exit reason (OTP's
 * `{'EXIT', Pid, Reason}` check, seen from a monitor). Start it before provoking the exit.
 * The Watcher runs on the target's own scheduler and reports { watching } once its monitor
 * is set, so nothing can end unseen (a monitor from another thread is a signal that could
 * arrive after the exit, and see noproc).
 */
export async function watch(kind: NodeKind, pid: Pid, on = 1): Promise<() => Promise<unknown>> {
  const { node, inbox } = kind;
  const tag = `w${++watchSerial}:${String(pid)}`;
  await node.spawn(Watcher, [pid, node.pid, tag], kind.placeOn(on));
  await inbox.next((m: any) => m?.watching === tag, 'the watcher armed', kStartTimeoutMs);
  return async () => ((await inbox.next((m: any) => m?.down === tag, `the exit of ${String(pid)}`, 15_000)) as { reason: unknown }).reason;
}

/** The supervisor files' name for `watch`. */
export const watchDown = watch;
