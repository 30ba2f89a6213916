/**
 * A LocalNode named 'a@h' (creation 1) whose distribution layer talks to a FakeIoHost,
 * plus helpers to play the peer 'b@h': its pids, its ops (encoded as its node thread
 * would: pids by node identity, so this thread's own encoder makes the same bytes).
 */
import { LocalNode } from '../../../src/core/local-node.ts';
import { nodeTable } from '../../../src/core/node-table.ts';
import { Pid } from '../../../src/core/pid.ts';
import type { Context } from '../../../src/core/context.ts';
import { Distribution } from '../../../src/dist/distribution.ts';
import { OpDecoder, OpEncoder } from '../../../src/codec/dist-ops.ts';
import { kInNodeUp } from '../../../src/dist/io-protocol.ts';
import { FakeIoHost, json } from './fake-io-host.ts';

export interface FakeDistNode {
  readonly node: LocalNode;
  readonly io: FakeIoHost;
  readonly dist: Distribution;
  /** Events and gateway messages, in order. */
  readonly seen: unknown[];
  /** A pid of the peer b@h (the given creation, default 5). */
  peerPid(id: number, creation?: number): Pid;
  /** Play the I/O thread: b@h is up on connection `conn`, having offered `flags` (handshake-frames.ts; default none). */
  up(conn?: number, creation?: number, flags?: number): void;
  readonly ops: OpEncoder;
  readonly decode: (payload: Uint8Array) => unknown[];
  /** Wait until `pred` holds for a message the watcher forwarded (`fwd`), bounded; returns it. */
  waitFor(pred: (x: any) => boolean, ms?: number): Promise<any>;
}

export function startFakeDistNode(): FakeDistNode {
  nodeTable.setLocal('a@h', 1);
  const io = new FakeIoHost();
  const dist = new Distribution('a@h', io, process.cwd());
  const node = new LocalNode({}, 'LocalNode', dist);
  const seen: unknown[] = [];
  node.on('message', (m) => seen.push(m));
  node.on('nodeup', (e) => seen.push({ event: 'nodeup', ...e }));
  node.on('nodedown', (e) => seen.push({ event: 'nodedown', ...e }));
  const decoder = new OpDecoder();
  return {
    node,
    io,
    dist,
    seen,
    ops: new OpEncoder(),
    decode: (p) => decoder.decode(p),
    peerPid: (id, creation = 5) => new Pid(nodeTable.intern('b@h', creation), id, 0),
    up: (conn = 3, creation = 5, flags = 0) => io.deliver(kInNodeUp, conn, 0, json({ name: 'b@h', creation, hidden: false, flags })),
    async waitFor(pred, ms = 2000) {
      const end = Date.now() + ms;
      for (;;) {
        const hit = seen.find((x: any) => x !== null && typeof x === 'object' && 'fwd' in x && pred(x.fwd)) as any;
        if (hit !== undefined) return hit.fwd;
        if (Date.now() > end) throw new Error(`not seen within ${ms} ms; seen: ${seen.map((x) => JSON.stringify(x, (_k, v) => (typeof v === 'object' && v !== null && 'node' in v && 'id' in v ? String(v) : v))).join(' ')}`);
        await new Promise((r) => setImmediate(r));
      }
    },
  };
}

/**
 * An actor that links/monitors what it is told to and forwards every other message to the
 * gateway as `{ fwd: msg }` (the gateway itself takes DOWNs as call answers).
 */
export function watcher(gateway: Pid) {
  return {
    handle(msg: any, state: unknown, ctx: Context) {
      if (msg?.cmd === 'link') ctx.link(msg.pid);
      else if (msg?.cmd === 'monitor') ctx.monitor(msg.pid);
      else if (msg?.cmd === 'send') ctx.send(msg.to, msg.msg);
      else if (msg?.cmd === 'monitorNode') ctx.monitorNode(msg.node);
      else ctx.send(gateway, { fwd: msg });
      return state;
    },
  };
}
