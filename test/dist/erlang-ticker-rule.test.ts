/**
 * ErlangTicker's rule (net_kernel's), with fake timers: a tick after each silent quarter
 * of the tick time (none while data is written or queued), and the timeout after
 * `intensity` quarters with nothing read, once.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ErlangTicker } from '../../src/dist/erlang/index.ts';
import { BadArgError } from '../../src/core/errors.ts';

describe('ErlangTicker', () => {
  beforeEach(() => { vi.useFakeTimers(); });
  afterEach(() => { vi.useRealTimers(); });

  function io() {
    const s = { bytesRead: 0, bytesWritten: 0, writePending: false, ticks: 0, timeouts: 0 };
    return {
      s,
      io: {
        get bytesRead() { return s.bytesRead; },
        get bytesWritten() { return s.bytesWritten; },
        get writePending() { return s.writePending; },
        sendTick() { s.ticks++; s.bytesWritten += 4; },
        timeout() { s.timeouts++; },
      },
    };
  }

  it('ticks after each silent quarter, not while writing or with writes queued', () => {
    const { s, io: x } = io();
    const t = new ErlangTicker(x, { tickTimeMs: 4000 });
    t.start();
    vi.advanceTimersByTime(1000);
    expect(s.ticks).toBe(1);
    s.bytesRead += 10;
    s.bytesWritten += 100; // we wrote something: no tick this turn
    vi.advanceTimersByTime(1000);
    expect(s.ticks).toBe(1);
    s.bytesRead += 10;
    s.writePending = true; // data queued (socket full): no tick either
    vi.advanceTimersByTime(1000);
    expect(s.ticks).toBe(1);
    s.writePending = false;
    s.bytesRead += 10;
    vi.advanceTimersByTime(1000);
    expect(s.ticks).toBe(2);
    t.stop();
  });

  it('times out after intensity turns with nothing read, once, and stops', () => {
    const { s, io: x } = io();
    const t = new ErlangTicker(x, { tickTimeMs: 4000, intensity: 4 });
    t.start();
    vi.advanceTimersByTime(3000); // three silent turns
    s.bytesRead = 1; // something read: the turn at 4 s resets the count
    vi.advanceTimersByTime(4000); // turns at 4 (read), 5, 6, 7 s: three silent
    expect(s.timeouts).toBe(0);
    vi.advanceTimersByTime(1000); // the fourth silent turn
    expect(s.timeouts).toBe(1);
    expect(t.running).toBe(false);
    vi.advanceTimersByTime(10_000);
    expect(s.timeouts).toBe(1);
  });

  it('refuses bad options', () => {
    const { io: x } = io();
    expect(() => new ErlangTicker(x, { tickTimeMs: 0 })).toThrow(BadArgError);
    expect(() => new ErlangTicker(x, { tickTimeMs: 1000, intensity: 1 })).toThrow(BadArgError);
  });
});
