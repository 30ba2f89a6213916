/**
 * ReductionCounter: the one per-thread counter that the scheduler and instrumented code
 * (see `src/compiler/`) both decrement.
 *
 * Protocol (all in one thread, no atomics here):
 *   1. Before running an actor, the scheduler sets `left` to the slice budget (default
 *      4000), `overrun` to 0, `limit` to the actor's per-message hard limit, and `kill` to 0.
 *   2. The scheduler spends 1 reduction per message handled, per send, and more per spawn.
 *      Instrumented code spends 1 at every function entry and, at loop back-edges, 32
 *      every 32 iterations (a function-local batch counter `$sbL`, see instrument.ts):
 *          if (--$sbR.left < 0) $sbR.slow();            // function entry
 *          if (--$sbL === 0) { $sbL = 32; if (($sbR.left -= 32) < 0) $sbR.slow(); }
 *                                                         // back-edge
 *          ... if (($sbR.left -= 32) < 0) { if ($sbG) yield $sbR.PREEMPT; else $sbR.slow(); }
 *                                                         // back-edge in a generator body
 *      (`$sbR` is the global `__switchboardReductions` by default: the same object).
 *      where `$sbG = $sbR.claim()` is evaluated once when the generator body starts.
 *   3. `slow()` runs once per `kGrant` reductions of synchronous overrun. It adds the grant
 *      to `overrun` and refills `left`, unless the actor was killed (`kill !== 0`) or has
 *      spent more than `limit` reductions on the current message: then it throws a
 *      `RunawaySignal`, which user `catch` clauses rethrow (the compiler inserts
 *      `$sbR.rethrow(e)` at the top of every catch block).
 *   4. A generator body preempts only if it was claimed: the scheduler sets `claimNext`
 *      right before it first resumes an actor's own generator, and `claim()` consumes it.
 *      A generator started by user code (a `range()` iterated with for-of) does not claim,
 *      so a PREEMPT value never leaks into user iteration; it falls back to `slow()`.
 *      A claimed body that delegates with `yield* helper()` passes its claim on
 *      (`delegate()`), since yield* forwards PREEMPT to the scheduler and resumes the helper.
 *   5. After the actor returns (or yields), the scheduler reads the reductions spent as
 *      `budgetAtStart - left + overrun`.
 *
 * Cost: the fast path is one property decrement and one compare on a monomorphic object.
 */
import { ExitException, errorReason } from './reason.ts';

/** Reductions granted to synchronous code per slow-path call once its slice is spent. */
export const kGrant = 1000;

/**
 * Reductions a send costs: a send (copy, enqueue, later a dequeue) takes about as long as
 * this many counted reductions of plain code, so a slice of sends is no longer than a
 * slice of anything else.
 */
export const kSendReductions = 4;

/** Default per-message hard limit for synchronous code (handlers, helpers). */
export const kDefaultMaxReductionsPerMessage = 50_000_000;

/** Value yielded by a generator actor preempted at a back-edge. */
export const PREEMPT: unique symbol = Symbol.for('switchboard.preempt');

const kRunawayBrand: unique symbol = Symbol.for('switchboard.runawaySignal') as never;

/**
 * Thrown out of instrumented code to end a runaway or killed actor. User catch
 * clauses rethrow it, so `try { while (true) {} } catch {}` still ends.
 */
export class RunawaySignal {
  /** 'runaway': the per-message limit was exceeded; 'kill': an exit signal arrived. */
  readonly cause: 'runaway' | 'kill';
  readonly reductions: number;
  /** Brand shared by every copy of this module in the thread (see hasInstance). */
  readonly [kRunawayBrand] = true;
  constructor(cause: 'runaway' | 'kill', reductions: number) {
    this.cause = cause;
    this.reductions = reductions;
  }
  /**
   * `instanceof` by brand, not by prototype: a bundle, a test runner or a second install
   * may load this module twice in one thread, and a signal thrown by one copy's counter
   * must still be recognised (and rethrown by instrumented catch clauses) by the other.
   */
  static [Symbol.hasInstance](x: unknown): boolean {
    return typeof x === 'object' && x !== null && (x as { [kRunawayBrand]?: unknown })[kRunawayBrand] === true;
  }
}

export class ReductionCounter {
  /** Reductions left before the slow path. */
  left = 0;
  /** Reductions granted past the slice budget (synchronous overrun). */
  overrun = 0;
  /** Reductions spent on the current message before which the limit does not apply. */
  messageStart = 0;
  /** Hard limit on reductions for one message of synchronous code. */
  limit = kDefaultMaxReductionsPerMessage;
  /** Non-zero when the running actor has been killed and must stop at its next back-edge. */
  kill = 0;
  /** Set by the scheduler right before the first resume of an actor's own generator. */
  claimNext = false;
  /** Optional hook polled in the slow path (used by threaded schedulers for shared kill flags). */
  poll: (() => number) | null = null;
  readonly PREEMPT = PREEMPT;
  /** URLs of modules compiled with reduction counting (they add themselves on load). */
  readonly instrumented = new Set<string>();

  /** Total reductions spent since `left` was last set to `budget`. */
  spent(budget: number): number {
    return budget - this.left + this.overrun;
  }

  slow(): void {
    if (this.poll !== null && this.kill === 0) this.kill = this.poll();
    if (this.kill !== 0) throw new RunawaySignal('kill', this.overrun);
    // `messageStart` is the value of (overrun - left) when the current message began.
    const onMessage = this.overrun - this.left - this.messageStart;
    if (onMessage > this.limit) throw new RunawaySignal('runaway', onMessage);
    this.overrun += kGrant;
    this.left += kGrant;
  }

  claim(): boolean {
    const c = this.claimNext;
    this.claimNext = false;
    return c;
  }

  /**
   * `yield* x` in an instrumented generator body (`claimed` is its `$sbG`): pass the claim
   * to x's body, which starts on the `next()` that `yield*` makes right after this returns.
   * Only generator objects get it, so the claim cannot leak to an unrelated iterator; the
   * scheduler clears `claimNext` after every resume in case x is not instrumented.
   */
  delegate<T>(x: T, claimed: boolean): T {
    if (claimed && typeof x === 'object' && x !== null && Object.prototype.toString.call(x) === '[object Generator]') this.claimNext = true;
    return x;
  }

  rethrow(e: unknown): void {
    if (e instanceof RunawaySignal) throw e;
  }

  /** Mark the start of a message: the hard limit counts from here. */
  beginMessage(): void {
    this.messageStart = this.overrun - this.left;
  }
}

declare global {
  // eslint-disable-next-line no-var
  var __switchboardReductions: ReductionCounter | undefined;
}

/** The thread's counter; instrumented modules read `globalThis.__switchboardReductions`. */
export const reductions: ReductionCounter = (globalThis.__switchboardReductions ??= new ReductionCounter());

/**
 * The exit reason of an actor whose slice threw `e`: an exit() carries its reason; a
 * runaway signal is 'killed' (or the kill's reason) or `{ kind: 'runaway', reductions }`;
 * anything else is the error as tagged data (reason.ts).
 */
export function crashReason(actor: { readonly ext: { exitReason: unknown } | null }, e: unknown): unknown {
  if (e instanceof ExitException) return e.reason;
  if (e instanceof RunawaySignal) return e.cause === 'kill' ? (actor.ext?.exitReason ?? 'killed') : Object.freeze({ kind: 'runaway', reductions: e.reductions });
  return errorReason(e);
}
