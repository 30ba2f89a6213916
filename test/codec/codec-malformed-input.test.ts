import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BadArgError } from '../../src/core/errors.ts';
import { Pid } from '../../src/core/pid.ts';
import { MessageDecoder, encodeMessage } from '../../src/codec/index.ts';

describe('codec: malformed input raises BadArgError', () => {
  it('rejects every truncation of a valid message, and trailing bytes', () => {
    const decoder = new MessageDecoder();
    fc.assert(
      fc.property(fc.anything({ maxDepth: 3, withMap: true, withSet: true, withTypedArray: true, withBigInt: true, withDate: true }), (v) => {
        const bytes = encodeMessage(v);
        for (let cut = 0; cut < bytes.length; cut++) {
          expect(() => decoder.decode(bytes, 0, cut)).toThrow(BadArgError);
        }
        const longer = new Uint8Array(bytes.length + 1);
        longer.set(bytes);
        expect(() => decoder.decode(longer)).toThrow(/trailing/);
      }),
      { numRuns: 200 },
    );
  });

  it('throws only BadArgError on random bytes', () => {
    const decoder = new MessageDecoder();
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 1, maxLength: 64 }), (bytes) => {
        try {
          decoder.decode(bytes);
        } catch (e) {
          expect(e).toBeInstanceOf(BadArgError);
        }
      }),
      { numRuns: 5000 },
    );
  });

  it('rejects unknown tags and bad counts without allocating them', () => {
    const decoder = new MessageDecoder();
    expect(() => decoder.decode(new Uint8Array([0x3f]))).toThrow(/unknown tag 0x3f/);
    expect(() => decoder.decode(new Uint8Array([0x00]))).toThrow(/END outside/);
    // An array claiming 2^35 items.
    expect(() => decoder.decode(new Uint8Array([0x0d, 0x80, 0x80, 0x80, 0x80, 0x80, 0x01]))).toThrow(/items in/);
    // A pid whose fields are not numbers.
    expect(() => decoder.decode(encodeMessage(new Pid(0, 1, 2)).map((b, i) => (i === 1 ? 0x01 : b)))).toThrow(/expected a number/);
  });
});
