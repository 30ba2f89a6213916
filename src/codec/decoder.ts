/**
 * The decoder of the message codec (wire format: wire-format.ts). It checks bounds and
 * tags and throws BadArgError on a malformed message; the result shares no memory with
 * the input bytes (typed arrays are copied out).
 *
 * How values come back: plain objects as `{}` (or `Object.create(null)` for NULLOBJECT),
 * an own `__proto__` key as data; typed arrays as their built-in class over a fresh
 * ArrayBuffer; pids and refs through the `makePid` / `makeRef` hooks (so the runtime can
 * intern them) after `decodeNode` turned the node's wire value into a node index;
 * registered classes as `Object.create(proto)` without running the constructor; errors
 * as rebuilt by core/error-classes.ts (their own class, by registered name or by code).
 *
 * Short Latin-1 strings are read in a JS loop, longer ones with Buffer's latin1/utf8
 * decoders; object keys of up to 31 Latin-1 chars come from a small cache of recent
 * strings, so a stream of messages with the same keys makes no new key strings. A message
 * that is one scalar (a number, a short string, ...) is read by scalar-values.ts without
 * the setup of a full decode.
 *
 * Trust: V8 records go through v8.deserialize, which is meant for trusted input; a TCP
 * transport should refuse the V8 tag from peers it does not trust.
 */

import { Buffer } from 'node:buffer';
import * as v8 from 'node:v8';
import { BadArgError } from '../core/errors.ts';
import { Pid, Ref } from '../core/pid.ts';
import { registeredPrototype, reviveRegistered } from '../core/class-registry.ts';
// The ETF classes (Atom, Tuple, ...) are sendable: registered wherever messages are decoded.
import './etf/sendable-classes.ts';
import { builtinErrorShell, errorClassPrototype, errorShellOf, finishError } from '../core/error-classes.ts';
import {
  kArray, kArrayBuffer, kBigInt, kBigInt64, kDate, kEnd, kError, kErrorClassIsCode, kErrorHasCause, kErrorHasErrors,
  kFalse, kFixInt, kFixLatin1, kFixLatin1Max, kFloat64, kInstance, kInt32, kInt8, kLatin1, kMap, kNull, kNullObject,
  kObject, kPid, kRef, kRegExp, kSet, kTrue, kUndefined, kUtf16, kUtf8, kV8, kView, kViewKinds, type ViewKindName,
} from './wire-format.ts';
import { kMaxDepth, kShortDecodeChars } from './limits.ts';
import { cachedLatin1, isScalarTag, kNotScalar, latin1, readScalar } from './scalar-values.ts';
import type { DecodeHooks } from './node-hooks.ts';

type ViewCtor = new (buffer: ArrayBuffer, byteOffset?: number, length?: number) => ArrayBufferView;
const kViewCtors: Record<ViewKindName, ViewCtor> = {
  Int8Array,
  Uint8Array,
  Uint8ClampedArray,
  Int16Array,
  Uint16Array,
  Int32Array,
  Uint32Array,
  Float32Array,
  Float64Array,
  BigInt64Array,
  BigUint64Array,
  DataView,
  Buffer: Uint8Array, // replaced by Buffer.from in decode
};

/** Decodes messages. Holds the state of one decode; not reentrant. */
export class MessageDecoder {
  private readonly makePid: ((node: number, id: number, serial: number) => Pid) | undefined;
  private readonly makeRef: ((node: number, sched: number, n: number) => Ref) | undefined;
  private readonly decodeNode: ((wire: unknown) => number) | undefined;
  private buf: Uint8Array = new Uint8Array(0);
  private view: DataView = new DataView(this.buf.buffer);
  private nodeBuf: Buffer | null = null;
  private pos = 0;
  private end = 0;
  private depth = 0;
  private busy = false;

  constructor(hooks: DecodeHooks = {}) {
    this.makePid = hooks.makePid;
    this.makeRef = hooks.makeRef;
    this.decodeNode = hooks.decodeNode;
  }

  /**
   * Decode the message in `bytes[offset, offset + length)`. The result shares no memory
   * with `bytes` (typed arrays are copied out), so the range may be reused at once.
   * @throws BadArgError if the bytes are not exactly one well-formed message.
   */
  decode(bytes: Uint8Array, offset = 0, length = bytes.length - offset): unknown {
    if (!(offset >>> 0 === offset && length >>> 0 === length && offset + length <= bytes.length)) {
      throw new BadArgError(`decode: bad range [${offset}, ${offset + length}) of ${bytes.length} bytes`);
    }
    // A lone scalar (a number, a short string, ...) needs none of the setup below.
    if (length > 0 && isScalarTag(bytes[offset]!)) {
      const scalar = readScalar(bytes, offset, length);
      if (scalar !== kNotScalar) return scalar;
    }
    if (this.busy) throw new BadArgError('MessageDecoder is not reentrant: use another decoder inside a decode hook');
    if (bytes !== this.buf) {
      this.buf = bytes;
      this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
      this.nodeBuf = null;
    }
    this.pos = offset;
    this.end = offset + length;
    this.depth = 0;
    this.busy = true;
    try {
      const value = this.readValue();
      if (this.pos !== this.end) this.malformed(`${this.end - this.pos} trailing bytes`);
      return value;
    } finally {
      this.busy = false;
    }
  }

  private malformed(why: string): never {
    throw new BadArgError(`malformed message at byte ${this.pos}: ${why}`);
  }

  private need(n: number): void {
    if (this.pos + n > this.end) this.malformed('truncated');
  }

  private readVarUint(): number {
    const buf = this.buf;
    if (this.pos >= this.end) this.malformed('truncated');
    let b = buf[this.pos++]!;
    if (b < 0x80) return b;
    let value = b & 0x7f;
    let scale = 0x80;
    for (;;) {
      if (this.pos >= this.end) this.malformed('truncated varuint');
      b = buf[this.pos++]!;
      value += (b & 0x7f) * scale;
      if (b < 0x80) return value;
      scale *= 0x80;
      if (scale > 2 ** 56) this.malformed('varuint too long');
    }
  }

  /** A count of items taking at least `bytesPerItem` bytes each, checked against what is left. */
  private readCount(bytesPerItem: number): number {
    const n = this.readVarUint();
    if (n * bytesPerItem > this.end - this.pos) this.malformed(`${n} items in ${this.end - this.pos} bytes`);
    return n;
  }

  private enter(): void {
    if (++this.depth > kMaxDepth) this.malformed(`nested deeper than ${kMaxDepth} levels`);
  }

  private readValue(): unknown {
    if (this.pos >= this.end) this.malformed('truncated');
    const tag = this.buf[this.pos++]!;
    if (tag >= kFixInt) return tag & 0x7f;
    if (tag >= kFixLatin1 && tag <= (kFixLatin1 | kFixLatin1Max)) return this.readLatin1(tag & kFixLatin1Max);
    switch (tag) {
      case kUndefined:
        return undefined;
      case kNull:
        return null;
      case kFalse:
        return false;
      case kTrue:
        return true;
      case kInt8:
        this.need(1);
        return (this.buf[this.pos++]! << 24) >> 24;
      case kInt32: {
        this.need(4);
        const v = this.view.getInt32(this.pos, true);
        this.pos += 4;
        return v;
      }
      case kFloat64:
        return this.readFloat64();
      case kLatin1:
        return this.readLatin1(this.readVarUint());
      case kUtf8:
        return this.readUtf8(this.readVarUint());
      case kUtf16:
        return this.readUtf16(this.readVarUint());
      case kObject:
        return this.readObject();
      case kArray:
        return this.readArray();
      case kPid: {
        const node = this.readNode();
        const id = this.readNumber();
        const serial = this.readNumber();
        return this.makePid !== undefined ? this.makePid(node, id, serial) : new Pid(node, id, serial);
      }
      case kRef: {
        const node = this.readNode();
        const sched = this.readNumber();
        const n = this.readNumber();
        return this.makeRef !== undefined ? this.makeRef(node, sched, n) : new Ref(node, sched, n);
      }
      default:
        return this.readOther(tag);
    }
  }

  private readOther(tag: number): unknown {
    switch (tag) {
      case kBigInt64: {
        this.need(8);
        const v = this.view.getBigInt64(this.pos, true);
        this.pos += 8;
        return v;
      }
      case kBigInt:
        return this.readBigInt();
      case kNullObject: {
        this.enter();
        const obj = Object.create(null) as Record<string, unknown>;
        this.readFields(obj);
        this.depth--;
        return obj;
      }
      case kMap: {
        this.enter();
        const n = this.readCount(2);
        const m = new Map<unknown, unknown>();
        for (let i = 0; i < n; i++) {
          const k = this.readValue();
          m.set(k, this.readValue());
        }
        this.depth--;
        return m;
      }
      case kSet: {
        this.enter();
        const n = this.readCount(1);
        const s = new Set<unknown>();
        for (let i = 0; i < n; i++) s.add(this.readValue());
        this.depth--;
        return s;
      }
      case kDate:
        return new Date(this.readFloat64());
      case kRegExp: {
        const source = this.readString();
        const flags = this.readString();
        try {
          return new RegExp(source, flags);
        } catch {
          return this.malformed(`bad RegExp /${source}/${flags}`);
        }
      }
      case kArrayBuffer: {
        const n = this.readVarUint();
        return this.copyBytes(n).buffer;
      }
      case kView:
        return this.readView();
      case kError:
        return this.readError();
      case kInstance: {
        this.enter();
        const name = this.readString();
        const proto = registeredPrototype(name);
        if (proto === undefined) this.malformed(`class ${JSON.stringify(name)} is not registered here`);
        const obj = Object.create(proto) as Record<string, unknown>;
        this.readFields(obj);
        this.depth--;
        try {
          return reviveRegistered(proto, obj);
        } catch (e) {
          this.malformed(`class ${JSON.stringify(name)}: ${(e as Error).message}`);
        }
      }
      case kV8: {
        const n = this.readVarUint();
        this.need(n);
        let v: unknown;
        try {
          v = v8.deserialize(this.buf.subarray(this.pos, this.pos + n));
        } catch (e) {
          return this.malformed(`bad V8 record (${(e as Error).message})`);
        }
        this.pos += n;
        return v;
      }
      case kEnd:
        return this.malformed('END outside an object');
      default:
        return this.malformed(`unknown tag 0x${tag.toString(16)}`);
    }
  }

  private readFloat64(): number {
    this.need(8);
    const v = this.view.getFloat64(this.pos, true);
    this.pos += 8;
    return v;
  }

  /** A pid's or ref's node: its wire value, through the decodeNode hook if there is one. */
  private readNode(): number {
    if (this.decodeNode === undefined) return this.readNumber();
    const index = this.decodeNode(this.readValue());
    if (!(index >>> 0 === index)) this.malformed(`decodeNode gave ${String(index)}, not a node index`);
    return index;
  }

  private readNumber(): number {
    const v = this.readValue();
    if (typeof v !== 'number') this.malformed('expected a number');
    return v;
  }

  private readString(): string {
    const v = this.readValue();
    if (typeof v !== 'string') this.malformed('expected a string');
    return v;
  }

  private readLatin1(n: number): string {
    this.need(n);
    const start = this.pos;
    const stop = start + n;
    this.pos = stop;
    if (n > kShortDecodeChars) return this.nodeBuffer().toString('latin1', start, stop);
    // Short: a JS loop beats a call into C++.
    return latin1(this.buf, start, n);
  }

  private readUtf8(n: number): string {
    this.need(n);
    const s = this.nodeBuffer().toString('utf8', this.pos, this.pos + n);
    this.pos += n;
    return s;
  }

  /** A Buffer over the same memory as `buf` (for Buffer's string decoders), made on first use. */
  private nodeBuffer(): Buffer {
    let b = this.nodeBuf;
    if (b === null) {
      const buf = this.buf;
      b = this.nodeBuf = Buffer.from(buf.buffer, buf.byteOffset, buf.byteLength);
    }
    return b;
  }

  /**
   * An object key. Short Latin-1 keys come from the string cache (scalar-values.ts): no
   * new string, and one that V8 has already internalized, which makes the property store
   * that follows cheaper.
   */
  private readKey(): string {
    const tag = this.buf[this.pos]!;
    if (tag < kFixLatin1 || tag > (kFixLatin1 | kFixLatin1Max)) return this.readString();
    const n = tag & kFixLatin1Max;
    const start = this.pos + 1;
    if (start + n > this.end) this.malformed('truncated');
    this.pos = start + n;
    return cachedLatin1(this.buf, start, n);
  }

  private readUtf16(n: number): string {
    this.need(2 * n);
    const buf = this.buf;
    let pos = this.pos;
    let s = '';
    const units: number[] = [];
    for (let i = 0; i < n; i++) {
      units.push(buf[pos]! | (buf[pos + 1]! << 8));
      pos += 2;
      if (units.length === 4096) {
        s += String.fromCharCode.apply(null, units);
        units.length = 0;
      }
    }
    this.pos = pos;
    return s + String.fromCharCode.apply(null, units);
  }

  private readBigInt(): bigint {
    this.need(1);
    const negative = this.buf[this.pos++] === 1;
    const n = this.readVarUint();
    this.need(n);
    const buf = this.buf;
    let hex = '';
    for (let i = this.pos + n - 1; i >= this.pos; i--) hex += (buf[i]! < 16 ? '0' : '') + buf[i]!.toString(16);
    this.pos += n;
    const magnitude = n === 0 ? 0n : BigInt('0x' + hex);
    return negative ? -magnitude : magnitude;
  }

  /** A fresh Uint8Array (over its own ArrayBuffer) with the next n bytes. */
  private copyBytes(n: number): Uint8Array<ArrayBuffer> {
    this.need(n);
    const out = new Uint8Array(n);
    out.set(this.buf.subarray(this.pos, this.pos + n));
    this.pos += n;
    return out;
  }

  private readView(): ArrayBufferView {
    this.need(1);
    const kind = this.buf[this.pos++]!;
    const name = kViewKinds[kind];
    if (name === undefined) this.malformed(`unknown view kind ${kind}`);
    const n = this.readVarUint();
    const bytes = this.copyBytes(n);
    if (name === 'Buffer') return Buffer.from(bytes.buffer, 0, n);
    if (name === 'Uint8Array') return bytes;
    const ctor = kViewCtors[name];
    const unit = (ctor as unknown as { BYTES_PER_ELEMENT?: number }).BYTES_PER_ELEMENT ?? 1;
    if (n % unit !== 0) this.malformed(`${n} bytes is not a whole ${name}`);
    return new ctor(bytes.buffer, 0, name === 'DataView' ? n : n / unit);
  }

  private readObject(): Record<string, unknown> {
    this.enter();
    const obj: Record<string, unknown> = {};
    this.readFields(obj);
    this.depth--;
    return obj;
  }

  /** (key, value)* END into `obj`. */
  private readFields(obj: Record<string, unknown>): void {
    const buf = this.buf;
    for (;;) {
      if (this.pos >= this.end) this.malformed('truncated object');
      if (buf[this.pos] === kEnd) break;
      const key = this.readKey();
      const value = this.readValue();
      if (key === '__proto__') {
        // An own property named __proto__ (as JSON.parse makes), not the prototype.
        Object.defineProperty(obj, key, { value, writable: true, enumerable: true, configurable: true });
      } else {
        obj[key] = value;
      }
    }
    this.pos++;
  }

  private readArray(): unknown[] {
    this.enter();
    const n = this.readCount(1);
    const arr: unknown[] = [];
    for (let i = 0; i < n; i++) arr.push(this.readValue());
    this.depth--;
    return arr;
  }

  private readError(): Error {
    this.enter();
    const className = this.readString();
    const name = this.readValue();
    const message = this.readValue();
    const stack = this.readValue();
    this.need(1);
    const flags = this.buf[this.pos++]!;
    const cause = flags & kErrorHasCause ? this.readValue() : undefined;
    const errors = flags & kErrorHasErrors ? this.readValue() : undefined;
    let err: Error;
    if (flags & kErrorClassIsCode) {
      // An unknown code (a module not loaded here, an older peer): a built-in, by name.
      const proto = errorClassPrototype(className);
      err = proto !== undefined ? errorShellOf(proto, message) : builtinErrorShell(name, message);
    } else if (className !== '') {
      const proto = registeredPrototype(className);
      if (proto === undefined) this.malformed(`class ${JSON.stringify(className)} is not registered here`);
      err = errorShellOf(proto, message);
    } else {
      err = builtinErrorShell(name, message);
    }
    this.readFields(err as unknown as Record<string, unknown>);
    finishError(err, name, stack, (flags & kErrorHasCause) !== 0, cause, (flags & kErrorHasErrors) !== 0, errors);
    this.depth--;
    return err;
  }
}
