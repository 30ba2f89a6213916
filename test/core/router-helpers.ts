/**
 * A test transport for "another node": records every outbound operation the scheduler
 * hands it, in order, so router tests can assert exactly what left.
 */
import type { Context } from '../../src/core/context.ts';
import type { Pid, Ref } from '../../src/core/pid.ts';
import type { Transport } from '../../src/core/router.ts';
import { Scheduler } from '../../src/core/scheduler.ts';
import { manualClock, type ManualClock } from './helpers.ts';

export type Sent =
  | { op: 'send'; to: Pid; msg: unknown }
  | { op: 'exit'; to: Pid; from: Pid; reason: unknown; viaLink: boolean }
  | { op: 'link'; to: Pid; from: Pid }
  | { op: 'unlink'; to: Pid; from: Pid }
  | { op: 'monitor'; to: Pid; watcher: Pid; ref: Ref }
  | { op: 'demonitor'; to: Pid; ref: Ref }
  | { op: 'down'; to: Pid; ref: Ref; pid: Pid; reason: unknown };

export class RecordingTransport implements Transport {
  readonly sent: Sent[] = [];
  send(to: Pid, msg: unknown): void {
    this.sent.push({ op: 'send', to, msg });
  }
  exit(to: Pid, from: Pid, reason: unknown, viaLink: boolean): void {
    this.sent.push({ op: 'exit', to, from, reason, viaLink });
  }
  link(to: Pid, from: Pid): void {
    this.sent.push({ op: 'link', to, from });
  }
  unlink(to: Pid, from: Pid): void {
    this.sent.push({ op: 'unlink', to, from });
  }
  monitor(to: Pid, watcher: Pid, ref: Ref): void {
    this.sent.push({ op: 'monitor', to, watcher, ref });
  }
  demonitor(to: Pid, ref: Ref): void {
    this.sent.push({ op: 'demonitor', to, ref });
  }
  down(to: Pid, ref: Ref, pid: Pid, reason: unknown): void {
    this.sent.push({ op: 'down', to, ref, pid, reason });
  }
}

/** A plain scheduler on a manual clock with `node` installed as its transport to other nodes. */
export function schedulerWithNode(): { s: Scheduler; node: RecordingTransport; time: ManualClock } {
  const time = manualClock();
  const node = new RecordingTransport();
  const s = new Scheduler({ clock: time.clock }, { host: { node } });
  return { s, node, time };
}

/**
 * Spawn a trapping actor that, on 'go', links to and monitors `target`; it records every
 * other message in `got`. `ref()` is the monitor's ref once made.
 */
export function spawnWatcher(s: Scheduler, target: Pid): { me: Pid; got: unknown[]; ref: () => Ref | undefined } {
  const got: unknown[] = [];
  let ref: Ref | undefined;
  const me = s.spawn({
    handle(m: unknown, st: unknown, ctx: Context) {
      if (m === 'go') {
        ctx.trapExit(true);
        ctx.link(target);
        ref = ctx.monitor(target);
      } else got.push(m);
      return st;
    },
  });
  s.send(me, 'go');
  s.runUntilIdle();
  return { me, got, ref: () => ref };
}
