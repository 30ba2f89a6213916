/**
 * Distribution ops: the process-level signals one node sends another, as the payload of
 * a channel message (channel-frames.ts). Each op is one array encoded with the message
 * codec, pids and refs naming their node by identity (`nodeIdentityHooks`), so the
 * receiver interns them into its own node table:
 *
 *   op               payload (one codec array)                       Erlang
 *   ---------------------------------------------------------------------------------
 *   kOpSend          [1, to, msg]                                     SEND
 *   kOpRegSend       [2, from, name, msg]                             REG_SEND
 *   kOpExit          [3, to, from, reason, viaLink]                   EXIT / EXIT2
 *   kOpLink          [4, to, from]                                    LINK
 *   kOpUnlink        [5, to, from]                                    UNLINK
 *   kOpMonitor       [6, to, watcher, ref]                            MONITOR_P
 *   kOpDemonitor     [7, to, ref]                                     DEMONITOR_P
 *   kOpDown          [8, to, ref, pid, reason]                        MONITOR_P_EXIT
 *   kOpSpawnRequest  [9, from, ref, module, export, args, link]       SPAWN_REQUEST
 *   kOpSpawnReply    [10, to, ref, pid | null, error | null, link]   SPAWN_REPLY
 *   kOpMonitorName   [11, watcher, ref, name]                         MONITOR_P (by name)
 *
 * Every op travels on the stream of its destination process (`to`, `watcher`; a name's
 * stream for REG_SEND, the requester's for a spawn request), so between one pair of
 * processes signals keep their order, messages and exits alike, as Erlang guarantees;
 * a large message to one process never holds back traffic to another.
 *
 * Encoding is on the sender's thread (an unsendable message throws UnsendableError to the
 * sender, as a local send's copy does); the I/O thread only frames the bytes.
 *
 * A send or named send whose message holds a large binary (op-parts.ts) is the payload of
 * op-parts.ts instead: [op, spec] in the codec, the binaries' bytes after it, copied once;
 * OpDecoder.decode takes either form.
 */
import { MessageDecoder } from './decoder.ts';
import { MessageEncoder } from './encoder.ts';
import { nodeIdentityHooks } from './node-hooks.ts';
import { BadArgError } from '../core/errors.ts';
import { Pid, Ref } from '../core/pid.ts';
import { PartsPlanner, fillParts, kPartsTag, layoutParts, partsOpRange } from './op-parts.ts';

/**
 * The largest op payload carried inline on the node <-> I/O link (dist/io-protocol.ts
 * re-exports it for the link); a larger one goes out of line (kOutLarge / kInLarge).
 */
export const kMaxInlinePayload = 64 * 1024;

export const kOpSend = 1;
export const kOpRegSend = 2;
export const kOpExit = 3;
export const kOpLink = 4;
export const kOpUnlink = 5;
export const kOpMonitor = 6;
export const kOpDemonitor = 7;
export const kOpDown = 8;
export const kOpSpawnRequest = 9;
export const kOpSpawnReply = 10;
export const kOpMonitorName = 11;
const kLastOp = kOpMonitorName;

/** Stream of a registered name (hashed, FNV-1a; the high bit set so it never equals a pid id's stream by accident). */
export function nameStream(name: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < name.length; i++) h = Math.imul(h ^ name.charCodeAt(i), 0x01000193);
  return (h | 0x80000000) >>> 0;
}

/**
 * Encodes ops into fresh byte arrays (one encoder per node thread; not reentrant). Each op
 * has its own preallocated array, filled, encoded and cleared: nothing is allocated per
 * op but its bytes. A transient encoder (`new OpEncoder(true)`, the node transport's: it
 * copies every op into the I/O link's ring at once) returns a view of its scratch buffer
 * instead, valid until its next op (`isScratch` tells such a view apart): no allocation per
 * op at all. A parts payload (op-parts.ts) is always a fresh buffer. An encoder made with
 * `outOfBand` false never makes one: large binaries stay inside the codec bytes (for a
 * peer that did not offer kFlagOutOfBand, dist/handshake-frames.ts).
 */
export class OpEncoder {
  private readonly encoder = new MessageEncoder(4096, nodeIdentityHooks());
  private readonly parts = new PartsPlanner();
  private readonly withSpec: unknown[] = [null, null];
  private readonly transient: boolean;
  private readonly outOfBand: boolean;

  constructor(transient = false, outOfBand = true) {
    this.transient = transient;
    this.outOfBand = outOfBand;
  }

  /** Is `bytes` a view of this encoder's scratch buffer (a transient op, valid until the next)? */
  isScratch(bytes: Uint8Array): boolean {
    return bytes.buffer === this.encoder.scratch.buffer;
  }
  private readonly a3: unknown[] = [0, null, null];
  private readonly a4: unknown[] = [0, null, null, null];
  private readonly a5: unknown[] = [0, null, null, null, null];
  private readonly a6: unknown[] = [0, null, null, null, null, null];
  private readonly a7: unknown[] = [0, null, null, null, null, null, null];

  send(to: Pid, msg: unknown): Uint8Array {
    if (this.outOfBand && this.parts.plan(msg)) return this.runParts(this.fill3(kOpSend, to, this.parts.msg));
    return this.run(this.fill3(kOpSend, to, msg));
  }
  regSend(from: Pid, name: string, msg: unknown): Uint8Array {
    const planned = this.outOfBand && this.parts.plan(msg);
    const a = this.a4;
    a[0] = kOpRegSend; a[1] = from; a[2] = name; a[3] = planned ? this.parts.msg : msg;
    return planned ? this.runParts(a) : this.run(a);
  }
  exit(to: Pid, from: Pid, reason: unknown, viaLink: boolean): Uint8Array {
    const a = this.a5;
    a[0] = kOpExit; a[1] = to; a[2] = from; a[3] = reason; a[4] = viaLink;
    return this.run(a);
  }
  link(to: Pid, from: Pid): Uint8Array {
    return this.run(this.fill3(kOpLink, to, from));
  }
  unlink(to: Pid, from: Pid): Uint8Array {
    return this.run(this.fill3(kOpUnlink, to, from));
  }
  monitor(to: Pid, watcher: Pid, ref: Ref): Uint8Array {
    const a = this.a4;
    a[0] = kOpMonitor; a[1] = to; a[2] = watcher; a[3] = ref;
    return this.run(a);
  }
  demonitor(to: Pid, ref: Ref): Uint8Array {
    return this.run(this.fill3(kOpDemonitor, to, ref));
  }
  down(to: Pid, ref: Ref, pid: Pid, reason: unknown): Uint8Array {
    const a = this.a5;
    a[0] = kOpDown; a[1] = to; a[2] = ref; a[3] = pid; a[4] = reason;
    return this.run(a);
  }
  spawnRequest(from: Pid, ref: Ref, module: string, exportName: string, args: readonly unknown[], link: boolean): Uint8Array {
    const a = this.a7;
    a[0] = kOpSpawnRequest; a[1] = from; a[2] = ref; a[3] = module; a[4] = exportName; a[5] = args; a[6] = link;
    return this.run(a);
  }
  spawnReply(to: Pid, ref: Ref, pid: Pid | null, error: unknown, link: boolean): Uint8Array {
    const a = this.a6;
    a[0] = kOpSpawnReply; a[1] = to; a[2] = ref; a[3] = pid; a[4] = error; a[5] = link;
    return this.run(a);
  }

  monitorName(watcher: Pid, ref: Ref, name: string): Uint8Array {
    const a = this.a4;
    a[0] = kOpMonitorName; a[1] = watcher; a[2] = ref; a[3] = name;
    return this.run(a);
  }

  private fill3(code: number, x: unknown, y: unknown): unknown[] {
    const a = this.a3;
    a[0] = code; a[1] = x; a[2] = y;
    return a;
  }

  /** op-parts.ts steps 3-4: [op, spec] encoded, then the parts' bytes after it. */
  private runParts(a: unknown[]): Uint8Array {
    const w = this.withSpec;
    w[0] = a;
    w[1] = this.parts.spec;
    try {
      const n = this.encoder.encodeToScratch(w, 'msg');
      return layoutParts(this.encoder.scratch, n, this.parts.views);
    } finally {
      w[0] = w[1] = null;
      this.parts.clear();
      for (let i = 1; i < a.length; i++) a[i] = null;
    }
  }

  private run(a: unknown[]): Uint8Array {
    try {
      const n = this.encoder.encodeToScratch(a, 'msg');
      // A large op is copied even when transient: the link transfers a buffer it owns whole.
      return this.transient && n <= kMaxInlinePayload ? this.encoder.scratch.subarray(0, n) : this.encoder.scratch.slice(0, n);
    } finally {
      for (let i = 1; i < a.length; i++) a[i] = null;
    }
  }
}

/** Decodes op payloads (interning every node identity into this thread's node table). */
export class OpDecoder {
  private readonly decoder = new MessageDecoder(nodeIdentityHooks());

  /**
   * The op array, checked for shape (code known, pids and refs where the op has them).
   * @throws BadArgError for bytes that are not an op (the connection is then closed).
   */
  decode(bytes: Uint8Array, offset = 0, length = bytes.length - offset): unknown[] {
    if (length > 0 && bytes[offset] === kPartsTag) return this.decodeParts(bytes, offset, length);
    return checkOp(this.decoder.decode(bytes, offset, length));
  }

  /** op-parts.ts steps 5-6. */
  private decodeParts(bytes: Uint8Array, offset: number, length: number): unknown[] {
    const r = partsOpRange(bytes, offset, length);
    const pair = this.decoder.decode(bytes, r.at, r.len);
    if (!Array.isArray(pair) || pair.length !== 2) throw new BadArgError('dist op parts: not an [op, spec] pair');
    const op = checkOp(pair[0]);
    if (op[0] !== kOpSend && op[0] !== kOpRegSend) throw new BadArgError(`dist op ${String(op[0])}: parts on an op that has no message`);
    fillParts(op, op[0] === kOpSend ? 2 : 3, pair[1], bytes, offset, length, r.len);
    return op;
  }
}

function checkOp(v: unknown): unknown[] {
  if (!Array.isArray(v) || typeof v[0] !== 'number' || v[0] < 1 || v[0] > kLastOp || !Number.isInteger(v[0])) {
    throw new BadArgError('dist op: not an op array');
  }
  if (!shapeOk(v)) throw new BadArgError(`dist op ${v[0]}: malformed fields`);
  return v;
}

function shapeOk(v: unknown[]): boolean {
  switch (v[0]) {
    case kOpSend:
      return v.length === 3 && v[1] instanceof Pid;
    case kOpRegSend:
      return v.length === 4 && v[1] instanceof Pid && typeof v[2] === 'string';
    case kOpExit:
      return v.length === 5 && v[1] instanceof Pid && v[2] instanceof Pid && typeof v[4] === 'boolean';
    case kOpLink:
    case kOpUnlink:
      return v.length === 3 && v[1] instanceof Pid && v[2] instanceof Pid;
    case kOpMonitor:
      return v.length === 4 && v[1] instanceof Pid && v[2] instanceof Pid && v[3] instanceof Ref;
    case kOpDemonitor:
      return v.length === 3 && v[1] instanceof Pid && v[2] instanceof Ref;
    case kOpDown:
      return v.length === 5 && v[1] instanceof Pid && v[2] instanceof Ref && v[3] instanceof Pid;
    case kOpSpawnRequest:
      return v.length === 7 && v[1] instanceof Pid && v[2] instanceof Ref && typeof v[3] === 'string' && typeof v[4] === 'string' && Array.isArray(v[5]) && typeof v[6] === 'boolean';
    case kOpSpawnReply:
      return v.length === 6 && v[1] instanceof Pid && v[2] instanceof Ref && (v[3] === null || v[3] instanceof Pid) && typeof v[5] === 'boolean';
    case kOpMonitorName:
      return v.length === 4 && v[1] instanceof Pid && v[2] instanceof Ref && typeof v[3] === 'string';
    default:
      return false;
  }
}
