/**
 * The value mapping at the boundary with Erlang nodes (node thread): what goes out is made
 * of ETF classes (src/codec/etf) with core pids and refs turned into ErlPid / ErlRef; what
 * comes in gets core Pid / Ref back where they name processes and refs of nodes we know.
 *
 *   core (Switchboard)                         Erlang term
 *   ----------------------------------------------------------------------------------
 *   Pid(index, id, serial)                     ErlPid(node of index, id, serial, creation)
 *                                              (index 0: this node's name and creation)
 *   Ref(index, sched, n)                       ErlRef(node of index, creation, [n, sched, kRefMark])
 *   an ErlPid of any node                      Pid(nodeTable.intern(node, creation), id, serial)
 *   an ErlRef this node made (our name and     the same Ref it came from
 *     creation, 3 words, kRefMark)
 *   any other ErlRef, ErlPort, fun             stays as it is (data)
 *   arrays, Tuple, Map, plain objects,         converted element by element (a container is
 *     ImproperList                             copied only when something in it changed)
 *   exit / DOWN reasons: a string              the atom of that name ('normal', 'kill',
 *                                              'killed', 'noproc', 'noconnection', 'shutdown'...)
 *   a reason that is an Error                  {js_error, Name, Message} (binaries)
 *   an atom reason from Erlang                 its name as a string
 *
 * Everything else is the ETF lane's mapping (readme-etf.md): Atom, Tuple, Uint8Array,
 * numbers / bigints, arrays, Map, ...; a value with no Erlang term is refused by the ETF
 * encoder (EtfUnsupportedError) when it is sent.
 */
import { Atom, ErlPid, ErlRef, ImproperList, Tuple } from '../../codec/etf/index.ts';
import { nodeTable } from '../../core/node-table.ts';
import { Pid, Ref } from '../../core/pid.ts';

/** The third word of every ref this node gives an Erlang node ('SB' in ASCII): how it knows its own refs when they come back. */
export const kRefMark = 0x5342;

function localAtom(): Atom {
  return Atom.of(nodeTable.local.name);
}

export function pidToErl(p: Pid): ErlPid {
  const id = nodeTable.identity(p.node) ?? nodeTable.local;
  // kNoPid (serial -1): no process; sent as serial 0 of id 0, which no process of ours has.
  return new ErlPid(Atom.of(id.name), p.id >>> 0, p.serial < 0 ? 0 : p.serial >>> 0, id.creation >>> 0);
}

export function refToErl(r: Ref): ErlRef {
  const id = nodeTable.identity(r.node) ?? nodeTable.local;
  return new ErlRef(Atom.of(id.name), id.creation >>> 0, [r.n >>> 0, r.sched >>> 0, kRefMark]);
}

export function pidFromErl(p: ErlPid): Pid {
  const local = nodeTable.local;
  const index = p.node.name === local.name && p.creation === local.creation ? 0 : nodeTable.intern(p.node.name, p.creation);
  return new Pid(index, p.id, p.serial);
}

/** A ref this node made, back as the core Ref; undefined for any other ref. */
export function ownRefFromErl(r: ErlRef): Ref | undefined {
  const local = nodeTable.local;
  if (r.ids.length !== 3 || r.ids[2] !== kRefMark || r.node !== localAtom() || r.creation !== local.creation) return undefined;
  return new Ref(0, r.ids[1]!, r.ids[0]!);
}

/** A JS value as an Erlang term: pids and refs converted (see the table). */
export function toErlang(v: unknown): unknown {
  if (typeof v !== 'object' || v === null) return v;
  if (v instanceof Pid) return pidToErl(v);
  if (v instanceof Ref) return refToErl(v);
  if (Array.isArray(v)) return mapArray(v, toErlang);
  if (v instanceof Tuple) {
    const e = mapArray(v.elements, toErlang);
    return e === v.elements ? v : new Tuple(e);
  }
  if (v instanceof Map) return mapMap(v, toErlang);
  if (v instanceof ImproperList) {
    const items = mapArray(v.items, toErlang);
    const tail = toErlang(v.tail);
    return items === v.items && tail === v.tail ? v : new ImproperList(items, tail);
  }
  const proto = Object.getPrototypeOf(v) as object | null;
  if (proto === Object.prototype || proto === null) return mapObject(v as Record<string, unknown>, toErlang);
  return v;
}

/** An Erlang term as a JS value: pids (and this node's refs) back to core's. */
export function fromErlang(v: unknown): unknown {
  if (typeof v !== 'object' || v === null) return v;
  if (v instanceof ErlPid) return pidFromErl(v);
  if (v instanceof ErlRef) return ownRefFromErl(v) ?? v;
  if (Array.isArray(v)) return mapArray(v, fromErlang);
  if (v instanceof Tuple) {
    const e = mapArray(v.elements, fromErlang);
    return e === v.elements ? v : new Tuple(e);
  }
  if (v instanceof Map) return mapMap(v, fromErlang);
  if (v instanceof ImproperList) {
    const items = mapArray(v.items, fromErlang);
    const tail = fromErlang(v.tail);
    return items === v.items && tail === v.tail ? v : new ImproperList(items, tail);
  }
  return v;
}

/** An exit / DOWN reason for Erlang (see the table). */
export function reasonToErlang(reason: unknown): unknown {
  if (typeof reason === 'string') return Atom.of(reason.length <= 255 ? reason : reason.slice(0, 255));
  if (reason instanceof Error) return Tuple.of(Atom.of('js_error'), reason.name, reason.message);
  return toErlang(reason);
}

/** An exit / DOWN reason from Erlang: an atom becomes its name. */
export function reasonFromErlang(reason: unknown): unknown {
  if (reason instanceof Atom) return reason.name;
  return fromErlang(reason);
}

function mapArray(a: readonly unknown[], f: (x: unknown) => unknown): unknown[] {
  let out: unknown[] | null = null;
  for (let i = 0; i < a.length; i++) {
    const x = a[i];
    const y = f(x);
    if (y !== x && out === null) out = a.slice(0, i);
    if (out !== null) out.push(y);
  }
  return out ?? (a as unknown[]);
}

function mapMap(m: Map<unknown, unknown>, f: (x: unknown) => unknown): Map<unknown, unknown> {
  let changed = false;
  const out = new Map<unknown, unknown>();
  for (const [k, x] of m) {
    const k2 = f(k);
    const x2 = f(x);
    if (k2 !== k || x2 !== x) changed = true;
    out.set(k2, x2);
  }
  return changed ? out : m;
}

function mapObject(o: Record<string, unknown>, f: (x: unknown) => unknown): Record<string, unknown> {
  let out: Record<string, unknown> | null = null;
  for (const k of Object.keys(o)) {
    const x = o[k];
    const y = f(x);
    if (y !== x && out === null) out = { ...o };
    if (out !== null) out[k] = y;
  }
  return out ?? o;
}
