/**
 * startNodeProcess: a Switchboard node in a REAL child process (fixtures/dist-node.ts,
 * through scripts/run-ts.mjs), driven over the line protocol of node-process-protocol.ts.
 * Distribution tests use it so that every node has its own process: kill -9 is a real
 * crash, a blocked main thread is really blocked, and nothing is shared but sockets.
 *
 *   const a = await startNodeProcess({ name: 'a@127.0.0.1', cookie: 'c' });
 *   const echo = await a.request({ cmd: 'spawn', behaviour: 'Echo', register: 'echo' });
 *   await a.request({ cmd: 'call', to: { name: 'echo', node: 'b@127.0.0.1' }, msg: 'hi' });
 *   await a.events.waitFor((e) => e.event === 'nodeup', 5000, 'nodeup of b');
 *   await a.kill9();   // or a.stop(): the node stops and the process ends by itself
 *
 * Lifecycle, in order:
 *   1. spawn process.execPath scripts/run-ts.mjs dist-node.ts (cwd: the repository root,
 *      stdio piped), wait for its 'ready' line (startDeadlineMs), then send 'start' with the
 *      options; the answer gives node.name. A child that exits or prints junk first rejects.
 *   2. request(cmd): a fresh id; the answer with that id resolves (ok) or rejects with
 *      NodeProcessRequestError (the child's error name/code/message). No answer within the
 *      deadline (default requestDeadlineMs) rejects with NodeProcessTimeoutError; the child
 *      exiting first rejects every pending request with NodeProcessExitedError.
 *   3. events: every event line, in order; waitFor(predicate, deadlineMs) resolves with the
 *      first event (already seen or to come) that matches, or rejects at the deadline.
 *   4. kill9(): SIGKILL, resolves with the exit. stop(): the 'stop' request, then waits for
 *      the process to exit by itself (stopDeadlineMs); one that does not is killed and
 *      reported as { code: 'hung' }.
 *   5. Every child still alive at the end of each test is killed (afterEach registered by
 *      this module), and at process exit.
 */
import { spawn, type ChildProcessByStdio } from 'node:child_process';
import { createInterface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { afterEach } from 'vitest';
import type { Answer, Command, CommandName, DistOptionsJson, NodeProcessEvent, WireError } from './node-process-protocol.ts';

export type { Command, NodeProcessEvent, Target } from './node-process-protocol.ts';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const entry = fileURLToPath(new URL('../fixtures/dist-node.ts', import.meta.url));

export interface NodeProcessOptions {
  readonly name?: string;
  readonly cookie?: string;
  readonly hidden?: boolean;
  readonly shortNames?: boolean;
  /** Default 0. */
  readonly schedulers?: number;
  readonly dist?: DistOptionsJson;
  /** Extra environment of the child (added to process.env). */
  readonly env?: Readonly<Record<string, string>>;
  /** Default 20 s: process start + module loading + startNode. */
  readonly startDeadlineMs?: number;
  /** Default deadline of each request (10 s). */
  readonly requestDeadlineMs?: number;
  /** Default 10 s. */
  readonly stopDeadlineMs?: number;
}

export interface NodeProcessExit {
  readonly code: number | null | 'hung';
  readonly signal: NodeJS.Signals | null;
}

/** The child answered { ok: false }: its error, as it crossed. */
export class NodeProcessRequestError extends Error {
  override readonly name = 'NodeProcessRequestError';
  constructor(
    readonly cmd: CommandName,
    readonly remote: WireError,
  ) {
    super(`${cmd}: ${remote.name}${remote.code === undefined ? '' : ` [${remote.code}]`}: ${remote.message}`);
  }
}

export class NodeProcessTimeoutError extends Error {
  override readonly name = 'NodeProcessTimeoutError';
}

export class NodeProcessExitedError extends Error {
  override readonly name = 'NodeProcessExitedError';
}

type AnyEvent = NodeProcessEvent;

/** Step 3. */
export class EventLog {
  readonly all: AnyEvent[] = [];
  private waiters: { pred: (e: AnyEvent) => boolean; resolve: (e: AnyEvent) => void }[] = [];

  push(e: AnyEvent): void {
    this.all.push(e);
    this.waiters = this.waiters.filter((w) => (w.pred(e) ? (w.resolve(e), false) : true));
  }

  /** The first event matching `pred`, already seen or to come; rejects after deadlineMs. */
  waitFor<E extends AnyEvent = AnyEvent>(pred: (e: AnyEvent) => boolean, deadlineMs: number, what = 'an event'): Promise<E> {
    const seen = this.all.find(pred);
    if (seen !== undefined) return Promise.resolve(seen as E);
    return new Promise<E>((resolve, reject) => {
      const w = {
        pred,
        resolve: (e: AnyEvent) => {
          clearTimeout(timer);
          resolve(e as E);
        },
      };
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((x) => x !== w);
        reject(new NodeProcessTimeoutError(`no ${what} within ${deadlineMs} ms (events so far: ${JSON.stringify(this.all)})`));
      }, deadlineMs);
      this.waiters.push(w);
    });
  }

  /** Events matching `pred` seen so far. */
  filter(pred: (e: AnyEvent) => boolean): AnyEvent[] {
    return this.all.filter(pred);
  }
}

const live = new Set<NodeProcess>();

export class NodeProcess {
  readonly events = new EventLog();
  /** node.name, from the answer to 'start'. */
  name = 'nonode@nohost';
  /** Everything the child wrote on stderr (for failure messages). */
  stderr = '';
  /** Resolves once the child exited. */
  readonly exited: Promise<NodeProcessExit>;
  private exit: NodeProcessExit | null = null;
  private nextId = 1;
  private readonly pending = new Map<number, { cmd: CommandName; resolve: (v: unknown) => void; reject: (e: Error) => void; timer: NodeJS.Timeout }>();
  private readonly child: ChildProcessByStdio<Writable, Readable, Readable>;

  constructor(
    private readonly opts: NodeProcessOptions,
  ) {
    this.child = spawn(process.execPath, ['scripts/run-ts.mjs', entry], {
      cwd: root,
      stdio: ['pipe', 'pipe', 'pipe'],
      env: { ...process.env, ...opts.env },
    });
    live.add(this);
    this.child.stderr.setEncoding('utf8');
    this.child.stderr.on('data', (d: string) => (this.stderr += d));
    this.child.stdin.on('error', () => {}); // EPIPE once the child is gone: reported by 'exit'
    this.exited = new Promise((resolve) => {
      this.child.once('exit', (code, signal) => {
        this.exit = { code, signal };
        live.delete(this);
        this.failPending(new NodeProcessExitedError(`node process ${this.name} exited (code ${code}, signal ${signal}) ${this.stderr.slice(-2000)}`));
        resolve(this.exit);
      });
    });
    const lines = createInterface({ input: this.child.stdout, crlfDelay: Infinity });
    lines.on('line', (line) => this.onLine(line));
  }

  /** The child's OS process id. */
  get pid(): number {
    return this.child.pid!;
  }

  get alive(): boolean {
    return this.exit === null;
  }

  /** Step 2. */
  request<T = unknown>(cmd: Command, deadlineMs = this.opts.requestDeadlineMs ?? 10_000): Promise<T> {
    if (this.exit !== null) return Promise.reject(new NodeProcessExitedError(`node process ${this.name} has exited: cannot ${cmd.cmd}`));
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new NodeProcessTimeoutError(`${cmd.cmd} to ${this.name}: no answer within ${deadlineMs} ms`));
      }, deadlineMs);
      this.pending.set(id, { cmd: cmd.cmd, resolve: resolve as (v: unknown) => void, reject, timer });
      this.child.stdin.write(JSON.stringify({ id, ...cmd }) + '\n');
    });
  }

  /** Step 4: SIGKILL; resolves with the exit. */
  async kill9(): Promise<NodeProcessExit> {
    if (this.exit === null) this.child.kill('SIGKILL');
    return this.exited;
  }

  /** Step 4: stop the node and wait for the process to end by itself. */
  async stop(deadlineMs = this.opts.stopDeadlineMs ?? 10_000): Promise<NodeProcessExit> {
    if (this.exit !== null) return this.exit;
    await this.request({ cmd: 'stop' }, deadlineMs);
    let timer: NodeJS.Timeout | undefined;
    const hung = new Promise<'hung'>((resolve) => (timer = setTimeout(() => resolve('hung'), deadlineMs)));
    const r = await Promise.race([this.exited, hung]);
    clearTimeout(timer);
    if (r !== 'hung') return r;
    await this.kill9();
    return { code: 'hung', signal: null };
  }

  private onLine(line: string): void {
    let msg: Answer | AnyEvent;
    try {
      msg = JSON.parse(line) as Answer | AnyEvent;
    } catch {
      this.stderr += `[stdout, not JSON] ${line}\n`;
      return;
    }
    if ('id' in msg) {
      const p = this.pending.get(msg.id);
      if (p === undefined) return; // timed out already
      this.pending.delete(msg.id);
      clearTimeout(p.timer);
      if (msg.ok) p.resolve(msg.value);
      else p.reject(new NodeProcessRequestError(p.cmd, msg.error));
      return;
    }
    this.events.push(msg);
  }

  private failPending(e: Error): void {
    for (const [id, p] of this.pending) {
      clearTimeout(p.timer);
      this.pending.delete(id);
      p.reject(e);
    }
  }
}

/** Steps 1: a child running a started node. */
export async function startNodeProcess(opts: NodeProcessOptions = {}): Promise<NodeProcess> {
  const p = new NodeProcess(opts);
  const deadline = opts.startDeadlineMs ?? 20_000;
  try {
    await Promise.race([
      p.events.waitFor((e) => e.event === 'ready', deadline, "the child's ready line"),
      p.exited.then((x) => Promise.reject(new NodeProcessExitedError(`node process exited while starting (code ${x.code}, signal ${x.signal}): ${p.stderr.slice(-2000)}`))),
    ]);
    const { name, cookie, hidden, shortNames, schedulers, dist } = opts;
    const started = await p.request<{ name: string }>({ cmd: 'start', name, cookie, hidden, shortNames, schedulers, dist }, deadline);
    p.name = started.name;
  } catch (e) {
    await p.kill9();
    throw e;
  }
  return p;
}

/** Step 5: SIGKILL every child still alive; resolves when they all exited. */
export async function killAllNodeProcesses(): Promise<void> {
  await Promise.all([...live].map((p) => p.kill9()));
}

afterEach(killAllNodeProcesses);
process.once('exit', () => {
  for (const p of live) p.kill9().catch(() => {});
});
