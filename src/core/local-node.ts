/**
 * LocalNode: the embedding API over one scheduler that runs in the calling thread
 * (`schedulers: 0`). The calling thread is not an actor; it talks to actors through a
 * gateway actor that receives call replies and the DOWN of called processes.
 *
 * What happens to messages when things fail:
 *   - `send` to a dead pid drops the message (as in Erlang); to an unknown name it throws
 *     NotRegisteredError; an unsendable value throws UnsendableError and nothing is sent.
 *   - `call` rejects with CallTimeoutError after `timeoutMs` (a reply arriving later is
 *     dropped, never delivered anywhere), with NoProcError when the callee is dead or dies
 *     with 'noproc', with CallExitError (carrying the reason) when it exits before replying.
 *   - `stop()` ends every actor with reason 'shutdown' (terminate callbacks run), rejects
 *     pending calls with NotRunningError, and releases every timer and handle.
 */
import type { Behaviour } from './behaviour.ts';
import { isReply, type CallRequest } from './context.ts';
import {
  CallExitError, CallTimeoutError, InvalidOptionError, NoProcError, NotRunningError,
} from './errors.ts';
import { Pid, Ref } from './pid.ts';
import { isDownMessage } from './reason.ts';
import { Scheduler, type ProcessInfo, type SchedulerOptions, type SpawnOptions } from './scheduler.ts';

export interface LocalNodeOptions extends Partial<Omit<SchedulerOptions, 'index' | 'stride'>> {
  /** Default timeout of `call`, ms. */
  callTimeoutMs?: number;
}

interface PendingCall {
  resolve: (v: unknown) => void;
  reject: (e: unknown) => void;
  timer: ReturnType<typeof setTimeout>;
  monitor: Ref;
}

export class LocalNode {
  readonly scheduler: Scheduler;
  private readonly pending = new Map<Ref, PendingCall>();
  private readonly byMonitor = new Map<Ref, Ref>();
  private readonly gateway: Pid;
  private readonly callTimeoutMs: number;
  private running = true;
  private readonly stopHooks: (() => Promise<void> | void)[] = [];
  private stopRequest: Promise<void> | null = null;

  constructor(options: LocalNodeOptions = {}) {
    if (typeof options !== 'object' || options === null) throw new InvalidOptionError('options', 'options must be an object');
    const { callTimeoutMs = 5000, ...schedOpts } = options;
    if (typeof callTimeoutMs !== 'number' || !(callTimeoutMs > 0)) {
      throw new InvalidOptionError('callTimeoutMs', 'option "callTimeoutMs" must be a positive number of milliseconds');
    }
    this.callTimeoutMs = callTimeoutMs;
    this.scheduler = new Scheduler(schedOpts);
    const node = this;
    this.gateway = this.scheduler.spawn({
      handle(msg: unknown, state: unknown) {
        node.onGatewayMessage(msg);
        return state;
      },
    }, [], { priority: 'high' });
    this.scheduler.start();
  }

  spawn(target: Behaviour | { module: string; export: string } | object, args: readonly unknown[] = [], opts?: SpawnOptions): Pid {
    this.check();
    return this.scheduler.spawn(target, args, opts);
  }

  send(to: Pid | string, msg: unknown): void {
    this.check();
    this.scheduler.send(to, msg);
  }

  /** Send `{type:'$call', from, msg}` and wait for `ctx.reply(from, value)`. */
  call<R = unknown>(to: Pid | string, msg: unknown, timeoutMs = this.callTimeoutMs): Promise<R> {
    this.check();
    const s = this.scheduler;
    const pid = typeof to === 'string' ? s.whereis(to) : to;
    if (pid === undefined) return Promise.reject(new NoProcError(to));
    if (!(pid instanceof Pid)) return Promise.reject(new NoProcError(to, `call: expected a pid or a registered name`));
    if (!(typeof timeoutMs === 'number' && timeoutMs > 0)) {
      return Promise.reject(new InvalidOptionError('timeoutMs', 'call: timeoutMs must be a positive number'));
    }
    return new Promise<R>((resolve, reject) => {
      const ref = s.makeRef();
      const monitor = s.monitorAs(this.gateway, pid);
      const timer = setTimeout(() => {
        if (this.forget(ref)) reject(new CallTimeoutError(timeoutMs));
      }, timeoutMs);
      this.pending.set(ref, { resolve: resolve as (v: unknown) => void, reject, timer, monitor });
      this.byMonitor.set(monitor, ref);
      const req: CallRequest = { type: '$call', from: { pid: this.gateway, ref }, msg };
      try {
        s.send(pid, req);
      } catch (e) {
        this.forget(ref);
        reject(e);
      }
    });
  }

  exit(pid: Pid, reason: unknown): void {
    this.check();
    this.scheduler.exit(pid, reason, this.gateway);
  }

  register(name: string, pid: Pid): void {
    this.check();
    this.scheduler.register(name, pid);
  }

  unregister(name: string): void {
    this.check();
    this.scheduler.unregister(name);
  }

  whereis(name: string): Pid | undefined {
    return this.scheduler.whereis(name);
  }

  processInfo(pid: Pid): ProcessInfo | undefined {
    return this.scheduler.processInfo(pid);
  }

  processes(): Pid[] {
    return this.scheduler.processes().filter((p) => p !== this.gateway);
  }

  /** Resolves when nothing is runnable (timers may still be pending). */
  async idle(): Promise<void> {
    while (this.running && this.scheduler.hasWork()) await new Promise((r) => setImmediate(r));
  }

  /**
   * Run `hook` when `stop()` begins, while the node still runs (calls work), before any
   * actor is stopped; hooks run last added first. The application controller stops the
   * applications this way (src/otp/application.ts).
   */
  onStop(hook: () => Promise<void> | void): void {
    this.stopHooks.push(hook);
  }

  /** Run the stop hooks, then stop every actor ('shutdown'), reject pending calls, release every handle. */
  stop(): Promise<void> {
    return (this.stopRequest ??= runStopHooks(this.stopHooks).then(() => this.stopNow()));
  }

  private async stopNow(): Promise<void> {
    if (!this.running) return;
    this.running = false;
    for (const [ref, p] of this.pending) {
      clearTimeout(p.timer);
      p.reject(new NotRunningError('the node stopped before the call was answered'));
      this.pending.delete(ref);
    }
    this.byMonitor.clear();
    this.scheduler.stop();
    this.scheduler.shutdown('shutdown');
  }

  get isRunning(): boolean {
    return this.running;
  }

  private onGatewayMessage(msg: unknown): void {
    if (isReply(msg)) {
      const p = this.pending.get(msg.ref);
      if (p === undefined) return; // late reply after a timeout: dropped
      this.forget(msg.ref);
      p.resolve(msg.value);
    } else if (isDownMessage(msg)) {
      const ref = this.byMonitor.get(msg.ref);
      if (ref === undefined) return;
      const p = this.pending.get(ref)!;
      this.forget(ref);
      p.reject(msg.reason === 'noproc' ? new NoProcError(msg.pid) : new CallExitError(msg.reason));
    }
  }

  private forget(ref: Ref): boolean {
    const p = this.pending.get(ref);
    if (p === undefined) return false;
    this.pending.delete(ref);
    this.byMonitor.delete(p.monitor);
    clearTimeout(p.timer);
    this.scheduler.demonitorAs(this.gateway, p.monitor);
    return true;
  }

  private check(): void {
    if (!this.running) throw new NotRunningError();
  }
}

/** Run stop hooks, last added first; a failing hook does not keep the node from stopping. */
export async function runStopHooks(hooks: (() => Promise<void> | void)[]): Promise<void> {
  const list = hooks.splice(0);
  for (let i = list.length - 1; i >= 0; i--) {
    try {
      await list[i]!();
    } catch {
      // The node stops anyway.
    }
  }
}
