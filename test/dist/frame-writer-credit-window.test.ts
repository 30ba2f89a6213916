import { describe, expect, it } from 'vitest';
import { kCredit } from '../../src/dist/channel-frames.ts';
import { FrameReader } from '../../src/dist/frame-reader.ts';
import { FrameWriter } from '../../src/dist/frame-writer.ts';
import { RecordingHandler, RecordingSink, kFragFirst, kFragLast, kFragNext, kMessage, kTick, parseFrames } from './fixtures/frame-sinks.ts';

// With a window (the peer grants credit, channel-frames.ts "Credit"), a large message
// keeps at most windowBytes of its fragments uncredited: the rest waits for kCredit, while
// ticks and whole messages of other streams still go out; the peer's credit lets it go on.

const kFrag = 1024;
const isFragment = (f: { kind: number }): boolean => f.kind === kFragFirst || f.kind === kFragNext || f.kind === kFragLast;

describe('FrameWriter: the credit window', () => {
  it('holds fragments past the window, never ticks or small messages; credit frees it', () => {
    const sink = new RecordingSink();
    const w = new FrameWriter(sink, { fragmentBytes: kFrag, windowBytes: 3 * kFrag });
    w.message(1, new Uint8Array(10 * kFrag));
    w.flush();
    expect(parseFrames(sink.bytes()).filter(isFragment).length).toBe(3);
    expect(w.uncreditedBytes).toBe(3 * kFrag);
    expect(w.pending).toBe(true);
    const writes = sink.writes.length;
    w.flush(); // nothing may go: no empty batch
    expect(sink.writes.length).toBe(writes);

    w.tick();
    w.message(2, Uint8Array.of(9));
    w.flush();
    const next = parseFrames(Buffer.concat(sink.writes.slice(writes).flat()));
    expect(next.map((f) => f.kind)).toEqual([kTick, kMessage]);

    w.credit(2 * kFrag);
    w.flush();
    expect(parseFrames(sink.bytes()).filter(isFragment).length).toBe(5);
    w.credit(100 * kFrag); // more than is in flight: the window is simply empty
    w.flush();
    expect(parseFrames(sink.bytes()).filter(isFragment).length).toBe(8);
    w.credit(3 * kFrag);
    w.flush();
    expect(parseFrames(sink.bytes()).filter(isFragment).length).toBe(10);
    expect(w.pending).toBe(false);
  });

  it('a granted credit is one priority frame the reader hands to onCredit; without a window none is sent', () => {
    const sink = new RecordingSink();
    const w = new FrameWriter(sink, { windowBytes: 1 << 20 });
    w.message(5, new Uint8Array(10));
    w.grantCredit(100_000);
    w.grantCredit(31_072);
    w.flush();
    const frames = parseFrames(sink.bytes());
    expect(frames[0]!.kind).toBe(kCredit);
    const credits: number[] = [];
    const h = new (class extends RecordingHandler { onCredit(n: number): void { credits.push(n); } })();
    new FrameReader(h).push(sink.bytes());
    expect(credits).toEqual([131_072]);
    expect(h.got).toEqual([{ kind: 'message', stream: 5, payload: Buffer.alloc(10) }]);

    const plain = new RecordingSink();
    const nw = new FrameWriter(plain);
    nw.grantCredit(1000);
    nw.flush();
    expect(plain.writes).toEqual([]);
  });

  it('the reader counts the fragment bytes it read', () => {
    const sink = new RecordingSink();
    const w = new FrameWriter(sink, { fragmentBytes: kFrag });
    w.message(1, new Uint8Array(5 * kFrag + 7));
    w.message(2, new Uint8Array(100));
    w.flush();
    const r = new FrameReader(new RecordingHandler());
    r.push(sink.bytes());
    expect(r.fragmentBytesRead).toBe(5 * kFrag + 7);
  });

  it('refuses a bad windowBytes', () => {
    expect(() => new FrameWriter(new RecordingSink(), { windowBytes: -1 })).toThrow('FrameWriter: option "windowBytes" must be a non-negative integer');
  });
});
