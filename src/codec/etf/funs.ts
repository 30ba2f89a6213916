/**
 * Erlang funs as the ETF codec carries them: decoded into their parts and encoded back,
 * so a fun received from an Erlang node can be stored and passed on (to that node or
 * another), compared, and printed; never called from JavaScript.
 *
 *   ErlExportFun  fun M:F/A            EXPORT_EXT
 *   ErlClosure    fun(...) -> ... end  NEW_FUN_EXT (module, index, uniq, creator pid, free variables)
 *
 * The pre-OTP-23 FUN_EXT is refused (EtfUnsupportedError). Free variables are ordinary
 * decoded terms, so they follow the same mapping (and limits) as everything else.
 */
import { BadArgError } from '../../core/errors.ts';
import { Atom } from './atom.ts';
import { ErlPid } from './identifiers.ts';

/** `fun Module:Function/Arity`. */
export class ErlExportFun {
  constructor(
    readonly module: Atom,
    readonly fun: Atom,
    readonly arity: number,
  ) {
    if (!(module instanceof Atom) || !(fun instanceof Atom)) throw new BadArgError('ErlExportFun: module and function must be Atoms');
    if (!Number.isInteger(arity) || arity < 0 || arity > 255) throw new BadArgError('ErlExportFun: the arity must be 0..255');
  }
  toString(): string {
    return `fun ${this.module.name}:${this.fun.name}/${this.arity}`;
  }
}

/** A closure made on an Erlang node (a local fun), by its identifying parts. */
export class ErlClosure {
  readonly uniq: Uint8Array;
  readonly free: readonly unknown[];
  constructor(
    readonly module: Atom,
    readonly arity: number,
    /** The 16-byte MD5 of the module's code. */
    uniq: Uint8Array,
    readonly index: number,
    readonly oldIndex: number,
    readonly oldUniq: number,
    readonly pid: ErlPid,
    free: readonly unknown[],
  ) {
    if (!(module instanceof Atom)) throw new BadArgError('ErlClosure: the module must be an Atom');
    if (!(uniq instanceof Uint8Array) || uniq.length !== 16) throw new BadArgError('ErlClosure: uniq must be 16 bytes');
    if (!(pid instanceof ErlPid)) throw new BadArgError('ErlClosure: pid must be an ErlPid');
    if (!Number.isInteger(arity) || arity < 0 || arity > 255) throw new BadArgError('ErlClosure: the arity must be 0..255');
    for (const [n, v] of [['index', index], ['oldIndex', oldIndex], ['oldUniq', oldUniq]] as const) {
      if (!Number.isInteger(v) || v < -0x8000_0000 || v > 0xffff_ffff) throw new BadArgError(`ErlClosure: ${n} must be a 32-bit integer`);
    }
    this.uniq = new Uint8Array(uniq);
    this.free = free.slice();
  }
  toString(): string {
    return `#Fun<${this.module.name}.${this.oldIndex}.${this.oldUniq}>`;
  }
}
