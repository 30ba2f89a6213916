/**
 * `switchboard node`: run one Switchboard node as a long-lived process.
 *
 *   switchboard node --name a@127.0.0.1 --cookie X [--app module] [--hidden]
 *                    [--port-mapper host:port] [--listen-port N] [--schedulers N]
 *                    [--no-profile-agent]
 *
 * scripts/switchboard.mjs parses the flags (commander) and runs this file in a child
 * process through the module hooks, with the parsed options as one JSON argument:
 * `node-command.ts '{"name":"a@127.0.0.1",...}'`. It forwards SIGINT and SIGTERM to it.
 *
 * Run, in order:
 *   1. Check the options (nodeStartOptions): NodeCommandError for a bad one, exit 2. The
 *      distribution options need --name: without it the node is a plain local node
 *      (`nonode@nohost`) and --cookie, --hidden, --port-mapper, --listen-port are refused.
 *   2. startNode with them (schedulers default 0: one scheduler on the main thread).
 *   3. --app: import the module (resolved against the working directory; TypeScript works,
 *      through the hooks) and call its exported `start(node)` if it has one (awaited).
 *   4. A named node starts the profile agent (src/profile/remote/profile-agent.ts: what
 *      `switchboard top|observe|trace --node <name>` attach to) unless --no-profile-agent.
 *      Then print `node <name> listening` (one line, stdout): the node is ready.
 *   5. Run until SIGINT or SIGTERM. The first one prints `node <name> stopping (<signal>)`
 *      and stops the node; later ones are ignored (a terminal's Ctrl-C reaches both this
 *      process and the forwarding parent: two signals for one keystroke).
 *   6. After node.stop(): print `node <name> stopped` and exit 0.
 * A failure in 2 or 3 prints `switchboard node: <message>` on stderr and exits 1 (the node,
 * if started, is stopped first).
 */
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { registerErrorClass } from '../core/error-classes.ts';
import { SwitchboardError } from '../core/errors.ts';
import type { Node } from '../core/node.ts';
import { startNode } from '../dist/start-node.ts';
import { startProfileAgent } from '../profile/remote/profile-agent.ts';

/** The options of `switchboard node`, as scripts/switchboard.mjs passes them. */
export interface NodeCommandOptions {
  readonly name?: string;
  readonly cookie?: string;
  readonly app?: string;
  readonly hidden?: boolean;
  /** `host:port` of the port mapper. */
  readonly portMapper?: string;
  readonly listenPort?: number;
  readonly schedulers?: number;
  /** false (--no-profile-agent): a named node does not start the profile agent. */
  readonly profileAgent?: boolean;
}

/** A bad option of `switchboard node` (exit code 2). */
export class NodeCommandError extends SwitchboardError {
  constructor(message: string) {
    super('ERR_SB_NODE_COMMAND', message);
  }
}
registerErrorClass('ERR_SB_NODE_COMMAND', NodeCommandError);

const kDistFlags = [
  ['cookie', '--cookie'],
  ['hidden', '--hidden'],
  ['portMapper', '--port-mapper'],
  ['listenPort', '--listen-port'],
] as const;

/** `host:port` -> { host, port } (port 1..65535), else NodeCommandError. */
export function parseHostPort(flag: string, v: string): { host: string; port: number } {
  const m = /^(?:\[([^\]]+)\]|([^:]+)):(\d{1,5})$/.exec(v);
  const port = m === null ? NaN : Number(m[3]);
  if (m === null || !(port >= 1 && port <= 65535)) throw new NodeCommandError(`switchboard node: ${flag} must be host:port (port 1..65535), got "${v}"`);
  return { host: (m[1] ?? m[2])!, port };
}

/** Step 1: the startNode options of the command's options. */
export function nodeStartOptions(o: NodeCommandOptions): Record<string, unknown> {
  const schedulers = o.schedulers ?? 0;
  if (!Number.isInteger(schedulers) || schedulers < 0) throw new NodeCommandError(`switchboard node: --schedulers must be a non-negative integer, got ${String(o.schedulers)}`);
  const opts: Record<string, unknown> = { schedulers };
  if (o.name === undefined) {
    for (const [k, flag] of kDistFlags) if (o[k] !== undefined && o[k] !== false) throw new NodeCommandError(`switchboard node: ${flag} needs --name (a node without a name is not distributed)`);
    return opts;
  }
  if (typeof o.name !== 'string' || o.name === '') throw new NodeCommandError('switchboard node: --name must be a node name such as a@127.0.0.1');
  opts.name = o.name;
  if (o.cookie !== undefined) opts.cookie = o.cookie;
  if (o.hidden === true) opts.hidden = true;
  const dist: Record<string, unknown> = {};
  if (o.portMapper !== undefined) dist.portMapper = parseHostPort('--port-mapper', o.portMapper);
  if (o.listenPort !== undefined) {
    if (!Number.isInteger(o.listenPort) || o.listenPort < 0 || o.listenPort > 65535) throw new NodeCommandError(`switchboard node: --listen-port must be 0..65535, got ${String(o.listenPort)}`);
    // Listen where peers will look for the node: the host part of its (long) name.
    const at = o.name.indexOf('@');
    dist.listen = { host: at < 0 ? '127.0.0.1' : o.name.slice(at + 1), port: o.listenPort };
  }
  if (Object.keys(dist).length > 0) opts.dist = dist;
  return opts;
}

/** The node's printed name (API.md section 1: 'nonode@nohost' when not distributed). */
function nameOf(node: Node): string {
  return (node as unknown as { name?: string }).name ?? 'nonode@nohost';
}

interface Io {
  out(line: string): void;
  err(line: string): void;
}

const stdio: Io = {
  out: (line) => process.stdout.write(line + '\n'),
  err: (line) => process.stderr.write(line + '\n'),
};

/**
 * Steps 2-6. Resolves with the exit code once the node stopped (0), or failed to start or
 * to run the app (1). `signals` is where SIGINT / SIGTERM come from (the process).
 */
export async function runNodeCommand(o: NodeCommandOptions, io: Io = stdio, signals: NodeJS.EventEmitter = process): Promise<number> {
  let opts: Record<string, unknown>;
  try {
    opts = nodeStartOptions(o);
  } catch (e) {
    io.err(e instanceof Error ? e.message : String(e));
    return 2;
  }
  // Listen for the signals before anything starts: one during startup stops right after.
  let stopSignal: NodeJS.Signals | null = null;
  let wake: (() => void) | null = null;
  const onSignal = (sig: NodeJS.Signals): void => {
    if (stopSignal !== null) return;
    stopSignal = sig;
    wake?.();
  };
  const onInt = (): void => onSignal('SIGINT');
  const onTerm = (): void => onSignal('SIGTERM');
  signals.on('SIGINT', onInt);
  signals.on('SIGTERM', onTerm);
  let node: Node | undefined;
  try {
    node = await startNode(opts as never);
    if (o.app !== undefined) {
      const mod = (await import(pathToFileURL(resolve(o.app)).href)) as { start?: unknown };
      if (typeof mod.start === 'function') await (mod.start as (n: Node) => unknown)(node);
    }
    const name = nameOf(node);
    if (o.name !== undefined && o.profileAgent !== false) await startProfileAgent(node);
    io.out(`node ${name} listening`);
    if (stopSignal === null) {
      // Signal listeners do not keep the event loop alive, and a node with nothing to do
      // holds no handle: without this timer the process would end here (exit code 13,
      // top-level await never settled).
      const keepAlive = setInterval(() => {}, 1 << 30);
      await new Promise<void>((r) => (wake = r));
      clearInterval(keepAlive);
    }
    io.out(`node ${name} stopping (${stopSignal})`);
    await node.stop();
    io.out(`node ${name} stopped`);
    return 0;
  } catch (e) {
    io.err(`switchboard node: ${e instanceof Error ? e.message : String(e)}`);
    if (node?.running === true) await node.stop().catch(() => {});
    return 1;
  } finally {
    signals.off('SIGINT', onInt);
    signals.off('SIGTERM', onTerm);
  }
}

/** Entry: `node-command.ts '<options JSON>'` (from scripts/switchboard.mjs). */
async function main(): Promise<void> {
  let o: NodeCommandOptions;
  try {
    o = JSON.parse(process.argv[2] ?? '{}') as NodeCommandOptions;
  } catch {
    process.stderr.write('switchboard node: the options argument is not JSON\n');
    process.exit(2);
  }
  const code = await runNodeCommand(o);
  // Exit once stdout is flushed, even if an app left a handle behind.
  process.stdout.write('', () => process.exit(code));
}

if (process.argv[1] !== undefined && pathToFileURL(process.argv[1]).href === import.meta.url) await main();
