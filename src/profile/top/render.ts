/**
 * `switchboard top`'s screen as plain text lines (no escape codes): the TTY mode draws
 * them in place (terminal-screen.ts), the non-TTY mode prints them as one block per
 * interval. Nothing here reads the node: it formats an ActorViewSnapshot.
 *
 * Layout, in order:
 *   1. A title line: `switchboard top  <node>  <P> processes (<S> sampled)  every <ms> ms  sort <key>`.
 *   2. The scheduler table: one line per scheduler with a utilisation bar (busy share of
 *      the interval), busy / spin / parked percentages, its run queue, actors, reductions/s;
 *      2b. under it, from the second sample on, its microstates over the interval (the
 *      sampled shares of profile/msacc, and GC ms), when the node samples them.
 *      2c. then one line per dirty pool thread slot (from its first task on): `dirty <slot>`,
 *      its thread (or '-' when piscina ended it) and its microstates over the interval.
 *   3. `run queues: <total> (<per scheduler>)`.
 *   4. The key help line.
 *   5. A blank line, the actor table's header, and its rows (the first `limit` by the sort).
 * Every line is cut to `width` characters. Erlang mapping: etop's header and table.
 */
import type { ActorRow, ActorSort, ActorViewSnapshot, SchedulerView } from '../actor-view.ts';
import { topActors } from '../actor-view.ts';
import type { Microstate } from '../../core/microstate.ts';
import type { MicrostateShares } from '../msacc/shares.ts';
import type { DirtyThreadView } from '../msacc/dirty-shares.ts';

export interface TopFrameInput {
  readonly nodeName: string;
  readonly snapshot: ActorViewSnapshot;
  readonly sort: ActorSort;
  readonly limit: number;
  readonly intervalMs: number;
  /** Characters per line (lines are cut to it). */
  readonly width: number;
  /** Lines at most (rows of the actor table are dropped to fit); Infinity for no bound. */
  readonly height: number;
}

export interface TopFrame {
  readonly lines: string[];
  /** Index in `lines` of the actor table's header (the TTY mode shows it in reverse video). */
  readonly tableHeader: number;
}

export const kSortLabels: Readonly<Record<ActorSort, string>> = { reductions: 'reductions/s', mailbox: 'mailbox', memory: 'memory' };
const kBarWidth = 30;

/** 1234 -> '1234', 12345 -> '12.3K', 1.2e6 -> '1.2M'. */
export function compact(n: number): string {
  if (!Number.isFinite(n)) return '-';
  const a = Math.abs(n);
  if (a < 10_000) return String(Math.round(n));
  if (a < 1e6) return `${(n / 1e3).toFixed(1)}K`;
  if (a < 1e9) return `${(n / 1e6).toFixed(1)}M`;
  return `${(n / 1e9).toFixed(1)}G`;
}

/** Bytes: '512B', '12.3KiB', '4.0MiB'. */
export function bytes(n: number): string {
  if (n < 1024) return `${n}B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)}KiB`;
  if (n < 1024 ** 3) return `${(n / 1024 / 1024).toFixed(1)}MiB`;
  return `${(n / 1024 ** 3).toFixed(1)}GiB`;
}

const pct = (v: number | null): string => (v === null ? '-' : `${(v * 100).toFixed(0)}%`);
const cell = (s: string, w: number): string => (s.length > w ? s.slice(0, w - 1) + '~' : s.padEnd(w));
const rcell = (s: string, w: number): string => (s.length > w ? s.slice(0, w) : s.padStart(w));

/** `[|||||       ]  42.0%` (the busy share), or a blank bar before the second sample. */
export function utilisationBar(busy: number | null): string {
  if (busy === null) return `[${' '.repeat(kBarWidth)}]     -`;
  const n = Math.max(0, Math.min(kBarWidth, Math.round(busy * kBarWidth)));
  return `[${'|'.repeat(n)}${' '.repeat(kBarWidth - n)}] ${rcell((busy * 100).toFixed(1) + '%', 6)}`;
}

const kMsaccLabels: readonly [Microstate, string][] = [['actor', 'actor'], ['codec', 'codec'], ['ring', 'ring'], ['timers', 'timers'], ['housekeeping', 'house'], ['spin', 'spin'], ['parked', 'park'], ['idle', 'idle']];

/** `      msacc actor 62% codec 5% ... idle 0%  gc 3ms` (2b): the scheduler's microstates over the interval. */
export function msaccLine(m: MicrostateShares): string {
  const parts = kMsaccLabels.map(([k, label]) => `${label} ${(m.shares[k] * 100).toFixed(0)}%`);
  return `      msacc ${parts.join(' ')}  gc ${m.gcMs.toFixed(0)}ms`;
}

/** `dirty 0  thread 7   msacc actor 97% ... gc 0ms` (2c). */
export function dirtyLine(d: DirtyThreadView): string {
  const head = `${rcell(String(d.slot), 5)} ${cell('dirty', 9)} ${cell(d.threadId === null ? 'no thread' : `thread ${d.threadId}`, 12)}`;
  return d.msacc === null ? head : `${head} ${msaccLine(d.msacc).trimStart()}`;
}

function schedulerLine(s: SchedulerView): string {
  return [
    rcell(String(s.scheduler), 5),
    cell(s.state, 9),
    utilisationBar(s.busy),
    rcell(pct(s.busy), 5),
    rcell(pct(s.spin), 5),
    rcell(pct(s.parked), 5),
    rcell(String(s.runQueue), 6),
    rcell(String(s.actors), 7),
    rcell(s.reductionsPerSec === null ? '-' : compact(s.reductionsPerSec), 9),
  ].join(' ');
}

/** The behaviour's short name: the export after `#` or the last path segment. */
export function shortBehaviour(b: string): string {
  const hash = b.lastIndexOf('#');
  if (hash >= 0) return b.slice(hash + 1);
  const slash = b.lastIndexOf('/');
  return slash >= 0 ? b.slice(slash + 1) : b;
}

function actorLine(r: ActorRow): string {
  return [
    cell(r.pid.toString(), 14),
    cell(r.registeredName ?? '', 16),
    cell(shortBehaviour(r.behaviour), 22),
    cell(r.status, 9),
    rcell(r.reductionsPerSec === null ? '-' : compact(r.reductionsPerSec), 9),
    rcell(compact(r.mailbox), 8),
    rcell(bytes(r.memory), 10),
  ].join(' ');
}

export const kActorHeader = [cell('PID', 14), cell('NAME', 16), cell('BEHAVIOUR', 22), cell('STATUS', 9), rcell('RED/S', 9), rcell('MAILBOX', 8), rcell('MEMORY', 10)].join(' ');
export const kSchedulerHeader = [rcell('SCHED', 5), cell('STATE', 9), cell('UTILISATION', kBarWidth + 9), rcell('BUSY', 5), rcell('SPIN', 5), rcell('PARK', 5), rcell('RUNQ', 6), rcell('ACTORS', 7), rcell('RED/S', 9)].join(' ');
export const kKeyHelp = 'keys: r sort by reductions/s   m by mailbox   y by memory   q quit';

/** The frame (see the header). */
export function renderTopFrame(f: TopFrameInput): TopFrame {
  const s = f.snapshot;
  const lines: string[] = [];
  lines.push(`switchboard top  ${f.nodeName}  ${s.processCount} processes (${s.sampled} sampled)  every ${f.intervalMs} ms  sort ${kSortLabels[f.sort]}`);
  lines.push(kSchedulerHeader);
  for (const sv of s.schedulers) {
    lines.push(schedulerLine(sv));
    if (sv.msacc !== null) lines.push(msaccLine(sv.msacc));
  }
  for (const d of s.dirty ?? []) lines.push(dirtyLine(d));
  const util = s.schedulers.some((x) => x.source === 'event-loop') ? '  (utilisation: event loop of the scheduler thread)' : '';
  lines.push(`run queues: ${s.runQueueTotal} (${s.schedulers.map((x) => x.runQueue).join(' ')})${util}`);
  lines.push(kKeyHelp);
  lines.push('');
  const tableHeader = lines.length;
  lines.push(kActorHeader);
  const room = Number.isFinite(f.height) ? Math.max(0, f.height - lines.length) : f.limit;
  for (const r of topActors(s, f.sort, Math.min(f.limit, room))) lines.push(actorLine(r));
  return { lines: lines.map((l) => (l.length > f.width ? l.slice(0, f.width) : l)), tableHeader };
}
