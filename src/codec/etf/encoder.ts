/**
 * The encoder of the Erlang External Term Format (tags: tags.ts; JS mapping: readme-etf.md).
 *
 *   - `encode(value)`: a whole term as term_to_binary makes it (version byte 131 first);
 *     with the `compressed` option, zlib-compressed (131, 80, size, data) when that is
 *     smaller, as term_to_binary(T, [compressed]) does;
 *   - `encodeTerm(value)`: the tagged value alone (no version byte), as it follows a
 *     distribution header.
 *
 * What each JS value becomes (the smallest ext that carries it, as erts picks):
 *   integers that are safe JS integers and bigints: SMALL_INTEGER_EXT (0..255),
 *   INTEGER_EXT (32-bit), else SMALL_BIG_EXT / LARGE_BIG_EXT; other finite numbers and
 *   ErlFloat: NEW_FLOAT_EXT; Atom, true/false/undefined/null: SMALL_ATOM_UTF8_EXT (or
 *   ATOM_UTF8_EXT past 255 bytes); strings: BINARY_EXT of their UTF-8; Uint8Array:
 *   BINARY_EXT; BitBinary: BIT_BINARY_EXT; arrays: NIL_EXT / STRING_EXT (every element a
 *   byte, at most 65535) / LIST_EXT; Charlist: STRING_EXT or LIST_EXT of code points;
 *   ImproperList: LIST_EXT with its tail; Tuple: SMALL/LARGE_TUPLE_EXT; Map and plain
 *   objects (keys as atoms, or binaries with `objectKeys: 'binary'`): MAP_EXT; ErlPid,
 *   ErlRef, ErlPort, ErlExportFun, ErlClosure: NEW_PID_EXT, NEWER_REFERENCE_EXT, NEW_PORT_EXT/V4_PORT_EXT, EXPORT_EXT, NEW_FUN_EXT.
 *   Anything else (NaN, infinities, functions, symbols, other classes, other typed
 *   arrays) raises EtfUnsupportedError naming its path; nesting past maxDepth (a cycle
 *   included) raises EtfLimitError('depth').
 *
 * Hot path: one reused growable scratch buffer written through a DataView; `encode` returns
 * a copy of the bytes written (so the scratch is reused at once), `encodeToScratch` leaves
 * them in the scratch for a caller that copies them on (a socket write, a frame buffer).
 */
import { deflateSync } from 'node:zlib';
import { Atom } from './atom.ts';
import { digitsOfBigInt } from './bignum.ts';
import { EtfLimitError } from './errors.ts';
import { TermFault, errorOfFault, faultAt, mapValueSegment } from './fault.ts';
import { ErlClosure, ErlExportFun } from './funs.ts';
import { ErlPid, ErlPort, ErlRef } from './identifiers.ts';
import { resolveEncodeOptions, type EtfEncodeOptions, type ResolvedEncodeOptions } from './limits.ts';
import { BitBinary, Charlist, ErlFloat, ImproperList, Tuple } from './terms.ts';
import * as T from './tags.ts';

const kTrue = Atom.of('true');
const kFalse = Atom.of('false');
const kUndefined = Atom.of('undefined');
const kNull = Atom.of('null');
const kUtf8 = new TextEncoder();
/** A scratch buffer that grew past this is dropped after use. */
const kMaxRetainedBytes = 1 << 20;

/** Encodes JS values as External Term Format terms. One encode at a time per encoder. */
export class EtfEncoder {
  private readonly opts: ResolvedEncodeOptions;
  private buf = new Uint8Array(256);
  private view = new DataView(this.buf.buffer);
  private pos = 0;
  private depth = 0;

  constructor(options?: EtfEncodeOptions) {
    this.opts = resolveEncodeOptions(options);
  }

  /**
   * `value` as term_to_binary would give it (version byte first).
   * @throws EtfUnsupportedError, EtfLimitError (with the path of the value).
   */
  encode(value: unknown): Uint8Array {
    this.pos = 0;
    this.put8(T.kVersion);
    this.run(value);
    if (this.opts.compressionLevel >= 0) {
      const body = this.buf.subarray(1, this.pos);
      const packed = deflateSync(body, { level: this.opts.compressionLevel });
      if (packed.length + 6 < body.length) {
        const out = new Uint8Array(6 + packed.length);
        out[0] = T.kVersion;
        out[1] = T.kCompressed;
        new DataView(out.buffer).setUint32(2, body.length);
        out.set(packed, 6);
        return this.finish(out);
      }
    }
    return this.finish(this.buf.slice(0, this.pos));
  }

  /** `value` as one tagged value with no version byte (the form after a distribution header). */
  encodeTerm(value: unknown): Uint8Array {
    this.pos = 0;
    this.run(value);
    return this.finish(this.buf.slice(0, this.pos));
  }

  /**
   * Encode `value` into the encoder's scratch buffer without copying it out (no compression):
   * returns the byte count; the bytes are `scratch.subarray(0, n)` until the next call.
   * `versioned: false` leaves out the version byte (the form after a distribution header).
   */
  encodeToScratch(value: unknown, versioned = true): number {
    this.pos = 0;
    if (versioned) this.put8(T.kVersion);
    this.run(value);
    return this.pos;
  }

  /** The scratch buffer encodeToScratch wrote into (replaced when it grows). */
  get scratch(): Uint8Array {
    return this.buf;
  }

  /** After copying out of `scratch`: drop it if a big value made it grow past 1 MiB (as encode does). */
  releaseScratch(): void {
    this.finish(this.buf);
  }

  private run(value: unknown): void {
    this.depth = 0;
    try {
      this.write(value);
    } catch (e) {
      if (e instanceof TermFault) throw errorOfFault(e);
      if (e instanceof RangeError && /call stack/i.test(e.message)) {
        throw errorOfFault(new TermFault('limit', 'nested too deep for the JS stack (lower maxDepth)', -1, 'depth'));
      }
      throw e;
    }
  }

  private finish(out: Uint8Array): Uint8Array {
    if (this.buf.length > kMaxRetainedBytes) {
      this.buf = new Uint8Array(256);
      this.view = new DataView(this.buf.buffer);
    }
    return out;
  }

  private ensure(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.pos + n) size *= 2;
    const next = new Uint8Array(size);
    next.set(this.buf.subarray(0, this.pos));
    this.buf = next;
    this.view = new DataView(next.buffer);
  }

  private put8(v: number): void {
    this.ensure(1);
    this.buf[this.pos++] = v;
  }

  private put32(v: number): void {
    this.ensure(4);
    this.view.setUint32(this.pos, v >>> 0);
    this.pos += 4;
  }

  private enter(): void {
    if (++this.depth > this.opts.maxDepth) throw new TermFault('limit', `nested deeper than maxDepth ${this.opts.maxDepth} (a cycle?)`, -1, 'depth');
  }

  private unsupported(what: string): never {
    throw new TermFault('unsupported', what, -1);
  }

  private write(v: unknown): void {
    switch (typeof v) {
      case 'number':
        if (Number.isSafeInteger(v) && !Object.is(v, -0)) return this.writeInt(v);
        if (Number.isFinite(v)) return this.writeFloat(v);
        return this.unsupported(`${v} (Erlang floats are finite)`);
      case 'string':
        return this.writeStringBinary(v);
      case 'boolean':
        return this.writeAtom(v ? kTrue : kFalse);
      case 'undefined':
        return this.writeAtom(kUndefined);
      case 'bigint':
        return this.writeBigInt(v);
      case 'object':
        return this.writeObject(v);
      default:
        return this.unsupported(`a ${typeof v}`);
    }
  }

  private writeObject(v: object | null): void {
    if (v === null) return this.writeAtom(kNull);
    // Fast dispatch on the exact class (one load, a few compares); subclasses fall through.
    const ctor = (v as { constructor?: unknown }).constructor;
    if (ctor === Atom) return this.writeAtom(v as Atom);
    if (ctor === Tuple) return this.writeTuple(v as Tuple);
    if (ctor === Array) return this.writeArray(v as unknown[]);
    if (ctor === Map) return this.writeMap(v as Map<unknown, unknown>);
    if (ctor === Uint8Array) return this.writeBytes(T.kBinary, v as Uint8Array, -1);
    return this.writeOtherObject(v);
  }

  private writeOtherObject(v: object): void {
    if (v instanceof Atom) return this.writeAtom(v);
    if (Array.isArray(v)) return this.writeArray(v);
    if (v instanceof Tuple) return this.writeTuple(v);
    if (v instanceof Uint8Array) return this.writeBytes(T.kBinary, v, -1);
    if (v instanceof Map) return this.writeMap(v);
    if (v instanceof ErlPid) return this.writePid(v);
    if (v instanceof ErlRef) return this.writeRef(v);
    if (v instanceof ErlFloat) return this.writeFloat(v.value);
    if (v instanceof BitBinary) {
      if ((v.bitLength & 7) === 0) return this.writeBytes(T.kBinary, v.bytes, -1);
      return this.writeBytes(T.kBitBinary, v.bytes, v.bitLength & 7);
    }
    if (v instanceof ImproperList) return this.writeList(v.items, v.tail);
    if (v instanceof Charlist) return this.writeCharlist(v.text);
    if (v instanceof ErlPort) return this.writePort(v);
    if (v instanceof ErlExportFun) return this.writeExport(v);
    if (v instanceof ErlClosure) return this.writeClosure(v);
    const proto = Object.getPrototypeOf(v) as object | null;
    if (proto === Object.prototype || proto === null) return this.writeObjectMap(v as Record<string, unknown>);
    const name = (proto as { constructor?: { name?: unknown } }).constructor?.name;
    return this.unsupported(`an instance of ${typeof name === 'string' && name !== '' ? name : 'an unknown class'} (no Erlang term for it)`);
  }

  private writeInt(v: number): void {
    if (v >= 0 && v <= 255) {
      this.ensure(2);
      this.buf[this.pos++] = T.kSmallInteger;
      this.buf[this.pos++] = v;
    } else if (v >= -0x8000_0000 && v <= 0x7fff_ffff) {
      this.ensure(5);
      this.buf[this.pos++] = T.kInteger;
      this.view.setInt32(this.pos, v);
      this.pos += 4;
    } else {
      // |v| < 2^53: at most 7 digits, exact in doubles.
      let abs = Math.abs(v);
      this.ensure(3 + 7);
      this.buf[this.pos++] = T.kSmallBig;
      const nAt = this.pos++;
      this.buf[this.pos++] = v < 0 ? 1 : 0;
      let n = 0;
      while (abs > 0) {
        this.buf[this.pos++] = abs % 256;
        abs = Math.floor(abs / 256);
        n++;
      }
      this.buf[nAt] = n;
    }
  }

  private writeBigInt(v: bigint): void {
    if (v >= -0x8000_0000n && v <= 0x7fff_ffffn) return this.writeInt(Number(v));
    const digits = digitsOfBigInt(v < 0n ? -v : v);
    const n = digits.length;
    this.ensure(6 + n);
    if (n <= 255) {
      this.buf[this.pos++] = T.kSmallBig;
      this.buf[this.pos++] = n;
    } else {
      this.buf[this.pos++] = T.kLargeBig;
      this.view.setUint32(this.pos, n);
      this.pos += 4;
    }
    this.buf[this.pos++] = v < 0n ? 1 : 0;
    this.buf.set(digits, this.pos);
    this.pos += n;
  }

  private writeFloat(v: number): void {
    this.ensure(9);
    this.buf[this.pos++] = T.kNewFloat;
    this.view.setFloat64(this.pos, v);
    this.pos += 8;
  }

  private writeAtom(a: Atom): void {
    const bytes = a.utf8;
    const n = bytes.length;
    this.ensure(3 + n);
    if (n <= 255) {
      this.buf[this.pos++] = T.kSmallAtomUtf8;
      this.buf[this.pos++] = n;
    } else {
      this.buf[this.pos++] = T.kAtomUtf8;
      this.view.setUint16(this.pos, n);
      this.pos += 2;
    }
    if (n <= 16) for (let i = 0; i < n; i++) this.buf[this.pos++] = bytes[i]!;
    else {
      this.buf.set(bytes, this.pos);
      this.pos += n;
    }
  }

  /** A JS string as a binary of its UTF-8 (lone surrogates become U+FFFD, as TextEncoder does). */
  private writeStringBinary(s: string): void {
    const len = s.length;
    this.ensure(5 + len * 3);
    const buf = this.buf;
    buf[this.pos] = T.kBinary;
    const start = this.pos + 5;
    let p = start;
    let i = 0;
    if (len <= 64) {
      for (; i < len; i++) {
        const c = s.charCodeAt(i);
        if (c >= 0x80) break;
        buf[p++] = c;
      }
    }
    if (i < len) p = start + kUtf8.encodeInto(s, buf.subarray(start)).written;
    this.view.setUint32(this.pos + 1, p - start);
    this.pos = p;
  }

  private writeBytes(tag: number, bytes: Uint8Array, bits: number): void {
    const n = bytes.length;
    this.ensure(6 + n);
    this.buf[this.pos++] = tag;
    this.view.setUint32(this.pos, n);
    this.pos += 4;
    if (bits >= 0) this.buf[this.pos++] = bits;
    this.buf.set(bytes, this.pos);
    this.pos += n;
  }

  private writeArray(a: readonly unknown[]): void {
    const n = a.length;
    if (n === 0) return this.put8(T.kNil);
    if (n <= 0xffff) {
      let bytes = true;
      for (let i = 0; i < n; i++) {
        const x = a[i];
        if (typeof x !== 'number' || !(x >= 0 && x <= 255 && (x | 0) === x) || Object.is(x, -0)) {
          bytes = false;
          break;
        }
      }
      if (bytes) {
        this.ensure(3 + n);
        this.buf[this.pos++] = T.kString;
        this.view.setUint16(this.pos, n);
        this.pos += 2;
        for (let i = 0; i < n; i++) this.buf[this.pos++] = a[i] as number;
        return;
      }
    }
    this.writeList(a, undefined, true);
  }

  private writeList(items: readonly unknown[], tail: unknown, proper = false): void {
    const n = items.length;
    this.ensure(5);
    this.buf[this.pos++] = T.kList;
    this.put32(n);
    this.enter();
    let i = 0;
    try {
      for (; i < n; i++) this.write(items[i]);
    } catch (e) {
      throw faultAt(e, `[${i}]`);
    }
    if (proper) this.put8(T.kNil);
    else {
      try {
        this.write(tail);
      } catch (e) {
        throw faultAt(e, '.tail');
      }
    }
    this.depth--;
  }

  private writeCharlist(text: string): void {
    const codes: number[] = [];
    for (const ch of text) codes.push(ch.codePointAt(0)!);
    if (codes.length === 0) return this.put8(T.kNil);
    this.writeArray(codes);
  }

  private writeTuple(t: Tuple): void {
    const els = t.elements;
    const n = els.length;
    this.ensure(5);
    if (n <= 255) {
      this.buf[this.pos++] = T.kSmallTuple;
      this.buf[this.pos++] = n;
    } else {
      this.buf[this.pos++] = T.kLargeTuple;
      this.put32(n);
    }
    this.enter();
    let i = 0;
    try {
      for (; i < n; i++) this.write(els[i]);
    } catch (e) {
      throw faultAt(e, `[${i}]`);
    }
    this.depth--;
  }

  private writeMap(m: Map<unknown, unknown>): void {
    this.ensure(5);
    this.buf[this.pos++] = T.kMap;
    this.put32(m.size);
    this.enter();
    let i = 0;
    let inKey = true;
    let key: unknown;
    try {
      for (const [k, v] of m) {
        key = k;
        inKey = true;
        this.write(k);
        inKey = false;
        this.write(v);
        i++;
      }
    } catch (e) {
      throw faultAt(e, inKey ? `[#${i} key]` : mapValueSegment(key, i));
    }
    this.depth--;
  }

  /** A plain object as a map with atom (or, by option, binary) keys: its own enumerable string keys. */
  private writeObjectMap(o: Record<string, unknown>): void {
    const keys = Object.keys(o);
    this.ensure(5);
    this.buf[this.pos++] = T.kMap;
    this.put32(keys.length);
    this.enter();
    let k = '';
    try {
      for (k of keys) {
        if (this.opts.objectKeysAsBinaries) {
          this.writeStringBinary(k);
          this.write(o[k]);
          continue;
        }
        let atom: Atom;
        try {
          atom = Atom.of(k);
        } catch (e) {
          if (e instanceof EtfLimitError) throw new TermFault('limit', e.message, -1, e.limit);
          throw e;
        }
        this.writeAtom(atom);
        this.write(o[k]);
      }
    } catch (e) {
      throw faultAt(e, `.${k}`);
    }
    this.depth--;
  }

  private writePid(p: ErlPid): void {
    this.put8(T.kNewPid);
    this.writeAtom(p.node);
    this.ensure(12);
    this.view.setUint32(this.pos, p.id);
    this.view.setUint32(this.pos + 4, p.serial);
    this.view.setUint32(this.pos + 8, p.creation);
    this.pos += 12;
  }

  private writeRef(r: ErlRef): void {
    this.ensure(3);
    this.buf[this.pos++] = T.kNewerReference;
    this.view.setUint16(this.pos, r.ids.length);
    this.pos += 2;
    this.writeAtom(r.node);
    this.put32(r.creation);
    for (const w of r.ids) this.put32(w);
  }

  private writePort(p: ErlPort): void {
    const v4 = p.id > 0xffff_ffffn;
    this.put8(v4 ? T.kV4Port : T.kNewPort);
    this.writeAtom(p.node);
    if (v4) {
      this.ensure(8);
      this.view.setBigUint64(this.pos, p.id);
      this.pos += 8;
    } else {
      this.put32(Number(p.id));
    }
    this.put32(p.creation);
  }

  private writeExport(f: ErlExportFun): void {
    this.put8(T.kExport);
    this.writeAtom(f.module);
    this.writeAtom(f.fun);
    this.writeInt(f.arity);
  }

  private writeClosure(f: ErlClosure): void {
    this.ensure(1 + 4 + 1 + 16 + 8);
    this.buf[this.pos++] = T.kNewFun;
    const sizeAt = this.pos;
    this.pos += 4;
    this.buf[this.pos++] = f.arity;
    this.buf.set(f.uniq, this.pos);
    this.pos += 16;
    this.view.setUint32(this.pos, f.index);
    this.view.setUint32(this.pos + 4, f.free.length);
    this.pos += 8;
    this.writeAtom(f.module);
    this.writeFunInt(f.oldIndex);
    this.writeFunInt(f.oldUniq);
    this.writePid(f.pid);
    this.enter();
    let i = 0;
    try {
      for (; i < f.free.length; i++) this.write(f.free[i]);
    } catch (e) {
      throw faultAt(e, `.free[${i}]`);
    }
    this.depth--;
    this.view.setUint32(sizeAt, this.pos - sizeAt);
  }

  /** OldIndex / OldUniq: SMALL_INTEGER_EXT or INTEGER_EXT (a u32 above 2^31 as its signed bits). */
  private writeFunInt(v: number): void {
    this.writeInt(v > 0x7fff_ffff ? v | 0 : v);
  }
}
