/**
 * One-shot encode and decode (tests, cold paths): a shared encoder and decoder, with a
 * fresh one when called from inside an encode or decode hook. Hot paths keep their own
 * MessageEncoder and MessageDecoder.
 */
import { MessageDecoder } from './decoder.ts';
import { MessageEncoder } from './encoder.ts';
import type { DecodeHooks } from './node-hooks.ts';

const sharedEncoder = new MessageEncoder();
const sharedDecoder = new MessageDecoder();
let sharedEncoderBusy = false;
let sharedDecoderBusy = false;

/** Encode into a fresh Uint8Array of exactly the message's size. */
export function encodeMessage(value: unknown, root = 'msg'): Uint8Array {
  // A getter that sends from inside an encode gets an encoder of its own.
  const encoder = sharedEncoderBusy ? new MessageEncoder() : sharedEncoder;
  const outer = !sharedEncoderBusy;
  sharedEncoderBusy = true;
  try {
    const n = encoder.encodeToScratch(value, root);
    return encoder.scratch.slice(0, n);
  } finally {
    if (outer) sharedEncoderBusy = false;
  }
}

/** Decode `bytes[offset, offset + length)`. */
export function decodeMessage(bytes: Uint8Array, offset = 0, length = bytes.length - offset, hooks?: DecodeHooks): unknown {
  // With hooks, or from inside a decode hook: a decoder of its own.
  if (hooks !== undefined || sharedDecoderBusy) return new MessageDecoder(hooks).decode(bytes, offset, length);
  sharedDecoderBusy = true;
  try {
    return sharedDecoder.decode(bytes, offset, length);
  } finally {
    sharedDecoderBusy = false;
  }
}
