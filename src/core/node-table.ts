/**
 * The node table: which node a pid or ref belongs to. A Pid keeps its node as a small
 * integer (`pid.node`), an index into this table, so the Pid object stays small and of
 * one shape; the table maps the index to the node's identity, its name and its
 * *creation* (a number a node gets anew each time it starts, as in Erlang):
 *
 *   index | name              | creation
 *   ------+-------------------+---------
 *     0   | this node         | its creation      (always: <0.id.serial> is local)
 *     1   | 'a@host'          | 1
 *     2   | 'a@host'          | 2                 (a@host restarted: a new index)
 *     3   | 'b@host'          | 7
 *
 * Interning: within one table the same (name, creation) always gets the same index, and
 * a new creation of a name gets a new index, so a pid of the old incarnation of a node
 * never compares equal to one of the new (`pidEquals` compares the index). Indices are
 * never reused.
 *
 * Each thread has its own table (module state); threads of one node exchange only pids
 * of index 0 today, so their indices need no translation. A transport between nodes
 * translates indices with the codec's node hooks (src/codec/node-hooks.ts): it sends the
 * identity and the receiver interns it into its own table. Printing follows Erlang: the
 * index, `<2.42.0>`, `#Ref<2.0.17>`.
 */
import { BadArgError } from './errors.ts';

/** Who a node is: its name and the creation (incarnation) of that name. */
export interface NodeIdentity {
  readonly name: string;
  readonly creation: number;
}

/** The name of a node that has not been given one (Erlang's `nonode@nohost`). */
export const kNoNodeName = 'nonode@nohost';

export class NodeTable {
  private readonly identities: NodeIdentity[] = [];
  /** name -> creation -> index. */
  private readonly indexByName = new Map<string, Map<number, number>>();

  constructor(localName = kNoNodeName, localCreation = 0) {
    check(localName, localCreation);
    this.add(localName, localCreation);
  }

  /** The identity of this node (index 0). */
  get local(): NodeIdentity {
    return this.identities[0]!;
  }

  /** How many nodes the table knows, this one included. */
  get size(): number {
    return this.identities.length;
  }

  /**
   * The index of (name, creation), added if new. The local node's identity gives 0.
   * @throws BadArgError if the name is not a non-empty string or the creation is not an
   *   integer in [0, 2^32).
   */
  intern(name: string, creation: number): number {
    check(name, creation);
    return this.indexByName.get(name)?.get(creation) ?? this.add(name, creation);
  }

  /** The identity at `index`, or undefined if the index was never given out. */
  identity(index: number): NodeIdentity | undefined {
    return this.identities[index];
  }

  /**
   * Name this node (when it starts distribution). Pids made before keep index 0 and so
   * stay this node's.
   * @throws BadArgError if the identity is invalid or already names another index.
   */
  setLocal(name: string, creation: number): void {
    check(name, creation);
    const at = this.indexByName.get(name)?.get(creation);
    if (at === 0) return;
    if (at !== undefined) throw new BadArgError(`NodeTable: ${name} (creation ${creation}) is already node ${at}`);
    const old = this.identities[0]!;
    this.indexByName.get(old.name)!.delete(old.creation);
    this.identities[0] = Object.freeze({ name, creation });
    this.byName(name).set(creation, 0);
  }

  private add(name: string, creation: number): number {
    const index = this.identities.length;
    this.identities.push(Object.freeze({ name, creation }));
    this.byName(name).set(creation, index);
    return index;
  }

  private byName(name: string): Map<number, number> {
    let m = this.indexByName.get(name);
    if (m === undefined) this.indexByName.set(name, (m = new Map()));
    return m;
  }
}

function check(name: unknown, creation: unknown): void {
  if (typeof name !== 'string' || name === '') throw new BadArgError('NodeTable: a node name must be a non-empty string');
  if (!Number.isInteger(creation) || (creation as number) < 0 || (creation as number) >= 2 ** 32) {
    throw new BadArgError(`NodeTable: creation must be an integer in [0, 2^32), got ${String(creation)}`);
  }
}

/** This thread's node table: what `pid.node` indexes. */
export const nodeTable = new NodeTable();

/** The identity of the node a pid or ref belongs to (undefined for an unknown index). */
export function nodeOf(p: { readonly node: number }): NodeIdentity | undefined {
  return nodeTable.identity(p.node);
}
