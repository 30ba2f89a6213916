/**
 * Message codec: the binary form of a value that crosses threads (through the SPSC rings)
 * and, later, TCP. One pass, no size estimate: the encoder writes straight into a
 * growable scratch buffer, or into a caller's Uint8Array at an offset (a reserved ring
 * slot) and reports -1 if the value does not fit there, so the caller can fall back.
 *
 * Format. A message is one value; a value is a tag byte and what the tag says follows.
 * Numbers inside tags are little-endian; `varuint` is LEB128 (7 bits a byte, low group
 * first, high bit = "more"), up to 2^53, and may be padded with 0x80 bytes (the encoder
 * pads the UTF-8 length it writes before knowing it).
 *
 *   tag        name          followed by
 *   0x00       END           -            (closes OBJECT, ERROR and INSTANCE field lists)
 *   0x01       UNDEFINED     -            (also what an array hole becomes)
 *   0x02       NULL          -
 *   0x03/0x04  FALSE/TRUE    -
 *   0x05       INT8          i8
 *   0x06       INT32         i32
 *   0x07       FLOAT64       f64          (every other number, -0, NaN, ±Infinity)
 *   0x08       BIGINT64      i64          (a bigint in [-2^63, 2^63))
 *   0x09       BIGINT        u8 sign (0 = +, 1 = -), varuint n, n magnitude bytes, low first
 *   0x0A       LATIN1        varuint n, n bytes (chars U+0000..U+00FF)
 *   0x0B       UTF8          varuint n, n bytes of UTF-8
 *   0x0C       UTF16         varuint n, n u16 code units (only strings with lone surrogates)
 *   0x0D       ARRAY         varuint n, n values
 *   0x0E       OBJECT        (string key, value)*, END
 *   0x0F       MAP           varuint n, n (key value, value) pairs
 *   0x10       SET           varuint n, n values
 *   0x11       DATE          f64 time value
 *   0x12       REGEXP        string source, string flags
 *   0x13       ARRAYBUFFER   varuint n, n bytes
 *   0x14       VIEW          u8 kind (kViewKinds), varuint n, n bytes
 *   0x15       PID           number node, number id, number serial
 *   0x16       REF           number node, number sched, number n
 *   0x17       ERROR         string class ('' = built-in, chosen by name), value name,
 *                            value message, value stack, u8 flags (1: cause, 2: errors),
 *                            [value cause], [value errors], (string key, value)*, END
 *   0x18       INSTANCE      string class, (string key, value)*, END
 *   0x19       V8            varuint n, n bytes of v8.serialize (boxed primitives)
 *   0x40-0x5F  FIXLATIN1     (tag & 0x1F) bytes: a Latin-1 string of 0..31 chars
 *   0x80-0xFF  FIXINT        the integer tag & 0x7F (0..127)
 *
 * Strings: up to 64 chars are tried as Latin-1 (one byte per char, one JS loop); other
 * strings go through TextEncoder.encodeInto as UTF-8, except those with lone surrogates,
 * which UTF-8 cannot carry and go as UTF-16 so that every string round-trips exactly.
 * The decoder reads short Latin-1 strings in a JS loop and longer ones with Buffer's
 * latin1/utf8 decoders; object keys of up to 31 Latin-1 chars come from a small cache of
 * recent keys, so a stream of messages with the same keys makes no new key strings.
 *
 * Frozenness, property attributes other than enumerability, and the identity of
 * objects are not sent (a decoded message is a fresh tree the receiver owns).
 *
 * What is sent, and how it comes back:
 *   - Plain objects (prototype Object.prototype or null): own enumerable string-keyed
 *     properties, read once (getters run); they come back as plain `{}` objects.
 *     Symbol keys are dropped, as structuredClone does.
 *   - Arrays: indices 0..length-1; a hole comes back as `undefined` (not as a hole) and
 *     non-index properties are dropped. A huge sparse array is sent densely.
 *   - Typed arrays, DataView, Node Buffer: only the bytes in the view (not the whole
 *     underlying buffer), into a fresh ArrayBuffer of their own; views of a
 *     SharedArrayBuffer are copied too. A subclass comes back as its built-in class.
 *   - Pid, Ref: by value; `MessageDecoder` takes `makePid` / `makeRef` hooks so the
 *     runtime can intern them.
 *   - Errors: name, message, stack, `cause`, AggregateError's `errors` and own enumerable
 *     fields (e.g. `code`). A registered Error class comes back with its prototype
 *     (constructor not run); other errors come back as the built-in Error class of that
 *     name (Error, TypeError, ...; Error if none), with the original name and stack.
 *   - Classes registered with `registerClass(ctor, name)`: own enumerable fields, decoded
 *     into `Object.create(ctor.prototype)` (constructor not run). Both ends must register
 *     the same name.
 *   - Boxed primitives (new Number(1), ...): through a V8 record (v8.serialize).
 *   - Unsendable, raising UnsendableError with the path of the value (`msg.a[3].f`):
 *     functions, symbols, instances of unregistered classes (including Promise, WeakMap,
 *     SharedArrayBuffer, ...), cycles, and nesting deeper than kMaxDepth.
 *
 * Shared references and cycles. Erlang copies a message as a tree, losing sharing; so do
 * we. An object reachable twice is encoded twice and decodes as two equal copies. A cycle
 * has no tree form and is rejected with UnsendableError, which names both the path where
 * it closes and the ancestor it points back to. Cycle detection costs one comparison per
 * ancestor per container (a Set takes over past kLinearAncestors levels) and no
 * allocation, where back-references would need a Map entry per object on every send.
 *
 * Trust. The decoder checks bounds and tags and throws BadArgError on a malformed
 * message. V8 records go through v8.deserialize, which is meant for trusted input: a TCP
 * transport should refuse the V8 tag from peers it does not trust.
 */

import { Buffer } from 'node:buffer';
import * as v8 from 'node:v8';
import { BadArgError, UnsendableError } from '../core/errors.ts';
import { Pid, Ref } from '../core/pid.ts';

// ---------------------------------------------------------------------------------------
// Tags (see the table above).

const kEnd = 0x00;
const kUndefined = 0x01;
const kNull = 0x02;
const kFalse = 0x03;
const kTrue = 0x04;
const kInt8 = 0x05;
const kInt32 = 0x06;
const kFloat64 = 0x07;
const kBigInt64 = 0x08;
const kBigInt = 0x09;
const kLatin1 = 0x0a;
const kUtf8 = 0x0b;
const kUtf16 = 0x0c;
const kArray = 0x0d;
const kObject = 0x0e;
const kMap = 0x0f;
const kSet = 0x10;
const kDate = 0x11;
const kRegExp = 0x12;
const kArrayBuffer = 0x13;
const kView = 0x14;
const kPid = 0x15;
const kRef = 0x16;
const kError = 0x17;
const kInstance = 0x18;
const kV8 = 0x19;
const kFixLatin1 = 0x40; // 0x40 | length, length 0..31
const kFixLatin1Max = 31;
const kFixInt = 0x80; // 0x80 | value, value 0..127

// ERROR flags.
const kErrorHasCause = 1;
const kErrorHasErrors = 2;

/** Strings up to this many chars are tried as Latin-1 (one JS loop, no TextEncoder call). */
const kShortStringChars = 64;
/** Latin-1 strings up to this many chars are decoded by a JS loop, longer ones by Buffer. */
const kShortDecodeChars = 12;
/** Slots of the decoder's cache of short object keys (a power of two). */
const kKeyCacheSize = 1024;
/** Containers nested deeper than this are unsendable (and rejected by the decoder). */
export const kMaxDepth = 1000;
/** Cycle checks scan this many ancestors linearly; deeper ones are kept in a Set. */
const kLinearAncestors = 32;
/** A scratch buffer that grew past this is dropped after use instead of being kept. */
const kMaxRetainedScratchBytes = 1 << 20;

// VIEW kinds: index = kind byte.
const kViewKinds = [
  'Int8Array',
  'Uint8Array',
  'Uint8ClampedArray',
  'Int16Array',
  'Uint16Array',
  'Int32Array',
  'Uint32Array',
  'Float32Array',
  'Float64Array',
  'BigInt64Array',
  'BigUint64Array',
  'DataView',
  'Buffer',
] as const;
type ViewKindName = (typeof kViewKinds)[number];
const kViewKindByName = new Map<string, number>(kViewKinds.map((name, i) => [name, i]));
const kBufferKind = kViewKinds.indexOf('Buffer');
const kDataViewKind = kViewKinds.indexOf('DataView');

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

const kBuiltinErrors: Record<string, ErrorConstructor | AggregateErrorConstructor> = {
  Error,
  TypeError,
  RangeError,
  SyntaxError,
  ReferenceError,
  EvalError,
  URIError,
  AggregateError,
};

const utf8Encoder = new TextEncoder();
const isWellFormed = (String.prototype as unknown as { isWellFormed?: () => boolean }).isWellFormed;
const typedArrayTag = Object.getOwnPropertyDescriptor(Object.getPrototypeOf(Uint8Array.prototype), Symbol.toStringTag)!.get!;

// ---------------------------------------------------------------------------------------
// Class registry (process-wide: every thread registers the same names at startup).

const classNameByProto = new Map<object, string>();
const protoByClassName = new Map<string, object>();
const kUnregistrable: readonly object[] = [
  Object.prototype, Array.prototype, Map.prototype, Set.prototype, Date.prototype, RegExp.prototype,
  ArrayBuffer.prototype, Pid.prototype, Ref.prototype, Function.prototype,
];

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyClass = abstract new (...args: any[]) => unknown;

/**
 * Let instances of `ctor` be sent: their own enumerable fields are encoded, and they are
 * decoded into `Object.create(ctor.prototype)` without running the constructor. `name`
 * identifies the class on the wire; the receiving thread or node must register the same
 * name. Registering the same pair twice is a no-op.
 * @throws BadArgError if the name or the class is already registered differently, or
 *   the class is one the codec handles itself.
 */
export function registerClass(ctor: AnyClass, name: string = ctor.name): void {
  if (typeof ctor !== 'function' || typeof ctor.prototype !== 'object' || ctor.prototype === null) {
    throw new BadArgError('registerClass: expected a class');
  }
  if (typeof name !== 'string' || name === '') throw new BadArgError('registerClass: the name must be a non-empty string');
  const proto = ctor.prototype as object;
  if (kUnregistrable.includes(proto) || ArrayBuffer.isView(proto)) {
    throw new BadArgError(`registerClass: ${name} is encoded by the codec itself`);
  }
  const known = classNameByProto.get(proto);
  const other = protoByClassName.get(name);
  if (known === name && other === proto) return;
  if (known !== undefined) throw new BadArgError(`registerClass: class already registered as ${JSON.stringify(known)}`);
  if (other !== undefined) throw new BadArgError(`registerClass: name ${JSON.stringify(name)} already registered for another class`);
  classNameByProto.set(proto, name);
  protoByClassName.set(name, proto);
}

/** Remove a registration (tests, hot code reload). */
export function unregisterClass(ctor: AnyClass): void {
  const proto = ctor.prototype as object;
  const name = classNameByProto.get(proto);
  if (name === undefined) return;
  classNameByProto.delete(proto);
  protoByClassName.delete(name);
}

// ---------------------------------------------------------------------------------------
// Encoder.

/** Thrown through the encoder when a target buffer is too small. Not an Error: no stack. */
const kNoRoom = { noRoom: true };

/**
 * Thrown at an unsendable value; each container it unwinds through adds its path
 * segment (innermost first). Not an Error: the top level turns it into UnsendableError.
 */
class EncodeFault {
  readonly segments: string[] = [];
  constructor(
    readonly what: string,
    /** For a cycle: the depth of the ancestor the value points back to; else -1. */
    readonly ancestorDepth = -1,
  ) {}
}

function faultAt(e: unknown, segment: string): unknown {
  if (e instanceof EncodeFault) e.segments.push(segment);
  return e;
}

const kIdentifier = /^[A-Za-z_$][\w$]*$/;
function propertySegment(key: string): string {
  return kIdentifier.test(key) ? `.${key}` : `[${JSON.stringify(key)}]`;
}
function describeKey(key: unknown): string {
  if (typeof key === 'string') return JSON.stringify(key);
  if (typeof key === 'number' || typeof key === 'boolean' || typeof key === 'bigint' || key == null) return String(key);
  return '…';
}

/** True if someone added an enumerable property to Object.prototype (which for-in would see). */
function objectPrototypeHasEnumerables(): boolean {
  for (const _ in Object.prototype) return true;
  return false;
}

function varUintSize(n: number): number {
  let size = 1;
  while (n >= 0x80) {
    n = Math.floor(n / 0x80);
    size++;
  }
  return size;
}

/**
 * Encodes values. Holds a growable scratch buffer and the state of one encode; not
 * reentrant (a getter that sends from inside an encode must use another encoder).
 */
export class MessageEncoder {
  private scratchBuf: Uint8Array;
  private scratchView: DataView;
  private readonly initialBytes: number;
  // The buffer being written: the scratch buffer or a caller's target.
  private buf: Uint8Array;
  private view: DataView;
  private pos = 0;
  private limit: number;
  private growable = true;
  // DataView over the last target, reused while the caller passes the same Uint8Array.
  private targetBytes: Uint8Array | null = null;
  private targetView: DataView | null = null;
  // Ancestors of the value being written, for cycle detection.
  private readonly ancestors: (object | undefined)[] = [];
  private depth = 0;
  private deepAncestors: Set<object> | null = null;
  private busy = false;
  /** May plain objects be walked with for-in (no enumerable Object.prototype properties)? */
  private plainForIn = true;

  constructor(initialScratchBytes = 1024) {
    this.initialBytes = Math.max(64, initialScratchBytes | 0);
    this.scratchBuf = this.buf = new Uint8Array(this.initialBytes);
    this.scratchView = this.view = new DataView(this.scratchBuf.buffer);
    this.limit = this.scratchBuf.length;
  }

  /** The scratch buffer: after `encodeToScratch` returned n, the message is `scratch[0, n)`. */
  get scratch(): Uint8Array {
    return this.scratchBuf;
  }

  /**
   * Encode `value` into the scratch buffer and return its length in bytes. The bytes stay
   * valid until the next call on this encoder.
   * @param root the name the path in an UnsendableError starts with.
   * @throws UnsendableError
   */
  encodeToScratch(value: unknown, root = 'msg'): number {
    if (this.scratchBuf.length > kMaxRetainedScratchBytes) {
      this.scratchBuf = new Uint8Array(this.initialBytes);
      this.scratchView = new DataView(this.scratchBuf.buffer);
    }
    this.enterCall(this.scratchBuf, this.scratchView, 0, this.scratchBuf.length, true);
    try {
      this.writeValue(value);
      return this.pos;
    } catch (e) {
      throw this.failure(e, root);
    } finally {
      // A grown buffer is kept (until it is too big, see above).
      this.scratchBuf = this.buf;
      this.scratchView = this.view;
      this.leaveCall();
    }
  }

  /** Encode into the scratch buffer and return a view of the bytes (valid until the next call). */
  encode(value: unknown, root = 'msg'): Uint8Array {
    const n = this.encodeToScratch(value, root);
    return this.scratchBuf.subarray(0, n);
  }

  /**
   * Encode `value` into `target[offset, end)`. Returns the number of bytes written, or -1
   * if it does not fit (then the bytes in the range are garbage; fall back to
   * `encodeToScratch` and copy). Allocates nothing for values made of primitives,
   * plain objects, arrays, pids and refs, while `target` stays the same Uint8Array.
   * @throws UnsendableError
   */
  encodeInto(value: unknown, target: Uint8Array, offset = 0, end = target.length, root = 'msg'): number {
    if (!(offset >>> 0 === offset && end >>> 0 === end && offset <= end && end <= target.length)) {
      throw new BadArgError(`encodeInto: bad range [${offset}, ${end}) of a ${target.length}-byte target`);
    }
    let view = this.targetView;
    if (target !== this.targetBytes || view === null) {
      view = this.targetView = new DataView(target.buffer, target.byteOffset, target.byteLength);
      this.targetBytes = target;
    }
    this.enterCall(target, view, offset, end, false);
    try {
      this.writeValue(value);
      return this.pos - offset;
    } catch (e) {
      if (e === kNoRoom) return -1;
      throw this.failure(e, root);
    } finally {
      this.leaveCall();
    }
  }

  private enterCall(buf: Uint8Array, view: DataView, pos: number, limit: number, growable: boolean): void {
    if (this.busy) throw new BadArgError('MessageEncoder is not reentrant: use another encoder inside an encode');
    this.busy = true;
    this.plainForIn = !objectPrototypeHasEnumerables();
    this.buf = buf;
    this.view = view;
    this.pos = pos;
    this.limit = limit;
    this.growable = growable;
  }

  private leaveCall(): void {
    // After a throw the ancestor stack may still hold objects: drop them.
    for (let i = 0; i < this.depth; i++) this.ancestors[i] = undefined;
    this.depth = 0;
    this.deepAncestors?.clear();
    this.busy = false;
  }

  private failure(e: unknown, root: string): unknown {
    if (!(e instanceof EncodeFault)) return e;
    const segments = e.segments.reverse();
    const path = root + segments.join('');
    let what = e.what;
    if (e.ancestorDepth >= 0) {
      what += ` (a reference back to ${root + segments.slice(0, e.ancestorDepth).join('')})`;
    }
    return new UnsendableError(path, what);
  }

  // -- buffer management ----------------------------------------------------------------

  private ensure(n: number): void {
    if (this.pos + n > this.limit) this.makeRoom(n);
  }

  private makeRoom(n: number): void {
    if (!this.growable) throw kNoRoom;
    let size = this.buf.length * 2;
    while (size < this.pos + n) size *= 2;
    const bigger = new Uint8Array(size);
    bigger.set(this.buf.subarray(0, this.pos));
    this.buf = bigger;
    this.view = new DataView(bigger.buffer);
    this.limit = size;
  }

  private writeVarUint(n: number): void {
    if (n < 0x80) {
      if (this.pos >= this.limit) this.makeRoom(1);
      this.buf[this.pos++] = n;
      return;
    }
    this.ensure(varUintSize(n));
    const buf = this.buf;
    let pos = this.pos;
    if (n <= 0x7fffffff) {
      while (n >= 0x80) {
        buf[pos++] = (n & 0x7f) | 0x80;
        n >>>= 7;
      }
      buf[pos++] = n;
    } else {
      while (n >= 0x80) {
        buf[pos++] = (n % 0x80) | 0x80;
        n = Math.floor(n / 0x80);
      }
      buf[pos++] = n;
    }
    this.pos = pos;
  }

  private writeBytes(src: Uint8Array): void {
    this.writeVarUint(src.length);
    this.ensure(src.length);
    this.buf.set(src, this.pos);
    this.pos += src.length;
  }

  // -- values ---------------------------------------------------------------------------

  private writeValue(v: unknown): void {
    switch (typeof v) {
      case 'number':
        return this.writeNumber(v);
      case 'string':
        return this.writeString(v);
      case 'object':
        if (v === null) return this.writeTag(kNull);
        return this.writeObject(v);
      case 'boolean':
        return this.writeTag(v ? kTrue : kFalse);
      case 'undefined':
        return this.writeTag(kUndefined);
      case 'bigint':
        return this.writeBigInt(v);
      case 'function':
        throw new EncodeFault(v.name ? `a function (${v.name})` : 'a function');
      case 'symbol':
        throw new EncodeFault(`a symbol (${v.toString()})`);
    }
  }

  private writeTag(tag: number): void {
    if (this.pos >= this.limit) this.makeRoom(1);
    this.buf[this.pos++] = tag;
  }

  private writeNumber(v: number): void {
    if ((v | 0) === v && (v !== 0 || 1 / v > 0)) {
      if (v >= 0 && v < 0x80) {
        if (this.pos >= this.limit) this.makeRoom(1);
        this.buf[this.pos++] = kFixInt | v;
      } else if (v >= -0x80 && v < 0x80) {
        this.ensure(2);
        this.buf[this.pos] = kInt8;
        this.buf[this.pos + 1] = v & 0xff;
        this.pos += 2;
      } else {
        this.ensure(5);
        this.buf[this.pos] = kInt32;
        this.view.setInt32(this.pos + 1, v, true);
        this.pos += 5;
      }
    } else {
      this.ensure(9);
      this.buf[this.pos] = kFloat64;
      this.view.setFloat64(this.pos + 1, v, true);
      this.pos += 9;
    }
  }

  private writeBigInt(v: bigint): void {
    if (BigInt.asIntN(64, v) === v) {
      this.ensure(9);
      this.buf[this.pos] = kBigInt64;
      this.view.setBigInt64(this.pos + 1, v, true);
      this.pos += 9;
      return;
    }
    const negative = v < 0n;
    let hex = (negative ? -v : v).toString(16);
    if (hex.length & 1) hex = '0' + hex;
    const n = hex.length >> 1;
    this.ensure(2);
    this.buf[this.pos++] = kBigInt;
    this.buf[this.pos++] = negative ? 1 : 0;
    this.writeVarUint(n);
    this.ensure(n);
    const buf = this.buf;
    let pos = this.pos;
    for (let i = hex.length - 2; i >= 0; i -= 2) buf[pos++] = parseInt(hex.substring(i, i + 2), 16);
    this.pos = pos;
  }

  private writeString(s: string): void {
    const n = s.length;
    if (n > kShortStringChars) return this.writeLongString(s);
    // Latin-1 attempt: tag (+ one length byte, n < 128) + n bytes.
    this.ensure(n <= kFixLatin1Max ? n + 1 : n + 2);
    const buf = this.buf;
    const start = this.pos;
    let pos = n <= kFixLatin1Max ? start + 1 : start + 2;
    for (let i = 0; i < n; i++) {
      const c = s.charCodeAt(i);
      if (c > 0xff) return this.writeLongString(s);
      buf[pos++] = c;
    }
    if (n <= kFixLatin1Max) {
      buf[start] = kFixLatin1 | n;
    } else {
      buf[start] = kLatin1;
      buf[start + 1] = n;
    }
    this.pos = pos;
  }

  /** UTF-8 through TextEncoder.encodeInto (UTF-16 if the string has lone surrogates). */
  private writeLongString(s: string): void {
    if (isWellFormed !== undefined && !isWellFormed.call(s)) return this.writeUtf16(s);
    const n = s.length;
    const max = n * 3;
    const lengthBytes = varUintSize(max);
    const start = this.pos;
    const headroom = 1 + lengthBytes;
    // Scratch: make room for the worst case. Target: use what is there, and see below.
    this.ensure(this.growable ? headroom + max : headroom);
    const stop = Math.min(this.limit, start + headroom + max);
    const r = utf8Encoder.encodeInto(s, this.buf.subarray(start + headroom, stop));
    if (r.read < n) throw kNoRoom; // only with a target: the scratch had room for 3n
    const buf = this.buf;
    buf[start] = kUtf8;
    // The length, padded to the `lengthBytes` we reserved.
    let len = r.written;
    for (let i = 1; i < lengthBytes; i++) {
      buf[start + i] = (len & 0x7f) | 0x80;
      len >>>= 7;
    }
    buf[start + lengthBytes] = len;
    this.pos = start + headroom + r.written;
  }

  private writeUtf16(s: string): void {
    const n = s.length;
    this.writeTag(kUtf16);
    this.writeVarUint(n);
    this.ensure(2 * n);
    const buf = this.buf;
    let pos = this.pos;
    for (let i = 0; i < n; i++) {
      const c = s.charCodeAt(i);
      buf[pos++] = c & 0xff;
      buf[pos++] = c >>> 8;
    }
    this.pos = pos;
  }

  // -- objects --------------------------------------------------------------------------

  /** Push `obj` on the ancestor stack; throws at a cycle or past kMaxDepth. */
  private enter(obj: object): void {
    const d = this.depth;
    const stack = this.ancestors;
    const linear = d < kLinearAncestors ? d : kLinearAncestors;
    for (let i = 0; i < linear; i++) {
      if (stack[i] === obj) throw new EncodeFault('a cycle', i);
    }
    if (d >= kLinearAncestors) {
      if (d >= kMaxDepth) throw new EncodeFault(`a value nested deeper than ${kMaxDepth} levels`);
      const deep = (this.deepAncestors ??= new Set());
      if (deep.has(obj)) throw new EncodeFault('a cycle', stack.indexOf(obj));
      deep.add(obj);
    }
    stack[d] = obj;
    this.depth = d + 1;
  }

  private leave(): void {
    const d = --this.depth;
    if (d >= kLinearAncestors) this.deepAncestors!.delete(this.ancestors[d]!);
    this.ancestors[d] = undefined;
  }

  private writeObject(v: object): void {
    const proto: unknown = Object.getPrototypeOf(v);
    if (proto === Object.prototype || proto === null) return this.writePlainObject(v as Record<string, unknown>);
    if (proto === Array.prototype) return this.writeArray(v as unknown[]);
    if (proto === Pid.prototype) {
      const p = v as Pid;
      this.writeTag(kPid);
      this.writeNumber(p.node);
      this.writeNumber(p.id);
      this.writeNumber(p.serial);
      return;
    }
    if (proto === Ref.prototype) {
      const r = v as Ref;
      this.writeTag(kRef);
      this.writeNumber(r.node);
      this.writeNumber(r.sched);
      this.writeNumber(r.n);
      return;
    }
    return this.writeOtherObject(v, proto as object);
  }

  private writePlainObject(v: Record<string, unknown>): void {
    this.enter(v);
    this.writeTag(kObject);
    if (this.plainForIn) {
      // for-in walks V8's enum cache without allocating the key array Object.keys makes.
      // For a plain object it yields exactly the own enumerable string keys, in the same
      // order, as long as Object.prototype has no enumerable properties (checked per call).
      let key = '';
      try {
        for (key in v) {
          this.writeString(key);
          this.writeValue(v[key]);
        }
      } catch (e) {
        throw faultAt(e, propertySegment(key));
      }
      this.writeTag(kEnd);
    } else {
      this.writeFields(v);
    }
    this.leave();
  }

  /** (key, value)* END for the own enumerable string keys of `v`. */
  private writeFields(v: Record<string, unknown>): void {
    const keys = Object.keys(v);
    let i = 0;
    try {
      for (; i < keys.length; i++) {
        const key = keys[i]!;
        this.writeString(key);
        this.writeValue(v[key]);
      }
    } catch (e) {
      throw faultAt(e, propertySegment(keys[i]!));
    }
    this.writeTag(kEnd);
  }

  private writeArray(v: unknown[]): void {
    this.enter(v);
    const n = v.length;
    this.writeTag(kArray);
    this.writeVarUint(n);
    let i = 0;
    try {
      for (; i < n; i++) this.writeValue(v[i]);
    } catch (e) {
      throw faultAt(e, `[${i}]`);
    }
    this.leave();
  }

  private writeOtherObject(v: object, proto: object): void {
    if (proto === Map.prototype) return this.writeMap(v as Map<unknown, unknown>);
    if (proto === Set.prototype) return this.writeSet(v as Set<unknown>);
    if (proto === Date.prototype) {
      this.ensure(9);
      this.buf[this.pos] = kDate;
      this.view.setFloat64(this.pos + 1, (v as Date).getTime(), true);
      this.pos += 9;
      return;
    }
    if (proto === RegExp.prototype) {
      const re = v as RegExp;
      this.writeTag(kRegExp);
      this.writeString(re.source);
      this.writeString(re.flags);
      return;
    }
    if (proto === ArrayBuffer.prototype) {
      this.writeTag(kArrayBuffer);
      this.writeBytes(new Uint8Array(v as ArrayBuffer));
      return;
    }
    if (ArrayBuffer.isView(v)) return this.writeView(v, proto);
    const className = classNameByProto.get(proto);
    if (v instanceof Error) return this.writeError(v, className);
    if (className !== undefined) {
      this.enter(v);
      this.writeTag(kInstance);
      this.writeString(className);
      this.writeFields(v as Record<string, unknown>);
      this.leave();
      return;
    }
    if (Array.isArray(v)) return this.writeArray(v); // an Array subclass or another realm's
    if (proto === Number.prototype || proto === String.prototype || proto === Boolean.prototype || proto === BigInt.prototype) {
      this.writeTag(kV8);
      this.writeBytes(v8.serialize(v));
      return;
    }
    throw new EncodeFault(describeUnsendable(v));
  }

  private writeView(v: ArrayBufferView, proto: object): void {
    const kind = proto === Buffer.prototype ? kBufferKind : v instanceof DataView ? kDataViewKind : kViewKindByName.get(typedArrayTag.call(v) as string);
    if (kind === undefined) throw new EncodeFault(`an unknown ArrayBuffer view (${describeUnsendable(v)})`);
    this.ensure(2);
    this.buf[this.pos++] = kView;
    this.buf[this.pos++] = kind;
    this.writeBytes(new Uint8Array(v.buffer, v.byteOffset, v.byteLength));
  }

  private writeMap(m: Map<unknown, unknown>): void {
    this.enter(m);
    this.writeTag(kMap);
    this.writeVarUint(m.size);
    let i = 0;
    let inKey = true;
    let key: unknown;
    try {
      for (const entry of m) {
        key = entry[0];
        inKey = true;
        this.writeValue(key);
        inKey = false;
        this.writeValue(entry[1]);
        i++;
      }
    } catch (e) {
      throw faultAt(e, inKey ? `.keys()[${i}]` : `.get(${describeKey(key)})`);
    }
    this.leave();
  }

  private writeSet(s: Set<unknown>): void {
    this.enter(s);
    this.writeTag(kSet);
    this.writeVarUint(s.size);
    let i = 0;
    try {
      for (const item of s) {
        this.writeValue(item);
        i++;
      }
    } catch (e) {
      throw faultAt(e, `.values()[${i}]`);
    }
    this.leave();
  }

  private writeError(err: Error, className: string | undefined): void {
    this.enter(err);
    this.writeTag(kError);
    this.writeString(className ?? '');
    let segment = '.name';
    try {
      this.writeValue(err.name);
      segment = '.message';
      this.writeValue(err.message);
      segment = '.stack';
      this.writeValue(err.stack);
      const hasCause = Object.hasOwn(err, 'cause');
      const hasErrors = err instanceof AggregateError && Object.hasOwn(err, 'errors');
      this.writeTag((hasCause ? kErrorHasCause : 0) | (hasErrors ? kErrorHasErrors : 0));
      segment = '.cause';
      if (hasCause) this.writeValue(err.cause);
      segment = '.errors';
      if (hasErrors) this.writeValue((err as AggregateError).errors);
    } catch (e) {
      throw faultAt(e, segment);
    }
    this.writeFields(err as unknown as Record<string, unknown>);
    this.leave();
  }
}

function describeUnsendable(v: object): string {
  if (v instanceof SharedArrayBuffer) return 'a SharedArrayBuffer (share it when setting up the threads instead)';
  let name: unknown;
  try {
    name = (v as { constructor?: { name?: unknown } }).constructor?.name;
  } catch {
    name = undefined;
  }
  if (typeof name === 'string' && name !== '') return `an instance of class ${name} (not registered with registerClass)`;
  return 'an object with a non-standard prototype (not registered with registerClass)';
}

// ---------------------------------------------------------------------------------------
// Decoder.

/**
 * Short object keys seen lately, by a hash of their bytes (direct-mapped, per thread).
 * Messages repeat their keys (`from`, `tag`, ...): a hit returns the same string again.
 */
const keyCache: (string | undefined)[] = new Array<string | undefined>(kKeyCacheSize).fill(undefined);

export interface DecodeHooks {
  /** Build (or intern) the Pid for a decoded `<node.id.serial>`. Default: `new Pid`. */
  makePid?: (node: number, id: number, serial: number) => Pid;
  /** Build (or intern) the Ref for a decoded `#Ref<node.sched.n>`. Default: `new Ref`. */
  makeRef?: (node: number, sched: number, n: number) => Ref;
}

/** Decodes messages. Holds the state of one decode; not reentrant. */
export class MessageDecoder {
  private readonly makePid: ((node: number, id: number, serial: number) => Pid) | undefined;
  private readonly makeRef: ((node: number, sched: number, n: number) => Ref) | undefined;
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
        const node = this.readNumber();
        const id = this.readNumber();
        const serial = this.readNumber();
        return this.makePid !== undefined ? this.makePid(node, id, serial) : new Pid(node, id, serial);
      }
      case kRef: {
        const node = this.readNumber();
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
        const proto = protoByClassName.get(name);
        if (proto === undefined) this.malformed(`class ${JSON.stringify(name)} is not registered here`);
        const obj = Object.create(proto) as Record<string, unknown>;
        this.readFields(obj);
        this.depth--;
        return obj;
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
    // Short: a JS loop beats a call into C++; four chars per step, fewer intermediate strings.
    const buf = this.buf;
    let s = '';
    let i = start;
    for (; i + 4 <= stop; i += 4) s += String.fromCharCode(buf[i]!, buf[i + 1]!, buf[i + 2]!, buf[i + 3]!);
    for (; i < stop; i++) s += String.fromCharCode(buf[i]!);
    return s;
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
   * An object key. Short Latin-1 keys come from `keyCache`: no new string, and one that V8
   * has already internalized, which makes the property store that follows cheaper.
   */
  private readKey(): string {
    const buf = this.buf;
    const tag = buf[this.pos]!;
    if (tag < kFixLatin1 || tag > (kFixLatin1 | kFixLatin1Max)) return this.readString();
    const n = tag & kFixLatin1Max;
    const start = this.pos + 1;
    if (start + n > this.end) this.malformed('truncated');
    let h = n;
    for (let i = start; i < start + n; i++) h = Math.imul(h ^ buf[i]!, 0x01000193);
    const slot = (h ^ (h >>> 16)) & (kKeyCacheSize - 1);
    const cached = keyCache[slot];
    if (cached !== undefined && cached.length === n) {
      let i = 0;
      while (i < n && cached.charCodeAt(i) === buf[start + i]) i++;
      if (i === n) {
        this.pos = start + n;
        return cached;
      }
    }
    this.pos = start;
    const key = this.readLatin1(n);
    keyCache[slot] = key;
    return key;
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
    if (className !== '') {
      const proto = protoByClassName.get(className);
      if (proto === undefined) this.malformed(`class ${JSON.stringify(className)} is not registered here`);
      err = Object.create(proto) as Error;
      hide(err, 'message', message);
    } else {
      const ctor = (typeof name === 'string' && kBuiltinErrors[name]) || Error;
      // No stack trace of our own: the original one replaces it below.
      const limit = Error.stackTraceLimit;
      Error.stackTraceLimit = 0;
      try {
        err = ctor === AggregateError ? new AggregateError([], String(message)) : new (ctor as ErrorConstructor)(String(message));
      } finally {
        Error.stackTraceLimit = limit;
      }
    }
    // Own enumerable fields first: a `name` among them (SwitchboardError sets one) stays
    // enumerable, as it was; otherwise the name is restored as a hidden own property.
    this.readFields(err as unknown as Record<string, unknown>);
    if (name !== err.name) hide(err, 'name', name);
    hide(err, 'stack', stack);
    if (flags & kErrorHasCause) hide(err, 'cause', cause);
    if (flags & kErrorHasErrors) hide(err, 'errors', errors);
    this.depth--;
    return err;
  }
}

/** Define a non-enumerable own property, as Error's own message/stack/cause are. */
function hide(obj: object, key: string, value: unknown): void {
  Object.defineProperty(obj, key, { value, writable: true, enumerable: false, configurable: true });
}

// ---------------------------------------------------------------------------------------
// One-shot helpers (tests, cold paths). Hot paths keep their own encoder and decoder.

const sharedEncoder = new MessageEncoder();
const sharedDecoder = new MessageDecoder();
let sharedEncoderBusy = false;
let sharedDecoderBusy = false;

/** Encode into a fresh Uint8Array of exactly the message's size. */
export function encodeMessage(value: unknown, root = 'msg'): Uint8Array {
  // A getter that sends from inside an encode gets an encoder of its own.
  const encoder = sharedEncoderBusy ? new MessageEncoder() : sharedEncoder;
  const outer = !sharedEncoderBusy;
  sharedEncoderBusy = true;
  try {
    const n = encoder.encodeToScratch(value, root);
    return encoder.scratch.slice(0, n);
  } finally {
    if (outer) sharedEncoderBusy = false;
  }
}

/** Decode `bytes[offset, offset + length)`. */
export function decodeMessage(bytes: Uint8Array, offset = 0, length = bytes.length - offset, hooks?: DecodeHooks): unknown {
  // With hooks, or from inside a decode hook: a decoder of its own.
  if (hooks !== undefined || sharedDecoderBusy) return new MessageDecoder(hooks).decode(bytes, offset, length);
  sharedDecoderBusy = true;
  try {
    return sharedDecoder.decode(bytes, offset, length);
  } finally {
    sharedDecoderBusy = false;
  }
}
