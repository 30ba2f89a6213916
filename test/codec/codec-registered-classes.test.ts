import { describe, expect, it } from 'vitest';
import { BadArgError, NoProcError, SwitchboardError, UnsendableError } from '../../src/core/errors.ts';
import { Pid } from '../../src/core/pid.ts';
import { decodeMessage, encodeMessage, registerClass, unregisterClass } from '../../src/codec/index.ts';

let constructed = 0;
class Point {
  x: number;
  y: number;
  constructor(x: number, y: number) {
    constructed++;
    this.x = x;
    this.y = y;
  }
  norm(): number {
    return Math.hypot(this.x, this.y);
  }
}
class Segment {
  constructor(
    readonly from: Point,
    readonly to: Point,
  ) {}
}

describe('codec: registered classes round-trip', () => {
  it('decodes a registered class into its prototype without running the constructor', () => {
    registerClass(Point, 'test.Point');
    registerClass(Segment); // name defaults to the class name
    const seg = new Segment(new Point(3, 4), new Point(0, 1));
    const before = constructed;
    const out = decodeMessage(encodeMessage({ seg })) as { seg: Segment };
    expect(constructed).toBe(before);
    expect(out.seg).toBeInstanceOf(Segment);
    expect(out.seg.from).toBeInstanceOf(Point);
    expect(out.seg.from.norm()).toBe(5);
    expect(out.seg).toStrictEqual(seg);
  });

  it('refuses conflicting registrations and built-ins', () => {
    registerClass(Point, 'test.Point'); // same pair: fine
    expect(() => registerClass(Point, 'other')).toThrow(BadArgError);
    class Impostor {}
    expect(() => registerClass(Impostor, 'test.Point')).toThrow(BadArgError);
    expect(() => registerClass(Map)).toThrow(BadArgError);
    expect(() => registerClass(Pid)).toThrow(BadArgError);
  });

  it('stops sending a class once unregistered, and refuses to decode an unknown name', () => {
    class Temp {
      v = 1;
    }
    registerClass(Temp, 'test.Temp');
    const bytes = encodeMessage(new Temp());
    unregisterClass(Temp);
    expect(() => encodeMessage(new Temp())).toThrow(UnsendableError);
    expect(() => decodeMessage(bytes)).toThrow(/class "test.Temp" is not registered here/);
  });

  it('round-trips registered Error classes with their fields', () => {
    registerClass(NoProcError);
    const err = new NoProcError(new Pid(0, 7, 1));
    const out = decodeMessage(encodeMessage(err)) as NoProcError;
    expect(out).toBeInstanceOf(NoProcError);
    expect(out).toBeInstanceOf(SwitchboardError);
    expect(out.code).toBe('ERR_SB_NOPROC');
    expect(out.message).toBe(err.message);
    expect(out.stack).toBe(err.stack);
    expect(out.name).toBe('NoProcError');
    expect(out.target).toStrictEqual(new Pid(0, 7, 1));
    expect(Object.keys(out)).toEqual(Object.keys(err));
  });
});
