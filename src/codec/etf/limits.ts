/**
 * Limits and options of the External Term Format codec. The decoder checks every length
 * against the bytes that are left before it allocates anything, so a forged count costs a
 * typed error, not memory; these bound what is left.
 */
import { InvalidOptionError } from '../../core/errors.ts';

/** Erlang's default atom table size (+t): the most atoms Atom.of makes. */
export const kMaxAtoms = 1_048_576;
/** Characters (code points) in one atom, as in Erlang. */
export const kMaxAtomChars = 255;

/** Default nesting limit of a decoded or encoded term (containers inside containers). */
export const kDefaultMaxDepth = 1000;
/** Default bound on an input term and on a compressed term's inflated size. */
export const kDefaultMaxBytes = 256 * 1024 * 1024;
/** Default bound on the digits of one bignum (bytes): 64 KiB = 524288 bits. */
export const kDefaultMaxBigIntBytes = 64 * 1024;

/** How the decoder maps the few terms that have more than one reasonable JS form. */
export interface EtfDecodeOptions {
  /** Containers nested deeper than this raise EtfLimitError('depth'). Default 1000. */
  maxDepth?: number;
  /** Input (and inflated compressed) terms longer than this raise EtfLimitError('bytes'). Default 256 MiB. */
  maxBytes?: number;
  /** Bignums with more digit bytes raise EtfLimitError('bigint'). Default 64 KiB. */
  maxBigIntBytes?: number;
  /** Binaries: 'bytes' (default) -> Uint8Array; 'utf8' -> string when valid UTF-8, else Uint8Array. */
  binaries?: 'bytes' | 'utf8';
  /** STRING_EXT (a list of bytes): 'list' (default) -> number[]; 'charlist' -> Charlist. */
  strings?: 'list' | 'charlist';
  /** Floats with an integral value (1.0, -0.0): 'wrap' (default) -> ErlFloat, lossless; 'number' -> number. */
  integralFloats?: 'wrap' | 'number';
  /** Refuse atoms not already in the table (binary_to_term's `safe`). Default false. */
  existingAtomsOnly?: boolean;
  /** A term that makes more new atoms than this raises EtfLimitError('atoms'). Default: no bound but the table's. */
  maxNewAtoms?: number;
}

export interface EtfEncodeOptions {
  /** Values nested deeper than this raise EtfLimitError('depth') (catches cycles). Default 1000. */
  maxDepth?: number;
  /** Plain-object keys become 'atom' keys (default) or 'binary' keys (UTF-8) of the map. */
  objectKeys?: 'atom' | 'binary';
  /** Compress as term_to_binary(T, [compressed]): true = zlib level 6, or a level 0..9; kept only if smaller. */
  compressed?: boolean | number;
}

export interface ResolvedDecodeOptions {
  maxDepth: number;
  maxBytes: number;
  maxBigIntBytes: number;
  binariesAsUtf8: boolean;
  stringsAsCharlist: boolean;
  wrapIntegralFloats: boolean;
  existingAtomsOnly: boolean;
  maxNewAtoms: number;
}

function positiveInt(api: string, name: string, v: unknown, dflt: number): number {
  if (v === undefined) return dflt;
  if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 1) {
    throw new InvalidOptionError(name, `${api}: option "${name}" must be a positive integer`);
  }
  return v;
}

function oneOf<T extends string>(api: string, name: string, v: unknown, values: readonly T[]): T | undefined {
  if (v === undefined) return undefined;
  if (!values.includes(v as T)) throw new InvalidOptionError(name, `${api}: option "${name}" must be one of ${values.map((x) => `'${x}'`).join(', ')}`);
  return v as T;
}

function checkKnown(api: string, opts: object, known: readonly string[]): void {
  for (const k of Object.keys(opts)) {
    if (!known.includes(k)) throw new InvalidOptionError(k, `${api}: unknown option "${k}"`);
  }
}

export function resolveDecodeOptions(opts: EtfDecodeOptions = {}): ResolvedDecodeOptions {
  const api = 'EtfDecoder';
  checkKnown(api, opts, ['maxDepth', 'maxBytes', 'maxBigIntBytes', 'binaries', 'strings', 'integralFloats', 'existingAtomsOnly', 'maxNewAtoms']);
  if (opts.existingAtomsOnly !== undefined && typeof opts.existingAtomsOnly !== 'boolean') {
    throw new InvalidOptionError('existingAtomsOnly', `${api}: option "existingAtomsOnly" must be a boolean`);
  }
  return {
    maxDepth: positiveInt(api, 'maxDepth', opts.maxDepth, kDefaultMaxDepth),
    maxBytes: positiveInt(api, 'maxBytes', opts.maxBytes, kDefaultMaxBytes),
    maxBigIntBytes: positiveInt(api, 'maxBigIntBytes', opts.maxBigIntBytes, kDefaultMaxBigIntBytes),
    binariesAsUtf8: oneOf(api, 'binaries', opts.binaries, ['bytes', 'utf8']) === 'utf8',
    stringsAsCharlist: oneOf(api, 'strings', opts.strings, ['list', 'charlist']) === 'charlist',
    wrapIntegralFloats: oneOf(api, 'integralFloats', opts.integralFloats, ['wrap', 'number']) !== 'number',
    existingAtomsOnly: opts.existingAtomsOnly === true,
    maxNewAtoms: positiveInt(api, 'maxNewAtoms', opts.maxNewAtoms, Number.POSITIVE_INFINITY),
  };
}

export interface ResolvedEncodeOptions {
  maxDepth: number;
  /** -1: no compression. */
  compressionLevel: number;
  objectKeysAsBinaries: boolean;
}

export function resolveEncodeOptions(opts: EtfEncodeOptions = {}): ResolvedEncodeOptions {
  const api = 'EtfEncoder';
  checkKnown(api, opts, ['maxDepth', 'compressed', 'objectKeys']);
  let level = -1;
  const c = opts.compressed;
  if (c === true) level = 6;
  else if (typeof c === 'number' && Number.isInteger(c) && c >= 0 && c <= 9) level = c;
  else if (c !== undefined && c !== false) throw new InvalidOptionError('compressed', `${api}: option "compressed" must be a boolean or a zlib level 0..9`);
  return {
    maxDepth: positiveInt(api, 'maxDepth', opts.maxDepth, kDefaultMaxDepth),
    compressionLevel: level,
    objectKeysAsBinaries: oneOf(api, 'objectKeys', opts.objectKeys, ['atom', 'binary']) === 'binary',
  };
}
