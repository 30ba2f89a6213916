/**
 * `switchboard observe`: serve the observer page (src/profile/observe/) for a node started
 * in this process, or for a running named node reached over distribution.
 *
 *   switchboard observe [--run <module>] [--schedulers N]
 *                       [--node a@h [--cookie C] [--port-mapper host:port | --address host:port]]
 *                       [--port N] [--host 127.0.0.1] [--token T] [--interval ms]
 *                       [--history N] [--max-clients N]
 *
 * scripts/switchboard.mjs parses the flags (commander) and runs this file in a child
 * process through the module hooks, with the options as one JSON argument (as `switchboard
 * top` does); it forwards SIGINT and SIGTERM.
 *
 * Run, in order:
 *   1. Check the options (observeCommandOptions, remote-flags' rules): ObserveCommandError,
 *      `switchboard observe: <message>` on stderr, exit 2. The token defaults to
 *      $SWITCHBOARD_OBSERVE_TOKEN (a token on a command line is visible in `ps`). A host
 *      that is not loopback without a token: ObserveTokenRequiredError, exit 2.
 *   2. Local: startNode({ schedulers }) (default 0), import --run's module if given and
 *      await its `start(node)`; observe(node, ...). Remote (--node): attachRemote (a hidden
 *      node; src/profile/remote/remote-source.ts), observeSource over it. A failure:
 *      `switchboard observe: <message>` on stderr, everything started stopped, exit 1.
 *   3. Print `switchboard observe: <node name> at <url>` (one line, stdout): the page is up.
 *   4. Until SIGINT or SIGTERM: then close the page, stop the node (local) or detach
 *      (remote: the remote node goes on), print `switchboard observe: stopped`, exit 0.
 * Erlang mapping: `observer:start()`; with --node, `erl -hidden -setcookie C` then
 * observer's Nodes menu.
 */
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { registerErrorClass } from '../core/error-classes.ts';
import { SwitchboardError } from '../core/errors.ts';
import type { Node } from '../core/node.ts';
import { startNode } from '../dist/start-node.ts';
import { ObserveTokenRequiredError } from '../profile/observe/errors.ts';
import { observe, observeSource } from '../profile/observe/observe.ts';
import type { ObserveOptions } from '../profile/observe/observe-options.ts';
import type { ObserverServer } from '../profile/observe/observe-server.ts';
import { remoteFlags } from '../profile/remote/attach-flags.ts';
import { attachRemote, type RemoteAttachment } from '../profile/remote/remote-source.ts';
import type { AttachRemoteOptions } from '../profile/remote/remote-source.ts';

/** The options of `switchboard observe`, as scripts/switchboard.mjs passes them. */
export interface ObserveCommandOptions {
  readonly run?: string;
  readonly schedulers?: number;
  readonly node?: string;
  readonly cookie?: string;
  readonly portMapper?: string;
  readonly address?: string;
  readonly port?: number;
  readonly host?: string;
  readonly token?: string;
  readonly interval?: number;
  readonly history?: number;
  readonly maxClients?: number;
}

/** A bad option of `switchboard observe` (exit code 2). */
export class ObserveCommandError extends SwitchboardError {
  constructor(message: string) {
    super('ERR_SB_OBSERVE_COMMAND', message);
  }
}
registerErrorClass('ERR_SB_OBSERVE_COMMAND', ObserveCommandError);

export interface ObserveCommandSettings {
  readonly run: string | null;
  readonly schedulers: number;
  readonly remote: AttachRemoteOptions | null;
  readonly page: ObserveOptions;
}

const kKnown = new Set(['run', 'schedulers', 'node', 'cookie', 'portMapper', 'address', 'port', 'host', 'token', 'interval', 'history', 'maxClients']);
const fail = (m: string): Error => new ObserveCommandError(m);

/** Step 1 (the page options are checked again, with their own messages, by observe()). */
export function observeCommandOptions(o: ObserveCommandOptions, env: NodeJS.ProcessEnv = process.env): ObserveCommandSettings {
  for (const k of Object.keys(o)) if (!kKnown.has(k)) throw fail(`switchboard observe: unknown option "${k}"`);
  const remote = remoteFlags('observe', o, fail);
  if (o.run !== undefined && (typeof o.run !== 'string' || o.run === '')) throw fail('switchboard observe: --run must name a module');
  const token = o.token ?? env['SWITCHBOARD_OBSERVE_TOKEN'];
  const page: ObserveOptions = {
    ...(o.port === undefined ? {} : { port: o.port }),
    ...(o.host === undefined ? {} : { host: o.host }),
    ...(token === undefined || token === '' ? {} : { token }),
    ...(o.interval === undefined ? {} : { intervalMs: o.interval }),
    ...(o.history === undefined ? {} : { history: o.history }),
    ...(o.maxClients === undefined ? {} : { maxClients: o.maxClients }),
  };
  return { run: o.run ?? null, schedulers: o.schedulers ?? 0, remote, page };
}

export interface ObserveIo {
  out(line: string): void;
  err(line: string): void;
}

const stdio: ObserveIo = {
  out: (line) => process.stdout.write(line + '\n'),
  err: (line) => process.stderr.write(line + '\n'),
};

const message = (e: unknown): string => (e instanceof Error ? e.message : String(e));

/** Steps 2-4: resolves with the exit code. */
export async function runObserveCommand(o: ObserveCommandOptions, io: ObserveIo = stdio, signals: NodeJS.EventEmitter = process): Promise<number> {
  let s: ObserveCommandSettings;
  try {
    s = observeCommandOptions(o);
  } catch (e) {
    io.err(message(e));
    return 2;
  }
  let stopped = false;
  let wake: (() => void) | null = null;
  const stop = (): void => {
    stopped = true;
    wake?.();
  };
  signals.on('SIGINT', stop);
  signals.on('SIGTERM', stop);
  let node: Node | undefined;
  let remote: RemoteAttachment | undefined;
  let server: ObserverServer | undefined;
  try {
    try {
      if (s.remote !== null) {
        remote = await attachRemote(s.remote);
        server = await observeSource(remote.source, s.page);
      } else {
        node = await startNode({ schedulers: s.schedulers });
        if (s.run !== null) {
          const mod = (await import(pathToFileURL(resolve(s.run)).href)) as { start?: unknown };
          if (typeof mod.start === 'function') await (mod.start as (n: Node) => unknown)(node);
        }
        server = await observe(node, s.page);
      }
    } catch (e) {
      // A bad page option is the user's, as a bad flag is (exit 2).
      const code = e instanceof ObserveTokenRequiredError || (e instanceof SwitchboardError && e.code === 'ERR_SB_INVALID_OPTION') ? 2 : 1;
      io.err(`switchboard observe: ${message(e).replace(/^observe: /, '')}`);
      await server?.close();
      await remote?.close().catch(() => {});
      if (node?.running === true) await node.stop().catch(() => {});
      return code;
    }
    io.out(`switchboard observe: ${s.remote?.node ?? node!.name} at ${server.url}`);
    if (!stopped) await new Promise<void>((r) => (wake = r));
    await server.close();
    if (remote !== undefined) await remote.close();
    if (node !== undefined) await node.stop();
    io.out('switchboard observe: stopped');
    return 0;
  } finally {
    signals.off('SIGINT', stop);
    signals.off('SIGTERM', stop);
  }
}

/** Entry: `observe-command.ts '<options JSON>'` (from scripts/switchboard.mjs). */
async function main(): Promise<void> {
  let o: ObserveCommandOptions;
  try {
    o = JSON.parse(process.argv[2] ?? '{}') as ObserveCommandOptions;
  } catch {
    process.stderr.write('switchboard observe: the options argument is not JSON\n');
    process.exit(2);
  }
  const code = await runObserveCommand(o);
  process.stdout.write('', () => process.exit(code));
}

if (process.argv[1] !== undefined && pathToFileURL(process.argv[1]).href === import.meta.url) await main();
