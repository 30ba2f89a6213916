// The message codec (threads and dist share it): re-exports only.
export { MessageEncoder } from './encoder.ts';
export { MessageDecoder } from './decoder.ts';
export { encodeMessage, decodeMessage } from './one-shot.ts';
export { nodeIdentityHooks, type EncodeHooks, type DecodeHooks } from './node-hooks.ts';
export { kMaxDepth } from './limits.ts';
export { registerClass, unregisterClass } from '../core/class-registry.ts';
export { registerErrorClass } from '../core/error-classes.ts';
