/**
 * Application: a named unit that starts and stops as a whole — its top supervisor (or
 * none: a library application), its env, the applications it depends on.
 *
 *   export const Kv = defineApplication({
 *     name: 'kv',
 *     dependencies: ['logger'],                 // by name; started first
 *     env: { port: 4000 },                      // defaults; Application.getEnv('kv', 'port')
 *     start: () => ({ strategy: 'one_for_one', children: [...] }),   // or { behaviour, args }
 *     startPhases: [{ name: 'warm', run: ({ node, top, env }) => ... }],
 *     stop: () => { ... },                      // after its processes are gone
 *   });
 *   await Application.start(node, Kv);          // or by name: Application.start(node, 'kv')
 *   await node.stop();                          // stops kv, then logger
 *
 * Definition callbacks and shapes:
 *   start()  -> SupervisorSpec (the top supervisor is started from it)
 *             | { behaviour, args? } (the top process: a supervisor or GenServer module)
 *             | null (a library application: no processes)
 *   startPhases[i].run({ node, top, env }) -> void | Promise<void>   in order, after start
 *   stop()   -> void, after the top process has stopped
 *
 * Controller (one per node, made on first use):
 *   1. `start(node, app)`: unknown app → UndefinedApplicationError; already running →
 *      AlreadyStartedError. Each dependency not running is started first, recursively
 *      (an undefined one → UndefinedApplicationError naming both; a cycle →
 *      InvalidApplicationError). Then the top process is started (synchronously: its init
 *      and its children's are done when start resolves; a failure rejects with
 *      StartFailedError and the app is not running), then the start phases run.
 *   2. `stop(node, name)`: Sys.terminate(top, 'shutdown') — the supervisor stops its
 *      children in reverse order — then `stop()`. Dependencies keep running (as in OTP).
 *   3. `node.stop()` runs the controller's stop hook first: every running application is
 *      stopped, in reverse start order, before the node stops its actors.
 *
 * Env: `getEnv(app, key, default?)` reads the overrides given to `start(..., { env })` or
 * `setEnv`, else the definition's env. It is kept per thread (module state), so actors on
 * the node's own thread (a node that spawns closures: `schedulers: 0`) read it; on a node
 * with scheduler threads, those threads see the definition's env only.
 */
import type { Behaviour, BehaviourRef } from '../core/behaviour.ts';
import { BadArgError } from '../core/errors.ts';
import type { Node } from '../core/node.ts';
import type { Pid } from '../core/pid.ts';
import { AlreadyStartedError, InvalidApplicationError, NotStartedError, UndefinedApplicationError } from './errors.ts';
import { GenServer } from './gen-server.ts';
import { specForNode } from './portable.ts';
import { Supervisor, type SupervisorSpec } from './supervisor.ts';
import { Sys } from './sys.ts';

export interface StartPhaseContext {
  readonly node: Node;
  readonly top: Pid | null;
  readonly env: Readonly<Record<string, unknown>>;
}

export interface StartPhase {
  readonly name: string;
  run(phase: StartPhaseContext): void | Promise<void>;
}

export type ApplicationStart = SupervisorSpec | { readonly behaviour: Behaviour | BehaviourRef; readonly args?: readonly unknown[] } | null;

export interface ApplicationDefinition {
  readonly name: string;
  readonly start?: () => ApplicationStart;
  readonly env?: Readonly<Record<string, unknown>>;
  readonly dependencies?: readonly string[];
  readonly startPhases?: readonly StartPhase[];
  readonly stop?: () => void | Promise<void>;
}

export interface ApplicationDef extends ApplicationDefinition {
  readonly dependencies: readonly string[];
  readonly env: Readonly<Record<string, unknown>>;
  readonly startPhases: readonly StartPhase[];
}

export interface StartAppOptions {
  /** Env overrides for this application (not its dependencies). */
  readonly env?: Readonly<Record<string, unknown>>;
}

export interface RunningApplication {
  readonly name: string;
  readonly top: Pid | null;
}

// -----------------------------------------------------------------------------------
// Definitions (per thread)
// -----------------------------------------------------------------------------------

const definitions = new Map<string, ApplicationDef>();
const envOverrides = new Map<string, Map<string, unknown>>();
const kDefKeys = new Set(['name', 'start', 'env', 'dependencies', 'startPhases', 'stop']);

export function defineApplication(def: ApplicationDefinition): ApplicationDef {
  if (typeof def !== 'object' || def === null) throw new InvalidApplicationError('application definition must be an object');
  if (typeof def.name !== 'string' || def.name.length === 0) throw new InvalidApplicationError('application: name must be a non-empty string');
  const at = `application "${def.name}"`;
  for (const k of Object.keys(def)) if (!kDefKeys.has(k)) throw new InvalidApplicationError(`${at}: unknown field "${k}"`);
  if (def.start !== undefined && typeof def.start !== 'function') throw new InvalidApplicationError(`${at}: start must be a function returning a supervisor spec, { behaviour, args } or null`);
  if (def.stop !== undefined && typeof def.stop !== 'function') throw new InvalidApplicationError(`${at}: stop must be a function`);
  if (def.env !== undefined && (typeof def.env !== 'object' || def.env === null)) throw new InvalidApplicationError(`${at}: env must be an object`);
  const deps = def.dependencies ?? [];
  if (!Array.isArray(deps) || deps.some((d) => typeof d !== 'string' || d.length === 0)) throw new InvalidApplicationError(`${at}: dependencies must be an array of application names`);
  const phases = def.startPhases ?? [];
  if (!Array.isArray(phases) || phases.some((p) => typeof p !== 'object' || p === null || typeof p.name !== 'string' || typeof p.run !== 'function')) {
    throw new InvalidApplicationError(`${at}: startPhases must be an array of { name, run }`);
  }
  if (definitions.has(def.name)) throw new InvalidApplicationError(`${at} is already defined`);
  const full: ApplicationDef = Object.freeze({ ...def, dependencies: Object.freeze([...deps]), env: Object.freeze({ ...def.env }), startPhases: Object.freeze([...phases]) });
  definitions.set(def.name, full);
  return full;
}

/** Read an application's env: an override, else the definition's value, else `fallback`. */
export function getEnv<T = unknown>(app: string, key: string, fallback?: T): T {
  const o = envOverrides.get(app);
  if (o !== undefined && o.has(key)) return o.get(key) as T;
  const def = definitions.get(app);
  if (def !== undefined && Object.prototype.hasOwnProperty.call(def.env, key)) return def.env[key] as T;
  return fallback as T;
}

export function setEnv(app: string, key: string, value: unknown): void {
  if (!definitions.has(app)) throw new UndefinedApplicationError(app, `application "${app}" is not defined`);
  let o = envOverrides.get(app);
  if (o === undefined) envOverrides.set(app, (o = new Map()));
  o.set(key, value);
}

function allEnv(def: ApplicationDef): Record<string, unknown> {
  const out: Record<string, unknown> = { ...def.env };
  const o = envOverrides.get(def.name);
  if (o !== undefined) for (const [k, v] of o) out[k] = v;
  return out;
}

// -----------------------------------------------------------------------------------
// Controller (one per node)
// -----------------------------------------------------------------------------------

class Controller {
  readonly node: Node;
  /** Running applications in start order. */
  readonly running: { def: ApplicationDef; top: Pid | null }[] = [];
  constructor(node: Node) {
    this.node = node;
    node.onStop(() => this.stopAll());
  }

  find(name: string): number {
    return this.running.findIndex((r) => r.def.name === name);
  }

  async start(def: ApplicationDef, path: string[]): Promise<void> {
    for (const dep of def.dependencies) {
      if (path.includes(dep)) throw new InvalidApplicationError(`application "${def.name}": dependency cycle ${[...path, dep].join(' -> ')}`);
      const d = definitions.get(dep);
      if (d === undefined) throw new UndefinedApplicationError(dep, `application "${def.name}": dependency "${dep}" is not defined`);
      if (this.find(dep) < 0) await this.start(d, [...path, dep]);
    }
    const spec = def.start === undefined ? null : def.start();
    let top: Pid | null = null;
    if (spec !== null && spec !== undefined) {
      if (typeof spec !== 'object') throw new InvalidApplicationError(`application "${def.name}": start() must return a supervisor spec, { behaviour, args } or null`);
      if ('children' in spec) top = await Supervisor.start(this.node, spec);
      else if ('behaviour' in spec) {
        top = await GenServer.start(this.node, specForNode(this.node, spec.behaviour), (spec.args ?? []) as never, { timeoutMs: 60_000 });
      } else throw new InvalidApplicationError(`application "${def.name}": start() must return a supervisor spec, { behaviour, args } or null`);
    }
    this.running.push({ def, top });
    const env = allEnv(def);
    for (const phase of def.startPhases) await phase.run({ node: this.node, top, env });
  }

  async stop(name: string): Promise<void> {
    const i = this.find(name);
    if (i < 0) throw new NotStartedError(name);
    const { def, top } = this.running[i]!;
    this.running.splice(i, 1);
    if (top !== null) {
      try {
        await Sys.terminate(this.node, top, 'shutdown');
      } catch {
        // Already gone (it crashed, or was stopped from elsewhere): nothing left to stop.
      }
    }
    if (def.stop !== undefined) await def.stop();
  }

  async stopAll(): Promise<void> {
    while (this.running.length > 0) await this.stop(this.running[this.running.length - 1]!.def.name);
  }
}

const controllers = new WeakMap<object, Controller>();

function controllerOf(node: Node): Controller {
  let c = controllers.get(node);
  if (c === undefined) {
    if (typeof node !== 'object' || node === null || typeof node.onStop !== 'function') throw new BadArgError('Application: expected a node (startNode)');
    controllers.set(node, (c = new Controller(node)));
  }
  return c;
}

function resolve(app: ApplicationDef | string): ApplicationDef {
  const name = typeof app === 'string' ? app : app?.name;
  const def = typeof name === 'string' ? definitions.get(name) : undefined;
  if (def === undefined) throw new UndefinedApplicationError(String(name), `application "${String(name)}" is not defined`);
  return def;
}

// -----------------------------------------------------------------------------------
// API
// -----------------------------------------------------------------------------------

export const Application = {
  /** Start `app` and, first, every dependency not running yet. */
  async start(node: Node, app: ApplicationDef | string, opts: StartAppOptions = {}): Promise<void> {
    const def = resolve(app);
    const c = controllerOf(node);
    if (c.find(def.name) >= 0) throw new AlreadyStartedError(def.name);
    if (opts.env !== undefined) for (const [k, v] of Object.entries(opts.env)) setEnv(def.name, k, v);
    await c.start(def, [def.name]);
  },
  /** Stop one application (its dependencies keep running). */
  async stop(node: Node, app: ApplicationDef | string): Promise<void> {
    const def = resolve(app);
    await controllerOf(node).stop(def.name);
  },
  /** The running applications, in start order, with their top process. */
  whichApplications(node: Node): RunningApplication[] {
    return controllerOf(node).running.map((r) => ({ name: r.def.name, top: r.top }));
  },
  getEnv,
  setEnv,
};
