/**
 * Pid and Ref: the identities of processes and of references (monitors, calls, timers).
 *
 * A pid has Erlang's three parts, printed `<node.id.serial>`:
 *   - `node`:   index in this thread's node table (node-table.ts), which maps it to the
 *               node's name and creation; 0 is always "this node". A node that restarts
 *               gets a new creation, hence a new index, so its old pids never alias new
 *               ones. The index keeps the Pid small and of one shape (three small ints).
 *   - `id`:     the process slot. Slots are partitioned between the schedulers of a node:
 *               scheduler `k` of `n` owns the ids `id % n === k`, so any thread of the node
 *               can route a pid to its scheduler with one modulo and no lookup.
 *   - `serial`: the generation of that slot. A slot is reused after its process exits, but
 *               with the next serial, so the pid of a dead process never aliases a new one.
 *
 * Identity: a live local process has exactly one Pid object (held by its actor record),
 * so `===` and Map keys work for pids obtained from spawn, `self`, messages and signals.
 * A pid that was *decoded* (from another thread or node) is re-interned by the decoder;
 * where two Pid objects may exist, `pidEquals` compares by value.
 *
 * Printed as Erlang prints them, with the node index: `<0.42.0>`, `#Ref<0.1.17>`; the
 * node's name is `nodeOf(pid)` (node-table.ts). On the wire the codec sends the index, or
 * what its `encodeNode` hook makes of it (src/codec/node-hooks.ts).
 *
 * Pids and refs are frozen: messages share them instead of copying them.
 */

export class Pid {
  readonly node: number;
  readonly id: number;
  readonly serial: number;
  constructor(node: number, id: number, serial: number) {
    this.node = node;
    this.id = id;
    this.serial = serial;
    Object.freeze(this);
  }
  toString(): string {
    return `<${this.node}.${this.id}.${this.serial}>`;
  }
  toJSON(): string {
    return this.toString();
  }
  equals(other: unknown): boolean {
    return other instanceof Pid && other.node === this.node && other.id === this.id && other.serial === this.serial;
  }
  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return this.toString();
  }
}

/**
 * The pid of no process, `<0.0.-1>`: the sender of a signal from outside any actor, the
 * pid a DOWN for an unregistered name carries. Never the pid of an actor (serials start at 0).
 */
export const kNoPid = new Pid(0, 0, -1);

export class Ref {
  readonly node: number;
  readonly sched: number;
  readonly n: number;
  constructor(node: number, sched: number, n: number) {
    this.node = node;
    this.sched = sched;
    this.n = n;
    Object.freeze(this);
  }
  toString(): string {
    return `#Ref<${this.node}.${this.sched}.${this.n}>`;
  }
  toJSON(): string {
    return this.toString();
  }
  equals(other: unknown): boolean {
    return other instanceof Ref && other.node === this.node && other.sched === this.sched && other.n === this.n;
  }
  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return this.toString();
  }
}

export function isPid(x: unknown): x is Pid {
  return x instanceof Pid;
}

export function isRef(x: unknown): x is Ref {
  return x instanceof Ref;
}

export function pidEquals(a: Pid, b: Pid): boolean {
  return a === b || (a.node === b.node && a.id === b.id && a.serial === b.serial);
}

/** Parse `<0.42.0>` back into a Pid (for shells and tests). */
export function parsePid(text: string): Pid | undefined {
  const m = /^<(\d+)\.(\d+)\.(\d+)>$/.exec(text);
  if (m === null) return undefined;
  return new Pid(Number(m[1]), Number(m[2]), Number(m[3]));
}
