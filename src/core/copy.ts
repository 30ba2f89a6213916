/**
 * Message copying: how a value enters another actor's heap.
 *
 * A message is copied into the receiver, so no two actors can reach the same mutable
 * object. Shared, never copied:
 *   - primitives (number, string, boolean, bigint, undefined, null);
 *   - Pid and Ref (frozen by construction);
 *   - values frozen with `share()` (deep-frozen and remembered), as the BEAM shares
 *     immutable binaries.
 * Copied: arrays, plain objects (own enumerable string keys), Map, Set, Date, RegExp,
 * ArrayBuffer, typed arrays and DataView, Error (name, message, stack, cause).
 * Refused with `UnsendableError` (naming the path): functions, symbols, cyclic values,
 * and instances of classes that are neither shared nor registered with `registerClass`
 * (registered instances are copied field by field onto the same prototype).
 *
 * The same walk that copies also estimates the bytes the copy holds; `lastCopyBytes`
 * carries it out of `copyMessage` without allocating a result object.
 */
import { UnsendableError } from './errors.ts';
import { Pid, Ref } from './pid.ts';

const sharedValues = new WeakSet<object>();
const registeredClasses = new Map<object, string>();
const kMaxDepth = 10_000;

/** Byte estimate of the last value copied by `copyMessage`. */
export let lastCopyBytes = 0;

/**
 * Deep-freeze `value` and mark it shareable: later sends pass it by reference.
 * Returns the same value. Refuses what `copyMessage` would refuse.
 */
export function share<T>(value: T): T {
  deepFreeze(value, 'value', 0, new Set());
  return value;
}

function deepFreeze(v: unknown, path: string, depth: number, onPath: Set<object>): void {
  if (typeof v === 'function') throw new UnsendableError(path, 'a function');
  if (typeof v === 'symbol') throw new UnsendableError(path, 'a symbol');
  if (typeof v !== 'object' || v === null || v instanceof Pid || v instanceof Ref) return;
  if (sharedValues.has(v)) return;
  if (onPath.has(v) || depth > kMaxDepth) throw new UnsendableError(path, 'a cyclic or too deeply nested value');
  if (ArrayBuffer.isView(v) || v instanceof ArrayBuffer) {
    throw new UnsendableError(path, 'binary data (typed arrays cannot be frozen; send a copy)');
  }
  onPath.add(v);
  Object.freeze(v);
  if (v instanceof Map) {
    v.forEach((val, key) => {
      deepFreeze(key, `${path}<key>`, depth + 1, onPath);
      deepFreeze(val, `${path}.get(${String(key)})`, depth + 1, onPath);
    });
  } else if (v instanceof Set) {
    v.forEach((val) => deepFreeze(val, `${path}<item>`, depth + 1, onPath));
  } else if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) deepFreeze(v[i], `${path}[${i}]`, depth + 1, onPath);
  } else {
    for (const k of Object.keys(v)) deepFreeze((v as Record<string, unknown>)[k], `${path}.${k}`, depth + 1, onPath);
  }
  onPath.delete(v);
  sharedValues.add(v);
}

/** Register a class so its instances can be sent (copied onto the same prototype). */
export function registerClass(ctor: abstract new (...args: never[]) => unknown, name = ctor.name): void {
  registeredClasses.set(ctor.prototype as object, name);
}

/** The registered name of an instance's class, if any (used by the codec too). */
export function registeredClassName(proto: object): string | undefined {
  return registeredClasses.get(proto);
}

export function isShared(v: object): boolean {
  return sharedValues.has(v);
}

/** Copy a message for delivery to another actor on the same thread. */
export function copyMessage(msg: unknown): unknown {
  if (typeof msg !== 'object' || msg === null) {
    if (typeof msg === 'function') throw new UnsendableError('msg', 'a function');
    if (typeof msg === 'symbol') throw new UnsendableError('msg', 'a symbol');
    lastCopyBytes = typeof msg === 'string' ? 16 + msg.length : 16;
    return msg;
  }
  bytes = 0;
  let out: unknown;
  try {
    out = copyValue(msg, 0);
  } catch (e) {
    // Slow path: walk again, this time tracking the path, to name the culprit exactly.
    // A cycle may overflow the stack before the depth limit is reached: a RangeError
    // takes the same path (the second walk finds a cycle at its first repetition).
    if (e instanceof UnsendableError || e instanceof RangeError) {
      let found: UnsendableError | null;
      try {
        found = locateUnsendable(msg, 'msg', 0, new Set());
      } catch {
        found = null;
      }
      throw found ?? (e instanceof UnsendableError ? e : new UnsendableError('msg', 'a too deeply nested value'));
    }
    throw e;
  }
  lastCopyBytes = bytes;
  return out;
}

function locateUnsendable(v: unknown, path: string, depth: number, onPath: Set<object>): UnsendableError | null {
  if (typeof v === 'function') return new UnsendableError(path, 'a function');
  if (typeof v === 'symbol') return new UnsendableError(path, 'a symbol');
  if (typeof v !== 'object' || v === null || v instanceof Pid || v instanceof Ref) return null;
  if (onPath.has(v) || depth > kMaxDepth) return new UnsendableError(path, 'a cyclic or too deeply nested value');
  if (sharedValues.has(v)) return null;
  const proto = Object.getPrototypeOf(v);
  onPath.add(v);
  let found: UnsendableError | null = null;
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length && found === null; i++) found = locateUnsendable(v[i], `${path}[${i}]`, depth + 1, onPath);
  } else if (v instanceof Map) {
    for (const [k, val] of v) {
      found = locateUnsendable(k, `${path}<key>`, depth + 1, onPath) ?? locateUnsendable(val, `${path}.get(${String(k)})`, depth + 1, onPath);
      if (found !== null) break;
    }
  } else if (v instanceof Set) {
    for (const val of v) {
      found = locateUnsendable(val, `${path}<item>`, depth + 1, onPath);
      if (found !== null) break;
    }
  } else if (proto === Object.prototype || proto === null || registeredClasses.has(proto) || v instanceof Error) {
    for (const k of Object.keys(v)) {
      found = locateUnsendable((v as Record<string, unknown>)[k], `${path}.${k}`, depth + 1, onPath);
      if (found !== null) break;
    }
  } else if (!(v instanceof Date || v instanceof RegExp || v instanceof ArrayBuffer || ArrayBuffer.isView(v))) {
    const name = (proto as { constructor?: { name?: string } } | null)?.constructor?.name || 'unknown';
    found = new UnsendableError(path, `an instance of unregistered class ${name}`);
  }
  onPath.delete(v);
  return found;
}

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
      throw new UnsendableError(pathAt(depth), 'a function');
    case 'symbol':
      throw new UnsendableError(pathAt(depth), 'a symbol');
  }
  if (v === null) {
    bytes += 8;
    return v;
  }
  if (depth > kMaxDepth) throw new UnsendableError(pathAt(depth), 'a cyclic or too deeply nested value');
  const o = v as object;
  const proto = Object.getPrototypeOf(o);
  if (proto === Object.prototype || proto === null) {
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
      dst[k] = copyValue(src[k], depth + 1);
    }
    return dst;
  }
  if (Array.isArray(o)) {
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
  if (o instanceof Pid || o instanceof Ref) {
    bytes += 8;
    return o;
  }
  if (Object.isFrozen(o) && sharedValues.has(o)) {
    bytes += 8;
    return o;
  }
  if (o instanceof Map) {
    const dst = new Map();
    bytes += 64;
    o.forEach((val, key) => {
      dst.set(copyValue(key, depth + 1), copyValue(val, depth + 1));
    });
    return dst;
  }
  if (o instanceof Set) {
    const dst = new Set();
    bytes += 64;
    o.forEach((val) => {
      dst.add(copyValue(val, depth + 1));
    });
    return dst;
  }
  if (o instanceof Date) {
    bytes += 32;
    return new Date(o.getTime());
  }
  if (o instanceof RegExp) {
    bytes += 64;
    return new RegExp(o.source, o.flags);
  }
  if (o instanceof ArrayBuffer) {
    bytes += 32 + o.byteLength;
    return o.slice(0);
  }
  if (ArrayBuffer.isView(o)) {
    bytes += 64 + o.byteLength;
    if (o instanceof DataView) return new DataView(o.buffer.slice(o.byteOffset, o.byteOffset + o.byteLength));
    return (o as unknown as { slice(): unknown }).slice();
  }
  if (o instanceof Error) {
    const e = new Error(o.message);
    e.name = o.name;
    e.stack = o.stack;
    if ('cause' in o) (e as { cause?: unknown }).cause = copyValue((o as { cause?: unknown }).cause, depth + 1);
    bytes += 128 + (o.stack?.length ?? 0);
    return e;
  }
  if (registeredClasses.has(proto)) {
    const src = o as Record<string, unknown>;
    const dst = Object.create(proto) as Record<string, unknown>;
    bytes += 32;
    for (const k of Object.keys(src)) {
      bytes += 16;
      dst[k] = copyValue(src[k], depth + 1);
    }
    return dst;
  }
  const name = (proto && (proto as { constructor?: { name?: string } }).constructor?.name) || 'unknown';
  throw new UnsendableError(pathAt(depth), `an instance of unregistered class ${name}`);
}

function pathAt(depth: number): string {
  return depth === 0 ? 'msg' : `msg (depth ${depth})`;
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
