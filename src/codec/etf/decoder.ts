/**
 * The decoder of the Erlang External Term Format (tags: tags.ts; JS mapping: readme-etf.md
 * and the classes of atom.ts, terms.ts, identifiers.ts, funs.ts).
 *
 * Two entry points:
 *   - `decode(bytes, offset?, length?)`: one whole term_to_binary result: the version byte
 *     131, then one tagged value or a compressed term (131, 80, size, zlib stream), and
 *     nothing after it;
 *   - `decodeTerm(bytes, offset, end, atomRefs?)`: one tagged value with no version byte,
 *     as the terms after a distribution header are; `atomRefs` is that header's table of
 *     atom cache references (index -> Atom) that ATOM_CACHE_REF entries point into. The
 *     position after the value is left in `offset`, so the caller can read the next term.
 *
 * How a decode goes:
 *   1. check the range and the `maxBytes` limit;
 *   2. for a compressed term, check the declared size against `maxBytes`, inflate with
 *      node:zlib bounded to exactly that size, and decode the inflated bytes instead;
 *   3. read the value recursively (depth-limited); every count is checked against the bytes
 *      left before anything is allocated (each element takes at least one byte);
 *   4. on a failure, unwind with a TermFault (fault.ts) that collects the path, and throw the
 *      typed error of errors.ts.
 *
 * Hot path: one reused decoder reads through a DataView with an offset; no closures per
 * term; atoms come from the recent-atom cache of atom-text.ts when they can. The result shares no
 * memory with the input (binaries are copied out).
 */
import { inflateSync } from 'node:zlib';
import { BadArgError } from '../../core/errors.ts';
import { Atom } from './atom.ts';
import { atomText, recentAtomAt, recentAtomSlot, rememberAtom } from './atom-text.ts';
import { integerOfDigits } from './bignum.ts';
import { EtfLimitError } from './errors.ts';
import { TermFault, errorOfFault, faultAt, mapValueSegment } from './fault.ts';
import { ErlClosure, ErlExportFun } from './funs.ts';
import { ErlPid, ErlPort, ErlRef } from './identifiers.ts';
import { resolveDecodeOptions, type EtfDecodeOptions, type ResolvedDecodeOptions } from './limits.ts';
import { BitBinary, Charlist, ErlFloat, ImproperList, Tuple, kAdoptElements } from './terms.ts';
import * as T from './tags.ts';

import { copyOut } from './binary-slab.ts';
const kUtf8Fatal = new TextDecoder('utf-8', { fatal: true });

const kTrue = Atom.of('true');
const kFalse = Atom.of('false');
const kUndefined = Atom.of('undefined');
const kFloatText = /^ *[-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?$/i;

/** The table of a distribution header: AtomCacheReferenceIndex -> atom. */
export type AtomCacheRefs = readonly (Atom | undefined)[];

/** Decodes External Term Format terms. One decode at a time per decoder (it holds the state of one). */
export class EtfDecoder {
  /** After decodeTerm: the byte after the value read. */
  offset = 0;
  private readonly opts: ResolvedDecodeOptions;
  /** The caller's bytes being read (`buf` is the same memory as a plain Uint8Array). */
  private input: Uint8Array = new Uint8Array(0);
  private buf: Uint8Array = this.input;
  /** A DataView of `input`, made only when a float or a 64-bit value needs one (null: none yet). */
  private view: DataView | null = null;
  private pos = 0;
  private end = 0;
  private depth = 0;
  private atomRefs: AtomCacheRefs | undefined = undefined;
  /** Atom.count() when this decode began (for maxNewAtoms). */
  private atomsBefore = 0;

  constructor(options?: EtfDecodeOptions) {
    this.opts = resolveDecodeOptions(options);
  }

  /**
   * Decode one whole external term (version byte 131 first) in `bytes[offset, offset + length)`.
   * @throws EtfMalformedError, EtfUnsupportedError, EtfLimitError (with the path); BadArgError for a bad range.
   */
  decode(bytes: Uint8Array, offset = 0, length = bytes.length - offset): unknown {
    checkRange(bytes, offset, offset + length);
    this.atomRefs = undefined;
    try {
      if (length > this.opts.maxBytes) throw new TermFault('limit', `${length} bytes, more than maxBytes ${this.opts.maxBytes}`, offset, 'bytes');
      this.use(bytes, offset, offset + length);
      if (this.pos >= this.end) this.fail('empty input');
      if (this.buf[this.pos] !== T.kVersion) this.fail(`version byte ${this.buf[this.pos]}, expected 131`);
      this.pos++;
      if (this.pos < this.end && this.buf[this.pos] === T.kCompressed) this.inflateRest();
      const value = this.readValue();
      if (this.pos !== this.end) this.fail(`${this.end - this.pos} trailing bytes`);
      return value;
    } catch (e) {
      throw rethrown(e);
    } finally {
      this.release();
    }
  }

  /**
   * Decode one tagged value (no version byte) at `bytes[offset]`, not reading past `end`;
   * ATOM_CACHE_REF entries index `atomRefs`. `this.offset` is set to the byte after it.
   * @throws EtfMalformedError, EtfUnsupportedError, EtfLimitError; BadArgError for a bad range.
   */
  decodeTerm(bytes: Uint8Array, offset: number, end: number, atomRefs?: AtomCacheRefs): unknown {
    checkRange(bytes, offset, end);
    this.atomRefs = atomRefs;
    try {
      if (end - offset > this.opts.maxBytes) throw new TermFault('limit', `${end - offset} bytes, more than maxBytes ${this.opts.maxBytes}`, offset, 'bytes');
      this.use(bytes, offset, end);
      const value = this.readValue();
      this.offset = this.pos;
      return value;
    } catch (e) {
      throw rethrown(e);
    } finally {
      this.atomRefs = undefined;
      this.release();
    }
  }

  private use(bytes: Uint8Array, pos: number, end: number): void {
    if (bytes !== this.input) {
      this.input = bytes;
      // Read a Buffer (a socket's chunk) through a plain Uint8Array view: Buffer's slice()
      // would share memory, and binaries must come out as copies and as Uint8Arrays.
      this.buf = bytes.constructor === Uint8Array ? bytes : new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
      this.view = null;
    }
    this.pos = pos;
    this.end = end;
    this.depth = 0;
    this.atomsBefore = Atom.count();
  }

  /** Drop the input so a decoder kept around does not keep a big buffer alive. */
  private release(): void {
    if (this.buf.length > 65536) {
      this.input = new Uint8Array(0);
      this.buf = this.input;
      this.view = null;
    }
  }

  /** 131, 80, UncompressedSize, zlib data: switch the decoder to the inflated bytes. */
  private inflateRest(): void {
    this.pos++;
    const size = this.u32();
    if (size > this.opts.maxBytes) throw new TermFault('limit', `a compressed term of ${size} bytes, more than maxBytes ${this.opts.maxBytes}`, this.pos, 'bytes');
    if (size === 0) this.fail('a compressed term of 0 bytes');
    let inflated: Buffer;
    try {
      inflated = inflateSync(this.buf.subarray(this.pos, this.end), { maxOutputLength: size });
    } catch (e) {
      this.fail(`bad zlib data (${(e as Error).message})`);
    }
    if (inflated.length !== size) this.fail(`the zlib data inflates to ${inflated.length} bytes, the header says ${size}`);
    // A plain Uint8Array view, so binaries sliced out of it are Uint8Arrays, not Buffers.
    this.use(new Uint8Array(inflated.buffer, inflated.byteOffset, inflated.length), 0, inflated.length);
  }

  private fail(why: string): never {
    throw new TermFault('malformed', why, this.pos);
  }

  private need(n: number): void {
    if (n > this.end - this.pos) this.fail('truncated');
  }

  /** The big-endian u32 at buf[at] (no DataView: a decode per message made one for each input). */
  private be32(at: number): number {
    const b = this.buf;
    return ((b[at]! << 24) | (b[at + 1]! << 16) | (b[at + 2]! << 8) | b[at + 3]!) >>> 0;
  }

  private dataView(): DataView {
    if (this.view === null) this.view = new DataView(this.buf.buffer, this.buf.byteOffset, this.buf.byteLength);
    return this.view;
  }

  private u8(): number {
    if (this.pos >= this.end) this.fail('truncated');
    return this.buf[this.pos++]!;
  }

  private u16(): number {
    this.need(2);
    const v = (this.buf[this.pos]! << 8) | this.buf[this.pos + 1]!;
    this.pos += 2;
    return v;
  }

  private u32(): number {
    this.need(4);
    const v = this.be32(this.pos);
    this.pos += 4;
    return v;
  }

  /** A count of items that take at least `minBytes` each, checked against the bytes left. */
  private count(n: number, minBytes: number, what: string): number {
    if (n * minBytes > this.end - this.pos) this.fail(`${what} of ${n} does not fit in the ${this.end - this.pos} bytes left`);
    return n;
  }

  private enter(): void {
    if (++this.depth > this.opts.maxDepth) throw new TermFault('limit', `nested deeper than maxDepth ${this.opts.maxDepth}`, this.pos, 'depth');
  }

  private readValue(): unknown {
    const tag = this.u8();
    switch (tag) {
      case T.kSmallInteger:
        return this.u8();
      case T.kInteger: {
        this.need(4);
        const v = (this.be32(this.pos) | 0);
        this.pos += 4;
        return v;
      }
      case T.kSmallBig:
        return this.readBig(this.u8());
      case T.kLargeBig:
        return this.readBig(this.u32());
      case T.kNewFloat: {
        this.need(8);
        const v = this.dataView().getFloat64(this.pos);
        if (!Number.isFinite(v)) this.fail('a float that is not finite');
        this.pos += 8;
        return this.float(v);
      }
      case T.kFloatOld:
        return this.readOldFloat();
      case T.kAtomUtf8:
      case T.kSmallAtomUtf8:
      case T.kAtomOld:
      case T.kSmallAtomOld:
      case T.kAtomCacheRef: {
        const atom = this.readAtomBody(tag);
        return atom === kTrue ? true : atom === kFalse ? false : atom === kUndefined ? undefined : atom;
      }
      case T.kNil:
        return [];
      case T.kString:
        return this.readString();
      case T.kList:
        return this.readList();
      case T.kSmallTuple:
        return this.readTuple(this.u8());
      case T.kLargeTuple:
        return this.readTuple(this.u32());
      case T.kMap:
        return this.readMap();
      case T.kBinary:
        return this.readBinary();
      case T.kBitBinary:
        return this.readBitBinary();
      case T.kNewPid:
      case T.kPidOld:
        return this.readPidBody(tag);
      case T.kNewerReference:
      case T.kNewReference:
      case T.kReferenceOld:
        return this.readRef(tag);
      case T.kNewPort:
      case T.kPortOld:
      case T.kV4Port:
        return this.readPort(tag);
      case T.kExport:
        return this.readExport();
      case T.kNewFun:
        return this.readClosure();
      case T.kFunOld:
        throw new TermFault('unsupported', 'FUN_EXT (the pre-OTP-23 fun format) is not supported', this.pos - 1);
      case T.kLocal:
        throw new TermFault('unsupported', 'LOCAL_EXT (a node-local encoding) is not supported', this.pos - 1);
      case T.kCompressed:
        this.pos--;
        return this.fail('a compressed term inside a term');
      default:
        this.pos--;
        return this.fail(`unknown tag ${tag}`);
    }
  }

  private float(v: number): number | ErlFloat {
    return this.opts.wrapIntegralFloats && Number.isInteger(v) ? new ErlFloat(v) : v;
  }

  private readBig(n: number): number | bigint {
    const sign = this.u8();
    if (sign > 1) this.fail(`bignum sign byte ${sign}`);
    if (n > this.opts.maxBigIntBytes) throw new TermFault('limit', `a bignum of ${n} bytes, more than maxBigIntBytes ${this.opts.maxBigIntBytes}`, this.pos, 'bigint');
    this.need(n);
    const v = integerOfDigits(this.buf, this.pos, n, sign === 1);
    this.pos += n;
    return v;
  }

  private readOldFloat(): number | ErlFloat {
    this.need(31);
    let text = '';
    for (let i = 0; i < 31; i++) {
      const c = this.buf[this.pos + i]!;
      if (c === 0) break;
      text += String.fromCharCode(c);
    }
    if (!kFloatText.test(text)) this.fail(`FLOAT_EXT text ${JSON.stringify(text)}`);
    const v = Number(text);
    if (!Number.isFinite(v)) this.fail('a float that is not finite');
    this.pos += 31;
    return this.float(v);
  }

  /** An atom after its tag (also for node names, module names: true/false stay Atoms). */
  private readAtomBody(tag: number): Atom {
    let n: number;
    let utf8: boolean;
    switch (tag) {
      case T.kSmallAtomUtf8:
        n = this.u8();
        utf8 = true;
        break;
      case T.kAtomUtf8:
        n = this.u16();
        utf8 = true;
        break;
      case T.kSmallAtomOld:
        n = this.u8();
        utf8 = false;
        break;
      case T.kAtomOld:
        n = this.u16();
        utf8 = false;
        break;
      case T.kAtomCacheRef: {
        const i = this.u8();
        const atom = this.atomRefs?.[i];
        if (atom === undefined) {
          this.pos -= 2;
          this.fail(this.atomRefs === undefined ? `ATOM_CACHE_REF ${i} with no atom cache (only after a distribution header)` : `ATOM_CACHE_REF ${i} is not in the atom cache`);
        }
        return atom;
      }
      default:
        this.pos--;
        return this.fail(`expected an atom, found tag ${tag}`);
    }
    if (n > (utf8 ? 255 * 4 : 255)) this.fail(`an atom of ${n} bytes`);
    this.need(n);
    const buf = this.buf;
    const start = this.pos;
    const slot = utf8 ? recentAtomSlot(buf, start, n) : -1;
    if (slot >= 0) {
      const hit = recentAtomAt(slot, buf, start, n);
      if (hit !== undefined) {
        this.pos += n;
        return hit;
      }
    }
    const name = atomText(buf, start, n, utf8);
    if (name === undefined) this.fail('an atom that is not valid UTF-8');
    this.pos += n;
    const atom = this.intern(name, start);
    if (slot >= 0) rememberAtom(slot, atom);
    return atom;
  }

  private intern(name: string, at: number): Atom {
    if (this.opts.existingAtomsOnly) {
      const a = Atom.existing(name);
      if (a === undefined) throw new TermFault('limit', `the atom ${JSON.stringify(name)} does not exist (existingAtomsOnly)`, at, 'atoms');
      return a;
    }
    let atom: Atom;
    try {
      atom = Atom.of(name);
    } catch (e) {
      if (e instanceof EtfLimitError) throw new TermFault('limit', e.message, at, e.limit);
      throw e;
    }
    if (Atom.count() - this.atomsBefore > this.opts.maxNewAtoms) {
      throw new TermFault('limit', `the term makes more than maxNewAtoms ${this.opts.maxNewAtoms} new atoms`, at, 'atoms');
    }
    return atom;
  }

  /** An atom where the format wants one (node, module): a tag, then the atom. */
  private readAtom(): Atom {
    return this.readAtomBody(this.u8());
  }

  private readString(): number[] | Charlist {
    const n = this.u16();
    this.need(n);
    const buf = this.buf;
    const start = this.pos;
    this.pos += n;
    if (this.opts.stringsAsCharlist) {
      let s = '';
      for (let i = start; i < start + n; i++) s += String.fromCharCode(buf[i]!);
      return new Charlist(s);
    }
    const out = new Array<number>(n);
    for (let i = 0; i < n; i++) out[i] = buf[start + i]!;
    return out;
  }

  private readList(): unknown {
    const n = this.count(this.u32(), 1, 'a list');
    this.enter();
    const items = new Array<unknown>(n);
    let i = 0;
    try {
      for (; i < n; i++) items[i] = this.readValue();
    } catch (e) {
      throw faultAt(e, `[${i}]`);
    }
    let result: unknown;
    if (this.pos < this.end && this.buf[this.pos] === T.kNil) {
      this.pos++;
      result = items;
    } else {
      let tail: unknown;
      try {
        tail = this.readValue();
      } catch (e) {
        throw faultAt(e, '.tail');
      }
      result = joinTail(items, tail);
    }
    this.depth--;
    return result;
  }

  private readTuple(n: number): Tuple {
    this.count(n, 1, 'a tuple');
    this.enter();
    const elements = new Array<unknown>(n);
    let i = 0;
    try {
      for (; i < n; i++) elements[i] = this.readValue();
    } catch (e) {
      throw faultAt(e, `[${i}]`);
    }
    this.depth--;
    return new Tuple(elements, kAdoptElements);
  }

  private readMap(): Map<unknown, unknown> {
    const n = this.count(this.u32(), 2, 'a map');
    this.enter();
    const map = new Map<unknown, unknown>();
    let i = 0;
    let key: unknown;
    let inKey = true;
    try {
      for (; i < n; i++) {
        inKey = true;
        const at = this.pos;
        key = this.readValue();
        inKey = false;
        map.set(key, this.readValue());
        if (map.size !== i + 1) {
          this.pos = at;
          this.fail('a duplicate map key');
        }
      }
    } catch (e) {
      throw faultAt(e, inKey ? `[#${i} key]` : mapValueSegment(key, i));
    }
    this.depth--;
    return map;
  }

  private readBinary(): Uint8Array | string {
    const n = this.u32();
    this.need(n);
    const bytes = copyOut(this.buf, this.pos, n);
    this.pos += n;
    if (this.opts.binariesAsUtf8) {
      try {
        return kUtf8Fatal.decode(bytes);
      } catch {
        return bytes;
      }
    }
    return bytes;
  }

  private readBitBinary(): BitBinary | Uint8Array {
    const n = this.u32();
    const bits = this.u8();
    if (n === 0 ? bits !== 0 : bits < 1 || bits > 8) this.fail(`BIT_BINARY_EXT of ${n} bytes with ${bits} bits in the last byte`);
    this.need(n);
    const bytes = copyOut(this.buf, this.pos, n);
    this.pos += n;
    if (bits === 8 || n === 0) return bytes;
    return new BitBinary(bytes, (n - 1) * 8 + bits);
  }

  private readPidBody(tag: number): ErlPid {
    const node = this.readAtom();
    this.need(tag === T.kNewPid ? 12 : 9);
    const id = this.be32(this.pos);
    const serial = this.be32(this.pos + 4);
    const creation = tag === T.kNewPid ? this.be32(this.pos + 8) : this.buf[this.pos + 8]!;
    this.pos += tag === T.kNewPid ? 12 : 9;
    return new ErlPid(node, id, serial, creation);
  }

  private readPid(): ErlPid {
    const tag = this.u8();
    if (tag !== T.kNewPid && tag !== T.kPidOld) {
      this.pos--;
      this.fail(`expected a pid, found tag ${tag}`);
    }
    return this.readPidBody(tag);
  }

  private readRef(tag: number): ErlRef {
    if (tag === T.kReferenceOld) {
      const node = this.readAtom();
      const id = this.u32();
      return new ErlRef(node, this.u8(), [id]);
    }
    const len = this.u16();
    if (len < 1 || len > 5) this.fail(`a reference of ${len} words`);
    const node = this.readAtom();
    const creation = tag === T.kNewerReference ? this.u32() : this.u8();
    this.need(4 * len);
    const ids = new Array<number>(len);
    for (let i = 0; i < len; i++) ids[i] = this.be32(this.pos + 4 * i);
    this.pos += 4 * len;
    return new ErlRef(node, creation, ids);
  }

  private readPort(tag: number): ErlPort {
    const node = this.readAtom();
    let id: bigint;
    if (tag === T.kV4Port) {
      this.need(8);
      id = this.dataView().getBigUint64(this.pos);
      this.pos += 8;
    } else {
      id = BigInt(this.u32());
    }
    return new ErlPort(node, id, tag === T.kPortOld ? this.u8() : this.u32());
  }

  private readExport(): ErlExportFun {
    const module = this.readAtom();
    const fun = this.readAtom();
    if (this.u8() !== T.kSmallInteger) {
      this.pos--;
      this.fail('the arity of EXPORT_EXT is not a SMALL_INTEGER_EXT');
    }
    return new ErlExportFun(module, fun, this.u8());
  }

  /** An integer field of NEW_FUN_EXT (SMALL_INTEGER_EXT or INTEGER_EXT). */
  private readSmallInt(what: string): number {
    const tag = this.u8();
    if (tag === T.kSmallInteger) return this.u8();
    if (tag === T.kInteger) {
      this.need(4);
      const v = (this.be32(this.pos) | 0);
      this.pos += 4;
      return v;
    }
    this.pos--;
    return this.fail(`${what} of NEW_FUN_EXT is not an integer`);
  }

  private readClosure(): ErlClosure {
    const start = this.pos;
    const size = this.u32();
    if (size < 4 || size > this.end - start) this.fail(`NEW_FUN_EXT of ${size} bytes, ${this.end - start} left`);
    const end = start + size;
    this.need(1 + 16 + 4 + 4);
    const arity = this.buf[this.pos]!;
    const uniq = this.buf.slice(this.pos + 1, this.pos + 17);
    const index = this.be32(this.pos + 17);
    const numFree = this.be32(this.pos + 21);
    this.pos += 25;
    const module = this.readAtom();
    const oldIndex = this.readSmallInt('OldIndex');
    const oldUniq = this.readSmallInt('OldUniq');
    const pid = this.readPid();
    this.count(numFree, 1, 'the free variables');
    this.enter();
    const free = new Array<unknown>(numFree);
    let i = 0;
    try {
      for (; i < numFree; i++) free[i] = this.readValue();
    } catch (e) {
      throw faultAt(e, `.free[${i}]`);
    }
    this.depth--;
    if (this.pos !== end) this.fail(`NEW_FUN_EXT says ${size} bytes, its fields take ${this.pos - start}`);
    return new ErlClosure(module, arity, uniq, index, oldIndex, oldUniq, pid, free);
  }
}

/** A list's elements and a tail that is not []: a longer list when the tail is one (not canonical), else improper. */
function joinTail(items: unknown[], tail: unknown): unknown {
  if (Array.isArray(tail)) return items.concat(tail);
  if (tail instanceof Charlist) return items.concat([...tail.text].map((c) => c.codePointAt(0)!));
  if (tail instanceof ImproperList) return new ImproperList(items.concat(tail.items), tail.tail);
  if (items.length === 0) return tail; // LIST_EXT of 0 elements: just its tail
  return new ImproperList(items, tail);
}

function checkRange(bytes: Uint8Array, offset: number, end: number): void {
  if (!(bytes instanceof Uint8Array)) throw new BadArgError('EtfDecoder: expected a Uint8Array');
  if (!(offset >>> 0 === offset && end >>> 0 === end && offset <= end && end <= bytes.length)) {
    throw new BadArgError(`EtfDecoder: bad range [${offset}, ${end}) of ${bytes.length} bytes`);
  }
}

function rethrown(e: unknown): unknown {
  if (e instanceof TermFault) return errorOfFault(e);
  if (e instanceof RangeError && /call stack/i.test(e.message)) {
    return errorOfFault(new TermFault('limit', 'nested too deep for the JS stack (lower maxDepth)', -1, 'depth'));
  }
  return e;
}
