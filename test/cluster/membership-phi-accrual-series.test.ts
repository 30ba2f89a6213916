/**
 * The φ-accrual detector (src/cluster/membership/phi-accrual.ts) over known heartbeat
 * series: the seeded history, φ at the mean (log10 2), φ against the exact normal tail
 * where the logistic approximation is close (y ≤ 3), the acceptable pause as a shift of
 * the mean, the deviation floor, and the window dropping its oldest intervals.
 */
import { describe, expect, it } from 'vitest';
import { HeartbeatHistory, phiOf, type PhiAccrualConfig } from '../../src/cluster/membership/phi-accrual.ts';

const cfg = (o: Partial<PhiAccrualConfig> = {}): PhiAccrualConfig => ({
  threshold: 8, maxSampleSize: 1000, minStdDeviationMs: 100, acceptableHeartbeatPauseMs: 0, firstHeartbeatEstimateMs: 1000, ...o,
});

/** -log10 of the exact upper tail of the standard normal at y = 2, 3 (tables). */
const exactPhi = { 2: -Math.log10(0.0227501319), 3: -Math.log10(0.0013498980) };

describe('φ-accrual over a known series', () => {
  it('is 0 before the first heartbeat; the first seeds μ = estimate, σ = estimate / 4', () => {
    const h = new HeartbeatHistory(cfg(), 1000);
    expect(h.phi(5000)).toBe(0);
    h.heartbeat(0);
    expect(h.samples).toBe(2);
    expect(h.mean).toBe(1000);
    expect(h.stdDeviation).toBe(250);
    expect(h.phi(1000)).toBeCloseTo(Math.log10(2), 12); // at the mean: one chance in two
  });

  it('matches the normal tail at 2 and 3 deviations past a regular mean (σ at its floor)', () => {
    const h = new HeartbeatHistory(cfg({ maxSampleSize: 4 }), 1000);
    for (let t = 0; t <= 10_000; t += 1000) h.heartbeat(t); // the seeds drop out of the window of 4
    expect(h.mean).toBe(1000);
    expect(h.stdDeviation).toBe(0);
    expect(h.phi(10_000 + 1200)).toBeCloseTo(exactPhi[2], 2); // y = 2 with σ = minStdDeviation 100
    expect(Math.abs(h.phi(10_000 + 1300) - exactPhi[3])).toBeLessThan(0.05);
    expect(h.phi(10_000 + 1000)).toBeCloseTo(Math.log10(2), 12);
    expect(h.phi(10_000 + 500)).toBeLessThan(0.001);
    // Monotone in the silence, finite however long it lasts.
    let prev = 0;
    for (let d = 0; d <= 60_000; d += 50) {
      const p = h.phi(10_000 + d);
      expect(p).toBeGreaterThanOrEqual(prev);
      prev = p;
    }
    expect(Number.isFinite(h.phi(10_000 + 1e7))).toBe(true);
  });

  it('computes mean and deviation of an irregular series, and the threshold crossing follows them', () => {
    const h = new HeartbeatHistory(cfg({ maxSampleSize: 6 }), 1000);
    // Intervals 500, 1500, 500, 1500 after the two seeds (750, 1250): mean 1000, σ = sqrt((2·250² + 4·500²)/6).
    let t = 0;
    h.heartbeat(t);
    for (const d of [500, 1500, 500, 1500]) h.heartbeat((t += d));
    expect(h.mean).toBe(1000);
    const sigma = Math.sqrt((2 * 250 ** 2 + 4 * 500 ** 2) / 6);
    expect(h.stdDeviation).toBeCloseTo(sigma, 9);
    expect(h.phi(t + 1000 + 2 * sigma)).toBeCloseTo(exactPhi[2], 2);
    // φ = 8 is about 5.4 deviations past the mean here (the logistic's tail).
    expect(h.phi(t + 1000 + 5.2 * sigma)).toBeLessThan(8);
    expect(h.phi(t + 1000 + 5.6 * sigma)).toBeGreaterThan(8);
  });

  it('treats acceptableHeartbeatPause as a longer mean, and restamp restarts the silence', () => {
    const h = new HeartbeatHistory(cfg({ acceptableHeartbeatPauseMs: 500 }), 1000);
    h.heartbeat(0);
    expect(h.phi(1500)).toBeCloseTo(Math.log10(2), 12);
    expect(h.phi(1500)).toBeCloseTo(phiOf(1000, 1000, 250), 12);
    const before = h.samples;
    h.restamp(4000);
    expect(h.samples).toBe(before);
    expect(h.phi(5500)).toBeCloseTo(Math.log10(2), 12);
  });

  it('keeps at most maxSampleSize intervals: the old regime ages out', () => {
    const h = new HeartbeatHistory(cfg({ maxSampleSize: 10 }), 1000);
    let t = 0;
    h.heartbeat(t);
    for (let i = 0; i < 10; i++) h.heartbeat((t += 200));
    expect(h.samples).toBe(10);
    expect(h.mean).toBe(200);
    for (let i = 0; i < 10; i++) h.heartbeat((t += 2000));
    expect(h.mean).toBe(2000);
    expect(h.phi(t + 2000)).toBeCloseTo(Math.log10(2), 12);
  });
});
