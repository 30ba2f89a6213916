import { describe, expect, it } from 'vitest';
import { Mailbox } from '../../src/core/mailbox.ts';

describe('Mailbox: growth', () => {
  it('allocates nothing until the first message, then doubles, keeping order across a wrapped head', () => {
    const m = new Mailbox();
    expect(m.mbuf).toBeNull();
    m.push('a');
    expect(m.mbuf!.length).toBe(4);
    m.push('b');
    m.push('c');
    m.shift(); // head moves: the next growth has to unwrap
    m.push('d');
    m.push('e'); // wraps
    m.push('f'); // full at 4 -> grows to 8
    expect(m.mbuf!.length).toBe(8);
    const out: unknown[] = [];
    while (m.mlen > 0) out.push(m.shift());
    expect(out).toEqual(['b', 'c', 'd', 'e', 'f']);
  });

  it('holds 100,000 messages in order and releases a big array once drained', () => {
    const m = new Mailbox();
    for (let i = 0; i < 100_000; i++) m.push(i);
    expect(m.mlen).toBe(100_000);
    for (let i = 0; i < 100_000; i++) expect(m.shift()).toBe(i);
    expect(m.mlen).toBe(0);
    expect(m.mbuf).toBeNull();
  });

  it('keeps a small array when drained', () => {
    const m = new Mailbox();
    m.push(1);
    m.shift();
    expect(m.mbuf).not.toBeNull();
    expect(m.mhead).toBe(0);
  });

  it('clearMailbox drops everything', () => {
    const m = new Mailbox();
    for (let i = 0; i < 10; i++) m.push(i);
    m.mbytes = 100;
    m.clearMailbox();
    expect([m.mlen, m.mbytes, m.mbuf]).toEqual([0, 0, null]);
  });
});
