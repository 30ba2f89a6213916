/**
 * Sizes and limits of the message codec. The nesting limit is the one of "sendable"
 * (core/sendable.ts), shared with the local copy; the rest tune the codec's speed.
 */
export { kMaxDepth, kLinearAncestors } from '../core/sendable.ts';

/** Strings up to this many chars are tried as Latin-1 (one JS loop, no TextEncoder call). */
export const kShortStringChars = 64;
/** Latin-1 strings up to this many chars are decoded by a JS loop, longer ones by Buffer. */
export const kShortDecodeChars = 12;
/** Slots of the decoder's cache of short object keys (a power of two). */
export const kKeyCacheSize = 1024;
/** A scratch buffer that grew past this is dropped after use instead of being kept. */
export const kMaxRetainedScratchBytes = 1 << 20;
