import { describe, expect, it } from 'vitest';
import { UnsendableError } from '../../src/core/errors.ts';
import { decodeMessage, encodeMessage, kMaxDepth } from '../../src/codec/index.ts';

function caught(fn: () => unknown): UnsendableError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(UnsendableError);
    return e as UnsendableError;
  }
  throw new Error('expected UnsendableError');
}

describe('codec: cycles are rejected, shared references are copied', () => {
  it('rejects a cycle, naming where it closes and the ancestor it points to', () => {
    const root: Record<string, unknown> = { a: { b: [] as unknown[] } };
    ((root.a as { b: unknown[] }).b).push(root.a);
    const err = caught(() => encodeMessage(root));
    expect(err.path).toBe('msg.a.b[0]');
    expect(err.message).toBe('cannot send a cycle (a reference back to msg.a) at msg.a.b[0]');
  });

  it('rejects cycles through maps, sets and the root itself', () => {
    const m = new Map<string, unknown>();
    m.set('self', m);
    expect(caught(() => encodeMessage(m)).message).toMatch(/cycle \(a reference back to msg\) at msg\.get\("self"\)$/);
    const s = new Set<unknown>();
    s.add([s]);
    expect(caught(() => encodeMessage({ s })).path).toBe('msg.s.values()[0][0]');
  });

  it('finds cycles past the linear-scan depth', () => {
    const top: Record<string, unknown> = {};
    let node = top;
    for (let i = 0; i < 50; i++) node = (node.next = {}) as Record<string, unknown>;
    node.back = top;
    expect(caught(() => encodeMessage(top)).message).toMatch(/a reference back to msg\)/);
    node.back = top.next; // points at depth 1
    expect(caught(() => encodeMessage(top)).message).toMatch(/a reference back to msg\.next\)/);
  });

  it('copies an object reachable twice, as Erlang copies a term', () => {
    const shared = { n: 1 };
    const out = decodeMessage(encodeMessage({ x: shared, y: [shared, shared] })) as { x: object; y: object[] };
    expect(out.x).toEqual(shared);
    expect(out.y[0]).toEqual(shared);
    expect(out.x).not.toBe(out.y[0]);
  });

  it('rejects nesting deeper than kMaxDepth, and accepts kMaxDepth', () => {
    const nest = (depth: number): unknown[] => {
      const top: unknown[] = [];
      let a = top;
      for (let i = 1; i < depth; i++) a.push((a = []));
      return top;
    };
    expect(decodeMessage(encodeMessage(nest(kMaxDepth)))).toEqual(nest(kMaxDepth));
    expect(caught(() => encodeMessage(nest(kMaxDepth + 1))).message).toMatch(/nested deeper than/);
  });
});
