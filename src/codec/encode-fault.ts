/**
 * How the encoder unwinds: the two things it throws that are not Errors (no stack trace
 * to build), and small helpers of its loops.
 *
 * An unsendable value throws an EncodeFault; each container the fault unwinds through
 * adds its path segment (innermost first), and the encoder's top level turns it into the
 * UnsendableError of core/sendable.ts's wording. A target that is too small throws
 * kNoRoom, which `encodeInto` turns into -1.
 */
import { UnsendableError } from '../core/errors.ts';
import { describeCycle } from '../core/sendable.ts';

/** Thrown through the encoder when a target buffer is too small. Not an Error: no stack. */
export const kNoRoom = { noRoom: true };

/**
 * Thrown at an unsendable value; each container it unwinds through adds its path
 * segment (innermost first). Not an Error: the top level turns it into UnsendableError.
 */
export class EncodeFault {
  readonly segments: string[] = [];
  constructor(
    /** What the value is (sendable.ts wording); '' for a cycle, worded from ancestorDepth. */
    readonly what: string,
    /** For a cycle: the depth of the ancestor the value points back to; else -1. */
    readonly ancestorDepth = -1,
  ) {}
}

export function faultAt(e: unknown, segment: string): unknown {
  if (e instanceof EncodeFault) e.segments.push(segment);
  return e;
}

/** True if someone added an enumerable property to Object.prototype (which for-in would see). */
export function objectPrototypeHasEnumerables(): boolean {
  for (const _ in Object.prototype) return true;
  return false;
}

export function varUintSize(n: number): number {
  let size = 1;
  while (n >= 0x80) {
    n = Math.floor(n / 0x80);
    size++;
  }
  return size;
}

/** The UnsendableError for a fault that unwound to the top, whose path starts at `root`. */
export function unsendableErrorOf(e: EncodeFault, root: string): UnsendableError {
  const segments = e.segments.reverse();
  const path = root + segments.join('');
  const what = e.ancestorDepth >= 0 ? describeCycle(root + segments.slice(0, e.ancestorDepth).join('')) : e.what;
  return new UnsendableError(path, what);
}
