/**
 * The one definition of "sendable": what a message may contain, the nesting limit, and the
 * exact UnsendableError (message and path) for what it may not. Both ways a message
 * travels use it, so they refuse the same values with the same words:
 *   - the local copy (core/copy.ts), between actors of one thread;
 *   - the message codec (src/codec/), between threads and nodes.
 *
 * Sendable: primitives except symbols; plain objects (prototype Object.prototype or null)
 * with their own enumerable string keys; arrays; Map, Set, Date, RegExp, ArrayBuffer,
 * typed arrays, DataView and Buffer; boxed primitives; Pid and Ref; errors; instances of
 * classes registered with `registerClass` (class-registry.ts). Unsendable: functions,
 * symbols, instances of other classes (Promise, WeakMap, SharedArrayBuffer, ...),
 * cycles, and containers nested deeper than `kMaxDepth`.
 *
 * Paths name where the value sits, from a root (`msg`, `reply`, ...), in one syntax:
 *
 *   msg.a[3].f          property `a`, index 3, property `f`
 *   msg["odd key"]      a key that is not an identifier
 *   msg.m.get("k")      the value of Map key "k";  msg.m.keys()[1]  the 2nd Map key
 *   msg.s.values()[2]   the 3rd Set item
 *   msg.cause.fn        an error's cause (also .name .message .stack .errors)
 *
 * A container counts one level; the root container is level 1. A cycle is reported at the
 * path where it closes, naming the ancestor it points back to.
 *
 * Walk order (both walkers visit in this order, so the first culprit is the same one):
 * plain-object keys in Object.keys order; array indices; Map entries key then value; Set
 * items; an error's name, message, stack, cause, errors, then its own enumerable fields;
 * a registered instance's own enumerable fields.
 *
 * `findUnsendable` is the slow walk that names the culprit: the copy calls it only after
 * its fast walk failed (and `share()` before freezing); the codec finds faults inline.
 */
import { Buffer } from 'node:buffer';
import { UnsendableError } from './errors.ts';
import { Pid, Ref } from './pid.ts';
import { registeredClassName } from './class-registry.ts';

/** Containers nested deeper than this are unsendable (and rejected by the decoder). */
export const kMaxDepth = 1000;
/** Cycle checks of the encoder scan this many ancestors linearly; deeper ones use a Set. */
export const kLinearAncestors = 32;

const kIdentifier = /^[A-Za-z_$][\w$]*$/;

/** The path segment of an object property: `.key` or `["odd key"]`. */
export function propertySegment(key: string): string {
  return kIdentifier.test(key) ? `.${key}` : `[${JSON.stringify(key)}]`;
}

/** A Map key as it is shown in `.get(...)`. */
export function describeKey(key: unknown): string {
  if (typeof key === 'string') return JSON.stringify(key);
  if (typeof key === 'number' || typeof key === 'boolean' || typeof key === 'bigint' || key == null) return String(key);
  return '…';
}

export function describeFunction(fn: Function): string {
  return fn.name ? `a function (${fn.name})` : 'a function';
}

export function describeSymbol(s: symbol): string {
  return `a symbol (${s.toString()})`;
}

export const kTooDeep = `a value nested deeper than ${kMaxDepth} levels`;

/** What a cycle closing at a path is called, given the path of the ancestor it points to. */
export function describeCycle(ancestorPath: string): string {
  return `a cycle (a reference back to ${ancestorPath})`;
}

/** An object of a kind neither walker can send. */
export function describeUnsendable(v: object): string {
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

/** Is this a boxed primitive (`new Number(1)`, ...)? They are sendable. */
export function isBoxedPrimitive(proto: unknown): boolean {
  return proto === Number.prototype || proto === String.prototype || proto === Boolean.prototype || proto === BigInt.prototype;
}

const typedArrayTag = Object.getOwnPropertyDescriptor(Object.getPrototypeOf(Uint8Array.prototype), Symbol.toStringTag)!.get!;

/** The built-in kind of an ArrayBuffer view: a typed array's name, 'DataView' or 'Buffer'. */
export function viewKindName(v: ArrayBufferView, proto: object): string | undefined {
  if (proto === Buffer.prototype) return 'Buffer';
  if (v instanceof DataView) return 'DataView';
  return typedArrayTag.call(v) as string | undefined;
}

/**
 * Walk `value` as a send would and return the UnsendableError for the first culprit, or
 * null if it is sendable. Allocates freely: only for failures and `share()`.
 */
export function findUnsendable(value: unknown, root: string): UnsendableError | null {
  const walk = new UnsendableFinder(root);
  return walk.visit(value);
}

class UnsendableFinder {
  private readonly ancestors: object[] = [];
  private readonly segments: string[] = [];
  constructor(private readonly root: string) {}

  private path(depth = this.segments.length): string {
    return this.root + this.segments.slice(0, depth).join('');
  }

  private fail(what: string): UnsendableError {
    return new UnsendableError(this.path(), what);
  }

  /** Visit a child under `segment`. */
  private child(v: unknown, segment: string): UnsendableError | null {
    this.segments.push(segment);
    const found = this.visit(v);
    this.segments.pop();
    return found;
  }

  visit(v: unknown): UnsendableError | null {
    if (typeof v === 'function') return this.fail(describeFunction(v));
    if (typeof v === 'symbol') return this.fail(describeSymbol(v));
    if (typeof v !== 'object' || v === null) return null;
    const proto: unknown = Object.getPrototypeOf(v);
    if (proto === Object.prototype || proto === null) return this.container(v, () => this.fields(v));
    if (proto === Array.prototype) return this.container(v, () => this.items(v as unknown[]));
    if (proto === Pid.prototype || proto === Ref.prototype) return null;
    if (proto === Map.prototype) return this.container(v, () => this.mapEntries(v as Map<unknown, unknown>));
    if (proto === Set.prototype) return this.container(v, () => this.setItems(v as Set<unknown>));
    if (proto === Date.prototype || proto === RegExp.prototype || proto === ArrayBuffer.prototype) return null;
    if (ArrayBuffer.isView(v)) {
      return viewKindName(v, proto as object) === undefined ? this.fail(`an unknown ArrayBuffer view (${describeUnsendable(v)})`) : null;
    }
    if (v instanceof Error) return this.container(v, () => this.errorParts(v));
    if (registeredClassName(proto as object) !== undefined) return this.container(v, () => this.fields(v));
    if (Array.isArray(v)) return this.container(v, () => this.items(v));
    if (isBoxedPrimitive(proto)) return null;
    return this.fail(describeUnsendable(v));
  }

  /** Enter a container: the cycle and depth checks, in the encoder's order. */
  private container(v: object, body: () => UnsendableError | null): UnsendableError | null {
    const d = this.ancestors.length;
    const at = this.ancestors.indexOf(v);
    if (at >= 0 && at < kLinearAncestors) return this.fail(describeCycle(this.path(at)));
    if (d >= kMaxDepth) return this.fail(kTooDeep);
    if (at >= 0) return this.fail(describeCycle(this.path(at)));
    this.ancestors.push(v);
    const found = body();
    this.ancestors.pop();
    return found;
  }

  private fields(v: object): UnsendableError | null {
    const src = v as Record<string, unknown>;
    for (const key of Object.keys(src)) {
      const found = this.child(src[key], propertySegment(key));
      if (found !== null) return found;
    }
    return null;
  }

  private items(v: unknown[]): UnsendableError | null {
    for (let i = 0; i < v.length; i++) {
      const found = this.child(v[i], `[${i}]`);
      if (found !== null) return found;
    }
    return null;
  }

  private mapEntries(m: Map<unknown, unknown>): UnsendableError | null {
    let i = 0;
    for (const [key, value] of m) {
      const found = this.child(key, `.keys()[${i}]`) ?? this.child(value, `.get(${describeKey(key)})`);
      if (found !== null) return found;
      i++;
    }
    return null;
  }

  private setItems(s: Set<unknown>): UnsendableError | null {
    let i = 0;
    for (const item of s) {
      const found = this.child(item, `.values()[${i}]`);
      if (found !== null) return found;
      i++;
    }
    return null;
  }

  private errorParts(err: Error): UnsendableError | null {
    const found =
      this.child(err.name, '.name') ??
      this.child(err.message, '.message') ??
      this.child(err.stack, '.stack') ??
      (Object.hasOwn(err, 'cause') ? this.child(err.cause, '.cause') : null) ??
      (err instanceof AggregateError && Object.hasOwn(err, 'errors') ? this.child(err.errors, '.errors') : null);
    return found ?? this.fields(err);
  }
}
