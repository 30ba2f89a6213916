/**
 * startNode: the one way to start a Switchboard node, of any kind.
 *
 *   await startNode({ schedulers: 0 })   one scheduler on the calling thread (LocalNode)
 *   await startNode({ schedulers: 4 })   four scheduler worker threads (ThreadedNode)
 *   await startNode()                    one worker per core (os.availableParallelism())
 *   await startNode({ name: 'a@127.0.0.1', cookie, ... })   the same, distributed
 *
 * Every kind implements the Node interface (core/node.ts). The type of the result says
 * which kind it is when it can: `ThreadedNode` for a literal count >= 1 (or none), the
 * Node interface otherwise (a count only known at run time may be 0).
 *
 * It lives in dist/, the layer above threads/ and core/, because it puts them together:
 *   1. split off the distribution options (name, cookie, hidden, shortNames, dist); without
 *      a name any of the others is an InvalidOptionError;
 *   2. check the rest (threads/node-options.ts), nothing started yet;
 *   3. no name: a LocalNode, or startThreads (threads/start-threads.ts);
 *   4. a name: start-distributed.ts starts the I/O thread and names this thread's node
 *      table, then builds the same node kinds around the Distribution.
 */
import { InvalidOptionError } from '../core/errors.ts';
import { LocalNode } from '../core/local-node.ts';
import type { Node } from '../core/node.ts';
import { checkOptions, type OptionChecks } from '../core/options.ts';
import { checkNodeOptions, localNodeOptions, threadedNodeConfig, type NodeOptions } from '../threads/node-options.ts';
import { startThreads } from '../threads/start-threads.ts';
import '../threads/msacc-sampler.ts'; // installs the process's microstate sampler (a LocalNode's too)
import type { ThreadedNode } from '../threads/threaded-node.ts';
import type { DistOptions } from './dist-options.ts';
import { startNamedNode, type NamedNodeOptions } from './start-distributed.ts';

/** startNode's options: a node's (threads/node-options.ts) and, for a named node, distribution's. */
export interface StartNodeOptions extends NodeOptions {
  /**
   * The node's name ('a@127.0.0.1', or 'a' with shortNames): a named node is distributed:
   * it listens, registers in the port mapper and talks to other nodes. Without a name the
   * node stays local ('nonode@nohost').
   */
  name?: string;
  /** The cookie nodes must share (default: env SWITCHBOARD_COOKIE, else ~/.erlang.cookie, created 0600 if absent). */
  cookie?: string;
  /** A hidden node does not join the full mesh and is not in others' nodes() (tools attach so). */
  hidden?: boolean;
  /** Short names ('a' -> 'a@<short hostname>'), as erl -sname. */
  shortNames?: boolean;
  /** Distribution settings (dist-options.ts). */
  dist?: DistOptions;
}

/**
 * What startNode resolves with for a `schedulers` option of type `S`: a ThreadedNode when
 * it is a literal >= 1 or absent, the Node interface when it is 0 or any number.
 */
export type StartedNode<S extends number | undefined> = number extends Exclude<S, undefined> ? Node : 0 extends S ? Node : ThreadedNode;

const kNamedKeys = ['name', 'cookie', 'hidden', 'shortNames', 'dist'] as const;

const namedChecks: OptionChecks = {
  name: (v) => (typeof v === 'string' && v !== '' ? null : "must be a node name such as 'a@127.0.0.1'"),
  cookie: (v) => (typeof v === 'string' && v !== '' ? null : 'must be a non-empty string'),
  hidden: (v) => (typeof v === 'boolean' ? null : 'must be a boolean'),
  shortNames: (v) => (typeof v === 'boolean' ? null : 'must be a boolean'),
  dist: (v) => (typeof v === 'object' && v !== null && !Array.isArray(v) ? null : 'must be an object (see the distribution options)'),
};

/** Start a node; resolves when its schedulers run (and, named, when it listens). @throws (rejects) InvalidOptionError */
export async function startNode<const S extends number | undefined = undefined>(options?: StartNodeOptions & { schedulers?: S }): Promise<StartedNode<S>> {
  // Step 1 (a non-object is refused by step 2's checker with its usual message).
  let rest: NodeOptions | undefined = options;
  let named: Record<string, unknown> = {};
  if (typeof options === 'object' && options !== null && !Array.isArray(options)) {
    const r: Record<string, unknown> = { ...options };
    for (const k of kNamedKeys) {
      if (k in r) {
        named[k] = r[k];
        delete r[k];
      }
    }
    rest = r as NodeOptions;
    checkOptions('startNode', namedChecks, named);
    if (named['name'] === undefined) {
      for (const k of kNamedKeys) {
        if (named[k] !== undefined) throw new InvalidOptionError(k, `startNode: option "${k}" applies only to a node with a name`);
      }
      named = {};
    }
  }
  const schedulers = checkNodeOptions(rest); // step 2
  if (named['name'] === undefined) {
    if (schedulers === 0) return new LocalNode(localNodeOptions(rest), 'startNode') as Node as StartedNode<S>;
    return (await startThreads(threadedNodeConfig(rest, schedulers))) as StartedNode<S>;
  }
  const n = named as unknown as NamedNodeOptions;
  if (schedulers === 0) return (await startNamedNode(n, (dist) => new LocalNode(localNodeOptions(rest), 'startNode', dist))) as StartedNode<S>;
  return (await startNamedNode(n, (dist) => startThreads(threadedNodeConfig(rest, schedulers), dist))) as StartedNode<S>;
}
