/**
 * The JS classes for Erlang terms that have no native JS form (the mapping is in
 * readme-etf.md; atoms are in atom.ts, pids/refs/ports in identifiers.ts, funs in funs.ts):
 *
 *   Tuple         {a, b}        new Tuple([a, b]) / Tuple.of(a, b); `elements`, `size`, `get(i)`
 *   ImproperList  [a, b | t]    new ImproperList([a, b], t): at least one element, tail not a list
 *   BitBinary     <<1:3>>       new BitBinary(bytes, bitLength): bits past bitLength are kept zero
 *   Charlist      "abc" (list)  new Charlist('abc'): encodes as a list of code points
 *   ErlFloat      1.0           new ErlFloat(1): a float whose value is integral (JS has one number type)
 *
 * Treat them as immutable: their fields are readonly in the types and arrays given to a
 * constructor are copied in, but they are not frozen at run time (Object.freeze made a
 * decoded tuple about four times as costly to build).
 */
import { BadArgError } from '../../core/errors.ts';

/** Passed by the decoder to make a Tuple of an array it just built (no copy). Not exported from index.ts. */
export const kAdoptElements: unique symbol = Symbol('adopt elements');

/** An Erlang tuple. */
export class Tuple {
  readonly elements: readonly unknown[];
  constructor(elements: readonly unknown[], adopt?: typeof kAdoptElements) {
    if (!Array.isArray(elements)) throw new BadArgError('Tuple: expected an array of elements');
    this.elements = adopt === kAdoptElements ? elements : elements.slice();
  }
  static of(...elements: unknown[]): Tuple {
    return new Tuple(elements);
  }
  get size(): number {
    return this.elements.length;
  }
  get(i: number): unknown {
    return this.elements[i];
  }
}

/** An improper list `[e1, ..., en | tail]`: n >= 1 and `tail` is not a list. */
export class ImproperList {
  readonly items: readonly unknown[];
  readonly tail: unknown;
  constructor(items: readonly unknown[], tail: unknown) {
    if (!Array.isArray(items) || items.length === 0) throw new BadArgError('ImproperList: expected at least one element');
    if (Array.isArray(tail) || tail instanceof ImproperList || tail instanceof Charlist) {
      throw new BadArgError('ImproperList: the tail must not be a list (append the lists instead)');
    }
    this.items = items.slice();
    this.tail = tail;
  }
}

/** A bitstring whose length in bits is not a multiple of 8. */
export class BitBinary {
  /** ceil(bitLength / 8) bytes; the unused low bits of the last byte are zero. */
  readonly bytes: Uint8Array;
  readonly bitLength: number;
  constructor(bytes: Uint8Array, bitLength: number) {
    if (!(bytes instanceof Uint8Array)) throw new BadArgError('BitBinary: expected a Uint8Array');
    if (!Number.isSafeInteger(bitLength) || bitLength < 0 || Math.ceil(bitLength / 8) !== bytes.length) {
      throw new BadArgError(`BitBinary: a bit length of ${bitLength} needs ${Math.ceil(bitLength / 8)} bytes, got ${bytes.length}`);
    }
    const copy = new Uint8Array(bytes); // a copy, also of a Buffer (whose slice() would share memory)
    const used = bitLength & 7;
    if (used !== 0) copy[copy.length - 1]! &= (0xff << (8 - used)) & 0xff;
    this.bytes = copy;
    this.bitLength = bitLength;
  }
}

/** An Erlang string (a list of code points) given as JS text. */
export class Charlist {
  readonly text: string;
  constructor(text: string) {
    if (typeof text !== 'string') throw new BadArgError('Charlist: expected a string');
    this.text = text;
  }
}

/** An Erlang float whose value is integral (1.0, -0.0, 1.0e20), which a bare JS number would send as an integer. */
export class ErlFloat {
  readonly value: number;
  constructor(value: number) {
    if (typeof value !== 'number' || !Number.isFinite(value)) throw new BadArgError('ErlFloat: expected a finite number');
    this.value = value;
  }
}
