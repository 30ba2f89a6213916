/**
 * Behaviours: the code an actor runs, and how it is named so any scheduler or node can
 * load it.
 *
 * Two styles:
 *   - handler style (the fast path):
 *       init?(...args) -> state                       called once, before the first message
 *       handle(msg, state, ctx) -> state              called per message, returns new state
 *       terminate?(reason, state, ctx) -> void        called when the actor exits, except
 *                                                     when it is killed (reason 'killed')
 *   - process style: a generator `function* (ctx, ...args)` that `yield`s
 *     `ctx.receive(pattern?, timeoutMs?)` and gets the message (or TIMEOUT) back;
 *     returning ends the actor with reason 'normal'.
 *
 * Naming: `defineActor(import.meta.url, impl, 'ExportName')` returns a Behaviour that
 * carries its module URL and export name, so it can be spawned on another thread or node
 * (which imports the module and takes the export). A bare impl object or generator
 * function is a *closure*: it may only be spawned on the caller's own scheduler.
 * A `{ module, export }` reference can be spawned too; the module is imported on first
 * use and messages wait in the mailbox meanwhile.
 *
 * Hot code reload (the code server, src/otp/code-server.ts, sets `upgrade`): when a newer
 * version of a behaviour's module is loaded, the old Behaviour gets `upgrade = { to, ... }`
 * pointing at the same export of the new version. A handler-style actor checks
 * `behaviour.upgrade !== null` at the start of each slice (loads complete only between
 * slices, so that is every message boundary where it can change) and moves to `to`,
 * calling `to.handler.codeChange?.(oldVsn, state, extra, ctx)`:
 *     -> { ok: newState }          the actor goes on with newState on the new version
 *     -> { error: reason }         the actor exits with {kind:'codeChange', module,
 *                                  export, oldVsn, error: reason}; a throw does the same
 *                                  with error = the thrown error as an exit reason
 * No codeChange: the state is kept. A spawn of a superseded Behaviour starts the current
 * version. Process-style actors never switch: they stay on their version until they end.
 */
import { BadArgError } from './errors.ts';
import type { Context } from './context.ts';

export interface HandlerImpl<S = any, M = any, A extends unknown[] = any[]> {
  init?(...args: A): S;
  handle(msg: M, state: S, ctx: Context): S;
  terminate?(reason: unknown, state: S, ctx: Context): void;
  /** Hot code reload: turn the state of the older version `oldVsn` into this version's. */
  codeChange?(oldVsn: unknown, state: any, extra: unknown, ctx: Context): CodeChangeResult<S>;
}

/** What `codeChange` returns (OTP's `{ok, State} | {error, Reason}`). */
export type CodeChangeResult<S = unknown> = { readonly ok: S } | { readonly error: unknown };

/** Set on a superseded Behaviour by the code server: where its actors move to. */
export interface CodeUpgrade {
  /** The same export in the newer version, or null if that version does not export it. */
  readonly to: Behaviour | null;
  /** The module, without query (the code server's key). */
  readonly module: string;
  /** The version being left (the module's `vsn` export, else its load number). */
  readonly oldVsn: unknown;
  /** Passed to codeChange as `extra`. */
  readonly extra: unknown;
}

export type ProcessImpl<A extends unknown[] = any[]> = (ctx: Context, ...args: A) => Generator<unknown, unknown, any>;

export interface BehaviourRef {
  readonly module: string;
  readonly export: string;
}

export enum BehaviourKind {
  Handler = 0,
  Process = 1,
}

export class Behaviour<A extends unknown[] = any[]> {
  readonly kind: BehaviourKind;
  readonly handler: HandlerImpl<any, any, A> | null;
  readonly process: ProcessImpl<A> | null;
  /** Module URL, or null for a closure. */
  readonly module: string | null;
  /** Export name, or null when not (yet) known. */
  exportName: string | null;
  /** Null while this is the current version of its module; see CodeUpgrade. */
  upgrade: CodeUpgrade | null = null;
  constructor(kind: BehaviourKind, handler: HandlerImpl<any, any, A> | null, process: ProcessImpl<A> | null, module: string | null, exportName: string | null) {
    this.kind = kind;
    this.handler = handler;
    this.process = process;
    this.module = module;
    this.exportName = exportName;
  }
  /** Printable name for process info: `module#export`, or `closure`. */
  get label(): string {
    if (this.module === null) return this.kind === BehaviourKind.Process ? 'closure(process)' : 'closure(handler)';
    const file = this.module.slice(this.module.lastIndexOf('/') + 1);
    return `${file}#${this.exportName ?? '?'}`;
  }
}

const GeneratorFunction = Object.getPrototypeOf(function* () {}).constructor;

export function isGeneratorFunction(f: unknown): f is ProcessImpl {
  return typeof f === 'function' && f instanceof GeneratorFunction;
}

/** Define a handler-style or process-style behaviour living in module `moduleUrl`. */
export function defineActor<S, M, A extends unknown[]>(moduleUrl: string, impl: HandlerImpl<S, M, A>, exportName?: string): Behaviour<A>;
export function defineActor<A extends unknown[]>(moduleUrl: string, impl: ProcessImpl<A>, exportName?: string): Behaviour<A>;
export function defineActor(moduleUrl: string, impl: HandlerImpl | ProcessImpl, exportName?: string): Behaviour {
  if (typeof moduleUrl !== 'string' || moduleUrl.length === 0) {
    throw new BadArgError('defineActor: moduleUrl must be a non-empty string (pass import.meta.url)');
  }
  const b = toBehaviour(impl, moduleUrl, exportName ?? null);
  if (b.exportName === null) void discoverExportName(b);
  return b;
}

function toBehaviour(impl: unknown, module: string | null, exportName: string | null): Behaviour {
  if (isGeneratorFunction(impl)) return new Behaviour(BehaviourKind.Process, null, impl, module, exportName);
  if (typeof impl === 'object' && impl !== null && typeof (impl as HandlerImpl).handle === 'function') {
    const h = impl as HandlerImpl;
    if (h.init !== undefined && typeof h.init !== 'function') throw new BadArgError('behaviour: init must be a function');
    if (h.terminate !== undefined && typeof h.terminate !== 'function') throw new BadArgError('behaviour: terminate must be a function');
    if (h.codeChange !== undefined && typeof h.codeChange !== 'function') throw new BadArgError('behaviour: codeChange must be a function');
    return new Behaviour(BehaviourKind.Handler, h, null, module, exportName);
  }
  if (typeof impl === 'function') {
    throw new BadArgError('behaviour: a process-style actor must be a generator function (function*)');
  }
  throw new BadArgError('behaviour: expected { handle(msg, state, ctx) }, a generator function, or { module, export }');
}

/** Find the export name of a Behaviour by importing its module (the module is loaded already). */
async function discoverExportName(b: Behaviour): Promise<void> {
  try {
    const ns = (await import(b.module!)) as Record<string, unknown>;
    for (const k of Object.keys(ns)) {
      if (ns[k] === b) {
        b.exportName = k;
        return;
      }
    }
  } catch {
    // Not importable from here: it stays a closure for other threads; spawning it
    // remotely raises an UndefinedBehaviourError that says so.
  }
}

/** Normalise what `spawn` was given: a Behaviour, a closure impl, or a module reference. */
export function behaviourOf(target: unknown): Behaviour | BehaviourRef {
  if (target instanceof Behaviour) return target;
  if (
    typeof target === 'object' && target !== null &&
    typeof (target as BehaviourRef).module === 'string' && typeof (target as BehaviourRef).export === 'string'
  ) {
    return target as BehaviourRef;
  }
  return toBehaviour(target, null, null);
}

const loaded = new Map<string, Behaviour>();

/** The Behaviour for a reference, if its module was already loaded on this thread. */
export function loadedBehaviour(ref: BehaviourRef): Behaviour | undefined {
  return loaded.get(`${ref.module}#${ref.export}`);
}

/** Import a module and take the export as a Behaviour. Rejects with a message for `undef`. */
export async function loadBehaviour(ref: BehaviourRef): Promise<Behaviour> {
  const key = `${ref.module}#${ref.export}`;
  const hit = loaded.get(key);
  if (hit !== undefined) return hit;
  const ns = (await import(ref.module)) as Record<string, unknown>;
  if (!(ref.export in ns)) throw new Error(`module ${ref.module} has no export ${ref.export}`);
  const v = ns[ref.export];
  let b: Behaviour;
  if (v instanceof Behaviour) {
    b = v;
    if (b.exportName === null) b.exportName = ref.export;
  } else {
    b = toBehaviour(v, ref.module, ref.export);
  }
  loaded.set(key, b);
  return b;
}
