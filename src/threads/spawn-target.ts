/**
 * Spawn targets from the embedding thread of a ThreadedNode: what `node.spawn(target)`
 * accepts, turned into what a scheduler thread can import, `{ module, export }`.
 *
 *   Behaviour from defineActor(import.meta.url, impl, 'Export')   -> { module, export }
 *   Behaviour from defineActor(import.meta.url, impl) (no name)   -> its module is imported
 *                                                                   here once to find the
 *                                                                   export that holds it
 *   { module, export }                                             -> itself
 *   a closure (handler object, generator function, closure Behaviour) -> NotPortableError
 */
import { Behaviour, type BehaviourRef } from '../core/behaviour.ts';
import { BadArgError } from '../core/errors.ts';
import { NotPortableError } from './errors.ts';

/** What a worker can import for `target`. @throws NotPortableError, BadArgError */
export async function importableBehaviour(target: unknown): Promise<BehaviourRef> {
  if (target instanceof Behaviour) {
    if (target.module === null) {
      throw new NotPortableError(`spawn: a closure behaviour (${target.label}) cannot run on another thread; define it with defineActor(import.meta.url, impl, 'ExportName') and export it`);
    }
    let name = target.exportName;
    if (name === null) {
      try {
        const ns = (await import(target.module)) as Record<string, unknown>;
        for (const k of Object.keys(ns)) if (ns[k] === target) name = k;
      } catch {
        // not importable from here
      }
      if (name === null) {
        throw new NotPortableError(`spawn: behaviour from ${target.module} is not exported by its module; export it or pass defineActor(..., 'ExportName')`);
      }
      target.exportName = name;
    }
    return { module: target.module, export: name };
  }
  if (typeof target === 'object' && target !== null) {
    const r = target as Partial<BehaviourRef>;
    if (typeof r.module === 'string' && typeof r.export === 'string') return { module: r.module, export: r.export };
    if (typeof (target as { handle?: unknown }).handle === 'function') {
      throw new NotPortableError('spawn: a closure (handler object) cannot run on another thread; use defineActor(import.meta.url, impl, \'ExportName\') or { module, export }');
    }
  }
  if (typeof target === 'function') {
    throw new NotPortableError('spawn: a closure (function) cannot run on another thread; use defineActor(import.meta.url, impl, \'ExportName\') or { module, export }');
  }
  throw new BadArgError('spawn: expected a Behaviour from defineActor or { module, export }');
}
