/**
 * Behaviours as another thread can spawn them. A node whose actors run on the calling
 * thread (`node.spawnsClosures`) spawns a Behaviour object as it is; a node with scheduler
 * threads needs `{ module, export, acks }` references that a thread imports by name —
 * in a spec, deeply (child specs, supervisor specs, their args).
 */
import { Behaviour, type BehaviourRef } from '../core/behaviour.ts';
import { BadArgError } from '../core/errors.ts';
import type { Node } from '../core/node.ts';
import { acksStart } from './start-ack.ts';

/** A Behaviour as a `{ module, export, acks }` reference another thread can import. */
export function portableBehaviour(b: Behaviour | BehaviourRef): BehaviourRef & { acks?: boolean } {
  if (!(b instanceof Behaviour)) return b;
  if (b.module === null || b.exportName === null) {
    throw new BadArgError(`a closure behaviour (${b.label}) cannot be sent to a supervisor; define it in a module with its export name (defineGenServer(import.meta.url, impl, 'Name'))`);
  }
  return { module: b.module, export: b.exportName, acks: acksStart(b) };
}

/**
 * `spec` (a supervisor or child spec, or a behaviour) as `node` can spawn it: as it is
 * where the node spawns closures (its actors run on this thread), else with its
 * Behaviours as module references (`portableSpec`) for the scheduler threads to import.
 */
export function specForNode<T>(node: Node, spec: T): T {
  return node.spawnsClosures ? spec : portableSpec(spec);
}

/** Replace every Behaviour inside a child spec or supervisor spec (deeply, in args too). */
export function portableSpec<T>(v: T): T {
  if (v instanceof Behaviour) return portableBehaviour(v) as T;
  if (Array.isArray(v)) return v.map((x) => portableSpec(x)) as T;
  if (typeof v === 'object' && v !== null && Object.getPrototypeOf(v) === Object.prototype) {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(v)) out[k] = portableSpec((v as Record<string, unknown>)[k]);
    return out as T;
  }
  return v;
}
