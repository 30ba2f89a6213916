/**
 * proxima: an application that runs ONCE in the cluster (a distributed application), as
 * the seed's example. Its server, registered 'proxima' on the node that runs it and
 * globally as 'proxima' (Global, from its 'go' phase on), keeps a counter; callers reach it
 * with { global: 'proxima' } (see centauri.ts). Every node runs Global.start first.
 *
 * The server's modes:
 *   waiting    started, not yet serving: calls are queued (answered at 'go')
 *   serving    calls are answered here
 *   handed_off a taker fetched the state: calls are answered { moved: takerNode }, not
 *              applied; the caller sends them again there (the taker queues them until
 *              its 'go'). A redirect rather than a forward: a forwarded call whose
 *              forwarder is stopped before the answer comes looks failed to its caller
 *              (its monitor is on the forwarder), so a retry would apply it twice.
 *
 * Start phases (Erlang's start_phases, run after the top supervisor started, with the
 * start type):
 *   1. 'takeover': with { takeover: from } only — call the old server on `from` with
 *      { handoff: thisNode }: it answers with its counter and stops serving (from then on
 *      it redirects); the new server is given the counter ({ restore }).
 *   2. 'go': the new server starts serving and answers what it queued; the global name
 *      'proxima' moves to it (Global.reRegister).
 * So at any moment at most one server SERVES (takes requests and changes the counter),
 * even while the takeover runs two server processes: the old one serves until the handoff,
 * the new one from 'go' on, and 'go' comes after the handoff. Failover ({ failover: from })
 * starts from 0: the dead node's counter died with it.
 */
import { EventEmitter } from 'node:events';
import type { From } from '../../../src/core/call-protocol.ts';
import type { Context } from '../../../src/core/context.ts';
import { defineApplication, getEnv, type ApplicationDef, type StartType } from '../../../src/otp/application.ts';
import { GenServer, defineGenServer } from '../../../src/otp/gen-server.ts';
import { Global } from '../../../src/cluster/global/index.ts';
import { record } from './lifetime-log.ts';

export type ProximaCall = 'incr' | 'get' | 'go' | { readonly handoff: string } | { readonly restore: number };
export interface ProximaReply {
  readonly count: number;
  readonly node: string;
}

/** What a handed-off server answers instead: ask `moved`'s server. */
export interface ProximaMoved {
  readonly moved: string;
}

interface ProximaState {
  count: number;
  mode: 'waiting' | 'serving' | 'handed_off';
  handedTo: string | null;
  readonly queued: { msg: ProximaCall; from: From }[];
  readonly log: string | null;
  readonly instance: string;
  readonly node: string;
  readonly startType: StartType;
}

function serve(s: ProximaState, msg: ProximaCall): ProximaReply {
  if (msg === 'incr') s.count++;
  return { count: s.count, node: s.node };
}

export const ProximaServer = defineGenServer<ProximaState, ProximaCall, never, unknown, [StartType, string | null]>(import.meta.url, {
  init(ctx, startType, log) {
    ctx.trapExit(true); // terminate runs at the supervisor's shutdown
    const s: ProximaState = { count: 0, mode: 'waiting', handedTo: null, queued: [], log, instance: `${ctx.nodeName}/${String(ctx.self)}`, node: ctx.nodeName, startType };
    record(log, { instance: s.instance, node: s.node, event: 'proc_start', startType });
    return { ok: s };
  },
  handleCall(msg, from, s, ctx: Context) {
    if (typeof msg === 'object' && 'restore' in msg) {
      s.count = msg.restore;
      return { reply: 'ok', state: s };
    }
    if (typeof msg === 'object' && 'handoff' in msg) {
      if (s.mode === 'serving') record(s.log, { instance: s.instance, node: s.node, event: 'serve_stop', startType: s.startType });
      s.mode = 'handed_off';
      s.handedTo = msg.handoff;
      return { reply: { count: s.count }, state: s };
    }
    if (msg === 'go') {
      s.mode = 'serving';
      record(s.log, { instance: s.instance, node: s.node, event: 'serve_start', startType: s.startType });
      for (const q of s.queued.splice(0)) ctx.reply(q.from, serve(s, q.msg));
      return { reply: 'ok', state: s };
    }
    if (s.mode === 'serving') return { reply: serve(s, msg), state: s };
    if (s.mode === 'handed_off') return { reply: { moved: s.handedTo! }, state: s };
    s.queued.push({ msg, from });
    return { noreply: true, state: s };
  },
  terminate(_reason, s) {
    if (s.mode === 'serving') record(s.log, { instance: s.instance, node: s.node, event: 'serve_stop', startType: s.startType });
    record(s.log, { instance: s.instance, node: s.node, event: 'proc_stop', startType: s.startType });
  },
}, 'ProximaServer');

/**
 * For tests and the demo: 'serving' { node, startType } when an instance passed its 'go'
 * phase on this node; 'stopped' { node } when this node's instance has stopped (the
 * application's stop callback, after its processes are gone).
 */
export const proximaEvents = new EventEmitter();

export interface ProximaOptions {
  /** The priority list, identical on every node. */
  readonly nodes: readonly (string | readonly string[])[];
  readonly failoverTimeoutMs: number;
  /** The lifetime log file (lifetime-log.ts), or null. */
  readonly lifetimeLog?: string | null;
}

/** Define the proxima application on this thread (once per process: definitions are per thread). */
export function defineProxima(opts: ProximaOptions): ApplicationDef {
  return defineApplication({
    name: 'proxima',
    distributed: { nodes: opts.nodes, failoverTimeoutMs: opts.failoverTimeoutMs },
    env: { lifetimeLog: opts.lifetimeLog ?? null },
    stop: () => void proximaEvents.emit('stopped', {}),
    start: (startType) => ({
      strategy: 'one_for_one',
      children: [{ id: 'proxima', name: 'proxima', shutdown: 2000, start: { behaviour: ProximaServer, args: [startType, getEnv<string | null>('proxima', 'lifetimeLog', null)] } }],
    }),
    startPhases: [
      {
        name: 'takeover',
        run: async ({ node, startType }) => {
          if (typeof startType !== 'object' || !('takeover' in startType)) return;
          const old = await GenServer.call(node, { name: 'proxima', node: startType.takeover } as never, { handoff: node.name } as never, 5000) as { count: number };
          await GenServer.call(node, 'proxima', { restore: old.count } as never);
        },
      },
      {
        name: 'go',
        run: async ({ node, startType }) => {
          await GenServer.call(node, 'proxima', 'go' as never);
          // The cluster-wide name moves here (from the old instance at a takeover; a failed
          // node's owner is gone already): callers use { global: 'proxima' }.
          const pid = node.whereis('proxima');
          if (pid !== undefined) await Global.reRegister(node, 'proxima', pid);
          proximaEvents.emit('serving', { node: node.name, startType });
        },
      },
    ],
  });
}
