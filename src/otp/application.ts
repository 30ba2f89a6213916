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
 *   start(startType)  -> SupervisorSpec (the top supervisor is started from it)
 *             | { behaviour, args? } (the top process: a supervisor or GenServer module)
 *             | null (a library application: no processes)
 *   startPhases[i].run({ node, top, env, startType }) -> void | Promise<void>   in order, after start
 *   stop()   -> void, after the top process has stopped
 *   startType: 'normal', or for a distributed application { failover: fromNode } /
 *             { takeover: fromNode } (Erlang's StartType of Mod:start/2 and start_phase/3)
 *
 * Distributed applications (Erlang's `distributed` kernel parameter, one entry):
 *   distributed: { nodes: ['a@h', ['b@h', 'c@h']], failoverTimeoutMs }  (a priority list;
 *   an inner list is one rank of equal nodes), identical on every node. Such an
 *   application is not run by this controller: `Application.start` hands it to the
 *   node's distributed-application controller (src/cluster/dist-app; `DistApp.start(node)`
 *   installs it with `setDistributedApplicationsHost`, otherwise InvalidApplicationError),
 *   which decides with its peers where it runs and calls back `runHere` / `stopHere`
 *   below. `Application.start(node, app, { syncNodesMandatory, syncNodesOptional,
 *   syncNodesTimeoutMs })` are kernel's sync_nodes_* for that decision;
 *   `Application.takeover(node, app)` is application:takeover/2. `whichApplications`
 *   lists what runs HERE (a distributed application started here but running elsewhere
 *   is not listed, as in Erlang).
 *
 * Controller (one per node, made on first use):
 *   1. `start(node, app)`: unknown app → UndefinedApplicationError; already running →
 *      AlreadyStartedError. Each dependency not running is started first, recursively
 *      (an undefined one → UndefinedApplicationError naming both; a cycle →
 *      InvalidApplicationError), as application:ensure_all_started. Then the top process
 *      is started (synchronously: its init and its children's are done when start
 *      resolves; a failure rejects with StartFailedError and the app is not running), then
 *      the start phases run in order (one that throws fails the start: the app is stopped
 *      again). Whatever fails, the applications this call started are stopped again,
 *      newest first; those running before keep running.
 *   1a. An application whose top process has ended on its own is not running any more
 *      (OTP's temporary applications): the next start that asks about it (as itself or
 *      as a dependency) forgets it, runs its stop(), and starts it again.
 *   2. `stop(node, name)`: Sys.terminate(top, 'shutdown') — the supervisor stops its
 *      children in reverse order — then `stop()`. Dependencies keep running (as in OTP).
 *   3. `node.stop()` runs the controller's stop hook first: every running application is
 *      stopped, in reverse start order, before the node stops its actors (a distributed
 *      one is handed to its host's stop: this node withdraws, see dist-app).
 *   4. A distributed application: dependencies as in step 1 (here, on every node), then
 *      `host.start(def, syncOptions)`; it resolves once the cluster has decided. The host
 *      calls `runHere(node, name, startType)` (top process, then the start phases with the
 *      start type) and `stopHere(node, name)` (as step 2) when the decision moves it.
 *
 * Env: `getEnv(app, key, default?)` reads the overrides given to `start(..., { env })` or
 * `setEnv`, else the definition's env. It is kept per thread (module state), so actors on
 * the node's own thread (a node that spawns closures: `schedulers: 0`) read it; on a node
 * with scheduler threads, those threads see the definition's env only.
 */
import type { Behaviour, BehaviourRef } from '../core/behaviour.ts';
import { BadArgError } from '../core/errors.ts';
import { checkOptions, mustBeNonNegativeInteger, type OptionCheck } from '../core/options.ts';
import type { Node } from '../core/node.ts';
import type { Pid } from '../core/pid.ts';
import { AlreadyStartedError, InvalidApplicationError, NotStartedError, UndefinedApplicationError } from './errors.ts';
import { GenServer } from './gen-server.ts';
import { specForNode } from './portable.ts';
import { Supervisor, type SupervisorSpec } from './supervisor.ts';
import { Sys } from './sys.ts';

/** How an application instance came to start (Erlang's StartType). */
export type StartType = 'normal' | { readonly failover: string } | { readonly takeover: string };

export interface StartPhaseContext {
  readonly node: Node;
  readonly top: Pid | null;
  readonly env: Readonly<Record<string, unknown>>;
  readonly startType: StartType;
}

/** Where a distributed application may run: a priority list (an inner list is one rank of equal nodes). */
export interface DistributedSpec {
  readonly nodes: readonly (string | readonly string[])[];
  /** How long after its node went down the next node starts it (Erlang's Time; default 0). */
  readonly failoverTimeoutMs?: number;
}

export interface StartPhase {
  readonly name: string;
  run(phase: StartPhaseContext): void | Promise<void>;
}

export type ApplicationStart = SupervisorSpec | { readonly behaviour: Behaviour | BehaviourRef; readonly args?: readonly unknown[] } | null;

export interface ApplicationDefinition {
  readonly name: string;
  readonly start?: (startType: StartType) => ApplicationStart;
  readonly distributed?: DistributedSpec;
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
  /** Distributed applications only: nodes that must have started it before the decision (else SyncNodesError). */
  readonly syncNodesMandatory?: readonly string[];
  /** Distributed applications only: nodes waited for (up to syncNodesTimeoutMs) before the decision. */
  readonly syncNodesOptional?: readonly string[];
  /** How long to wait for the sync nodes (default 0: only the peers' answers are waited for). */
  readonly syncNodesTimeoutMs?: number;
}

/** The sync part of StartAppOptions, as the distributed-application host gets it. */
export interface DistributedStartOptions {
  readonly syncNodesMandatory: readonly string[];
  readonly syncNodesOptional: readonly string[];
  readonly syncNodesTimeoutMs: number;
}

/**
 * What a node's distributed-application controller gives this one (src/cluster/dist-app).
 * Each returns once the cluster has acted: `start` when the application runs somewhere
 * (or nothing of its list has started it yet), `stop` when this node has withdrawn (and
 * stopped it if it ran here), `takeover` when it runs here.
 */
export interface DistributedApplicationsHost {
  start(def: ApplicationDef, opts: DistributedStartOptions): Promise<void>;
  stop(name: string): Promise<void>;
  takeover(name: string): Promise<void>;
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
const kDefKeys = new Set(['name', 'start', 'env', 'dependencies', 'startPhases', 'stop', 'distributed']);

function checkDistributed(at: string, d: unknown): DistributedSpec {
  const bad = (what: string): never => {
    throw new InvalidApplicationError(`${at}: distributed${what}`);
  };
  if (typeof d !== 'object' || d === null) bad(' must be { nodes, failoverTimeoutMs? }');
  const spec = d as DistributedSpec;
  for (const k of Object.keys(spec)) if (k !== 'nodes' && k !== 'failoverTimeoutMs') bad(` has an unknown field "${k}"`);
  if (!Array.isArray(spec.nodes) || spec.nodes.length === 0) bad('.nodes must be a non-empty array of node names or arrays of node names');
  const seen = new Set<string>();
  const ranks = spec.nodes.map((r) => {
    const rank = typeof r === 'string' ? [r] : r;
    if (!Array.isArray(rank) || rank.length === 0) bad('.nodes must be a non-empty array of node names or arrays of node names');
    for (const n of rank) {
      if (typeof n !== 'string' || !/^[^@\s]+@[^@\s]+$/.test(n)) bad(`.nodes: ${JSON.stringify(n)} is not a node name (name@host)`);
      if (seen.has(n)) bad(`.nodes: "${n}" is listed twice`);
      seen.add(n);
    }
    return typeof r === 'string' ? r : Object.freeze([...rank]);
  });
  const t = spec.failoverTimeoutMs ?? 0;
  if (!Number.isInteger(t) || t < 0) bad('.failoverTimeoutMs must be a non-negative integer');
  return Object.freeze({ nodes: Object.freeze(ranks), failoverTimeoutMs: t });
}

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
  const distributed = def.distributed === undefined ? undefined : checkDistributed(at, def.distributed);
  if (definitions.has(def.name)) throw new InvalidApplicationError(`${at} is already defined`);
  const full: ApplicationDef = Object.freeze({ ...def, ...(distributed === undefined ? {} : { distributed }), dependencies: Object.freeze([...deps]), env: Object.freeze({ ...def.env }), startPhases: Object.freeze([...phases]) });
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
  /** Running applications in start order (distributed ones only while they run here). */
  readonly running: { def: ApplicationDef; top: Pid | null }[] = [];
  /** Distributed applications started here (handed to the host), in start order. */
  readonly distributed: string[] = [];
  /** Every application started here, local or distributed, in start order (for stopAll). */
  readonly order: string[] = [];
  host: DistributedApplicationsHost | null = null;
  constructor(node: Node) {
    this.node = node;
    node.onStop(() => this.stopAll());
  }

  find(name: string): number {
    return this.running.findIndex((r) => r.def.name === name);
  }

  started(name: string): boolean {
    return this.find(name) >= 0 || this.distributed.includes(name);
  }

  /**
   * Is `name` (started, not distributed) still running? Its top process may have ended on
   * its own (crashed past its intensity, or stopped from elsewhere): then the application
   * has stopped, as a temporary application does in OTP — it is forgotten and its stop()
   * runs — and false is returned.
   */
  async stillRunning(name: string): Promise<boolean> {
    const i = this.find(name);
    if (i < 0) return this.distributed.includes(name);
    const { def, top } = this.running[i]!;
    if (top === null || (await this.node.processInfo(top)) !== undefined) return true;
    if (this.running[i]?.top !== top) return this.started(name);
    this.running.splice(i, 1);
    const o = this.order.indexOf(name);
    if (o >= 0) this.order.splice(o, 1);
    if (def.stop !== undefined) await def.stop();
    return false;
  }

  /** Start `def` (dependencies first); `startedNow` collects what this call started, in order. */
  async start(def: ApplicationDef, path: string[], sync: DistributedStartOptions | null, startedNow: string[]): Promise<void> {
    for (const dep of def.dependencies) {
      if (path.includes(dep)) throw new InvalidApplicationError(`application "${def.name}": dependency cycle ${[...path, dep].join(' -> ')}`);
      const d = definitions.get(dep);
      if (d === undefined) throw new UndefinedApplicationError(dep, `application "${def.name}": dependency "${dep}" is not defined`);
      if (!(await this.stillRunning(dep))) await this.start(d, [...path, dep], null, startedNow);
    }
    if (def.distributed !== undefined) {
      const host = this.host;
      if (host === null) throw new InvalidApplicationError(`application "${def.name}" is distributed: start the node's distributed-application controller first (DistApp.start(node))`);
      this.distributed.push(def.name);
      this.order.push(def.name);
      try {
        await host.start(def, sync ?? { syncNodesMandatory: [], syncNodesOptional: [], syncNodesTimeoutMs: 0 });
      } catch (e) {
        this.forget(def.name);
        throw e;
      }
      startedNow.push(def.name);
      return;
    }
    await this.runHere(def, 'normal');
    this.order.push(def.name);
    startedNow.push(def.name);
  }

  /** Start the top process, then the start phases, with `startType`. */
  async runHere(def: ApplicationDef, startType: StartType): Promise<void> {
    if (this.find(def.name) >= 0) throw new AlreadyStartedError(def.name);
    const spec = def.start === undefined ? null : def.start(startType);
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
    try {
      for (const phase of def.startPhases) await phase.run({ node: this.node, top, env, startType });
    } catch (e) {
      // A failed start phase fails the start: the instance is stopped again, as OTP's
      // application master ends when start_phase returns an error (a distributed one: the
      // cluster will run it elsewhere).
      await this.stopHere(def.name);
      throw e;
    }
  }

  /** Step 2 for one instance: its top process, then its stop(); nothing if it does not run here. */
  async stopHere(name: string): Promise<void> {
    const i = this.find(name);
    if (i < 0) return;
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

  async stop(name: string): Promise<void> {
    if (this.distributed.includes(name)) {
      await this.host!.stop(name);
      this.forget(name);
      return;
    }
    if (this.find(name) < 0) throw new NotStartedError(name);
    const o = this.order.indexOf(name);
    if (o >= 0) this.order.splice(o, 1);
    await this.stopHere(name);
  }

  private forget(name: string): void {
    const d = this.distributed.indexOf(name);
    if (d >= 0) this.distributed.splice(d, 1);
    const o = this.order.indexOf(name);
    if (o >= 0) this.order.splice(o, 1);
  }

  async stopAll(): Promise<void> {
    while (this.order.length > 0) {
      const name = this.order[this.order.length - 1]!;
      try {
        await this.stop(name);
      } catch {
        this.forget(name); // e.g. the distributed-application controller is gone: stop what runs here below
      }
    }
    while (this.running.length > 0) await this.stopHere(this.running[this.running.length - 1]!.def.name);
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

const kSyncChecks: Readonly<Record<string, OptionCheck>> = {
  env: (v) => (typeof v === 'object' && v !== null && !Array.isArray(v) ? null : 'must be an object'),
  syncNodesMandatory: mustBeNodeList,
  syncNodesOptional: mustBeNodeList,
  syncNodesTimeoutMs: (v) => (v === Infinity ? null : mustBeNonNegativeInteger(v)),
};

function mustBeNodeList(v: unknown): string | null {
  return Array.isArray(v) && v.every((n) => typeof n === 'string' && n.includes('@')) ? null : 'must be an array of node names';
}

function syncOptions(def: ApplicationDef, opts: StartAppOptions): DistributedStartOptions | null {
  const { syncNodesMandatory, syncNodesOptional, syncNodesTimeoutMs } = opts;
  if (def.distributed === undefined) {
    for (const k of ['syncNodesMandatory', 'syncNodesOptional', 'syncNodesTimeoutMs'] as const) {
      if (opts[k] !== undefined) throw new InvalidApplicationError(`Application.start: option "${k}" applies to distributed applications only ("${def.name}" is not)`);
    }
    return null;
  }
  return { syncNodesMandatory: syncNodesMandatory ?? [], syncNodesOptional: syncNodesOptional ?? [], syncNodesTimeoutMs: syncNodesTimeoutMs ?? 0 };
}

/**
 * Install (or, with null, remove) the distributed-application controller of `node`: what
 * `Application.start` of a distributed application hands it to (src/cluster/dist-app).
 */
export function setDistributedApplicationsHost(node: Node, host: DistributedApplicationsHost | null): void {
  controllerOf(node).host = host;
}

/** For the host: run a distributed application's instance on this node with `startType`. */
export async function runHere(node: Node, name: string, startType: StartType): Promise<Pid | null> {
  const c = controllerOf(node);
  const def = resolve(name);
  await c.runHere(def, startType);
  return c.running[c.find(name)]?.top ?? null;
}

/** For the host: stop this node's instance of a distributed application (nothing if none runs here). */
export async function stopHere(node: Node, name: string): Promise<void> {
  await controllerOf(node).stopHere(name);
}

export const Application = {
  /** Start `app` and, first, every dependency not running yet. */
  async start(node: Node, app: ApplicationDef | string, opts: StartAppOptions = {}): Promise<void> {
    const def = resolve(app);
    checkOptions('Application.start', kSyncChecks, opts);
    const sync = syncOptions(def, opts ?? {});
    const c = controllerOf(node);
    if (await c.stillRunning(def.name)) throw new AlreadyStartedError(def.name);
    if (opts?.env !== undefined) for (const [k, v] of Object.entries(opts.env)) setEnv(def.name, k, v);
    // As application:ensure_all_started: a failure stops what this call started (newest
    // first); applications that ran before keep running.
    const startedNow: string[] = [];
    try {
      await c.start(def, [def.name], sync, startedNow);
    } catch (e) {
      for (const name of startedNow.reverse()) {
        try {
          await c.stop(name);
        } catch {
          // Already stopped (its top ended meanwhile): nothing left to undo.
        }
      }
      throw e;
    }
  },
  /**
   * Move a distributed application that runs on another node to `node` (Erlang's
   * application:takeover/2): it starts here with { takeover: thatNode } while the old
   * instance still runs, runs its start phases, then the old instance is stopped.
   */
  async takeover(node: Node, app: ApplicationDef | string): Promise<void> {
    const def = resolve(app);
    const c = controllerOf(node);
    if (def.distributed === undefined) throw new InvalidApplicationError(`Application.takeover: application "${def.name}" is not distributed`);
    if (!c.distributed.includes(def.name)) throw new NotStartedError(def.name);
    await c.host!.takeover(def.name);
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
