/**
 * The φ-accrual failure detector (Hayashibara, Défago, Yared, Katayama 2004), with the
 * parameters Akka names: a suspicion LEVEL instead of a yes/no timeout. For each member it
 * keeps the inter-arrival times of its heartbeats (here: every SWIM message we receive
 * from it — its pings, its acks to our probes, its relayed acks, gossip, syncs) and says
 * how unlikely the current silence is under that history:
 *
 *   φ(t) = -log10( P(next heartbeat comes later than t after the last one) )
 *        = -log10( 1 - F(t) ),  F = the normal CDF with the history's mean μ and deviation σ
 *
 *   φ = 1: one chance in 10 that the member is still fine; φ = 8: one in 10^8.
 *
 * Protocol, per member (HeartbeatHistory):
 *   1. heartbeat(now): the first one only stamps the time and seeds the history with
 *      firstHeartbeatEstimate (two samples, μ ± μ/4, so σ = μ/4: Akka's seeding); every
 *      later one adds `now - last` to a window of at most maxSampleSize intervals (the
 *      oldest drops out), with running sums, so each step is O(1) and allocation-free
 *      once the window is full.
 *   2. phi(now): μ' = μ + acceptableHeartbeatPause (a pause of that length is no news),
 *      σ' = max(σ, minStdDeviation) (a too regular history must not make one late packet
 *      look fatal), y = (now - last - μ') / σ'; F is the logistic approximation of the
 *      normal CDF, F(y) ≈ 1 / (1 + e^(-a)), a = y (1.5976 + 0.070566 y²) (Bowling et al.
 *      2009, error < 1.4e-4); past the mean φ = log10(1 + e^a) is computed as
 *      (a + ln(1 + e^-a)) / ln 10, so a long silence gives a large finite φ, not Infinity.
 *   3. The host (swim-node.ts) claims a member suspect once φ > threshold; Lifeguard's
 *      suspicion timer then runs as for a failed probe (confirmations, refutation).
 *
 * Erlang mapping: none (OTP's net_kernel uses a fixed tick); Akka's
 * PhiAccrualFailureDetector and Cassandra's gossiper use the same model.
 */

/** The detector's parameters, in milliseconds (options.ts takes them in seconds). */
export interface PhiAccrualConfig {
  readonly threshold: number;
  readonly maxSampleSize: number;
  readonly minStdDeviationMs: number;
  readonly acceptableHeartbeatPauseMs: number;
  /** null: the host gives the estimate when a history starts (swim-node.ts: n · probe interval). */
  readonly firstHeartbeatEstimateMs: number | null;
}

/** φ for a silence of `elapsedMs` under mean `meanMs` and deviation `stdMs` (step 2, already adjusted). */
export function phiOf(elapsedMs: number, meanMs: number, stdMs: number): number {
  const y = (elapsedMs - meanMs) / stdMs;
  const a = y * (1.5976 + 0.070566 * y * y);
  // 1 - F = 1 / (1 + e^a): past the mean in logs; before it close to 1 and φ close to 0.
  if (a > 0) return (a + Math.log1p(Math.exp(-a))) / Math.LN10;
  return Math.log1p(Math.exp(a)) / Math.LN10;
}

/** One member's heartbeat inter-arrival window (step 1). */
export class HeartbeatHistory {
  private readonly window: number[] = [];
  private next = 0;
  private sum = 0;
  private sumSq = 0;
  private last = -1;

  /** `estimateMs`: the first-heartbeat estimate for this member (the config's, or the host's when that is null). */
  constructor(private readonly cfg: PhiAccrualConfig, private readonly estimateMs: number) {}

  /** How many intervals the window holds. */
  get samples(): number {
    return this.window.length;
  }

  get lastAt(): number {
    return this.last;
  }

  get mean(): number {
    return this.window.length === 0 ? 0 : this.sum / this.window.length;
  }

  get stdDeviation(): number {
    const n = this.window.length;
    if (n === 0) return 0;
    const m = this.sum / n;
    return Math.sqrt(Math.max(0, this.sumSq / n - m * m));
  }

  heartbeat(now: number): void {
    if (this.last < 0) {
      const est = this.estimateMs;
      const dev = est / 4;
      this.add(est - dev);
      this.add(est + dev);
    } else {
      this.add(now - this.last);
    }
    this.last = now;
  }

  /** The member is alive after all (it refuted a suspicion): its silence starts again now; no interval is added. */
  restamp(now: number): void {
    if (this.last >= 0) this.last = Math.max(this.last, now);
  }

  /** Step 2 (0 before the first heartbeat: nothing heard, nothing to suspect). */
  phi(now: number): number {
    if (this.last < 0) return 0;
    const mean = this.mean + this.cfg.acceptableHeartbeatPauseMs;
    const std = Math.max(this.stdDeviation, this.cfg.minStdDeviationMs);
    return phiOf(now - this.last, mean, std);
  }

  private add(interval: number): void {
    if (this.window.length < this.cfg.maxSampleSize) {
      this.window.push(interval);
    } else {
      const old = this.window[this.next]!;
      this.sum -= old;
      this.sumSq -= old * old;
      this.window[this.next] = interval;
      this.next = (this.next + 1) % this.cfg.maxSampleSize;
    }
    this.sum += interval;
    this.sumSq += interval * interval;
  }
}
