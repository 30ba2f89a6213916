/**
 * Hot code reload on a Scheduler (used by src/otp/code-server.ts). Functions taking the
 * scheduler.
 *
 * A handler-style actor whose Behaviour was superseded (`upgrade` set by the code server,
 * see behaviour.ts) moves to the new version at the start of its next slice — one pointer
 * compare per slice; loads complete only between slices, so that is every message
 * boundary where the version can have changed:
 *   1. follow `upgrade` links to the newest version; for each step, a started actor's
 *      state goes through the new version's codeChange(oldVsn, state, extra, ctx)
 *      (`{ ok: state }` to go on, `{ error }` or a throw to fail);
 *   2. a version that does not export the behaviour, is not handler-style, or whose
 *      codeChange failed ends the actor with {kind:'codeChange', module, export, oldVsn, error}.
 * `runSoon` lets a waiting actor take step 1 at once; `kill` ends one whose code is purged.
 */
import { Actor, kExiting, kWaiting, fProcess, fStarted } from './actor.ts';
import { Behaviour, BehaviourKind } from './behaviour.ts';
import { describe } from './describe.ts';
import { BadArgError } from './errors.ts';
import type { Pid } from './pid.ts';
import { ExitException, errorReason } from './reason.ts';
import { reductions, RunawaySignal } from './reductions.ts';
import type { SchedulerState } from './scheduler-state.ts';

/** Steps 1-2. Returns false when the actor exits instead. */
export function switchCode(s: SchedulerState, actor: Actor): boolean {
  let beh = actor.behaviour!;
  while (beh.upgrade !== null) {
    const up = beh.upgrade;
    const to = up.to;
    let failed = false;
    let error: unknown;
    if (to === null || to.kind !== BehaviourKind.Handler) {
      failed = true;
      error = to === null ? 'undef: the new version does not export it' : 'the new version is not handler-style';
    } else if ((actor.flags & fStarted) !== 0 && to.handler!.codeChange !== undefined) {
      let res: unknown;
      reductions.beginMessage();
      try {
        res = to.handler!.codeChange(up.oldVsn, actor.state, up.extra, s.ctx);
      } catch (e) {
        if (e instanceof RunawaySignal || e instanceof ExitException) throw e;
        res = { error: errorReason(e) };
      }
      reductions.left--;
      if (typeof res === 'object' && res !== null && 'ok' in res) {
        actor.state = (res as { ok: unknown }).ok;
      } else {
        failed = true;
        error = typeof res === 'object' && res !== null && 'error' in res ? (res as { error: unknown }).error : `bad return from codeChange: ${describe(res)}`;
      }
    }
    if (failed) {
      s.beginExit(actor, Object.freeze({ kind: 'codeChange', module: up.module, export: beh.exportName, oldVsn: up.oldVsn, error }));
      return false;
    }
    actor.behaviour = to;
    beh = to!;
  }
  return true;
}

/** The live actors whose behaviour is one of `behaviours`. */
export function actorsRunning(s: SchedulerState, behaviours: ReadonlySet<Behaviour>): Pid[] {
  const out: Pid[] = [];
  const runs = (a: Actor | undefined): a is Actor => a !== undefined && a.status < kExiting && a.behaviour !== null && behaviours.has(a.behaviour);
  for (const a of s.table) if (runs(a)) out.push(a.pid);
  if (s.guests !== null) for (const a of s.guests.values()) if (runs(a)) out.push(a.pid);
  return out;
}

/**
 * Let a waiting handler-style actor run a slice now, even with an empty mailbox, so it
 * moves to the new version of its behaviour at once. No effect on other actors.
 */
export function runSoon(s: SchedulerState, pid: Pid): void {
  const a = s.lookup(pid);
  if (a === undefined || a.status !== kWaiting || (a.flags & fProcess) !== 0) return;
  s.makeRunnable(a);
  if (s.current === null) s.wake();
}

/**
 * End `pid` with `reason` whatever its trapExit flag (untrappable, as 'kill', but with a
 * tagged reason); its terminate callback is not called: its code is being purged.
 * Returns false if it was not alive. Not for the running actor (use ctx.exit).
 */
export function kill(s: SchedulerState, pid: Pid, reason: unknown): boolean {
  const a = s.lookup(pid);
  if (a === undefined || a.status >= kExiting) return false;
  if (a === s.current) throw new BadArgError('kill: the running actor cannot be killed this way; use ctx.exit(reason)');
  a.flags &= ~fStarted;
  s.beginExit(a, reason);
  return true;
}
