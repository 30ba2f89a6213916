/**
 * The class registry: which classes may be sent, and under what name. The one registry
 * both the local copy (core/copy.ts) and the message codec (src/codec/) consult, so a
 * class registered once is sendable everywhere.
 *
 * An instance of a registered class travels as its own enumerable fields and comes back
 * as `Object.create(ctor.prototype)` with those fields (the constructor does not run).
 * The name identifies the class on the wire: every thread and node that receives it must
 * register the same name (do it at module top level, next to the class).
 *
 *   classNameByProto: prototype -> name   (encode / copy: is this instance sendable?)
 *   protoByClassName: name -> prototype   (decode: rebuild it)
 *   reviverByProto:   prototype -> revive (optional: what the rebuilt instance becomes,
 *                     e.g. an interned value looked up again so `===` holds on the
 *                     receiving side, as src/codec/etf's Atom)
 */
import { BadArgError } from './errors.ts';
import { Pid, Ref } from './pid.ts';

const classNameByProto = new Map<object, string>();
const protoByClassName = new Map<string, object>();
const reviverByProto = new Map<object, (rebuilt: Record<string, unknown>) => unknown>();
const kUnregistrable: readonly object[] = [
  Object.prototype, Array.prototype, Map.prototype, Set.prototype, Date.prototype, RegExp.prototype,
  ArrayBuffer.prototype, Pid.prototype, Ref.prototype, Function.prototype,
];

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyClass = abstract new (...args: any[]) => unknown;

/**
 * Let instances of `ctor` be sent: their own enumerable fields are sent, and they are
 * rebuilt as `Object.create(ctor.prototype)` without running the constructor. `name`
 * identifies the class on the wire; the receiving thread or node must register the same
 * name. Registering the same pair twice is a no-op. `revive`, if given, is called with
 * each rebuilt instance (by the copy and the decoder) and its result is what the receiver
 * gets; it may throw (a BadArgError: the value is refused as malformed).
 * @throws BadArgError if the name or the class is already registered differently, or
 *   the class is one that is sent natively.
 */
export function registerClass(ctor: AnyClass, name: string = ctor.name, revive?: (rebuilt: Record<string, unknown>) => unknown): void {
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
  if (known === name && other === proto) {
    if (revive !== undefined) reviverByProto.set(proto, revive);
    return;
  }
  if (known !== undefined) throw new BadArgError(`registerClass: class already registered as ${JSON.stringify(known)}`);
  if (other !== undefined) throw new BadArgError(`registerClass: name ${JSON.stringify(name)} already registered for another class`);
  classNameByProto.set(proto, name);
  protoByClassName.set(name, proto);
  if (revive !== undefined) reviverByProto.set(proto, revive);
}

/** Remove a registration (tests, hot code reload). */
export function unregisterClass(ctor: AnyClass): void {
  const proto = ctor.prototype as object;
  const name = classNameByProto.get(proto);
  if (name === undefined) return;
  classNameByProto.delete(proto);
  protoByClassName.delete(name);
  reviverByProto.delete(proto);
}

/** A rebuilt instance of a registered class as the receiver gets it (its reviver's result, else itself). */
export function reviveRegistered(proto: object, rebuilt: Record<string, unknown>): unknown {
  const r = reviverByProto.get(proto);
  return r === undefined ? rebuilt : r(rebuilt);
}

/** The registered name of instances with this prototype, if any. */
export function registeredClassName(proto: object): string | undefined {
  return classNameByProto.get(proto);
}

/** The prototype registered under `name`, if any. */
export function registeredPrototype(name: string): object | undefined {
  return protoByClassName.get(name);
}
