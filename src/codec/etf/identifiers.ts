/**
 * Pids, references and ports of other (Erlang) nodes as the ETF codec carries them: the
 * node's name as an Atom plus the numbers of the wire format, by value. They are not
 * core/pid.ts's Pid and Ref (those index a thread's node table); a converter between the
 * two belongs to the distribution part of issue 15.
 *
 * Encoded in the current formats (NEW_PID_EXT, NEWER_REFERENCE_EXT, NEW_PORT_EXT or
 * V4_PORT_EXT for ids past 32 bits); the older formats decode to the same classes.
 * `equals` compares by value, as =:= does.
 */
import { BadArgError } from '../../core/errors.ts';
import { Atom } from './atom.ts';

function u32(what: string, v: number): number {
  if (!Number.isInteger(v) || v < 0 || v > 0xffff_ffff) throw new BadArgError(`${what}: expected an unsigned 32-bit integer, got ${v}`);
  return v;
}

/** `<id.serial>` of `node` (printed by Erlang as <N.id.serial>). */
export class ErlPid {
  constructor(
    readonly node: Atom,
    readonly id: number,
    readonly serial: number,
    readonly creation: number,
  ) {
    if (!(node instanceof Atom)) throw new BadArgError('ErlPid: the node must be an Atom');
    u32('ErlPid id', id);
    u32('ErlPid serial', serial);
    u32('ErlPid creation', creation);
  }
  equals(o: unknown): boolean {
    return o instanceof ErlPid && o.node === this.node && o.id === this.id && o.serial === this.serial && o.creation === this.creation;
  }
  toString(): string {
    return `<${this.node.name}.${this.id}.${this.serial}>`;
  }
}

/** A reference: up to 5 32-bit words (uninterpreted), the node and its creation. */
export class ErlRef {
  readonly ids: readonly number[];
  constructor(
    readonly node: Atom,
    readonly creation: number,
    ids: readonly number[],
  ) {
    if (!(node instanceof Atom)) throw new BadArgError('ErlRef: the node must be an Atom');
    u32('ErlRef creation', creation);
    if (!Array.isArray(ids) || ids.length < 1 || ids.length > 5) throw new BadArgError('ErlRef: expected 1 to 5 id words');
    for (const w of ids) u32('ErlRef id word', w);
    this.ids = ids.slice();
  }
  equals(o: unknown): boolean {
    if (!(o instanceof ErlRef) || o.node !== this.node || o.creation !== this.creation || o.ids.length !== this.ids.length) return false;
    for (let i = 0; i < this.ids.length; i++) if (o.ids[i] !== this.ids[i]) return false;
    return true;
  }
  toString(): string {
    return `#Ref<${this.node.name}.${this.ids.slice().reverse().join('.')}>`;
  }
}

/** A port of another node: received and passed on (no port operation crosses nodes). */
export class ErlPort {
  constructor(
    readonly node: Atom,
    /** Up to 64 bits (V4_PORT_EXT). */
    readonly id: bigint,
    readonly creation: number,
  ) {
    if (!(node instanceof Atom)) throw new BadArgError('ErlPort: the node must be an Atom');
    if (typeof id !== 'bigint' || id < 0n || id > 0xffff_ffff_ffff_ffffn) throw new BadArgError('ErlPort: the id must be a bigint of 0..2^64-1');
    u32('ErlPort creation', creation);
  }
  equals(o: unknown): boolean {
    return o instanceof ErlPort && o.node === this.node && o.id === this.id && o.creation === this.creation;
  }
  toString(): string {
    return `#Port<${this.node.name}.${this.id}>`;
  }
}
