/**
 * The encoder of the message codec (wire format: wire-format.ts). One pass, no size
 * estimate: it writes straight into a growable scratch buffer, or into a caller's
 * Uint8Array at an offset (a reserved ring slot) and reports -1 if the value does not
 * fit there, so the caller can fall back.
 *
 * Strings: up to 64 chars are tried as Latin-1 (one byte per char, one JS loop); other
 * strings go through TextEncoder.encodeInto as UTF-8, except those with lone surrogates,
 * which UTF-8 cannot carry and go as UTF-16 so that every string round-trips exactly.
 *
 * What is sent (the definition is core/sendable.ts, shared with the local copy):
 *   - Plain objects: own enumerable string-keyed properties, read once (getters run);
 *     Symbol keys are dropped, as structuredClone does. A null prototype is kept.
 *   - Arrays: indices 0..length-1; a hole is sent as `undefined`, non-index properties
 *     are dropped. A huge sparse array is sent densely.
 *   - Typed arrays, DataView, Node Buffer: only the bytes in the view (not the whole
 *     underlying buffer); views of a SharedArrayBuffer are copied too. A subclass is sent
 *     as its built-in class.
 *   - Pid, Ref: by value; the node through the `encodeNode` hook if one is given.
 *   - Errors: name, message, stack, `cause`, AggregateError's `errors` and own enumerable
 *     fields (e.g. `code`), under their class name if registered with registerClass, else
 *     under their code if their class is in the error-class table, else as built-ins.
 *   - Classes registered with `registerClass`: own enumerable fields.
 *   - Boxed primitives (new Number(1), ...): through a V8 record (v8.serialize).
 *   - Unsendable, raising UnsendableError with the path of the value (`msg.a[3].f`):
 *     functions, symbols, instances of unregistered classes, cycles, and nesting deeper
 *     than kMaxDepth. Frozenness, property attributes other than enumerability and
 *     object identity are not sent (the receiver gets a fresh tree it owns).
 *
 * Shared references and cycles. Erlang copies a message as a tree, losing sharing; so do
 * we. An object reachable twice is encoded twice and decodes as two equal copies. A cycle
 * has no tree form and is rejected, naming both the path where it closes and the ancestor
 * it points back to. Cycle detection costs one comparison per ancestor per container (a
 * Set takes over past kLinearAncestors levels) and no allocation.
 *
 * Hot path: a lone scalar is one call of scalar-values.ts; plain objects, arrays,
 * primitives, pids and refs allocate nothing while the target stays the same Uint8Array;
 * every field of the encoder is set in the constructor (one hidden class).
 */

import * as v8 from 'node:v8';
import { BadArgError } from '../core/errors.ts';
import { Pid, Ref } from '../core/pid.ts';
import { registeredClassName } from '../core/class-registry.ts';
import { errorClassCode } from '../core/error-classes.ts';
import {
  describeCycle, describeFunction, describeKey, describeSymbol, describeUnsendable, isBoxedPrimitive, kTooDeep,
  propertySegment, viewKindName,
} from '../core/sendable.ts';
import {
  kArray, kArrayBuffer, kBigInt, kBigInt64, kDate, kEnd, kError, kErrorClassIsCode, kErrorHasCause, kErrorHasErrors,
  kFalse, kFixInt, kFixLatin1, kFixLatin1Max, kFloat64, kInstance, kInt32, kInt8, kLatin1, kMap, kNull, kNullObject,
  kObject, kPid, kRef, kRegExp, kSet, kTrue, kUndefined, kUtf16, kUtf8, kV8, kView, kViewKindByName,
} from './wire-format.ts';
import { kLinearAncestors, kMaxDepth, kMaxRetainedScratchBytes, kShortStringChars } from './limits.ts';
import type { EncodeHooks } from './node-hooks.ts';
import { EncodeFault, faultAt, kNoRoom, objectPrototypeHasEnumerables, unsendableErrorOf, varUintSize } from './encode-fault.ts';
import { writeScalar } from './scalar-values.ts';

const utf8Encoder = new TextEncoder();
const isWellFormed = (String.prototype as unknown as { isWellFormed?: () => boolean }).isWellFormed;

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
  /** Walk plain objects with for-in? 0: not checked yet this call (see writePlainObject), 1: yes, 2: no. */
  private forInMode = 0;

  /** The wire value of a node index (see node-hooks.ts); undefined = the index itself. */
  private readonly encodeNode: ((index: number) => unknown) | undefined;

  constructor(initialScratchBytes = 1024, hooks: EncodeHooks = {}) {
    this.encodeNode = hooks.encodeNode;
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
    // A lone scalar: one call of scalar-values.ts, the same bytes as writeValue's.
    const m = typeof value !== 'object' && !this.busy ? writeScalar(value, this.scratchBuf, 0, this.scratchBuf.length) : -1;
    if (m >= 0) return m;
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
    // A lone scalar: one call of scalar-values.ts, the same bytes as writeValue's.
    const m = typeof value !== 'object' && !this.busy ? writeScalar(value, target, offset, end) : -1;
    if (m >= 0) return m;
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
    this.forInMode = 0;
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
    return e instanceof EncodeFault ? unsendableErrorOf(e, root) : e;
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
        throw new EncodeFault(describeFunction(v));
      case 'symbol':
        throw new EncodeFault(describeSymbol(v));
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
      if (stack[i] === obj) throw new EncodeFault('', i);
    }
    if (d >= kLinearAncestors) {
      if (d >= kMaxDepth) throw new EncodeFault(kTooDeep);
      const deep = (this.deepAncestors ??= new Set());
      if (deep.has(obj)) throw new EncodeFault('', stack.indexOf(obj));
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
    if (proto === Object.prototype) return this.writePlainObject(v as Record<string, unknown>, kObject);
    if (proto === null) return this.writePlainObject(v as Record<string, unknown>, kNullObject);
    if (proto === Array.prototype) return this.writeArray(v as unknown[]);
    if (proto === Pid.prototype) {
      const p = v as Pid;
      this.writeTag(kPid);
      if (this.encodeNode === undefined) this.writeNumber(p.node);
      else this.writeValue(this.encodeNode(p.node));
      this.writeNumber(p.id);
      this.writeNumber(p.serial);
      return;
    }
    if (proto === Ref.prototype) {
      const r = v as Ref;
      this.writeTag(kRef);
      if (this.encodeNode === undefined) this.writeNumber(r.node);
      else this.writeValue(this.encodeNode(r.node));
      this.writeNumber(r.sched);
      this.writeNumber(r.n);
      return;
    }
    return this.writeOtherObject(v, proto as object);
  }

  private writePlainObject(v: Record<string, unknown>, tag: number): void {
    this.enter(v);
    this.writeTag(tag);
    let mode = this.forInMode;
    // Checked once per call, at its first plain object: a call without one pays nothing.
    if (mode === 0) mode = this.forInMode = objectPrototypeHasEnumerables() ? 2 : 1;
    if (mode === 1) {
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
    const className = registeredClassName(proto);
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
    if (isBoxedPrimitive(proto)) {
      this.writeTag(kV8);
      this.writeBytes(v8.serialize(v));
      return;
    }
    throw new EncodeFault(describeUnsendable(v));
  }

  private writeView(v: ArrayBufferView, proto: object): void {
    const name = viewKindName(v, proto);
    const kind = name === undefined ? undefined : kViewKindByName.get(name);
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

  /** The class goes by registered name, else by error code (error-class table), else ''. */
  private writeError(err: Error, className: string | undefined): void {
    this.enter(err);
    this.writeTag(kError);
    const code = className === undefined ? errorClassCode(Object.getPrototypeOf(err) as object) : undefined;
    this.writeString(className ?? code ?? '');
    let segment = '.name';
    try {
      this.writeValue(err.name);
      segment = '.message';
      this.writeValue(err.message);
      segment = '.stack';
      this.writeValue(err.stack);
      const hasCause = Object.hasOwn(err, 'cause');
      const hasErrors = err instanceof AggregateError && Object.hasOwn(err, 'errors');
      this.writeTag((hasCause ? kErrorHasCause : 0) | (hasErrors ? kErrorHasErrors : 0) | (code !== undefined ? kErrorClassIsCode : 0));
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
