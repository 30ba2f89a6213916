/**
 * The profile agent: what lets a tool on another node (`switchboard top|observe|trace
 * --node`) look at this node. A module-defined GenServer registered as '$sb_profile' that
 * relays each call to this node's embedding thread, which answers with the Node API
 * (protocol: profile-protocol.ts).
 *
 *   const agent = await startProfileAgent(node);   // a named node; idempotent
 *   await agent.stop();                            // or node.stop()
 *
 * Who starts it: `switchboard node --name ...` does, for every named node it runs (unless
 * --no-profile-agent); an embedding program calls startProfileAgent(node) itself. It
 * cannot be started by a remote spawn alone: the answers need the Node object, which
 * lives on the embedding thread, not in an actor.
 *
 * startProfileAgent, in order:
 *   1. the node must be named (else BadArgError: no tool could attach); an agent already
 *      started (or starting) on it: its handle is returned if the agent still lives (its
 *      name '$sb_profile' still resolves to its pid); an agent that died (killed, crashed,
 *      unregistered) leaves a stale handle: it is stopped (listener removed) and a new
 *      agent is started in its place, so a later call never returns a dead pid;
 *   2. install the node 'message' listener (relay requests only; other messages are left
 *      to other listeners), then start the agent with GenServer.start, registered.
 *   3. stop(): unregister the listener, stop the agent (Sys.terminate), drop the sessions;
 *      also run by node.onStop.
 * Answers (embedding thread, one per relay request): unknown ops and malformed requests
 * answer `{ error, code: 'ERR_SB_BADARG' }`; a failing query answers its error's message
 * and code; nothing a request does throws out of the listener.
 * Erlang mapping: observer needs `runtime_tools` on the observed node (observer_backend);
 * this agent is that module, started by the node instead of loaded by rpc.
 */
import { BadArgError, SwitchboardError } from '../../core/errors.ts';
import type { Node } from '../../core/node.ts';
import type { Pid } from '../../core/pid.ts';
import type { Context } from '../../core/context.ts';
import type { From } from '../../core/call-protocol.ts';
import { defineGenServer, GenServer } from '../../otp/gen-server.ts';
import { Sys } from '../../otp/sys.ts';
import { checkNode } from '../metrics/metrics-options.ts';
import { ActorView, sortRows, type ActorViewSnapshot } from '../actor-view.ts';
import { buildFrame } from '../observe/observer-frame.ts';
import { pidFromText } from '../observe/observer-source.ts';
import { supervisionReport } from '../observe/supervision-tree.ts';
import { startTrace, stopTrace } from '../trace/trace-session.ts';
import { isRelayAnswer, kTraceChunkChars, kMaxSessions, kProfileAgentName, kProfileProtocolVersion, kSessionIdleMs, isRelayRequest, type ProfileAnswer, type ProfileRelayAnswer, type ProfileRelayRequest } from './profile-protocol.ts';

/** The agent actor: relays calls to the gateway (the embedding thread) and replies with its answers. */
export const ProfileAgent = defineGenServer<{ gateway: Pid }, unknown, never, ProfileAnswer, [Pid]>(import.meta.url, {
  init(_ctx: Context, gateway: Pid) {
    return { ok: { gateway } };
  },
  handleCall(req: unknown, from: From, s, ctx: Context) {
    const relay: ProfileRelayRequest = { type: '$sb_profile_req', agent: ctx.self, from, req };
    ctx.send(s.gateway, relay);
    return { noreply: true, state: s };
  },
  handleInfo(m: unknown, s, ctx: Context) {
    if (isRelayAnswer(m)) ctx.reply(m.from as From, m.answer);
    return { noreply: true, state: s };
  },
}, 'ProfileAgent');

export interface ProfileAgentHandle {
  readonly pid: Pid;
  stop(): Promise<void>;
}

interface Session {
  readonly view: ActorView;
  seq: number;
  usedAt: number;
}

/** The agent of each node, or the start under way (so two concurrent calls start one agent). */
const handles = new WeakMap<Node, Promise<ProfileAgentHandle>>();

const failure = (e: unknown): ProfileAnswer => ({ error: e instanceof Error ? e.message : String(e), code: e instanceof SwitchboardError ? e.code : 'ERR_SB_PROFILE_AGENT' });

/** The rows of `snap` cut to the top `limit` by each sort. */
function cutRows(snap: ActorViewSnapshot, limit: number): ActorViewSnapshot {
  if (snap.rows.length <= limit) return snap;
  const keep = new Map<string, (typeof snap.rows)[number]>();
  for (const sort of ['reductions', 'mailbox', 'memory'] as const) for (const r of sortRows(snap.rows, sort).slice(0, limit)) keep.set(r.pid.toString(), r);
  return { ...snap, rows: [...keep.values()] };
}

/** The agent behind `h` still lives: the agent's name resolves to its pid. */
function agentAlive(node: Node, h: ProfileAgentHandle): boolean {
  const p = node.whereis(kProfileAgentName);
  return p !== undefined && p.equals(h.pid);
}

/** Steps 1-3 of the header. */
export async function startProfileAgent(node: Node): Promise<ProfileAgentHandle> {
  checkNode('startProfileAgent', node);
  if (node.name === 'nonode@nohost') throw new BadArgError('startProfileAgent: the node has no name: start it with a name (startNode({ name, cookie })) so a tool can attach');
  for (;;) {
    const known = handles.get(node);
    if (known === undefined) break;
    const h = await known.catch(() => null);
    if (h !== null && agentAlive(node, h)) return h;
    if (handles.get(node) !== known) continue; // another caller replaced it meanwhile
    handles.delete(node);
    if (h !== null) await h.stop();
  }
  const starting = startAgent(node);
  handles.set(node, starting);
  starting.catch(() => {
    if (handles.get(node) === starting) handles.delete(node);
  });
  return starting;
}

/** Steps 2-3: a new agent on `node`. */
async function startAgent(node: Node): Promise<ProfileAgentHandle> {
  const sessions = new Map<string, Session>();
  let kept: { id: number; text: string } | null = null;
  let traceIds = 0;

  const session = (id: unknown): Session => {
    if (typeof id !== 'string' || id === '' || id.length > 200) throw new BadArgError('profile agent: session must be a non-empty string');
    const now = Date.now();
    for (const [k, v] of sessions) if (now - v.usedAt > kSessionIdleMs) sessions.delete(k);
    let s = sessions.get(id);
    if (s === undefined) {
      if (sessions.size >= kMaxSessions) {
        let oldest: string | null = null;
        for (const [k, v] of sessions) if (oldest === null || v.usedAt < sessions.get(oldest)!.usedAt) oldest = k;
        if (oldest !== null) sessions.delete(oldest);
      }
      s = { view: new ActorView(node), seq: 0, usedAt: now };
      sessions.set(id, s);
    }
    s.usedAt = now;
    return s;
  };
  const positive = (v: unknown, what: string): number => {
    if (!Number.isInteger(v) || (v as number) < 1 || (v as number) > 10_000) throw new BadArgError(`profile agent: ${what} must be an integer from 1 to 10000`);
    return v as number;
  };

  const answer = async (req: unknown): Promise<unknown> => {
    const op = typeof req === 'object' && req !== null ? (req as { op?: unknown }).op : undefined;
    const r = req as Record<string, unknown>;
    switch (op) {
      case 'hello':
        return { node: node.name, version: kProfileProtocolVersion, schedulers: node.schedulers };
      case 'frame': {
        const s = session(r['session']);
        const rows = positive(r['actorRows'], 'actorRows');
        const snap = await s.view.sample();
        return buildFrame(node, ++s.seq, snap, node.stats(), rows);
      }
      case 'snapshot': {
        const s = session(r['session']);
        const limit = positive(r['limit'], 'limit');
        return cutRows(await s.view.sample(), limit);
      }
      case 'processInfo': {
        // As plain data: pids (links, monitors) in this node's own text, as in frames.
        const info = await node.processInfo(pidFromText('processInfo', r['pid'] as string));
        return info === undefined ? null : (JSON.parse(JSON.stringify(info)) as unknown);
      }
      case 'supervision':
        return supervisionReport(node);
      case 'end':
        return sessions.delete(String(r['session']));
      case 'traceStart': {
        const o: { bufferEvents?: number; sampleSlices?: number } = {};
        if (r['bufferEvents'] !== undefined) o.bufferEvents = r['bufferEvents'] as number;
        if (r['sampleSlices'] !== undefined) o.sampleSlices = r['sampleSlices'] as number;
        await startTrace(node, o);
        return true;
      }
      case 'traceStop': {
        const trace = await stopTrace(node);
        kept = { id: ++traceIds, text: JSON.stringify(trace) };
        return { id: kept.id, chars: kept.text.length, events: trace.traceEvents.length };
      }
      case 'traceChunk': {
        const offset = r['offset'];
        if (kept === null || kept.id !== r['id']) throw new BadArgError('profile agent: no such stopped trace (only the last one is kept, until it is read)');
        if (!Number.isInteger(offset) || (offset as number) < 0 || (offset as number) > kept.text.length) throw new BadArgError('profile agent: offset out of range');
        const chunk = kept.text.slice(offset as number, (offset as number) + kTraceChunkChars);
        if ((offset as number) + chunk.length >= kept.text.length) kept = null;
        return chunk;
      }
      default:
        throw new BadArgError(`profile agent: unknown request ${JSON.stringify(op ?? null)} (hello, frame, snapshot, processInfo, supervision, end, traceStart, traceStop, traceChunk)`);
    }
  };

  const onMessage = (m: unknown): void => {
    if (!isRelayRequest(m)) return;
    void answer(m.req).then(
      (ok): ProfileAnswer => ({ ok }),
      failure,
    ).then((a) => {
      const back: ProfileRelayAnswer = { type: '$sb_profile_ans', from: m.from, answer: a };
      try {
        if (node.running) node.send(m.agent as Pid, back);
      } catch {
        // The agent is gone (stopped meanwhile): the caller's call ends with its own error.
      }
    });
  };
  node.on('message', onMessage);
  let pid: Pid | null;
  try {
    pid = await GenServer.start(node, ProfileAgent, [node.pid], { name: kProfileAgentName });
  } catch (e) {
    node.off('message', onMessage);
    throw e;
  }
  let stopping: Promise<void> | null = null;
  const handle: ProfileAgentHandle = {
    pid: pid!,
    stop: () =>
      (stopping ??= (async () => {
        const mine = handles.get(node);
        if (mine !== undefined && (await mine.catch(() => null)) === handle) handles.delete(node);
        sessions.clear();
        kept = null;
        if (node.running) await Sys.terminate(node, pid!, 'shutdown').catch(() => {});
        node.off('message', onMessage);
      })()),
  };
  node.onStop(handle.stop);
  return handle;
}
