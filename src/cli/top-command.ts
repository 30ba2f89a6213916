/**
 * `switchboard top`: a live view of a node started in this process (Erlang's etop).
 *
 *   switchboard top --run <module> [--schedulers N] [--interval ms]
 *                   [--sort reductions|mailbox|memory] [--limit N]
 *   switchboard top --node a@h [--cookie C] [--port-mapper host:port | --address host:port]
 *                   [--interval ms] [--sort ...] [--limit N]
 *
 * scripts/switchboard.mjs parses the flags (commander) and runs this file in a child
 * process through the module hooks, with the options as one JSON argument (as
 * `switchboard node` does); it forwards SIGINT and SIGTERM. The child inherits the terminal.
 *
 * Run, in order:
 *   1. Check the options (topCommandOptions): TopCommandError for a bad one, exit 2.
 *   2. startNode({ schedulers }) (default 0: one scheduler on this thread), import --run's
 *      module (resolved against the working directory) and await its exported
 *      `start(node)` if it has one. With --node instead: attach to that running node as a
 *      hidden node (src/profile/remote/remote-source.ts; its profile agent samples there,
 *      one session per `top`). A failure: `switchboard top: <message>` on stderr, the
 *      node stopped (or detached), exit 1.
 *   3. Pick the mode: stdout and stdin both TTYs -> the live screen (terminal-screen.ts:
 *      alternate screen, raw-mode keys r / m / y / q, see keys.ts); else the plain mode:
 *      one block of text per interval (render.ts's lines, a blank line after each), no
 *      escape codes, no keys.
 *   4. Each tick: ActorView.sample() (src/profile/actor-view.ts; remote: the agent's
 *      snapshot, rows cut to the top --limit by each sort), render, draw or print;
 *      the next tick is `--interval` ms after this one began (never two samples at once).
 *      A sort key redraws the last snapshot at once with the new order.
 *   5. Until q / Ctrl-C (TTY), SIGINT or SIGTERM: the first one stops the ticks, restores
 *      the terminal, stops the node (remote: detaches; the node goes on), prints
 *      `switchboard top: node <name> stopped` (remote: `detached from <name>`) and exits 0;
 *      later ones are ignored. A closed stdout (EPIPE: `| head`) stops it the same way.
 * Erlang mapping: `etop:start([{interval, S}, {sort, reductions}, {lines, N}])` on the local
 * node; with --node, etop's `-node N -setcookie C`.
 */
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { registerErrorClass } from '../core/error-classes.ts';
import { SwitchboardError } from '../core/errors.ts';
import type { Node } from '../core/node.ts';
import { startNode } from '../dist/start-node.ts';
import { ActorView, kActorSorts, type ActorSort, type ActorViewSnapshot } from '../profile/actor-view.ts';
import { remoteFlags } from '../profile/remote/attach-flags.ts';
import { attachRemote, type AttachRemoteOptions, type RemoteAttachment } from '../profile/remote/remote-source.ts';
import { keyAction } from '../profile/top/keys.ts';
import { renderTopFrame } from '../profile/top/render.ts';
import { TerminalScreen, type TtyIn, type TtyOut } from '../profile/top/terminal-screen.ts';

/** The options of `switchboard top`, as scripts/switchboard.mjs passes them. */
export interface TopCommandOptions {
  readonly run?: string;
  readonly schedulers?: number;
  readonly interval?: number;
  readonly sort?: string;
  readonly limit?: number;
  readonly node?: string;
  readonly cookie?: string;
  readonly portMapper?: string;
  readonly address?: string;
}

/** The checked options with their defaults. */
export interface TopSettings {
  /** null with --node. */
  readonly run: string | null;
  /** How to reach the remote node (--node), else null. */
  readonly remote: AttachRemoteOptions | null;
  readonly schedulers: number;
  readonly intervalMs: number;
  readonly sort: ActorSort;
  readonly limit: number;
}

/** A bad option of `switchboard top` (exit code 2). */
export class TopCommandError extends SwitchboardError {
  constructor(message: string) {
    super('ERR_SB_TOP_COMMAND', message);
  }
}
registerErrorClass('ERR_SB_TOP_COMMAND', TopCommandError);

const kKnown = new Set(['run', 'schedulers', 'interval', 'sort', 'limit', 'node', 'cookie', 'portMapper', 'address']);

function intIn(flag: string, v: unknown, min: number, max: number): number {
  if (!Number.isInteger(v) || (v as number) < min || (v as number) > max) throw new TopCommandError(`switchboard top: ${flag} must be an integer ${min}..${max}, got ${String(v)}`);
  return v as number;
}

/** Step 1. */
export function topCommandOptions(o: TopCommandOptions): TopSettings {
  for (const k of Object.keys(o)) if (!kKnown.has(k)) throw new TopCommandError(`switchboard top: unknown option "${k}"`);
  const remote = remoteFlags('top', o, (m) => new TopCommandError(m));
  if (remote === null && (typeof o.run !== 'string' || o.run === '')) throw new TopCommandError('switchboard top: --run <module> or --node <name> is required (the module whose start(node) runs in the node, or the running node to attach to)');
  const sort = o.sort ?? 'reductions';
  if (!(kActorSorts as readonly string[]).includes(sort)) throw new TopCommandError(`switchboard top: --sort must be one of ${kActorSorts.join(', ')}, got "${sort}"`);
  return {
    run: remote === null ? (o.run as string) : null,
    remote,
    schedulers: intIn('--schedulers', o.schedulers ?? 0, 0, 1024),
    intervalMs: intIn('--interval', o.interval ?? 1000, 100, 60_000),
    sort: sort as ActorSort,
    limit: intIn('--limit', o.limit ?? 20, 1, 1000),
  };
}

export interface TopIo {
  readonly stdout: TtyOut & { readonly isTTY?: boolean; on?(ev: 'error', l: (e: Error) => void): unknown; off?(ev: 'error', l: (e: Error) => void): unknown };
  readonly stdin: Partial<TtyIn> & { readonly isTTY?: boolean };
  err(line: string): void;
}

/** Whether stdout can no longer be written (its reader closed it). */
function outClosed(): boolean {
  return process.stdout.destroyed || process.stdout.writableEnded;
}

const processIo: TopIo = {
  stdout: process.stdout,
  stdin: process.stdin,
  err: (line) => process.stderr.write(line + '\n'),
};

/** Steps 2-5: resolves with the exit code. */
export async function runTopCommand(o: TopCommandOptions, io: TopIo = processIo, signals: NodeJS.EventEmitter = process): Promise<number> {
  let settings: TopSettings;
  try {
    settings = topCommandOptions(o);
  } catch (e) {
    io.err(e instanceof Error ? e.message : String(e));
    return 2;
  }
  let stopping = false;
  let wake: (() => void) | null = null;
  const stop = (): void => {
    if (stopping) return;
    stopping = true;
    wake?.();
  };
  signals.on('SIGINT', stop);
  signals.on('SIGTERM', stop);
  // The reader went away (`| head`): EPIPE on the next write; stop as for a signal.
  const onOutError = (): void => stop();
  io.stdout.on?.('error', onOutError);
  let node: Node | undefined;
  let remote: RemoteAttachment | undefined;
  let screen: TerminalScreen | null = null;
  try {
    let name: string;
    let sample: () => Promise<ActorViewSnapshot>;
    if (settings.remote !== null) {
      const r = await attachRemote(settings.remote);
      remote = r;
      name = r.hello.node;
      sample = () => r.source.snapshot(settings.limit);
    } else {
      node = await startNode({ schedulers: settings.schedulers });
      const mod = (await import(pathToFileURL(resolve(settings.run!)).href)) as { start?: unknown };
      if (typeof mod.start === 'function') await (mod.start as (n: Node) => unknown)(node);
      name = node.name;
      const view = new ActorView(node, { hotRows: settings.limit });
      sample = () => view.sample();
    }
    let sort = settings.sort;
    let last: ActorViewSnapshot | null = null;
    const tty = io.stdout.isTTY === true && io.stdin.isTTY === true && typeof io.stdin.setRawMode === 'function';
    const show = (snap: ActorViewSnapshot): void => {
      if (screen !== null) {
        // One line short of the terminal: the last line's newline must not scroll it.
        screen.draw(renderTopFrame({ nodeName: name, snapshot: snap, sort, limit: settings.limit, intervalMs: settings.intervalMs, width: screen.width, height: screen.height - 1 }));
      } else {
        const f = renderTopFrame({ nodeName: name, snapshot: snap, sort, limit: settings.limit, intervalMs: settings.intervalMs, width: 200, height: Infinity });
        io.stdout.write(f.lines.join('\n') + '\n\n');
      }
    };
    if (tty) {
      screen = new TerminalScreen(io.stdin as TtyIn, io.stdout);
      screen.open((chunk) => {
        const a = keyAction(chunk);
        if (a === null) return;
        if (a.kind === 'quit') stop();
        else {
          sort = a.sort;
          if (last !== null && !stopping) show(last);
        }
      });
    }
    // Signal listeners and raw stdin aside, the tick timer is what keeps the process alive.
    while (!stopping) {
      const began = performance.now();
      const snap = await sample();
      if (stopping) break;
      last = snap;
      show(snap);
      const left = Math.max(0, settings.intervalMs - (performance.now() - began));
      await new Promise<void>((r) => {
        const t = setTimeout(() => ((wake = null), r()), left);
        wake = () => (clearTimeout(t), (wake = null), r());
      });
    }
    (screen as TerminalScreen | null)?.close();
    screen = null;
    if (remote !== undefined) await remote.close();
    else await node!.stop();
    if (io.stdout.isTTY === true || !outClosed()) io.stdout.write(remote !== undefined ? `switchboard top: detached from ${name}\n` : `switchboard top: node ${name} stopped\n`);
    return 0;
  } catch (e) {
    (screen as TerminalScreen | null)?.close();
    io.err(`switchboard top: ${e instanceof Error ? e.message : String(e)}`);
    if (node?.running === true) await node.stop().catch(() => {});
    await remote?.close().catch(() => {});
    return 1;
  } finally {
    signals.off('SIGINT', stop);
    signals.off('SIGTERM', stop);
    io.stdout.off?.('error', onOutError);
  }
}

/** Entry: `top-command.ts '<options JSON>'` (from scripts/switchboard.mjs). */
async function main(): Promise<void> {
  let o: TopCommandOptions;
  try {
    o = JSON.parse(process.argv[2] ?? '{}') as TopCommandOptions;
  } catch {
    process.stderr.write('switchboard top: the options argument is not JSON\n');
    process.exit(2);
  }
  const code = await runTopCommand(o);
  if (outClosed()) process.exit(code);
  process.stdout.write('', () => process.exit(code));
}

if (process.argv[1] !== undefined && pathToFileURL(process.argv[1]).href === import.meta.url) await main();
