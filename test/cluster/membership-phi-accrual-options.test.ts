/**
 * The phiAccrual option of Membership (options.ts): off by default, Akka's defaults in
 * seconds resolved to milliseconds, the first-heartbeat estimate left to the node unless
 * given, and the exact InvalidOptionError messages for bad fields.
 */
import { describe, expect, it } from 'vitest';
import { InvalidOptionError } from '../../src/core/errors.ts';
import { resolveMembershipOptions } from '../../src/cluster/membership/index.ts';

function message(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(InvalidOptionError);
    expect((e as InvalidOptionError).option).toBe('phiAccrual');
    return (e as Error).message;
  }
  throw new Error('did not throw');
}

describe('membership phiAccrual option', () => {
  it('is off by default; {} gives the defaults in milliseconds', () => {
    expect(resolveMembershipOptions('m').phiAccrual).toBeNull();
    expect(resolveMembershipOptions('m', { phiAccrual: null }).phiAccrual).toBeNull();
    expect(resolveMembershipOptions('m', { phiAccrual: {} }).phiAccrual).toEqual({
      threshold: 8, maxSampleSize: 1000, minStdDeviationMs: 100, acceptableHeartbeatPauseMs: 1000, firstHeartbeatEstimateMs: null,
    });
    expect(resolveMembershipOptions('m', { phiAccrual: { threshold: 12, minStdDeviationSec: 0.25, acceptableHeartbeatPauseSec: 0, firstHeartbeatEstimateSec: 2, maxSampleSize: 50 } }).phiAccrual).toEqual({
      threshold: 12, maxSampleSize: 50, minStdDeviationMs: 250, acceptableHeartbeatPauseMs: 0, firstHeartbeatEstimateMs: 2000,
    });
  });

  it('rejects bad fields with the exact messages', () => {
    expect(message(() => resolveMembershipOptions('m', { phiAccrual: 3 as never }))).toBe(
      'm: option "phiAccrual" must be null or { threshold?, maxSampleSize?, minStdDeviationSec?, acceptableHeartbeatPauseSec?, firstHeartbeatEstimateSec? }',
    );
    expect(message(() => resolveMembershipOptions('m', { phiAccrual: { thresh: 1 } as never }))).toBe('m: option "phiAccrual" has an unknown field "thresh"');
    expect(message(() => resolveMembershipOptions('m', { phiAccrual: { threshold: 0 } }))).toBe('m: option "phiAccrual" .threshold must be a positive finite number');
    expect(message(() => resolveMembershipOptions('m', { phiAccrual: { maxSampleSize: 0 } }))).toBe('m: option "phiAccrual" .maxSampleSize must be an integer >= 1');
    expect(message(() => resolveMembershipOptions('m', { phiAccrual: { acceptableHeartbeatPauseSec: -1 } }))).toBe('m: option "phiAccrual" .acceptableHeartbeatPauseSec must be a finite number of seconds >= 0');
    expect(message(() => resolveMembershipOptions('m', { phiAccrual: { minStdDeviationSec: 0 } }))).toBe('m: option "phiAccrual" .minStdDeviationSec must be a positive finite number of seconds');
  });
});
