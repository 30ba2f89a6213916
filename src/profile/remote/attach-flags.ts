/**
 * The remote-attach flags the CLI commands share (`switchboard top|observe|trace`):
 *
 *   --node a@h  [--cookie C] [--port-mapper host:port | --address host:port]
 *
 * remoteFlags(command, o, fail), in order:
 *   1. without --node: --cookie, --port-mapper and --address are refused (they only mean
 *      something for a remote node); the result is null (a local node);
 *   2. with --node: a name `x@host`; --run and --schedulers are refused (the node already
 *      runs its own code on its own schedulers); --port-mapper and --address exclude each
 *      other; the cookie defaults to $SWITCHBOARD_COOKIE, else what startNode reads
 *      (~/.erlang.cookie).
 * `fail(message)` makes the command's own error (exit code 2).
 * Erlang mapping: `etop -node N -setcookie C`, `erl -hidden -setcookie C`.
 */
import type { AttachRemoteOptions } from './remote-source.ts';

export interface RemoteFlags {
  readonly node?: string;
  readonly cookie?: string;
  readonly portMapper?: string;
  readonly address?: string;
  readonly run?: string;
  readonly schedulers?: number;
}

function hostPort(command: string, flag: string, v: string, fail: (m: string) => Error): { host: string; port: number } {
  const m = /^([^\s:]+):(\d{1,5})$/.exec(v);
  const port = m === null ? NaN : Number(m[2]);
  if (m === null || !(port >= 1 && port <= 65535)) throw fail(`switchboard ${command}: ${flag} must be host:port (port 1..65535), got "${v}"`);
  return { host: m[1]!, port };
}

/** Steps 1-2. */
export function remoteFlags(command: string, o: RemoteFlags, fail: (m: string) => Error): AttachRemoteOptions | null {
  if (o.node === undefined) {
    for (const [k, flag] of [['cookie', '--cookie'], ['portMapper', '--port-mapper'], ['address', '--address']] as const) {
      if (o[k] !== undefined) throw fail(`switchboard ${command}: ${flag} needs --node (it is how to reach a remote node)`);
    }
    return null;
  }
  if (typeof o.node !== 'string' || !/^[^@\s]+@[^@\s]+$/.test(o.node)) throw fail(`switchboard ${command}: --node must be a node name such as a@127.0.0.1, got "${String(o.node)}"`);
  if (o.run !== undefined) throw fail(`switchboard ${command}: --run and --node exclude each other (--node attaches to a node that already runs its code)`);
  if (o.schedulers !== undefined) throw fail(`switchboard ${command}: --schedulers and --node exclude each other (the remote node has its own)`);
  if (o.portMapper !== undefined && o.address !== undefined) throw fail(`switchboard ${command}: --port-mapper and --address exclude each other`);
  const cookie = o.cookie ?? process.env['SWITCHBOARD_COOKIE'];
  return {
    node: o.node,
    ...(cookie === undefined || cookie === '' ? {} : { cookie }),
    ...(o.portMapper === undefined ? {} : { portMapper: hostPort(command, '--port-mapper', o.portMapper, fail) }),
    ...(o.address === undefined ? {} : { address: `${hostPort(command, '--address', o.address, fail).host}:${hostPort(command, '--address', o.address, fail).port}` }),
  };
}
