/**
 * Hooks through which a transport translates what the codec cannot know by itself: how
 * a pid's or ref's node is named on the wire, and which Pid/Ref objects a decode yields.
 *
 *   sender                                 wire                      receiver
 *   pid.node (index in sender's table) --encodeNode--> value --decodeNode--> index in its table
 *                                                                  --makePid--> Pid (interned)
 *
 * Without hooks the node goes as its index (threads of one node: index 0 means the same
 * node everywhere). Between nodes, `nodeIdentityHooks(table)` sends the identity
 * `{ name, creation }` and interns it on the way in, so a restarted node's pids (a new
 * creation) never alias the old ones, and a pid of the receiver's own node comes back as
 * index 0. The hooks run once per pid or ref; `encodeNode` should not allocate (the
 * identities below are the table's own frozen objects).
 */
import { BadArgError } from '../core/errors.ts';
import type { Pid, Ref } from '../core/pid.ts';
import { nodeTable, type NodeTable } from '../core/node-table.ts';

export interface EncodeHooks {
  /** The wire value (any sendable value) for a node index. Default: the index. */
  encodeNode?: (index: number) => unknown;
}

export interface DecodeHooks {
  /** The node index for a decoded wire value (see EncodeHooks). Default: the number itself. */
  decodeNode?: (wire: unknown) => number;
  /** Build (or intern) the Pid for a decoded `<node.id.serial>`. Default: `new Pid`. */
  makePid?: (node: number, id: number, serial: number) => Pid;
  /** Build (or intern) the Ref for a decoded `#Ref<node.sched.n>`. Default: `new Ref`. */
  makeRef?: (node: number, sched: number, n: number) => Ref;
}

/** Hooks that send a node as its `{ name, creation }` and intern it into `table` on decode. */
export function nodeIdentityHooks(table: NodeTable = nodeTable): Required<EncodeHooks> & Pick<Required<DecodeHooks>, 'decodeNode'> {
  return {
    encodeNode(index: number): unknown {
      const identity = table.identity(index);
      if (identity === undefined) throw new BadArgError(`encodeNode: no node ${index} in the node table`);
      return identity;
    },
    decodeNode(wire: unknown): number {
      const w = wire as { name?: unknown; creation?: unknown } | null;
      if (typeof w !== 'object' || w === null || typeof w.name !== 'string' || typeof w.creation !== 'number') {
        throw new BadArgError('decodeNode: expected { name, creation }');
      }
      return table.intern(w.name, w.creation);
    },
  };
}

/**
 * Hooks for the rings between the threads of one node (src/threads): node index 0 (this
 * node, the same on every thread) goes as the number 0, as without hooks — no allocation,
 * the fast path of every local pid — and any other index as its `{ name, creation }`
 * identity (the sending thread's table's own frozen object), interned on decode into the
 * receiving thread's `table`. Each thread's table gives other nodes its own indices, so an
 * index other than 0 never crosses as a number.
 *
 *   wire value        decodes to
 *   0                 0 (this node)
 *   { name, creation} table.intern(name, creation)
 *   anything else     BadArgError (a malformed record)
 */
export function threadNodeHooks(table: NodeTable = nodeTable): Required<EncodeHooks> & Pick<Required<DecodeHooks>, 'decodeNode'> {
  const identity = nodeIdentityHooks(table);
  return {
    encodeNode(index: number): unknown {
      return index === 0 ? 0 : identity.encodeNode(index);
    },
    decodeNode(wire: unknown): number {
      if (wire === 0) return 0;
      if (typeof wire === 'number') throw new BadArgError(`decodeNode: node index ${wire} cannot cross threads (only 0, or an identity)`);
      return identity.decodeNode(wire);
    },
  };
}
