import { Buffer } from 'node:buffer';
import { describe, expect, it } from 'vitest';
import { NoProcError } from '../../src/core/errors.ts';
import { Pid } from '../../src/core/pid.ts';
import { decodeMessage, encodeMessage } from '../../src/codec/index.ts';

/** Replace the first occurrence of `from` (Latin-1) in `bytes` by `to`, same length. */
function patch(bytes: Uint8Array, from: string, to: string): Uint8Array {
  const hay = Buffer.from(bytes).toString('latin1');
  const at = hay.indexOf(from);
  expect(at).toBeGreaterThanOrEqual(0);
  const out = bytes.slice();
  out.set(Buffer.from(to, 'latin1'), at);
  return out;
}

describe('codec: an error whose code the receiver does not know', () => {
  it('comes back as a built-in Error with the name, message, stack, code and fields it had', () => {
    const err = new NoProcError(new Pid(0, 5, 1));
    const bytes = encodeMessage(err);
    // The first "ERR_SB_NOPROC" is the class (a code, flag 4); the field `code` follows later.
    const out = decodeMessage(patch(bytes, 'ERR_SB_NOPROC', 'ERR_SB_NOPROX')) as Error & { code: string; target: Pid };
    expect(out.constructor).toBe(Error);
    expect(out).not.toBeInstanceOf(NoProcError);
    expect(out.name).toBe('NoProcError');
    expect(out.message).toBe(err.message);
    expect(out.stack).toBe(err.stack);
    expect(out.code).toBe('ERR_SB_NOPROC');
    expect(out.target).toEqual(new Pid(0, 5, 1));
  });
});
