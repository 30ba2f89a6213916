/**
 * Message copying: how a value enters another actor's heap on the same thread.
 *
 * A message is copied into the receiver, so no two actors can reach the same mutable
 * object. What may be sent, what comes back and the UnsendableError for the rest are
 * defined once, in sendable.ts, for this copy and for the codec (src/codec/) alike: a
 * value copied here equals what a decode of its encoding gives (same classes, same
 * fields, errors rebuilt by error-classes.ts), and a value refused here is refused there
 * with the same message and path. Shared, never copied:
 *   - primitives (number, string, boolean, bigint, undefined, null);
 *   - Pid and Ref (frozen by construction);
 *   - values frozen with `share()` (deep-frozen and remembered), as the BEAM shares
 *     immutable binaries.
 *
 * Two walks: a fast one that copies and counts bytes, assuming the value is sendable and
 * relying on the depth limit to stop at a cycle; and, only after it failed,
 * `findUnsendable`, which names the culprit. The fast walk estimates the bytes the copy
 * holds; `lastCopyBytes` carries it out of `copyMessage` without allocating a result.
 */
import { Buffer } from 'node:buffer';
import { UnsendableError } from './errors.ts';
import { Pid, Ref } from './pid.ts';
import { registeredClassName, reviveRegistered } from './class-registry.ts';
import { builtinErrorShell, errorClassCode, errorShellOf, finishError } from './error-classes.ts';
import { findUnsendable, isBoxedPrimitive, kMaxDepth, viewKindName } from './sendable.ts';

const sharedValues = new WeakSet<object>();

/** Byte estimate of the last value copied by `copyMessage`. */
export let lastCopyBytes = 0;

/**
 * Deep-freeze `value` and mark it shareable: later sends pass it by reference.
 * Returns the same value. Refuses what `copyMessage` would refuse (with the path rooted
 * at `value`), and binary data, which cannot be frozen.
 */
export function share<T>(value: T): T {
  const found = findUnsendable(value, 'value');
  if (found !== null) throw found;
  deepFreeze(value, 'value');
  return value;
}

function deepFreeze(v: unknown, path: string): void {
  if (typeof v !== 'object' || v === null || v instanceof Pid || v instanceof Ref) return;
  if (sharedValues.has(v)) return;
  if (ArrayBuffer.isView(v) || v instanceof ArrayBuffer) {
    throw new UnsendableError(path, 'binary data (typed arrays cannot be frozen; send a copy)');
  }
  Object.freeze(v);
  if (v instanceof Map) {
    let i = 0;
    v.forEach((val, key) => {
      deepFreeze(key, `${path}.keys()[${i++}]`);
      deepFreeze(val, `${path}.get(${String(key)})`);
    });
  } else if (v instanceof Set) {
    let i = 0;
    v.forEach((val) => deepFreeze(val, `${path}.values()[${i++}]`));
  } else if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) deepFreeze(v[i], `${path}[${i}]`);
  } else {
    for (const k of Object.keys(v)) deepFreeze((v as Record<string, unknown>)[k], `${path}.${k}`);
  }
  sharedValues.add(v);
}

export function isShared(v: object): boolean {
  return sharedValues.has(v);
}

/** Copy a message for delivery to another actor on the same thread. */
export function copyMessage(msg: unknown): unknown {
  if (typeof msg !== 'object' || msg === null) {
    if (typeof msg === 'function' || typeof msg === 'symbol') throw findUnsendable(msg, 'msg')!;
    lastCopyBytes = typeof msg === 'string' ? 16 + msg.length : 16;
    return msg;
  }
  bytes = 0;
  let out: unknown;
  try {
    out = copyValue(msg, 0);
  } catch (e) {
    // Slow path: walk again, this time tracking the path, to name the culprit exactly.
    // A RangeError (stack overflow) takes the same path.
    if (e === kUnsendable || e instanceof RangeError) {
      let found: UnsendableError | null;
      try {
        found = findUnsendable(msg, 'msg');
      } catch {
        found = null;
      }
      throw found ?? (e instanceof RangeError ? e : new UnsendableError('msg', 'a value the copy could not walk'));
    }
    throw e;
  }
  lastCopyBytes = bytes;
  return out;
}

/** Thrown by the fast walk at anything unsendable (not an Error: no stack to build). */
const kUnsendable = { unsendable: true };

let bytes = 0;

function copyValue(v: unknown, depth: number): unknown {
  switch (typeof v) {
    case 'number':
    case 'boolean':
    case 'undefined':
      bytes += 8;
      return v;
    case 'string':
      bytes += 16 + (v as string).length;
      return v;
    case 'bigint':
      bytes += 24;
      return v;
    case 'function':
    case 'symbol':
      throw kUnsendable;
  }
  if (v === null) {
    bytes += 8;
    return v;
  }
  const o = v as object;
  const proto = Object.getPrototypeOf(o);
  if (proto === Object.prototype || proto === null) {
    if (depth >= kMaxDepth) throw kUnsendable;
    if (Object.isFrozen(o) && sharedValues.has(o)) {
      bytes += 8;
      return o;
    }
    const src = o as Record<string, unknown>;
    const dst: Record<string, unknown> = proto === null ? Object.create(null) : {};
    bytes += 32;
    for (const k in src) {
      if (!Object.prototype.hasOwnProperty.call(src, k)) continue;
      bytes += 16;
      if (k === '__proto__') defineField(dst, k, copyValue(src[k], depth + 1));
      else dst[k] = copyValue(src[k], depth + 1);
    }
    return dst;
  }
  if (proto === Array.prototype) return copyArray(o as unknown[], depth);
  if (proto === Pid.prototype || proto === Ref.prototype) {
    bytes += 8;
    return o;
  }
  if (Object.isFrozen(o) && sharedValues.has(o)) {
    if (depth >= kMaxDepth) throw kUnsendable;
    bytes += 8;
    return o;
  }
  return copyOther(o, proto as object, depth);
}

function copyArray(o: unknown[], depth: number): unknown[] {
  if (depth >= kMaxDepth) throw kUnsendable;
  if (Object.isFrozen(o) && sharedValues.has(o)) {
    bytes += 8;
    return o;
  }
  const n = o.length;
  const dst = new Array(n);
  bytes += 32 + 8 * n;
  for (let i = 0; i < n; i++) dst[i] = copyValue(o[i], depth + 1);
  return dst;
}

/** Everything but plain objects, arrays, pids and refs, in the encoder's order. */
function copyOther(o: object, proto: object, depth: number): unknown {
  if (proto === Map.prototype) {
    if (depth >= kMaxDepth) throw kUnsendable;
    const dst = new Map();
    bytes += 64;
    (o as Map<unknown, unknown>).forEach((val, key) => {
      dst.set(copyValue(key, depth + 1), copyValue(val, depth + 1));
    });
    return dst;
  }
  if (proto === Set.prototype) {
    if (depth >= kMaxDepth) throw kUnsendable;
    const dst = new Set();
    bytes += 64;
    (o as Set<unknown>).forEach((val) => {
      dst.add(copyValue(val, depth + 1));
    });
    return dst;
  }
  if (proto === Date.prototype) {
    bytes += 32;
    return new Date((o as Date).getTime());
  }
  if (proto === RegExp.prototype) {
    bytes += 64;
    return new RegExp((o as RegExp).source, (o as RegExp).flags);
  }
  if (proto === ArrayBuffer.prototype) {
    bytes += 32 + (o as ArrayBuffer).byteLength;
    return new Uint8Array(o as ArrayBuffer).slice().buffer;
  }
  if (ArrayBuffer.isView(o)) return copyView(o, proto);
  if (o instanceof Error) return copyError(o, proto, depth);
  if (registeredClassName(proto) !== undefined) {
    if (depth >= kMaxDepth) throw kUnsendable;
    const src = o as Record<string, unknown>;
    const dst = Object.create(proto) as Record<string, unknown>;
    bytes += 32;
    copyFields(src, dst, depth);
    return reviveRegistered(proto, dst);
  }
  if (Array.isArray(o)) return copyArray(o, depth); // an Array subclass or another realm's
  if (isBoxedPrimitive(proto)) {
    bytes += 16;
    return Object((o as { valueOf(): unknown }).valueOf());
  }
  throw kUnsendable;
}

/** The bytes of the view only, into a fresh ArrayBuffer, as the view's built-in class. */
function copyView(o: ArrayBufferView, proto: object): ArrayBufferView {
  const kind = viewKindName(o, proto);
  if (kind === undefined) throw kUnsendable;
  bytes += 64 + o.byteLength;
  const copy = new Uint8Array(o.buffer, o.byteOffset, o.byteLength).slice();
  if (kind === 'Uint8Array') return copy;
  if (kind === 'Buffer') return Buffer.from(copy.buffer, 0, copy.length);
  if (kind === 'DataView') return new DataView(copy.buffer);
  const ctor = (globalThis as unknown as Record<string, new (b: ArrayBuffer) => ArrayBufferView>)[kind]!;
  return new ctor(copy.buffer);
}

/** An error rebuilt as the decoder rebuilds it (error-classes.ts): its own class and fields. */
function copyError(o: Error, proto: object, depth: number): Error {
  if (depth >= kMaxDepth) throw kUnsendable;
  const name = copyValue(o.name, depth + 1);
  const message = copyValue(o.message, depth + 1);
  const stack = copyValue(o.stack, depth + 1);
  const hasCause = Object.hasOwn(o, 'cause');
  const hasErrors = o instanceof AggregateError && Object.hasOwn(o, 'errors');
  const cause = hasCause ? copyValue(o.cause, depth + 1) : undefined;
  const errors = hasErrors ? copyValue((o as AggregateError).errors, depth + 1) : undefined;
  const byClass = registeredClassName(proto) !== undefined || errorClassCode(proto) !== undefined;
  const err = byClass ? errorShellOf(proto, message) : builtinErrorShell(name, message);
  copyFields(o as unknown as Record<string, unknown>, err as unknown as Record<string, unknown>, depth);
  finishError(err, name, stack, hasCause, cause, hasErrors, errors);
  bytes += 128 + (typeof stack === 'string' ? stack.length : 0);
  return err;
}

/** Own enumerable fields of `src` into `dst` (an own `__proto__` key stays data). */
function copyFields(src: Record<string, unknown>, dst: Record<string, unknown>, depth: number): void {
  for (const k of Object.keys(src)) {
    bytes += 16;
    const value = copyValue(src[k], depth + 1);
    if (k === '__proto__') defineField(dst, k, value);
    else dst[k] = value;
  }
}

function defineField(obj: object, key: string, value: unknown): void {
  Object.defineProperty(obj, key, { value, writable: true, enumerable: true, configurable: true });
}

/** Estimate the bytes held by a value (for `processInfo().memory` and heap limits). */
export function estimateSize(v: unknown): number {
  bytes = 0;
  try {
    sizeOf(v, 0, new Set());
  } catch {
    // A value that can't be walked is counted by what was walked.
  }
  return bytes;
}

function sizeOf(v: unknown, depth: number, seen: Set<object>): void {
  if (typeof v !== 'object' || v === null) {
    bytes += typeof v === 'string' ? 16 + v.length : 8;
    return;
  }
  if (seen.has(v) || depth > 64) {
    bytes += 8;
    return;
  }
  seen.add(v);
  if (Array.isArray(v)) {
    bytes += 32 + 8 * v.length;
    for (let i = 0; i < v.length; i++) sizeOf(v[i], depth + 1, seen);
  } else if (v instanceof Map) {
    bytes += 64;
    v.forEach((val, key) => {
      bytes += 24;
      sizeOf(key, depth + 1, seen);
      sizeOf(val, depth + 1, seen);
    });
  } else if (v instanceof Set) {
    bytes += 64;
    v.forEach((val) => {
      bytes += 16;
      sizeOf(val, depth + 1, seen);
    });
  } else if (ArrayBuffer.isView(v)) {
    bytes += 64 + v.byteLength;
  } else if (v instanceof ArrayBuffer) {
    bytes += 32 + v.byteLength;
  } else {
    bytes += 32;
    for (const k of Object.keys(v)) {
      bytes += 16;
      sizeOf((v as Record<string, unknown>)[k], depth + 1, seen);
    }
  }
}
