/**
 * The membership protocol's parameters, given in SECONDS (and counts), validated with
 * core/options.ts and resolved once into milliseconds for the state machine. The defaults
 * are memberlist's LAN profile; README "Clusters" says what each means in seconds.
 *
 * Derived timings (all functions of the number of members n the node knows):
 *   1. retransmits of a claim  = retransmitMult * ceil(log10(n + 1))
 *   2. suspicion minimum (s)   = suspicionMult * max(1, log10(n)) * probeInterval
 *   3. suspicion maximum (s)   = suspicionMaxTimeoutMult * minimum
 *   4. expected confirmations  = suspicionMult - 2 (0 when fewer other members)
 *   5. full-state sync period  = pushPullInterval * (1 + ceil(log2(n / 32))) above 32 members
 *   6. probe interval/timeout are scaled at run time by the local health multiplier
 *      (local-health.ts), up to awarenessMaxMultiplier.
 *   7. phiAccrual (null: off): a member is suspected once the φ of its silence passes
 *      the threshold (phi-accrual.ts), instead of after one failed probe.
 */
import { checkOptions, type OptionCheck } from '../../core/options.ts';
import type { PhiAccrualConfig } from './phi-accrual.ts';

/** The φ-accrual detector's parameters, in seconds (Akka's names). */
export interface PhiAccrualOptions {
  /** Suspect a member once φ exceeds this. Default 8 (Akka's). */
  readonly threshold?: number;
  /** Inter-arrival times kept per member. Default 1000. */
  readonly maxSampleSize?: number;
  /** Floor of the standard deviation, seconds. Default 0.1. */
  readonly minStdDeviationSec?: number;
  /** A silence this much longer than the mean is no news, seconds. Default 1. */
  readonly acceptableHeartbeatPauseSec?: number;
  /**
   * The mean assumed before any interval is known, seconds. Default null: n · probeInterval
   * for n known members (a member's pings and acks reach us about twice per n probe
   * intervals; the estimate errs long, so a young history does not suspect early).
   */
  readonly firstHeartbeatEstimateSec?: number | null;
}

const kPhiDefaults: { [K in keyof PhiAccrualOptions]-?: Exclude<PhiAccrualOptions[K], undefined> } = {
  threshold: 8,
  maxSampleSize: 1000,
  minStdDeviationSec: 0.1,
  acceptableHeartbeatPauseSec: 1,
  firstHeartbeatEstimateSec: null,
};

export interface MembershipOptions {
  /** Seconds between two probes this node starts (SWIM protocol period). Default 1. */
  readonly probeIntervalSec?: number;
  /** Seconds to wait for a direct ack before asking `indirectChecks` members. Default 0.5. */
  readonly probeTimeoutSec?: number;
  /** How many members relay an indirect probe. Default 3. */
  readonly indirectChecks?: number;
  /** Seconds between gossip rounds for claims that found no probe to ride on. Default 0.2. */
  readonly gossipIntervalSec?: number;
  /** Members sent to per gossip round. Default 3. */
  readonly gossipNodes?: number;
  /** Seconds during which a newly dead member is still gossiped to. Default 30. */
  readonly gossipToTheDeadSec?: number;
  /** Retransmit multiplier λ: a claim is sent λ·ceil(log10(n+1)) times. Default 4. */
  readonly retransmitMult?: number;
  /** Suspicion multiplier: minimum suspicion = mult·log10(n)·probeInterval. Default 4. */
  readonly suspicionMult?: number;
  /** Maximum suspicion (no confirmations) = this · minimum. Default 6. */
  readonly suspicionMaxTimeoutMult?: number;
  /** Lifeguard: the probe interval and timeout grow up to this factor when unhealthy. Default 8. */
  readonly awarenessMaxMultiplier?: number;
  /** Seconds between full-state syncs with one random member (scaled above 32). Default 30. */
  readonly pushPullIntervalSec?: number;
  /** Seconds between attempts to sync with one random dead member (heals partitions). Default 10. */
  readonly reconnectIntervalSec?: number;
  /** Seconds a dead or left member is remembered before it is reaped. Default 3600. */
  readonly deadRetentionSec?: number;
  /** Claims piggybacked on one message at most (a datagram's worth). Default 20. */
  readonly maxClaimsPerMessage?: number;
  /**
   * φ-accrual failure detection (derived timing 7): `{}` for Akka's defaults, or some of
   * them; null or absent: a failed probe suspects at once (SWIM + Lifeguard only).
   */
  readonly phiAccrual?: PhiAccrualOptions | null;
}

/** The resolved configuration, in milliseconds. */
export interface MembershipConfig {
  readonly probeIntervalMs: number;
  readonly probeTimeoutMs: number;
  readonly indirectChecks: number;
  readonly gossipIntervalMs: number;
  readonly gossipNodes: number;
  readonly gossipToTheDeadMs: number;
  readonly retransmitMult: number;
  readonly suspicionMult: number;
  readonly suspicionMaxTimeoutMult: number;
  readonly awarenessMaxMultiplier: number;
  readonly pushPullIntervalMs: number;
  readonly reconnectIntervalMs: number;
  readonly deadRetentionMs: number;
  readonly maxClaimsPerMessage: number;
  readonly phiAccrual: PhiAccrualConfig | null;
}

const mustBePositiveSeconds: OptionCheck = (v) =>
  typeof v === 'number' && v > 0 && Number.isFinite(v) ? null : 'must be a positive finite number of seconds';
const mustBeCount = (min: number): OptionCheck => (v) =>
  Number.isInteger(v) && (v as number) >= min ? null : `must be an integer >= ${min}`;

const kPhiChecks: Readonly<Record<keyof PhiAccrualOptions, OptionCheck>> = {
  threshold: (v) => (typeof v === 'number' && v > 0 && Number.isFinite(v) ? null : 'must be a positive finite number'),
  maxSampleSize: mustBeCount(1),
  minStdDeviationSec: mustBePositiveSeconds,
  acceptableHeartbeatPauseSec: (v) => (typeof v === 'number' && v >= 0 && Number.isFinite(v) ? null : 'must be a finite number of seconds >= 0'),
  firstHeartbeatEstimateSec: (v) => (v === null ? null : mustBePositiveSeconds(v)),
};

const kChecks = {
  probeIntervalSec: mustBePositiveSeconds,
  probeTimeoutSec: mustBePositiveSeconds,
  indirectChecks: mustBeCount(0),
  gossipIntervalSec: mustBePositiveSeconds,
  gossipNodes: mustBeCount(0),
  gossipToTheDeadSec: mustBePositiveSeconds,
  retransmitMult: mustBeCount(1),
  suspicionMult: mustBeCount(1),
  suspicionMaxTimeoutMult: mustBeCount(1),
  awarenessMaxMultiplier: mustBeCount(1),
  pushPullIntervalSec: mustBePositiveSeconds,
  reconnectIntervalSec: mustBePositiveSeconds,
  deadRetentionSec: mustBePositiveSeconds,
  maxClaimsPerMessage: mustBeCount(1),
  phiAccrual: (v: unknown): string | null => {
    if (v === null) return null;
    if (typeof v !== 'object' || Array.isArray(v)) return 'must be null or { threshold?, maxSampleSize?, minStdDeviationSec?, acceptableHeartbeatPauseSec?, firstHeartbeatEstimateSec? }';
    const o = v as Record<string, unknown>;
    for (const k of Object.keys(o)) if (!Object.hasOwn(kPhiChecks, k)) return `has an unknown field "${k}"`;
    for (const [k, check] of Object.entries(kPhiChecks)) {
      if (o[k] === undefined) continue;
      const err = check(o[k]);
      if (err !== null) return `.${k} ${err}`;
    }
    return null;
  },
} as const;

/** memberlist's LAN defaults, in seconds. */
export const kLanDefaults: Required<MembershipOptions> = {
  probeIntervalSec: 1,
  probeTimeoutSec: 0.5,
  indirectChecks: 3,
  gossipIntervalSec: 0.2,
  gossipNodes: 3,
  gossipToTheDeadSec: 30,
  retransmitMult: 4,
  suspicionMult: 4,
  suspicionMaxTimeoutMult: 6,
  awarenessMaxMultiplier: 8,
  pushPullIntervalSec: 30,
  reconnectIntervalSec: 10,
  deadRetentionSec: 3600,
  maxClaimsPerMessage: 20,
  phiAccrual: null,
};

/**
 * Validate `opts` (for `api`, used in the error messages) and resolve them to milliseconds.
 * @throws InvalidOptionError for an unknown option, a bad value, or a probe timeout that is
 * not shorter than the probe interval.
 */
export function resolveMembershipOptions(api: string, opts?: MembershipOptions): MembershipConfig {
  checkOptions(api, kChecks, opts);
  const o = { ...kLanDefaults };
  for (const [k, v] of Object.entries(opts ?? {})) if (v !== undefined) (o as Record<string, unknown>)[k] = v;
  if (o.probeTimeoutSec >= o.probeIntervalSec) {
    checkOptions(api, { probeTimeoutSec: () => 'must be shorter than probeIntervalSec' }, { probeTimeoutSec: o.probeTimeoutSec });
  }
  const ms = (s: number): number => Math.round(s * 1000);
  return {
    probeIntervalMs: ms(o.probeIntervalSec),
    probeTimeoutMs: ms(o.probeTimeoutSec),
    indirectChecks: o.indirectChecks,
    gossipIntervalMs: ms(o.gossipIntervalSec),
    gossipNodes: o.gossipNodes,
    gossipToTheDeadMs: ms(o.gossipToTheDeadSec),
    retransmitMult: o.retransmitMult,
    suspicionMult: o.suspicionMult,
    suspicionMaxTimeoutMult: o.suspicionMaxTimeoutMult,
    awarenessMaxMultiplier: o.awarenessMaxMultiplier,
    pushPullIntervalMs: ms(o.pushPullIntervalSec),
    reconnectIntervalMs: ms(o.reconnectIntervalSec),
    deadRetentionMs: ms(o.deadRetentionSec),
    maxClaimsPerMessage: o.maxClaimsPerMessage,
    phiAccrual: o.phiAccrual === null ? null : resolvePhi(o.phiAccrual),
  };
}

function resolvePhi(p: PhiAccrualOptions): PhiAccrualConfig {
  const o = { ...kPhiDefaults };
  for (const [k, v] of Object.entries(p)) if (v !== undefined) (o as Record<string, unknown>)[k] = v;
  const ms = (s: number): number => s * 1000;
  return {
    threshold: o.threshold,
    maxSampleSize: o.maxSampleSize,
    minStdDeviationMs: ms(o.minStdDeviationSec),
    acceptableHeartbeatPauseMs: ms(o.acceptableHeartbeatPauseSec),
    firstHeartbeatEstimateMs: o.firstHeartbeatEstimateSec === null ? null : ms(o.firstHeartbeatEstimateSec),
  };
}

/** Derived timing 1: how many times one claim is piggybacked, for n known members. */
export function retransmitLimit(cfg: MembershipConfig, n: number): number {
  return cfg.retransmitMult * Math.ceil(Math.log10(n + 1));
}

/** Derived timings 2-4: the suspicion window for n known members, in milliseconds. */
export function suspicionWindow(cfg: MembershipConfig, n: number): { minMs: number; maxMs: number; expectedConfirmations: number } {
  const minMs = cfg.suspicionMult * Math.max(1, Math.log10(Math.max(1, n))) * cfg.probeIntervalMs;
  const maxMs = cfg.suspicionMaxTimeoutMult * minMs;
  // The suspect and the suspector cannot confirm: fewer others than k -> no confirmations.
  const k = cfg.suspicionMult - 2;
  return { minMs, maxMs, expectedConfirmations: n - 2 < k ? 0 : Math.max(0, k) };
}

/** Derived timing 5: the full-state sync period for n known members, in milliseconds. */
export function pushPullPeriod(cfg: MembershipConfig, n: number): number {
  if (n <= 32) return cfg.pushPullIntervalMs;
  return cfg.pushPullIntervalMs * (1 + Math.ceil(Math.log2(n) - Math.log2(32)));
}
