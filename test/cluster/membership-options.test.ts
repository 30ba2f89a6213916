/**
 * The membership options (src/cluster/membership/options.ts): seconds in, milliseconds
 * out, memberlist's LAN defaults, the derived timings as functions of n, and the exact
 * InvalidOptionError messages for bad values.
 */
import { describe, expect, it } from 'vitest';
import { InvalidOptionError } from '../../src/core/errors.ts';
import { pushPullPeriod, resolveMembershipOptions, retransmitLimit, suspicionWindow, SwimNode } from '../../src/cluster/membership/index.ts';

const env = { send: () => {}, random: () => 0.5, emit: () => {} };

function thrown(f: () => unknown): InvalidOptionError {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(InvalidOptionError);
    return e as InvalidOptionError;
  }
  throw new Error('did not throw');
}

describe('membership options', () => {
  it('resolves seconds to milliseconds with the LAN defaults', () => {
    const c = resolveMembershipOptions('t', { probeIntervalSec: 2, probeTimeoutSec: 0.25 });
    expect(c.probeIntervalMs).toBe(2000);
    expect(c.probeTimeoutMs).toBe(250);
    expect(c.gossipIntervalMs).toBe(200);
    expect(c.suspicionMult).toBe(4);
  });

  it('derives retransmits, suspicion window and sync period from n', () => {
    const c = resolveMembershipOptions('t');
    expect([10, 100, 1000].map((n) => retransmitLimit(c, n))).toEqual([8, 12, 16]);
    expect(suspicionWindow(c, 1000)).toEqual({ minMs: 12000, maxMs: 72000, expectedConfirmations: 2 });
    expect(suspicionWindow(c, 3).expectedConfirmations).toBe(0);
    expect(pushPullPeriod(c, 32)).toBe(30000);
    expect(pushPullPeriod(c, 1000)).toBe(30000 * 6);
  });

  it('rejects unknown options and bad values with the exact messages', () => {
    expect(thrown(() => new SwimNode('a', env, { probeIntervalSec: 0 })).message).toBe(
      'SwimNode: option "probeIntervalSec" must be a positive finite number of seconds',
    );
    const e = thrown(() => new SwimNode('a', env, { probeTimeoutSec: 1 }));
    expect(e.message).toBe('SwimNode: option "probeTimeoutSec" must be shorter than probeIntervalSec');
    expect(e.option).toBe('probeTimeoutSec');
    expect(thrown(() => resolveMembershipOptions('m', { indirectChecks: 1.5 })).message).toBe('m: option "indirectChecks" must be an integer >= 0');
    expect(thrown(() => resolveMembershipOptions('m', { tick: 1 } as never)).message).toBe('m: unknown option "tick"');
  });
});
