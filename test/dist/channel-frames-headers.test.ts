import { describe, expect, it } from 'vitest';
import {
  frameKindName, frameLengthForFragment, kFragFirst, kFragFirstHeaderBytes, kFragLast, kFrameHeaderBytes, kHeaderBytesByKind, kMessage,
  kStreamHeaderBytes, kTick, readFragTotal, readStream, readU32, writeFragFirstHeader, writeFrameHeader, writeStreamHeader, writeU32,
} from '../../src/dist/channel-frames.ts';

describe('channel frames: header layout', () => {
  it('a frame header is a big-endian length word and the kind byte', () => {
    const buf = new Uint8Array(8);
    expect(writeFrameHeader(buf, 2, 1, kTick)).toBe(2 + kFrameHeaderBytes);
    expect([...buf]).toEqual([0, 0, 0, 0, 0, 1, 1, 0]);
  });

  it('a stream header counts kind, stream and body in its length', () => {
    const buf = new Uint8Array(kStreamHeaderBytes);
    expect(writeStreamHeader(buf, 0, kMessage, 0x01020304, 3)).toBe(kStreamHeaderBytes);
    expect([...buf]).toEqual([0, 0, 0, 8, 3, 1, 2, 3, 4]);
    expect(readStream(buf, 0)).toBe(0x01020304);
    writeStreamHeader(buf, 0, kFragLast, 0xffffffff, 0);
    expect([...buf]).toEqual([0, 0, 0, 5, 6, 255, 255, 255, 255]);
  });

  it('a first fragment carries the total as two u32 words, read back exactly above 2^32', () => {
    const buf = new Uint8Array(kFragFirstHeaderBytes);
    const total = 5 * 2 ** 32 + 7;
    expect(writeFragFirstHeader(buf, 0, 9, 65536, total)).toBe(kFragFirstHeaderBytes);
    expect([...buf]).toEqual([0, 1, 0, 13, kFragFirst, 0, 0, 0, 9, 0, 0, 0, 5, 0, 0, 0, 7]);
    expect(readFragTotal(buf, 0)).toBe(total);
    expect(readU32(buf, 0)).toBe(65536 + 13);
  });

  it('u32 helpers round-trip the whole range', () => {
    const buf = new Uint8Array(4);
    for (const v of [0, 1, 255, 256, 0x7fffffff, 0x80000000, 0xffffffff]) {
      writeU32(buf, 0, v);
      expect(readU32(buf, 0)).toBe(v);
    }
  });

  it('header sizes per kind, kind names, and the frame length of a full first fragment', () => {
    expect(kHeaderBytesByKind).toEqual([0, 5, 5, 9, 17, 9, 9, 9]);
    expect([1, 2, 3, 4, 5, 6, 7, 8].map(frameKindName)).toEqual(['tick', 'control', 'message', 'first fragment', 'next fragment', 'last fragment', 'credit', 'kind 8']);
    expect(frameLengthForFragment(65536)).toBe(65549);
  });
});
