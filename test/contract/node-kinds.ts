/**
 * The node kinds the contract suite runs on, and the helpers its tests share.
 *
 * Every contract test is written once against the one Node interface (src/core/node.ts)
 * and run once per node kind:
 *
 *   schedulers: 0   one scheduler on the calling thread (LocalNode)
 *   schedulers: 1   one scheduler worker thread (ThreadedNode)
 *   schedulers: 2   two scheduler worker threads: communicating actors are placed on
 *                   different schedulers (`placeOn`), so messages, signals and calls
 *                   cross threads
 *
 * Use:
 *
 *   describeEachNodeKind('links', (kind) => {
 *     it('...', async () => {
 *       const a = await kind.node.spawn(Probe, [kind.node.pid], kind.placeOn(0));
 *       ...
 *     });
 *   });
 *
 * Each kind gets one node per describe block (started in beforeAll, stopped in afterAll),
 * and its 'message' events (what actors send to `node.pid`) land in `kind.inbox`, emptied
 * before each test. contract-suite.test.ts makes one such block holding every contract
 * (core/*.contract.ts, otp/*.contract.ts), so a node kind is started once for all.
 *
 * SWITCHBOARD_CONTRACT_KINDS=1,2 runs only the listed kinds (e.g. while a kind is being
 * built); by default all three run.
 */
import { afterAll, beforeAll, beforeEach, describe } from 'vitest';
import { startNode } from '../../src/index.ts';
import type { Node, SpawnOptions } from '../../src/index.ts';

export type { Node };

export const kAllNodeKinds: readonly number[] = [0, 1, 2];

/** The kinds to run: all, or those listed in SWITCHBOARD_CONTRACT_KINDS. */
export function selectedNodeKinds(): readonly number[] {
  const env = process.env.SWITCHBOARD_CONTRACT_KINDS;
  if (env === undefined || env.trim() === '') return kAllNodeKinds;
  const picked = env.split(',').map((s) => Number(s.trim()));
  for (const k of picked) {
    if (!kAllNodeKinds.includes(k)) throw new Error(`SWITCHBOARD_CONTRACT_KINDS: unknown node kind ${String(k)} (known: ${kAllNodeKinds.join(', ')})`);
  }
  return picked;
}

/**
 * Messages sent to the embedding thread (`node.pid`), as the node's 'message' events.
 * `next(pred)` waits for the first one, old or new, that `pred` accepts, and takes it out.
 */
export class Inbox {
  private readonly queue: unknown[] = [];
  private readonly waiting: { pred: (m: any) => boolean; resolve: (m: any) => void }[] = [];

  readonly push = (m: unknown): void => {
    const i = this.waiting.findIndex((w) => w.pred(m));
    if (i >= 0) this.waiting.splice(i, 1)[0]!.resolve(m);
    else this.queue.push(m);
  };

  /** Resolves with the first message `pred` accepts (rejects after `deadlineMs`, to name a hang). */
  next<T = any>(pred: (m: any) => boolean, what = 'a message', deadlineMs = 10_000): Promise<T> {
    const i = this.queue.findIndex(pred);
    if (i >= 0) return Promise.resolve(this.queue.splice(i, 1)[0] as T);
    return new Promise<T>((resolve, reject) => {
      const w = {
        pred,
        resolve: (m: T) => {
          clearTimeout(timer);
          resolve(m);
        },
      };
      const timer = setTimeout(() => {
        this.waiting.splice(this.waiting.indexOf(w), 1);
        reject(new Error(`inbox: ${what} did not arrive in ${deadlineMs} ms`));
      }, deadlineMs);
      this.waiting.push(w);
    });
  }

  /** Every message received and not taken yet, in arrival order. */
  pending(): unknown[] {
    return [...this.queue];
  }

  clear(): void {
    this.queue.length = 0;
  }
}

export interface NodeKind {
  /** 0, 1 or 2: the `schedulers` option the node was started with. */
  readonly schedulers: number;
  /** The running node (valid inside the tests of the describe block). */
  readonly node: Node;
  /** What the node's 'message' events delivered. */
  readonly inbox: Inbox;
  /**
   * Spawn options that put an actor on scheduler `i` of the node (modulo its scheduler
   * count); on one scheduler every actor shares it. Pass to `node.spawn`, `ctx.spawn`,
   * a GenServer's `{ spawn }` or a child spec's `options`.
   */
  placeOn(i: number, more?: SpawnOptions): SpawnOptions;
  /** Start another node of this kind (the test stops it). */
  startAnother(): Promise<Node>;
}

/** startNode returns the one Node interface for every `schedulers` value. */
async function startKind(schedulers: number): Promise<Node> {
  return startNode({ schedulers });
}

/** `describe` `body` once per node kind (default: the selected ones), each with its own node. */
export function describeEachNodeKind(title: string, body: (kind: NodeKind) => void, kinds: readonly number[] = selectedNodeKinds()): void {
  for (const schedulers of kinds) {
    describe(`${title} [schedulers: ${schedulers}]`, () => {
      let node: Node | null = null;
      const inbox = new Inbox();
      const kind: NodeKind = {
        schedulers,
        get node(): Node {
          if (node === null) throw new Error('node-kinds: the node is used outside its describe block');
          return node;
        },
        inbox,
        placeOn: (i, more) => ({ ...more, scheduler: i % Math.max(1, schedulers) }),
        startAnother: () => startKind(schedulers),
      };
      beforeAll(async () => {
        node = await startKind(schedulers);
        node.on('message', inbox.push);
      });
      // Each test starts with an empty inbox (what earlier tests left is not its business).
      beforeEach(() => inbox.clear());
      afterAll(async () => {
        const n = node;
        node = null;
        if (n !== null) {
          n.off('message', inbox.push);
          await n.stop();
        }
      });
      body(kind);
    });
  }
}

/** Poll `probe` until `done` accepts its value; the deadline only turns a hang into a failure. */
export async function eventually<T>(probe: () => T | Promise<T>, done: (v: T) => boolean, what: string, deadlineMs = 10_000): Promise<T> {
  const until = Date.now() + deadlineMs;
  for (;;) {
    const v = await probe();
    if (done(v)) return v;
    if (Date.now() > until) throw new Error(`eventually: ${what} not reached in ${deadlineMs} ms`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

/** What `op` failed with, thrown at once or as a rejection (fails the test if it succeeds). */
export async function failureOf(op: () => unknown): Promise<unknown> {
  let r: unknown;
  try {
    r = op();
  } catch (e) {
    return e;
  }
  return rejectionOf(Promise.resolve(r));
}

/** The rejection of `p` (fails the test if it resolves). */
export async function rejectionOf(p: Promise<unknown>): Promise<unknown> {
  return p.then(
    (v) => {
      throw new Error(`expected a rejection, got ${String(v)}`);
    },
    (e: unknown) => e,
  );
}
