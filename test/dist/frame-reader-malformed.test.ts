import { describe, expect, it } from 'vitest';
import { FrameReader, type FrameReaderLimits } from '../../src/dist/frame-reader.ts';
import { FrameError, type FrameFailure } from '../../src/dist/frame-errors.ts';
import { SwitchboardError } from '../../src/core/errors.ts';
import { RecordingHandler, frame, kControl, kFragFirst, kFragLast, kFragNext, kMessage, kTick, u32 } from './fixtures/frame-sinks.ts';

const first = (stream: number, total: number, ...chunk: number[]): number[] => frame(13 + chunk.length, kFragFirst, ...u32(stream), ...u32(Math.floor(total / 2 ** 32)), ...u32(total >>> 0), ...chunk);
const next = (stream: number, ...chunk: number[]): number[] => frame(5 + chunk.length, kFragNext, ...u32(stream), ...chunk);
const last = (stream: number, ...chunk: number[]): number[] => frame(5 + chunk.length, kFragLast, ...u32(stream), ...chunk);

/** Push `bytes` whole, then again one byte at a time into a fresh reader: the same error both ways. */
function refused(bytes: number[], limits?: FrameReaderLimits): FrameError {
  const errors: FrameError[] = [];
  for (const split of [false, true]) {
    const r = new FrameReader(new RecordingHandler(), limits);
    try {
      if (split) for (const b of bytes) r.push(Uint8Array.of(b));
      else r.push(Uint8Array.from(bytes));
    } catch (err) {
      expect(err).toBeInstanceOf(FrameError);
      expect(r.failed).toBe(true);
      expect(r.bufferedBytes).toBe(0);
      errors.push(err as FrameError);
      continue;
    }
    throw new Error('expected a FrameError, nothing was thrown');
  }
  expect(errors[1]!.message).toBe(errors[0]!.message);
  expect(errors[1]!.failure).toBe(errors[0]!.failure);
  return errors[0]!;
}

function expectRefused(bytes: number[], failure: FrameFailure, message: string, limits?: FrameReaderLimits): void {
  const e = refused(bytes, limits);
  expect(e).toBeInstanceOf(SwitchboardError);
  expect(e.code).toBe('ERR_SB_FRAME');
  expect(e.failure).toBe(failure);
  expect(e.message).toBe(message);
}

describe('FrameReader: every malformed input is a FrameError with its failure and message', () => {
  it('frame headers', () => {
    expectRefused(frame(0, kTick), 'truncated', 'channel frame: zero-length frame (no kind byte)');
    expectRefused(frame(1, 0), 'bad_kind', 'channel frame: unknown kind 0 (frame length 1)');
    expectRefused(frame(3, 8, 0, 0), 'bad_kind', 'channel frame: unknown kind 8 (frame length 3)');
    expectRefused(frame(3, 7, 0, 0), 'bad_length', 'channel frame: credit frame of length 3 (a credit is one u32)');
    expectRefused(frame(6, 7, 0, 0, 0, 0, 0), 'bad_length', 'channel frame: credit frame of length 6 (a credit is one u32)');
    expectRefused(frame(2, kTick, 0), 'bad_length', 'channel frame: tick frame of length 2 (a tick has no body)');
    expectRefused(frame(4, kMessage, 0, 0, 0), 'truncated', 'channel frame: message frame of length 4 is shorter than its 5-byte header');
    expectRefused(frame(12, kFragFirst, ...new Array<number>(11).fill(0)), 'truncated', 'channel frame: first fragment frame of length 12 is shorter than its 13-byte header');
    expectRefused(frame(1, kFragLast), 'truncated', 'channel frame: last fragment frame of length 1 is shorter than its 5-byte header');
    expectRefused(frame(101, kControl), 'too_large', 'channel frame: frame length 101 exceeds maxFrameBytes 100', { maxFrameBytes: 100 });
  });

  it('a zero-length or too-large frame is refused from its length word alone', () => {
    for (const [word, failure] of [[0, 'truncated'], [0xffffffff, 'too_large']] as const) {
      const r = new FrameReader(new RecordingHandler());
      r.push(Uint8Array.from(u32(word).slice(0, 3)));
      expect(r.bufferedBytes).toBe(3);
      expect(() => r.push(Uint8Array.from(u32(word).slice(3)))).toThrow(expect.objectContaining({ failure }));
      expect(() => r.push(new Uint8Array(1))).toThrow(expect.objectContaining({ failure: 'dead' }));
    }
    const e = refused(u32(0xffffffff));
    expect(e.message).toBe('channel frame: frame length 4294967295 exceeds maxFrameBytes 1048576');
  });

  it('message and reassembly limits, checked from the header before allocating', () => {
    expectRefused(frame(5 + 11, kMessage, ...u32(3), ...new Array<number>(11).fill(0)), 'too_large', 'channel frame: message of 11 bytes on stream 3 exceeds maxMessageBytes 10', { maxMessageBytes: 10 });
    expectRefused(first(4, 2 ** 40, 1), 'too_large', `channel frame: message of ${2 ** 40} bytes on stream 4 exceeds maxMessageBytes 1073741824`);
    expectRefused([...first(1, 10, 1), ...first(2, 10, 1), ...first(3, 10, 1)], 'too_many_streams', 'channel frame: first fragment on stream 3: 2 fragmented messages already in progress (maxPartialStreams 2)', { maxPartialStreams: 2 });
    expectRefused([...first(1, 60, 1), ...first(2, 50, 1)], 'too_much_buffered', 'channel frame: first fragment on stream 2: its 50 bytes and the 60 of the messages in progress exceed maxPartialBytes 100', { maxMessageBytes: 60, maxPartialBytes: 100 });
  });

  it('fragments out of sequence or that miss their total', () => {
    expectRefused(next(5, 1), 'bad_fragment', 'channel frame: next fragment on stream 5 with no message in progress');
    expectRefused(last(5, 1), 'bad_fragment', 'channel frame: last fragment on stream 5 with no message in progress');
    expectRefused([...first(5, 10, 1), ...first(5, 10, 1)], 'bad_fragment', 'channel frame: first fragment on stream 5 while a message of 10 bytes is in progress on it');
    expectRefused(first(5, 10), 'bad_fragment', 'channel frame: empty first fragment on stream 5');
    expectRefused(first(5, 2, 1, 2), 'bad_fragment', 'channel frame: first fragment of 2 bytes on stream 5 leaves nothing of its 2-byte message to a last fragment');
    expectRefused([...first(5, 4, 1), ...next(5)], 'bad_fragment', 'channel frame: empty next fragment on stream 5');
    expectRefused([...first(5, 4, 1), ...last(5)], 'bad_fragment', 'channel frame: empty last fragment on stream 5');
    expectRefused([...first(5, 4, 1), ...next(5, 2, 3, 4, 5)], 'bad_fragment', 'channel frame: next fragment of 4 bytes on stream 5 exceeds its message: 1 of 4 bytes received');
    expectRefused([...first(5, 4, 1), ...last(5, 2, 3, 4, 5)], 'bad_fragment', 'channel frame: last fragment of 4 bytes on stream 5 exceeds its message: 1 of 4 bytes received');
    expectRefused([...first(5, 4, 1), ...next(5, 2, 3, 4)], 'bad_fragment', 'channel frame: next fragment on stream 5 completes its 4-byte message; only a last fragment may');
    expectRefused([...first(5, 4, 1), ...next(5, 2), ...last(5, 3)], 'bad_fragment', 'channel frame: last fragment on stream 5 ends its message at 3 of 4 bytes');
  });

  it('a good frame before the bad one is delivered; after the error the reader is dead', () => {
    const h = new RecordingHandler();
    const r = new FrameReader(h);
    expect(() => r.push(Uint8Array.from([...frame(1, kTick), ...frame(1, 9), ...frame(1, kTick)]))).toThrow(
      new FrameError('bad_kind', 'channel frame: unknown kind 9 (frame length 1)'),
    );
    expect(h.got).toEqual([{ kind: 'tick' }]);
    let dead: unknown;
    try {
      r.push(Uint8Array.from(frame(1, kTick)));
    } catch (err) {
      dead = err;
    }
    expect(dead).toBeInstanceOf(FrameError);
    expect((dead as FrameError).failure).toBe('dead');
    expect((dead as FrameError).message).toBe('channel frame: the reader failed before: channel frame: unknown kind 9 (frame length 1)');
    expect(((dead as FrameError).cause as FrameError).failure).toBe('bad_kind');
    expect(h.got.length).toBe(1);
  });

  it('a handler that throws kills the reader too: its error comes out, then dead', () => {
    const r = new FrameReader({ onTick() { throw new Error('handler bug'); }, onControl() {}, onMessage() {} });
    expect(() => r.push(Uint8Array.from(frame(1, kTick)))).toThrow('handler bug');
    expect(() => r.push(Uint8Array.from(frame(1, kTick)))).toThrow(new FrameError('dead', 'channel frame: the reader failed before: handler bug'));
  });

  it('limits are checked as options', () => {
    expect(() => new FrameReader(new RecordingHandler(), { maxFrameBytes: 0 })).toThrow('FrameReader: option "maxFrameBytes" must be an integer in 1..4294967295');
    expect(() => new FrameReader(new RecordingHandler(), { maxPartialStreams: 0.5 })).toThrow('FrameReader: option "maxPartialStreams" must be a positive integer');
    expect(() => new FrameReader(new RecordingHandler(), { other: 1 } as never)).toThrow('FrameReader: unknown option "other"');
  });
});
