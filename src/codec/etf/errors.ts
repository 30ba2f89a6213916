/**
 * Errors of the External Term Format codec (src/codec/etf/). Every failure of the ETF
 * encoder and decoder is one of these three classes, never another exception:
 *
 *   - EtfMalformedError (ERR_SB_ETF_MALFORMED): the bytes are not a well-formed term
 *     (truncated, unknown tag, bad length, invalid UTF-8 in an atom, trailing bytes, a bad
 *     zlib stream, an ATOM_CACHE_REF with no entry in the caller's table, ...).
 *   - EtfUnsupportedError (ERR_SB_ETF_UNSUPPORTED): a well-formed term or a JS value that
 *     this codec refuses on purpose (the old FUN_EXT, LOCAL_EXT; NaN, functions, symbols,
 *     instances of unknown classes, ...).
 *   - EtfLimitError (ERR_SB_ETF_LIMIT): a limit of limits.ts was reached (nesting depth,
 *     input or inflated bytes, bignum size, the atom table).
 *
 * Each carries `path`: where in the term it happened, written from the root `term` with
 * `[i]` for list and tuple elements, `.tail` for an improper list's tail, `.name` for a
 * map value under an atom key (or a plain-object key), `[#i key]` / `[#i value]` for
 * other map entries. Decoding errors also carry `offset`, the byte where it was noticed.
 */
import { SwitchboardError } from '../../core/errors.ts';
import { registerErrorClass } from '../../core/error-classes.ts';

/** Which limit an EtfLimitError hit; stable, for code that branches on it. */
export type EtfLimit = 'depth' | 'bytes' | 'bigint' | 'atoms' | 'atom_length';

export class EtfMalformedError extends SwitchboardError {
  readonly path: string;
  readonly offset: number;
  constructor(path: string, offset: number, why: string) {
    super('ERR_SB_ETF_MALFORMED', `malformed external term at ${path} (byte ${offset}): ${why}`);
    this.path = path;
    this.offset = offset;
  }
}

export class EtfUnsupportedError extends SwitchboardError {
  readonly path: string;
  /** The byte where it was noticed when decoding; -1 when encoding. */
  readonly offset: number;
  constructor(path: string, offset: number, what: string) {
    super('ERR_SB_ETF_UNSUPPORTED', `${offset >= 0 ? 'cannot decode' : 'cannot encode'} ${path}: ${what}`);
    this.path = path;
    this.offset = offset;
  }
}

export class EtfLimitError extends SwitchboardError {
  readonly limit: EtfLimit;
  readonly path: string;
  /** The byte where it was noticed when decoding; -1 when encoding or outside a term. */
  readonly offset: number;
  constructor(limit: EtfLimit, path: string, offset: number, detail: string) {
    super('ERR_SB_ETF_LIMIT', `external term limit "${limit}" reached at ${path}: ${detail}`);
    this.limit = limit;
    this.path = path;
    this.offset = offset;
  }
}

// Cross threads and nodes as themselves (core/error-classes.ts).
registerErrorClass('ERR_SB_ETF_MALFORMED', EtfMalformedError);
registerErrorClass('ERR_SB_ETF_UNSUPPORTED', EtfUnsupportedError);
registerErrorClass('ERR_SB_ETF_LIMIT', EtfLimitError);
