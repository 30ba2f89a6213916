/**
 * Remote attach: a tool in this process looks at a running named node over distribution,
 * connecting as a HIDDEN node (not meshed, not in the target's nodes(); as Erlang's
 * observer and etop attach), through that node's profile agent (profile-agent.ts).
 *
 *   const r = await attachRemote({ node: 'a@127.0.0.1', cookie: 'C' });
 *   const frame = await r.source.frame(1, 200);         // an ObserverSource
 *   await r.close();                                    // ends the session, stops the hidden node
 *
 * attachRemote, in order:
 *   1. Check the options (checkOptions: `attachRemote: option "x" ...`).
 *   2. Start a hidden node named `sbtool<pid>_<random>@<the target's host>` with the cookie
 *      (and the port mapper / static address given), one scheduler on this thread.
 *   3. connectNode(target): false -> RemoteAttachError naming the node, the cookie and the
 *      port mapper as the likely causes (the hidden node is stopped).
 *   4. `hello` to '$sb_profile' there: no such process -> RemoteAttachError saying how to
 *      start the agent; a protocol version this side does not speak -> RemoteAttachError.
 *   5. Return the RemoteObserverSource: each query is one call to the agent (timeout
 *      `timeoutMs`); `{ error, code }` answers reject with RemoteQueryError. The sampler is
 *      the agent's, per session (this source's random id), so rates are over this tool's
 *      own interval. Pids come back as the target's text (`<0.5.0>` there) for the page,
 *      and as Pid values (remote pids here) in snapshot rows.
 *   6. trace(seconds, opts): a timeline trace recorded there (traceStart / traceStop /
 *      traceChunk of profile-protocol.ts).
 *   7. close(): `end` the session (errors ignored), stop the hidden node.
 * Erlang mapping: `erl -hidden -setcookie C` + observer:start('a@h') / etop -node.
 */
import { randomBytes } from 'node:crypto';
import { checkOptions, mustBePositiveInteger, type OptionCheck } from '../../core/options.ts';
import type { Node } from '../../core/node.ts';
import { BadArgError, InvalidOptionError, NoProcError } from '../../core/errors.ts';
import { startNode } from '../../dist/start-node.ts';
import type { ActorViewSnapshot } from '../actor-view.ts';
import type { ObserverFrame } from '../observe/observer-frame.ts';
import type { ObserverSource } from '../observe/observer-source.ts';
import type { SupervisionReport } from '../observe/supervision-tree.ts';
import type { ChromeTrace } from '../trace/chrome-trace.ts';
import type { TraceOptions } from '../trace/trace-session.ts';
import { RemoteAttachError, RemoteQueryError } from './errors.ts';
import { kProfileAgentName, kProfileProtocolVersion, type ProfileAnswer, type ProfileHello, type ProfileRequest, type TraceStopped } from './profile-protocol.ts';

export interface AttachRemoteOptions {
  /** The target's node name ('a@127.0.0.1'). */
  readonly node: string;
  /** The cookie (default as startNode's: $SWITCHBOARD_COOKIE, else ~/.erlang.cookie). */
  readonly cookie?: string;
  /** `{ host, port }` of the port mapper (default 127.0.0.1:4369). */
  readonly portMapper?: { readonly host: string; readonly port: number };
  /** `host:port` of the target's distribution listener: no port mapper asked. */
  readonly address?: string;
  /** Per query (default 10000 ms). */
  readonly timeoutMs?: number;
}

export interface RemoteAttachment {
  /** The hidden node this tool runs. */
  readonly tool: Node;
  readonly source: ObserverSource;
  readonly hello: ProfileHello;
  /**
   * A timeline trace of the remote node (src/profile/trace): traceStart there, wait
   * `seconds`, traceStop, then the trace's JSON text read in chunks (profile-protocol.ts).
   */
  trace(seconds: number, opts?: TraceOptions): Promise<ChromeTrace>;
  close(): Promise<void>;
}

const mustBeNodeName: OptionCheck = (v) => (typeof v === 'string' && /^[^@\s]+@[^@\s]+$/.test(v) ? null : "must be a node name such as 'a@127.0.0.1'");
const mustBeString: OptionCheck = (v) => (typeof v === 'string' && v !== '' ? null : 'must be a non-empty string');
const mustBeHostPort: OptionCheck = (v) => {
  const o = v as { host?: unknown; port?: unknown };
  return typeof v === 'object' && v !== null && typeof o.host === 'string' && Number.isInteger(o.port) && (o.port as number) > 0 && (o.port as number) < 65536 ? null : 'must be { host, port }';
};
const mustBeAddress: OptionCheck = (v) => (typeof v === 'string' && /^[^\s:]+:\d{1,5}$/.test(v) ? null : 'must be "host:port"');

class RemoteObserverSource implements ObserverSource {
  private readonly session = `${process.pid}-${randomBytes(6).toString('hex')}`;
  constructor(private readonly tool: Node, readonly nodeName: string, private readonly timeoutMs: number) {}

  async ask<T>(req: ProfileRequest): Promise<T> {
    const a = await this.tool.call<ProfileAnswer>({ name: kProfileAgentName, node: this.nodeName }, req, this.timeoutMs);
    if ('error' in a) throw new RemoteQueryError(a.code, `${this.nodeName}: ${a.error}`);
    return a.ok as T;
  }

  frame(_seq: number, actorRows: number): Promise<ObserverFrame> {
    return this.ask<ObserverFrame>({ op: 'frame', session: this.session, actorRows });
  }

  snapshot(limit = 200): Promise<ActorViewSnapshot> {
    return this.ask<ActorViewSnapshot>({ op: 'snapshot', session: this.session, limit });
  }

  async processInfo(pid: string): Promise<Readonly<Record<string, unknown>> | undefined> {
    try {
      return (await this.ask<Readonly<Record<string, unknown>> | null>({ op: 'processInfo', pid })) ?? undefined;
    } catch (e) {
      // A malformed pid is the caller's bad argument, as on a local source.
      if (e instanceof RemoteQueryError && e.remoteCode === 'ERR_SB_BADARG') {
        throw new BadArgError(e.message.slice(this.nodeName.length + 2));
      }
      throw e;
    }
  }

  supervision(): Promise<SupervisionReport> {
    return this.ask<SupervisionReport>({ op: 'supervision' });
  }

  async close(): Promise<void> {
    await this.ask({ op: 'end', session: this.session }).catch(() => {});
  }
}

/** Steps 1-7. */
export async function attachRemote(opts: AttachRemoteOptions): Promise<RemoteAttachment> {
  checkOptions('attachRemote', { node: mustBeNodeName, cookie: mustBeString, portMapper: mustBeHostPort, address: mustBeAddress, timeoutMs: mustBePositiveInteger }, opts);
  if (opts?.node === undefined) {
    throw new InvalidOptionError('node', 'attachRemote: option "node" is required');
  }
  const target = opts.node;
  const host = target.slice(target.indexOf('@') + 1);
  const name = `sbtool${process.pid}_${randomBytes(3).toString('hex')}@${host}`;
  const dist: Record<string, unknown> = {};
  if (opts.address !== undefined) {
    dist['portMapper'] = false;
    dist['staticPorts'] = { [target]: opts.address };
  } else if (opts.portMapper !== undefined) dist['portMapper'] = opts.portMapper;
  const tool = await startNode({ schedulers: 0, name, hidden: true, ...(opts.cookie === undefined ? {} : { cookie: opts.cookie }), dist });
  try {
    const where = opts.address !== undefined ? `at ${opts.address}` : `through the port mapper at ${opts.portMapper === undefined ? '127.0.0.1:4369' : `${opts.portMapper.host}:${opts.portMapper.port}`}`;
    const ok = await tool.connectNode(target).catch(() => false);
    if (!ok) throw new RemoteAttachError(`cannot connect to ${target} ${where}: is it running, and is the cookie the same?`);
    const source = new RemoteObserverSource(tool, target, opts.timeoutMs ?? 10_000);
    let hello: ProfileHello;
    try {
      hello = await source.ask<ProfileHello>({ op: 'hello' });
    } catch (e) {
      if (e instanceof NoProcError) throw new RemoteAttachError(`${target} runs no profile agent ('${kProfileAgentName}'): start it there with startProfileAgent(node), or run the node with \`switchboard node --name ...\`, which starts it`);
      throw e;
    }
    if (hello.version !== kProfileProtocolVersion) throw new RemoteAttachError(`${target}'s profile agent speaks protocol ${hello.version}, this tool ${kProfileProtocolVersion}`);
    let closing: Promise<void> | null = null;
    const trace = async (seconds: number, o: TraceOptions = {}): Promise<ChromeTrace> => {
      await source.ask({ op: 'traceStart', ...o });
      await new Promise((r) => setTimeout(r, seconds * 1000));
      const stopped = await source.ask<TraceStopped>({ op: 'traceStop' });
      let text = '';
      while (text.length < stopped.chars) text += await source.ask<string>({ op: 'traceChunk', id: stopped.id, offset: text.length });
      return JSON.parse(text) as ChromeTrace;
    };
    return {
      tool,
      source,
      hello,
      trace,
      close: () =>
        (closing ??= (async () => {
          await source.close();
          await tool.stop();
        })()),
    };
  } catch (e) {
    await tool.stop();
    throw e;
  }
}
