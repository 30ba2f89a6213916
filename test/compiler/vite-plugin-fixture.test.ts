import { describe, expect, it } from 'vitest';
import { kDefaultMaxReductionsPerMessage, reductions, RunawaySignal } from '../../src/core/reductions.ts';
import * as directive from './fixtures/directive-helper.ts';
import * as plain from './fixtures/plain-helper.ts';

// vitest.config.ts wires switchboardVitePlugin(): fixtures with the directive are
// instrumented when a test imports them; others are not.
describe('vite plugin', () => {
  it('instruments imported fixtures that opt in', () => {
    const names = [...reductions.instrumented].map((u) => u.replace(/^.*\//, ''));
    expect(names).toContain('directive-helper.ts');
    expect(names).not.toContain('plain-helper.ts');

    reductions.left = 1e6;
    directive.countTo(100);
    expect(1e6 - reductions.left).toBe(97); // 1 entry + 3 batches of 32 loop iterations (kLoopBatch)
    reductions.left = 1e6;
    plain.countTo(100);
    expect(1e6 - reductions.left).toBe(0);
  });

  it('stops a runaway loop in a fixture, through its catch', () => {
    reductions.left = 100;
    reductions.overrun = 0;
    reductions.limit = 10_000;
    reductions.kill = 0;
    reductions.beginMessage();
    let caught: unknown;
    try {
      directive.spinForever();
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(RunawaySignal);
    expect((caught as RunawaySignal).cause).toBe('runaway');
  });

  it('maps stack traces of instrumented fixtures to their .ts lines', () => {
    reductions.left = 1e6;
    reductions.limit = kDefaultMaxReductionsPerMessage;
    reductions.beginMessage();
    let err: Error | undefined;
    try {
      directive.fail();
    } catch (e) {
      err = e as Error;
    }
    expect(err?.message).toBe('fixture failure');
    expect(err?.stack).toMatch(/directive-helper\.ts:22:\d+/);
  });
});
