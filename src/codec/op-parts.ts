/**
 * Op parts: large binaries of a message carried out of band, beside the op's codec bytes
 * instead of inside them, so a 200 MiB Uint8Array costs one copy on the sending node
 * thread (the copy every send makes: the receiver gets its own bytes, the sender's view
 * stays as it was) and none on the receiving one (its message holds views into the
 * payload's buffer, which the I/O thread reassembled and transferred).
 *
 * Which binaries: ArrayBuffer views (typed arrays, DataView, Buffer) of at least
 * kOutOfBandBytes that are the message itself, or a value of a plain object or array in
 * it at most kScanDepth levels down (the first kScanKeys keys of each). Deeper ones, and
 * those inside Maps, Sets or class instances, stay inside the codec bytes (they still
 * arrive, only with the codec's copies). A getter on a scanned plain object runs twice
 * (once here, once in the encoder).
 *
 * Protocol
 *   Sending (PartsPlanner.plan, then layoutParts):
 *     1. Scan the message; none found: the op is encoded as always (dist-ops.ts).
 *     2. Found: a copy of each container on the path to a part, with null in its place
 *        (the caller's message is not changed), and the part's path and length.
 *     3. The op with that message, and the spec, are encoded as one codec value
 *        [op, spec]; spec = [count, then per part: pathLength, key..., viewKind, bytes]
 *        (viewKind: the codec's kViewKinds index).
 *     4. One buffer of the whole payload (below) is allocated, the codec bytes and each
 *        part's bytes copied in; it is handed to the I/O link, which transfers it.
 *   Receiving (OpDecoder.decode sees the tag byte):
 *     5. Decode [op, spec]; the op must be a send or a named send; each part's bytes are
 *        at the next 8-byte boundary after the previous one's end; the last ends the payload.
 *     6. A view of each part's kind is put at its path: over the payload's own buffer when
 *        the payload covers all of a non-shared ArrayBuffer (the message then owns it;
 *        its views share that buffer, at their offsets), else over a copy of the part.
 *
 * Payload (u32 little-endian):
 *
 *    0       1       4         8                 8+opLen       P = align8(8+opLen)
 *    +-------+-------+---------+-----------------+-------------+----------+-----+---------+
 *    | 0x3e  | 0 0 0 | opLen   | codec [op,spec] | pad to 8    | part 0   | pad | part 1..|
 *    +-------+-------+---------+-----------------+-------------+----------+-----+---------+
 *
 * 0x3e is not a tag the codec starts a value with (wire-format.ts leaves 0x1b..0x3f
 * unused), and a plain op always starts with kArray, so one byte tells the two apart.
 *
 * Erlang: binaries over 64 bytes are reference-counted off-heap there and never copied
 * by a send; a JS view is mutable, so one copy at the send is what keeps a message a copy.
 */
import { BadArgError } from '../core/errors.ts';
import type { Pid } from '../core/pid.ts';
import { viewKindName } from '../core/sendable.ts';
import { kViewKindByName, kViewKinds } from './wire-format.ts';

export const kPartsTag = 0x3e;
/** Views at least this long go out of band. */
export const kOutOfBandBytes = 64 * 1024;
/** How deep into plain objects and arrays the scan looks (1 = the message's own fields). */
export const kScanDepth = 2;
/** Keys of one container the scan looks at. */
export const kScanKeys = 32;
export const kPartsHeaderBytes = 8;

/**
 * An Inbound (core/router.ts) that can take a send's or named send's whole parts payload
 * for `to` (the pid, or the name's owner here) and hand it on without decoding it again (a
 * ThreadedNode's gateway: the owner's thread decodes it). False: not taken, deliver the
 * decoded op as usual.
 */
export interface PayloadInbound {
  deliverPayload(to: Pid, payload: Uint8Array): boolean;
}

const hasOwn = Object.prototype.hasOwnProperty;
const align8 = (n: number): number => (n + 7) & ~7;

function isContainer(v: unknown): v is Record<string | number, unknown> {
  if (typeof v !== 'object' || v === null) return false;
  const proto = Object.getPrototypeOf(v) as unknown;
  return proto === Object.prototype || proto === null || proto === Array.prototype;
}

function bigView(v: unknown): v is ArrayBufferView {
  return typeof v === 'object' && v !== null && ArrayBuffer.isView(v) && v.byteLength >= kOutOfBandBytes;
}

function shallowCopy(c: Record<string | number, unknown>): Record<string | number, unknown> {
  if (Array.isArray(c)) return c.slice() as unknown as Record<number, unknown>;
  return Object.getPrototypeOf(c) === null ? Object.assign(Object.create(null) as Record<string, unknown>, c) : { ...c };
}

/** Finds the parts of one message at a time (one per encoder; not reentrant). */
export class PartsPlanner {
  /** After plan() returned true: the message with nulls at the parts, the parts, the spec. */
  msg: unknown = null;
  readonly views: ArrayBufferView[] = [];
  readonly spec: unknown[] = [];
  private readonly path: (string | number)[] = [];

  /**
   * Steps 1-2; false (the fast path, nothing allocated) when the message has no part. After
   * true, the caller uses msg / views / spec and then calls clear().
   */
  plan(msg: unknown): boolean {
    if (typeof msg !== 'object' || msg === null) return false;
    if (bigView(msg)) {
      if (!this.record(msg)) return false;
      this.msg = null;
      return true;
    }
    if (!isContainer(msg)) return false;
    const out = this.scan(msg, 1);
    if (this.views.length === 0) return false;
    this.msg = out;
    return true;
  }

  /** Drop the references of the last plan. */
  clear(): void {
    this.msg = null;
    this.views.length = 0;
    this.spec.length = 0;
    this.path.length = 0;
  }

  private scan(c: Record<string | number, unknown>, depth: number): Record<string | number, unknown> {
    let copy: Record<string | number, unknown> | null = null;
    let seen = 0;
    if (Array.isArray(c)) {
      const n = c.length < kScanKeys ? c.length : kScanKeys;
      for (let i = 0; i < n; i++) copy = this.visit(c, copy, i, c[i], depth);
      return copy ?? c;
    }
    for (const k in c) {
      if (++seen > kScanKeys) break;
      const v = c[k];
      // Primitives (most fields of most messages) are passed over before any other check.
      if (typeof v !== 'object' || v === null || !hasOwn.call(c, k)) continue;
      copy = this.visit(c, copy, k, v, depth);
    }
    return copy ?? c;
  }

  private visit(c: Record<string | number, unknown>, copy: Record<string | number, unknown> | null, k: string | number, v: unknown, depth: number): Record<string | number, unknown> | null {
    if (typeof v !== 'object' || v === null) return copy;
    if (bigView(v)) {
      this.path.push(k);
      const ok = this.record(v);
      this.path.pop();
      if (!ok) return copy;
      copy ??= shallowCopy(c);
      copy[k] = null;
      return copy;
    }
    if (depth >= kScanDepth || !isContainer(v)) return copy;
    this.path.push(k);
    const inner = this.scan(v, depth + 1);
    this.path.pop();
    if (inner === v) return copy;
    copy ??= shallowCopy(c);
    copy[k] = inner;
    return copy;
  }

  /** Add `v` at the current path to the spec (false: a view kind the codec does not know). */
  private record(v: ArrayBufferView): boolean {
    const kind = kViewKindByName.get(viewKindName(v, Object.getPrototypeOf(v) as object) ?? '');
    if (kind === undefined) return false;
    const spec = this.spec;
    if (this.views.length === 0) {
      spec.length = 0;
      spec.push(0);
    }
    spec.push(this.path.length);
    for (const k of this.path) spec.push(k);
    spec.push(kind, v.byteLength);
    spec[0] = (spec[0] as number) + 1;
    this.views.push(v);
    return true;
  }
}

/** Step 4: the payload of codec bytes `op[0, opLen)` and the planned parts. */
export function layoutParts(op: Uint8Array, opLen: number, views: readonly ArrayBufferView[]): Uint8Array {
  let total = kPartsHeaderBytes + opLen;
  for (const v of views) total = align8(total) + v.byteLength;
  const out = Buffer.allocUnsafeSlow(total);
  out[0] = kPartsTag;
  out[1] = out[2] = out[3] = 0;
  out.writeUInt32LE(opLen, 4);
  out.set(op.subarray(0, opLen), kPartsHeaderBytes);
  let at = kPartsHeaderBytes + opLen;
  for (const v of views) {
    const start = align8(at);
    out.fill(0, at, start);
    out.set(new Uint8Array(v.buffer, v.byteOffset, v.byteLength), start);
    at = start + v.byteLength;
  }
  return new Uint8Array(out.buffer, 0, total);
}

type ViewCtor = new (buffer: ArrayBuffer, byteOffset: number, length: number) => ArrayBufferView;
const kCtors: Record<string, ViewCtor> = {
  Int8Array, Uint8Array, Uint8ClampedArray, Int16Array, Uint16Array, Int32Array, Uint32Array, Float32Array, Float64Array,
  BigInt64Array, BigUint64Array, DataView,
} as unknown as Record<string, ViewCtor>;

/** The codec bytes of a parts payload (step 5): where they are. */
export function partsOpRange(bytes: Uint8Array, offset: number, length: number): { at: number; len: number } {
  if (length < kPartsHeaderBytes) throw new BadArgError('dist op parts: a payload shorter than its header');
  const len = (bytes[offset + 4]! | (bytes[offset + 5]! << 8) | (bytes[offset + 6]! << 16) | (bytes[offset + 7]! << 24)) >>> 0;
  if (kPartsHeaderBytes + len > length) throw new BadArgError(`dist op parts: codec bytes of ${len} past the payload's ${length}`);
  return { at: offset + kPartsHeaderBytes, len };
}

/**
 * Steps 5-6: put each part of `spec` into `op` (decoded from the same payload; its message
 * at op[msgIndex]).
 * @throws BadArgError for a spec that does not fit the payload or the message.
 */
export function fillParts(op: unknown[], msgIndex: number, spec: unknown, bytes: Uint8Array, offset: number, length: number, opLen: number): void {
  if (!Array.isArray(spec) || typeof spec[0] !== 'number' || !(spec[0] >= 1)) throw new BadArgError('dist op parts: a malformed spec');
  const owned = offset === 0 && length === bytes.length && bytes.byteOffset === 0 && !(bytes.buffer instanceof SharedArrayBuffer)
    && bytes.byteLength === bytes.buffer.byteLength;
  let at = kPartsHeaderBytes + opLen;
  let s = 1;
  for (let p = 0, count = spec[0]; p < count; p++) {
    const depth = spec[s++];
    if (typeof depth !== 'number' || !Number.isInteger(depth) || depth < 0 || depth > kScanDepth || s + depth + 2 > spec.length) {
      throw new BadArgError('dist op parts: a malformed path');
    }
    const pathAt = s;
    s += depth;
    const kindName = kViewKinds[spec[s++] as number];
    const n = spec[s++];
    if (kindName === undefined || typeof n !== 'number' || !Number.isInteger(n) || n < 0) throw new BadArgError('dist op parts: a malformed part');
    const start = align8(at);
    if (start + n > length) throw new BadArgError(`dist op parts: part ${p} of ${n} bytes past the payload's ${length}`);
    const ab = owned ? (bytes.buffer as ArrayBuffer) : (bytes.slice(offset + start, offset + start + n).buffer as ArrayBuffer);
    const base = owned ? start : 0;
    let view: ArrayBufferView;
    if (kindName === 'Buffer') view = Buffer.from(ab, base, n);
    else {
      const unit = kindName === 'DataView' ? 1 : (kCtors[kindName] as unknown as { BYTES_PER_ELEMENT: number }).BYTES_PER_ELEMENT;
      if (n % unit !== 0) throw new BadArgError(`dist op parts: ${n} bytes is not a whole ${kindName}`);
      view = new kCtors[kindName]!(ab, base, n / unit);
    }
    place(op, msgIndex, spec, pathAt, depth, view);
    at = start + n;
  }
  if (at !== length || s !== spec.length) throw new BadArgError('dist op parts: the parts do not end the payload');
}

function place(op: unknown[], msgIndex: number, spec: unknown[], pathAt: number, depth: number, view: ArrayBufferView): void {
  if (depth === 0) {
    if (op[msgIndex] !== null) throw new BadArgError('dist op parts: no hole for a part');
    op[msgIndex] = view;
    return;
  }
  let c = op[msgIndex] as Record<string | number, unknown> | null;
  for (let i = 0; i < depth; i++) {
    const k = spec[pathAt + i];
    if (typeof c !== 'object' || c === null || ArrayBuffer.isView(c) || (typeof k !== 'string' && typeof k !== 'number')) {
      throw new BadArgError('dist op parts: a path that is not in the message');
    }
    if (i === depth - 1) {
      if (c[k] !== null) throw new BadArgError('dist op parts: no hole for a part');
      c[k] = view;
      return;
    }
    c = c[k] as Record<string | number, unknown> | null;
  }
}
