// The Erlang External Term Format codec (issue 15): re-exports only. Mapping and limits: readme-etf.md.
export { EtfEncoder } from './encoder.ts';
export { EtfDecoder, type AtomCacheRefs } from './decoder.ts';
export { Atom } from './atom.ts';
export { Tuple, ImproperList, BitBinary, Charlist, ErlFloat } from './terms.ts';
export { ErlPid, ErlRef, ErlPort } from './identifiers.ts';
export { ErlExportFun, ErlClosure } from './funs.ts';
export { EtfMalformedError, EtfUnsupportedError, EtfLimitError, type EtfLimit } from './errors.ts';
export { kMaxAtoms, kDefaultMaxDepth, kDefaultMaxBytes, kDefaultMaxBigIntBytes, type EtfDecodeOptions, type EtfEncodeOptions } from './limits.ts';
export { kVersion } from './tags.ts';
export { kEtfClassNames } from './sendable-classes.ts';
