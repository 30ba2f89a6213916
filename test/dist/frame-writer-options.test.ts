import { describe, expect, it } from 'vitest';
import { FrameWriter } from '../../src/dist/frame-writer.ts';
import { BadArgError, InvalidOptionError } from '../../src/core/errors.ts';
import { RecordingSink } from './fixtures/frame-sinks.ts';

function thrown(f: () => unknown): Error {
  try {
    f();
  } catch (err) {
    return err as Error;
  }
  throw new Error('expected an error, nothing was thrown');
}

describe('FrameWriter: options and arguments are checked', () => {
  it('refuses bad options with InvalidOptionError', () => {
    const sink = new RecordingSink();
    const cases: [unknown, string][] = [
      [{ fragmentBytes: 0 }, 'FrameWriter: option "fragmentBytes" must be an integer in 1..1073741824'],
      [{ fragmentBytes: 1.5 }, 'FrameWriter: option "fragmentBytes" must be an integer in 1..1073741824'],
      [{ maxBatchBytes: -1 }, 'FrameWriter: option "maxBatchBytes" must be a positive integer'],
      [{ fragment: 1 }, 'FrameWriter: unknown option "fragment"'],
    ];
    for (const [opts, message] of cases) {
      const err = thrown(() => new FrameWriter(sink, opts as never));
      expect(err).toBeInstanceOf(InvalidOptionError);
      expect(err.message).toBe(message);
    }
  });

  it('refuses a stream that is not a u32 with BadArgError', () => {
    const w = new FrameWriter(new RecordingSink());
    for (const s of [-1, 2 ** 32, 1.5, NaN]) {
      const err = thrown(() => w.message(s, new Uint8Array(1)));
      expect(err).toBeInstanceOf(BadArgError);
      expect(err.message).toBe(`FrameWriter.message: stream must be a u32, got ${String(s)}`);
    }
    expect(w.pending).toBe(false);
    expect(w.queuedBytes).toBe(0);
  });
});
