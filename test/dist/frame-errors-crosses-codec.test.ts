import { describe, expect, it } from 'vitest';
import { FrameError } from '../../src/dist/frame-errors.ts';
import { SwitchboardError } from '../../src/core/errors.ts';
import { errorClassPrototype } from '../../src/core/error-classes.ts';
import { copyMessage } from '../../src/core/copy.ts';
import { decodeMessage, encodeMessage } from '../../src/codec/index.ts';

describe('FrameError: a registered error class', () => {
  it('has a stable code and crosses the codec and the local copy as itself, with its failure', () => {
    const err = new FrameError('bad_kind', 'channel frame: unknown kind 9 (frame length 1)');
    expect(err).toBeInstanceOf(SwitchboardError);
    expect(err.name).toBe('FrameError');
    expect(errorClassPrototype('ERR_SB_FRAME')).toBe(FrameError.prototype);
    for (const out of [decodeMessage(encodeMessage(err)), copyMessage(err)] as FrameError[]) {
      expect(Object.getPrototypeOf(out)).toBe(FrameError.prototype);
      expect(out.code).toBe('ERR_SB_FRAME');
      expect(out.failure).toBe('bad_kind');
      expect(out.message).toBe(err.message);
    }
  });
});
