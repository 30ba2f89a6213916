/**
 * Erlang atoms in JavaScript: the interned `Atom` class. `Atom.of('ok') === Atom.of('ok')`,
 * so atoms compare with `===` and work as Map keys, as they do in Erlang.
 *
 * Mapping (see readme-etf.md): the atoms `true`, `false` and `undefined` decode to the JS
 * values true, false and undefined (and those encode to them); every other atom decodes to
 * its Atom. `Atom.of('true')` still exists and encodes as the atom true.
 *
 * The table, like Erlang's, never forgets an atom; it holds at most kMaxAtoms (limits.ts,
 * Erlang's default atom table size; Atom.setTableLimit changes it): past it `Atom.of` throws EtfLimitError('atoms'), so a
 * peer sending endless fresh atoms runs into a typed error, not out of memory. An atom is
 * at most 255 characters (code points), as in Erlang.
 */
import { BadArgError } from '../../core/errors.ts';
import { EtfLimitError } from './errors.ts';
import { kMaxAtomChars, kMaxAtoms } from './limits.ts';

const table = new Map<string, Atom>();
let tableLimit = kMaxAtoms;
const kUtf8 = new TextEncoder();

export class Atom {
  /** The atom's text. */
  readonly name: string;
  /** The name as UTF-8, as the encoder writes it (made once per atom; not enumerable). */
  declare readonly utf8: Uint8Array;

  private constructor(name: string) {
    this.name = name;
    Object.defineProperty(this, 'utf8', { value: kUtf8.encode(name), enumerable: false });
    Object.freeze(this);
  }

  /**
   * The atom named `name`, made on first use.
   * @throws EtfLimitError 'atom_length' past 255 characters, 'atoms' when the table is full.
   */
  static of(name: string): Atom {
    const known = table.get(name);
    if (known !== undefined) return known;
    if (name.length > kMaxAtomChars && [...name].length > kMaxAtomChars) {
      throw new EtfLimitError('atom_length', 'term', -1, `an atom has at most ${kMaxAtomChars} characters`);
    }
    if (table.size >= tableLimit) throw new EtfLimitError('atoms', 'term', -1, `the atom table is full (${tableLimit} atoms)`);
    const atom = new Atom(name);
    table.set(name, atom);
    return atom;
  }

  /** The atom named `name` if it exists already (binary_to_term's `safe`), else undefined. */
  static existing(name: string): Atom | undefined {
    return table.get(name);
  }

  /**
   * Set the most atoms the table holds (Erlang's +t; default kMaxAtoms). A limit below the
   * current count only stops new atoms. Returns the previous limit.
   */
  static setTableLimit(limit: number): number {
    if (!Number.isSafeInteger(limit) || limit < 1) throw new BadArgError('Atom.setTableLimit: expected a positive integer');
    const previous = tableLimit;
    tableLimit = limit;
    return previous;
  }

  /** How many atoms exist. */
  static count(): number {
    return table.size;
  }

  toString(): string {
    return this.name;
  }
}
