/**
 * How the ETF encoder and decoder unwind on a failure, so the error can name the path of
 * the term without the hot path keeping one:
 *
 *   1. the failing read or write throws a TermFault (not an Error: no stack trace is built);
 *   2. each container it unwinds through adds its path segment (innermost first) in a
 *      catch around its loop (one try per container, none per element);
 *   3. the top level turns it into the typed error of errors.ts, with the path read from
 *      the root `term` and the byte offset where it was noticed (decoding) or -1.
 */
import { Atom } from './atom.ts';
import { EtfLimitError, EtfMalformedError, EtfUnsupportedError, type EtfLimit } from './errors.ts';

export type FaultKind = 'malformed' | 'unsupported' | 'limit';

export class TermFault {
  readonly segments: string[] = [];
  constructor(
    readonly kind: FaultKind,
    readonly detail: string,
    /** Byte offset where a decoder noticed it; -1 in the encoder. */
    readonly offset: number,
    readonly limit: EtfLimit = 'depth',
  ) {}
}

/** Add `segment` to a fault unwinding through a container; other exceptions pass unchanged. */
export function faultAt(e: unknown, segment: string): unknown {
  if (e instanceof TermFault) e.segments.push(segment);
  return e;
}

/** The typed error for a fault that reached the top. */
export function errorOfFault(f: TermFault): EtfMalformedError | EtfUnsupportedError | EtfLimitError {
  const path = 'term' + f.segments.slice().reverse().join('');
  if (f.kind === 'malformed') return new EtfMalformedError(path, f.offset, f.detail);
  if (f.kind === 'unsupported') return new EtfUnsupportedError(path, f.offset, f.detail);
  return new EtfLimitError(f.limit, path, f.offset, f.detail);
}

/** A path segment for a map value: `.name` under an atom key, else `[#i value]`. */
export function mapValueSegment(key: unknown, i: number): string {
  if (key instanceof Atom) return `.${key.name}`;
  if (key === true || key === false || key === undefined) return `.${String(key)}`;
  return `[#${i} value]`;
}
