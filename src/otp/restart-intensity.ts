/**
 * Restart intensity: at most `intensity` restarts within any `period` seconds (a sliding
 * window, as OTP's supervisor). One more restart than that, and the supervisor gives up:
 * it shuts its children down and exits with `{ kind: 'shutdown', reason:
 * 'reached_max_restart_intensity' }`, so its own supervisor sees it fail.
 *
 *   1. `add(now)` records a restart at time `now` (ms).
 *   2. Restarts older than `now - period` fall out of the window.
 *   3. It returns false when the window holds more than `intensity` restarts.
 */
export class RestartIntensity {
  private readonly times: number[] = [];
  readonly intensity: number;
  readonly periodMs: number;
  constructor(intensity: number, periodSeconds: number) {
    this.intensity = intensity;
    this.periodMs = periodSeconds * 1000;
  }

  add(now: number): boolean {
    const t = this.times;
    t.push(now);
    const oldest = now - this.periodMs;
    while (t.length > 0 && t[0]! <= oldest) t.shift();
    return t.length <= this.intensity;
  }

  /** Restarts inside the window now. */
  count(now: number): number {
    const oldest = now - this.periodMs;
    let n = 0;
    for (const x of this.times) if (x > oldest) n++;
    return n;
  }
}
