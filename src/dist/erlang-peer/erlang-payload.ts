/**
 * The bytes of one Erlang distribution message as they cross between the I/O thread and
 * the node thread (io-protocol.ts kInMessage / kOutMessage payloads of an Erlang peer's
 * connection). The I/O thread never decodes terms: it resolves the connection's atom
 * cache into a list of atom names and hands on the rest as it came.
 *
 *   inbound (I/O thread -> node thread), self-contained:
 *     +-----------+-------------------------------+---------------+-----------+-----------+
 *     | u16 natoms| (u16 len, UTF-8 name) * natoms| u32 controlLen| control   | message?  |
 *     +-----------+-------------------------------+---------------+-----------+-----------+
 *     ATOM_CACHE_REF i in control / message means the i-th name.
 *
 *   outbound (node thread -> I/O thread):
 *     +---------------+-----------+-----------+
 *     | u32 controlLen| control   | message?  |
 *     +---------------+-----------+-----------+
 *     Terms with no version byte and no ATOM_CACHE_REF (the writer sends a header with
 *     zero refs).
 *
 * All integers big-endian, as Erlang's own.
 */
const utf8 = new TextEncoder();
const fromUtf8 = new TextDecoder();

/** The atom name in bytes[at, at + len): ASCII without a TextDecoder call (most atoms; per message, so it counts). */
function atomName(bytes: Uint8Array, at: number, len: number): string {
  let s = '';
  for (let i = 0; i < len; i++) {
    const c = bytes[at + i]!;
    if (c >= 0x80) return fromUtf8.decode(bytes.subarray(at, at + len));
    s += String.fromCharCode(c);
  }
  return s;
}

/** Inbound layout from the reader's parts. */
export function packInbound(atoms: readonly string[], control: Uint8Array, payload: Uint8Array | null): Uint8Array {
  const names = atoms.map((a) => utf8.encode(a));
  let head = 2;
  for (const n of names) head += 2 + n.length;
  const out = new Uint8Array(head + 4 + control.length + (payload?.length ?? 0));
  const v = new DataView(out.buffer);
  v.setUint16(0, names.length);
  let at = 2;
  for (const n of names) {
    v.setUint16(at, n.length);
    out.set(n, at + 2);
    at += 2 + n.length;
  }
  v.setUint32(at, control.length);
  out.set(control, at + 4);
  if (payload !== null) out.set(payload, at + 4 + control.length);
  return out;
}

export interface InboundParts {
  readonly atoms: string[];
  /** Where the control term starts and ends; the message (if any) runs from controlEnd to the end. */
  readonly controlStart: number;
  readonly controlEnd: number;
}

/** @throws RangeError on a payload that does not hold the layout (the caller closes the connection). */
export function unpackInbound(bytes: Uint8Array): InboundParts {
  // Byte reads, no DataView: this runs per message, on a view of the I/O ring.
  if (bytes.length < 2) throw new RangeError('erlang payload: atom past the end');
  const n = (bytes[0]! << 8) | bytes[1]!;
  const atoms: string[] = [];
  let at = 2;
  for (let i = 0; i < n; i++) {
    if (at + 2 > bytes.length) throw new RangeError('erlang payload: atom past the end');
    const len = (bytes[at]! << 8) | bytes[at + 1]!;
    if (at + 2 + len > bytes.length) throw new RangeError('erlang payload: atom past the end');
    atoms.push(atomName(bytes, at + 2, len));
    at += 2 + len;
  }
  if (at + 4 > bytes.length) throw new RangeError('erlang payload: control past the end');
  const controlLen = ((bytes[at]! << 24) | (bytes[at + 1]! << 16) | (bytes[at + 2]! << 8) | bytes[at + 3]!) >>> 0;
  const controlStart = at + 4;
  const controlEnd = controlStart + controlLen;
  if (controlEnd > bytes.length) throw new RangeError('erlang payload: control past the end');
  return { atoms, controlStart, controlEnd };
}

/** Outbound layout: control and the optional message, already encoded. */
export function packOutbound(control: Uint8Array, message: Uint8Array | null): Uint8Array {
  const out = new Uint8Array(4 + control.length + (message?.length ?? 0));
  new DataView(out.buffer).setUint32(0, control.length);
  out.set(control, 4);
  if (message !== null) out.set(message, 4 + control.length);
  return out;
}

/** Split the outbound layout (views into `bytes`). @throws RangeError when malformed */
export function unpackOutbound(bytes: Uint8Array): { control: Uint8Array; message: Uint8Array | undefined } {
  if (bytes.length < 4) throw new RangeError('erlang payload: shorter than its length field');
  const n = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getUint32(0);
  if (4 + n > bytes.length || n === 0) throw new RangeError('erlang payload: bad control length');
  const control = bytes.subarray(4, 4 + n);
  return { control, message: 4 + n < bytes.length ? bytes.subarray(4 + n) : undefined };
}
