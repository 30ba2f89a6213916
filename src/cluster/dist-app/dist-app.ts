/**
 * DistApp: distributed applications (Erlang's dist_ac and the part of
 * application_controller that works with it). An application defined with
 * `distributed: { nodes, failoverTimeoutMs }` runs on exactly one node of its list; the
 * controller of every node (controller.ts) agrees with the others where.
 *
 *   await DistApp.start(node);                        // on every node, once (idempotent)
 *   await Application.start(node, Proxima, { syncNodesOptional: [...], syncNodesTimeoutMs: 5000 });
 *   await DistApp.whereRunning(node, 'proxima');      // 'a@h' | null (yield* from an actor)
 *   await Application.takeover(node, 'proxima');      // move it here by hand
 *
 * `DistApp.start(node)` (explicit: the otp layer cannot start a cluster service) does:
 *   1. checks the node has a name (NotDistributedError) and options (InvalidOptionError);
 *   2. starts the controller GenServer registered as 'dist_ac' (module-defined: on any
 *      scheduler of any node kind); it stops with the node's actors;
 *   3. listens for the controller's orders on the node's 'message' event and performs them
 *      one after another on the embedding thread, where the definitions live:
 *      `run` -> application.ts runHere(node, app, startType) (top process, start phases),
 *      `stop` -> stopHere(node, app); each answered with a `$dist_app_done` message;
 *   4. installs the host that Application.start / stop / takeover of a distributed
 *      application hand over to (application.ts setDistributedApplicationsHost).
 * A second call on the same node returns the running controller's pid.
 *
 * Errors: errors.ts (SyncNodesError, DistAppMismatchError, NotRunningDistributedError,
 * AlreadyRunningHereError, UnknownDistributedAppError, DistAppStoppedError); a failed local
 * start rejects Application.start with the start's own error (StartFailedError...).
 */
import { NotDistributedError } from '../../core/errors.ts';
import type { Node } from '../../core/node.ts';
import { checkOptions, mustBePositiveInteger } from '../../core/options.ts';
import type { Pid } from '../../core/pid.ts';
import { runHere, setDistributedApplicationsHost, stopHere, type DistributedApplicationsHost } from '../../otp/application.ts';
import { callOut, type CallGen, type CallOut, type Via } from '../../otp/call.ts';
import { GenServer } from '../../otp/gen-server.ts';
import { DistAppController } from './controller.ts';
import { isOrder, kControllerName, type ControllerAnswer, type ControllerCall, type DistAppInfo, type DoneMsg, type OrderMsg } from './protocol.ts';

export interface DistAppStartOptions {
  /** How long the start-time sync waits for a node that neither answers nor goes down (default 2000). */
  readonly discoveryTimeoutMs?: number;
}

const kDefaultDiscoveryMs = 2000;

/** The embedding-thread side of one node (step 3). */
class OrderRunner {
  private chain: Promise<void> = Promise.resolve();
  constructor(
    private readonly node: Node,
    readonly controller: Pid,
  ) {
    node.on('message', (m: unknown) => {
      if (isOrder(m)) this.chain = this.chain.then(() => this.perform(m));
    });
  }

  private async perform(o: OrderMsg): Promise<void> {
    let done: DoneMsg;
    try {
      const top = o.op === 'run' ? await runHere(this.node, o.app, o.startType) : null;
      if (o.op === 'stop') await stopHere(this.node, o.app);
      done = { type: '$dist_app_done', app: o.app, seq: o.seq, ok: true, top };
    } catch (e) {
      done = { type: '$dist_app_done', app: o.app, seq: o.seq, ok: false, error: e instanceof Error ? e : new Error(String(e)) };
    }
    try {
      this.node.send(this.controller, done); // also while node.stop() runs its hooks (a withdraw waits for it)
    } catch {
      // The node has stopped: nobody waits for the answer any more.
    }
  }
}

const runners = new WeakMap<Node, OrderRunner>();

function unwrap<T>(a: ControllerAnswer<T>): T {
  if ('error' in a) throw a.error;
  return a.ok;
}

function ask<V extends Via, T>(via: V, call: ControllerCall): CallOut<V, T> {
  const out = callOut<V, ControllerAnswer<T>>(via, kControllerName, call, Infinity) as CallGen<ControllerAnswer<T>> | Promise<ControllerAnswer<T>>;
  if (out instanceof Promise) return out.then(unwrap) as CallOut<V, T>;
  return (function* () {
    return unwrap(yield* out);
  })() as CallOut<V, T>;
}

function hostFor(node: Node, controller: Pid): DistributedApplicationsHost {
  const call = async <T>(c: ControllerCall): Promise<T> => unwrap(await node.call<ControllerAnswer<T>>(controller, c, Infinity));
  return {
    start: async (def, sync) => {
      const d = def.distributed!;
      await call({ op: 'declare', app: def.name, nodes: d.nodes, failoverTimeoutMs: d.failoverTimeoutMs ?? 0, sync });
    },
    stop: async (name) => {
      await call({ op: 'withdraw', app: name });
    },
    takeover: async (name) => {
      await call({ op: 'takeover', app: name });
    },
  };
}

export const DistApp = {
  /** Start this node's distributed-application controller (steps 1-4); idempotent. */
  async start(node: Node, opts: DistAppStartOptions = {}): Promise<Pid> {
    checkOptions('DistApp.start', { discoveryTimeoutMs: mustBePositiveInteger }, opts);
    if (node.name === 'nonode@nohost') throw new NotDistributedError('DistApp.start');
    const existing = runners.get(node);
    if (existing !== undefined) return existing.controller;
    const pid = await GenServer.start(node, DistAppController, [node.pid, { discoveryTimeoutMs: opts?.discoveryTimeoutMs ?? kDefaultDiscoveryMs }], { name: kControllerName });
    const runner = new OrderRunner(node, pid!);
    runners.set(node, runner);
    setDistributedApplicationsHost(node, hostFor(node, pid!));
    return pid!;
  },

  /** The node that runs `app` as this node knows it, null while it runs nowhere (failover wait). */
  whereRunning<V extends Via>(via: V, app: string): CallOut<V, string | null> {
    return ask<V, string | null>(via, { op: 'where', app });
  },

  /** This node's view of `app` (for tools and tests). */
  info<V extends Via>(via: V, app: string): CallOut<V, DistAppInfo> {
    return ask<V, DistAppInfo>(via, { op: 'info', app });
  },
};
