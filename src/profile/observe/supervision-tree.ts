/**
 * The supervision tree and the applications of a node, as far as the public API tells
 * (observer's "Applications" tab), built on the node's embedding thread.
 *
 * Walk, in order:
 *   1. Roots: every running application (Application.whichApplications: name and top
 *      pid), then every registered process not already in a tree whose behaviour is one of
 *      the library's supervisors (processInfo(pid).behaviour, `file#Export`, names
 *      SupervisorFromSpec or DynamicSupervisorProcess), then the extra roots the caller names (registered names or
 *      pids: supervisors of behaviours defined with defineSupervisor under their own name).
 *   2. For a root or a child of type 'supervisor': a `$system` getStatus call
 *      (src/otp/sys.ts; every OTP process answers it) says which kind: 'supervisor' ->
 *      a whichChildren request (`{ type: '$sup', op: 'whichChildren' }`, as
 *      Supervisor.whichChildren sends), 'dynamic_supervisor' -> `{ type: '$dynsup', op:
 *      'whichChildren' }`; each child is walked in turn (depth first, in the supervisor's
 *      order). Only supervisors are sent these calls: a plain actor never gets a message
 *      it did not ask for.
 *   3. Every process in the tree gets processInfo (behaviour, registered name, status).
 *   4. Bounds: each call times out after `callTimeoutMs` (the node is busy: the entry says
 *      `error` and the walk goes on), at most `maxNodes` entries, depth at most 32.
 * The result is plain data (pids as text) so it crosses a distribution link as it is.
 *
 * Erlang mapping: observer_backend walks an application's processes from its master;
 * here the supervisors' own which_children lists give the ids and restart types too.
 */
import type { Node } from '../../core/node.ts';
import type { Pid } from '../../core/pid.ts';
import { Application } from '../../otp/application.ts';

/** One process of the tree. */
export interface SupervisionEntry {
  /** The child id in its supervisor (null for a root). */
  readonly id: string | null;
  /** Pid text, or null for a child that is not running. */
  readonly pid: string | null;
  /** 'supervisor' | 'dynamic_supervisor' | 'worker' | 'unknown'. */
  readonly kind: string;
  readonly behaviour: string | null;
  readonly registeredName: string | null;
  readonly restart: string | null;
  readonly status: string | null;
  /** Why the walk could not go on here (a timeout, a dead process). */
  readonly error: string | null;
  readonly children: readonly SupervisionEntry[];
}

export interface SupervisionTree {
  /** The application's name, or the registered name / pid the root was found by. */
  readonly root: string;
  readonly application: string | null;
  readonly tree: SupervisionEntry | null;
}

export interface SupervisionReport {
  readonly applications: readonly { readonly name: string; readonly top: string | null }[];
  readonly trees: readonly SupervisionTree[];
  /** True when `maxNodes` cut the walk short. */
  readonly truncated: boolean;
}

export interface SupervisionWalkOptions {
  readonly callTimeoutMs?: number;
  readonly maxNodes?: number;
  /** Registered names or pids to walk too (step 1). */
  readonly extraRoots?: readonly (string | Pid)[];
}

const kSupervisorBehaviours = new Set(['SupervisorFromSpec', 'DynamicSupervisorProcess']);
const kMaxDepth = 32;

const message = (e: unknown): string => (e instanceof Error ? e.message : String(e));

/** Steps 1-4. */
export async function supervisionReport(node: Node, opts: SupervisionWalkOptions = {}): Promise<SupervisionReport> {
  const timeout = opts.callTimeoutMs ?? 2000;
  const maxNodes = opts.maxNodes ?? 2000;
  const seen = new Set<string>();
  let count = 0;
  let truncated = false;

  const info = async (pid: Pid): Promise<{ behaviour: string | null; registeredName: string | null; status: string | null }> => {
    const i = await node.processInfo(pid).catch(() => undefined);
    return { behaviour: i?.behaviour ?? null, registeredName: i?.registeredName ?? null, status: i?.status ?? null };
  };

  const walk = async (pid: Pid | null, id: string | null, restart: string | null, declared: string, depth: number): Promise<SupervisionEntry> => {
    count++;
    const base = { id, pid: pid === null ? null : pid.toString(), restart };
    if (pid === null) return { ...base, kind: declared, behaviour: null, registeredName: null, status: null, error: null, children: [] };
    seen.add(pid.toString());
    const pi = await info(pid);
    if (declared !== 'supervisor') return { ...base, kind: declared, ...pi, error: null, children: [] };
    let kind = 'unknown';
    let children: SupervisionEntry[] = [];
    let error: string | null = null;
    try {
      const status = await node.call<{ behaviour: string }>(pid, { type: '$system', req: 'getStatus' }, timeout);
      kind = status.behaviour === 'dynamic_supervisor' ? 'dynamic_supervisor' : status.behaviour === 'supervisor' ? 'supervisor' : 'worker';
      if (depth >= kMaxDepth) error = `deeper than ${kMaxDepth} levels: not walked`;
      else if (kind === 'supervisor') {
        const list = await node.call<{ id: string; pid: Pid | null; type: string; restart: string }[]>(pid, { type: '$sup', op: 'whichChildren' }, timeout);
        for (const c of list) {
          if (count >= maxNodes) {
            truncated = true;
            break;
          }
          children.push(await walk(c.pid, c.id, c.restart, c.type, depth + 1));
        }
      } else if (kind === 'dynamic_supervisor') {
        const list = await node.call<{ pid: Pid }[]>(pid, { type: '$dynsup', op: 'whichChildren' }, timeout);
        for (const c of list) {
          if (count >= maxNodes) {
            truncated = true;
            break;
          }
          children.push(await walk(c.pid, null, null, 'worker', depth + 1));
        }
      }
    } catch (e) {
      error = message(e);
      children = [];
    }
    return { ...base, kind, ...pi, error, children };
  };

  const apps = Application.whichApplications(node);
  const trees: SupervisionTree[] = [];
  for (const a of apps) {
    if (count >= maxNodes) {
      truncated = true;
      break;
    }
    trees.push({ root: a.name, application: a.name, tree: a.top === null ? null : await walk(a.top, null, null, 'supervisor', 0) });
  }
  const candidates: { root: string; pid: Pid }[] = [];
  for (const name of node.registered()) {
    const pid = node.whereis(name);
    if (pid === undefined || seen.has(pid.toString())) continue;
    const pi = await info(pid);
    if (pi.behaviour !== null && kSupervisorBehaviours.has(pi.behaviour.slice(pi.behaviour.lastIndexOf('#') + 1))) candidates.push({ root: name, pid });
  }
  for (const r of opts.extraRoots ?? []) {
    const pid = typeof r === 'string' ? node.whereis(r) : r;
    if (pid !== undefined && !candidates.some((c) => c.pid.toString() === pid.toString())) candidates.push({ root: typeof r === 'string' ? r : pid.toString(), pid });
  }
  for (const c of candidates) {
    if (seen.has(c.pid.toString())) continue;
    if (count >= maxNodes) {
      truncated = true;
      break;
    }
    trees.push({ root: c.root, application: null, tree: await walk(c.pid, null, null, 'supervisor', 0) });
  }
  return { applications: apps.map((a) => ({ name: a.name, top: a.top === null ? null : a.top.toString() })), trees, truncated };
}
