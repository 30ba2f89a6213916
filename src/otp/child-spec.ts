/**
 * Child specs and supervisor flags: their shapes, defaults and validation.
 *
 *   { id, start: { behaviour, args?, options? }, restart?, shutdown?, type? }
 *     id        non-empty string, unique among a supervisor's children
 *     start     behaviour: a Behaviour (defineGenServer / defineSupervisor / defineActor)
 *               or `{ module, export }`; args: the start args (default []); options:
 *               spawn options (priority, maxHeapSize, scheduler, ... — not `link`/`name`,
 *               which the supervisor sets: register names with `name` below)
 *     name      optional registered name of the child: a local name, or { global: name }
 *               (registered cluster-wide once it started; see child-lifecycle.ts)
 *     restart   'permanent' (default: always restarted) | 'transient' (restarted only after
 *               an abnormal exit: not 'normal', 'shutdown' or { kind: 'shutdown' }) |
 *               'temporary' (never restarted; removed from the supervisor when it ends)
 *     shutdown  'brutal_kill' | ms (exit 'shutdown', then 'kill' after ms) | 'infinity'
 *               (default 5000 for a worker, 'infinity' for a supervisor)
 *     type      'worker' (default) | 'supervisor'
 *
 *   Supervisor flags: { strategy, intensity, period }
 *     strategy  'one_for_one' (default) | 'one_for_all' | 'rest_for_one'
 *     intensity max restarts (default 1, an integer >= 0) within `period` seconds (default
 *               5, finite and > 0; fractions allowed), as in OTP
 *
 * Every invalid child spec field raises InvalidChildSpecError with an exact message naming
 * the child and the field, e.g. `child spec "db": restart must be 'permanent', 'transient'
 * or 'temporary'`. Flags are options (core/options.ts): InvalidOptionError, e.g.
 * `supervisor flags: option "period" must be a positive finite number of seconds` (OTP's
 * {invalid_period, infinity}); an unknown flag is refused (`unknown option "x"`).
 */
import { isGlobalName, type GlobalName } from '../core/global-name.ts';
import { Behaviour, type BehaviourRef } from '../core/behaviour.ts';
import type { SpawnOptions } from '../core/scheduler.ts';
import { checkOptions, mustBeNonNegativeInteger, type OptionCheck } from '../core/options.ts';
import { InvalidChildSpecError } from './errors.ts';

export type RestartType = 'permanent' | 'transient' | 'temporary';
export type Shutdown = 'brutal_kill' | 'infinity' | number;
export type ChildType = 'worker' | 'supervisor';
export type Strategy = 'one_for_one' | 'one_for_all' | 'rest_for_one';

export interface ChildStart {
  readonly behaviour: Behaviour | BehaviourRef;
  readonly args?: readonly unknown[];
  readonly options?: SpawnOptions & { scheduler?: number };
}

export interface ChildSpec {
  readonly id: string;
  readonly start: ChildStart;
  /** A name registered on this node, or `{ global: name }` (cluster-wide; needs Global.start). */
  readonly name?: string | GlobalName;
  readonly restart?: RestartType;
  readonly shutdown?: Shutdown;
  readonly type?: ChildType;
}

/** A validated child spec with every default filled in. */
export interface FullChildSpec {
  readonly id: string;
  readonly start: { readonly behaviour: Behaviour | BehaviourRef; readonly args: readonly unknown[]; readonly options: (SpawnOptions & { scheduler?: number }) | undefined };
  readonly name: string | GlobalName | undefined;
  readonly restart: RestartType;
  readonly shutdown: Shutdown;
  readonly type: ChildType;
}

export interface SupervisorFlags {
  readonly strategy?: Strategy;
  readonly intensity?: number;
  readonly period?: number;
}

export const defaultSupervisorFlags: Required<SupervisorFlags> = Object.freeze({
  strategy: 'one_for_one',
  intensity: 1,
  period: 5,
});

export const defaultWorkerShutdownMs = 5000;

const kSpecKeys = new Set(['id', 'start', 'name', 'restart', 'shutdown', 'type']);
const kStartKeys = new Set(['behaviour', 'args', 'options']);

export function validateChildSpec(spec: unknown): FullChildSpec {
  if (typeof spec !== 'object' || spec === null) throw new InvalidChildSpecError('child spec must be an object');
  const s = spec as Record<string, unknown>;
  if (typeof s.id !== 'string' || s.id.length === 0) throw new InvalidChildSpecError('child spec: id must be a non-empty string');
  const id = s.id;
  const at = `child spec "${id}"`;
  for (const k of Object.keys(s)) if (!kSpecKeys.has(k)) throw new InvalidChildSpecError(`${at}: unknown field "${k}"`);
  const st = s.start as Record<string, unknown> | undefined;
  if (typeof st !== 'object' || st === null) throw new InvalidChildSpecError(`${at}: start must be an object { behaviour, args?, options? }`);
  for (const k of Object.keys(st)) if (!kStartKeys.has(k)) throw new InvalidChildSpecError(`${at}: unknown field "start.${k}"`);
  const b = st.behaviour;
  const isRef = typeof b === 'object' && b !== null && typeof (b as BehaviourRef).module === 'string' && typeof (b as BehaviourRef).export === 'string';
  if (!(b instanceof Behaviour) && !isRef) throw new InvalidChildSpecError(`${at}: start.behaviour must be a Behaviour or { module, export }`);
  if (st.args !== undefined && !Array.isArray(st.args)) throw new InvalidChildSpecError(`${at}: start.args must be an array`);
  if (st.options !== undefined) {
    if (typeof st.options !== 'object' || st.options === null) throw new InvalidChildSpecError(`${at}: start.options must be an object`);
    const o = st.options as Record<string, unknown>;
    if ('link' in o) throw new InvalidChildSpecError(`${at}: start.options.link is set by the supervisor`);
    if ('name' in o) throw new InvalidChildSpecError(`${at}: start.options.name is not allowed; use the child spec's name`);
  }
  if (s.name !== undefined && !(typeof s.name === 'string' && s.name.length > 0) && !(isGlobalName(s.name) && s.name.global.length > 0 && Object.keys(s.name).length === 1)) {
    throw new InvalidChildSpecError(`${at}: name must be a non-empty string or { global: name }`);
  }
  const restart = s.restart ?? 'permanent';
  if (restart !== 'permanent' && restart !== 'transient' && restart !== 'temporary') {
    throw new InvalidChildSpecError(`${at}: restart must be 'permanent', 'transient' or 'temporary'`);
  }
  const type = s.type ?? 'worker';
  if (type !== 'worker' && type !== 'supervisor') throw new InvalidChildSpecError(`${at}: type must be 'worker' or 'supervisor'`);
  const shutdown = s.shutdown ?? (type === 'supervisor' ? 'infinity' : defaultWorkerShutdownMs);
  if (!(shutdown === 'brutal_kill' || shutdown === 'infinity' || (Number.isInteger(shutdown) && (shutdown as number) >= 0))) {
    throw new InvalidChildSpecError(`${at}: shutdown must be 'brutal_kill', 'infinity' or a non-negative integer of milliseconds`);
  }
  return Object.freeze({
    id,
    start: Object.freeze({ behaviour: b as Behaviour | BehaviourRef, args: Object.freeze([...((st.args as unknown[] | undefined) ?? [])]), options: st.options as FullChildSpec['start']['options'] }),
    name: isGlobalName(s.name) ? Object.freeze({ global: s.name.global }) : (s.name as string | undefined),
    restart,
    shutdown: shutdown as Shutdown,
    type,
  });
}

/** Validate a list of child specs: each one, then that ids are unique. */
export function validateChildSpecs(specs: unknown): FullChildSpec[] {
  if (!Array.isArray(specs)) throw new InvalidChildSpecError('supervisor spec: children must be an array of child specs');
  const out: FullChildSpec[] = [];
  const seen = new Set<string>();
  for (const c of specs) {
    const v = validateChildSpec(c);
    if (seen.has(v.id)) throw new InvalidChildSpecError(`supervisor spec: duplicate child id "${v.id}"`);
    seen.add(v.id);
    out.push(v);
  }
  return out;
}

/** Each supervisor flag's requirement (core/options.ts checks: InvalidOptionError). */
export const kSupervisorFlagChecks: Readonly<Record<string, OptionCheck>> = Object.freeze({
  strategy: (v: unknown) => (v === 'one_for_one' || v === 'one_for_all' || v === 'rest_for_one' ? null : "must be 'one_for_one', 'one_for_all' or 'rest_for_one'"),
  intensity: mustBeNonNegativeInteger,
  period: (v: unknown) => (typeof v === 'number' && Number.isFinite(v) && v > 0 ? null : 'must be a positive finite number of seconds'),
});

/**
 * Validate supervisor flags (InvalidOptionError, `<api>: option "period" must be ...`) and
 * fill in the defaults. `period: Infinity` and `intensity: Infinity` are refused, as OTP
 * refuses `{invalid_period, infinity}` and `{invalid_intensity, infinity}`.
 */
export function validateSupervisorFlags(flags: unknown, api = 'supervisor flags'): Required<SupervisorFlags> {
  if (flags === undefined) return defaultSupervisorFlags;
  checkOptions(api, kSupervisorFlagChecks, flags);
  const f = flags as SupervisorFlags;
  return Object.freeze({
    strategy: f.strategy ?? defaultSupervisorFlags.strategy,
    intensity: f.intensity ?? defaultSupervisorFlags.intensity,
    period: f.period ?? defaultSupervisorFlags.period,
  });
}
