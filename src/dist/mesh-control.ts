/**
 * The mesh's "nodes" control frame: after a connection to a visible peer comes up, each
 * side tells the other which visible nodes it is connected to, and each connects to the
 * ones it is not connected to yet, so a cluster becomes a full mesh. Hidden nodes send no
 * list, are listed by nobody, and do not act on lists they receive.
 *
 * Body of the kControl frame (channel-frames: the body is node-level control bytes):
 *
 *    0         1            3
 *    +---------+------------+---------------------------------------------+
 *    | tag u8  | count u16  | count x ( len u16 BE | UTF-8 name, len bytes ) |
 *    | = 1     | BE         |                                             |
 *    +---------+------------+---------------------------------------------+
 *
 * Steps
 *   1. nodeup of a visible peer P on a visible node: send encodeNodesControl(the names of
 *      the visible peers up, except P).
 *   2. on receiving a control body: decodeControl; tag 1 -> meshTargets(list, ...) are
 *      the names to connect to (not ourselves, not up, not being connected).
 *   3. any other tag, or a malformed body, is a MeshControlError (the connection is
 *      closed as a protocol error by the caller).
 * A node started with `dist: { mesh: false }` (a membership overlay, cluster/membership)
 * behaves as a hidden node here only: it sends no list (step 1) and connects to nobody
 * from one it receives (step 2: the caller passes `selfHidden || !mesh`); it stays
 * visible in every other respect (nodes(), nodeup/nodedown, monitorNodes).
 */
import { MeshControlError } from './io-errors.ts';

export const kControlNodes = 1;
/** Most names in one list, and the longest name (bytes): as the handshake's names. */
export const kMaxMeshNames = 0xffff;
export const kMaxNodeNameBytes = 0xffff;

const encoder = new TextEncoder();
const decoder = new TextDecoder('utf-8', { fatal: true });

/** The body of a "nodes" control frame listing `names`. */
export function encodeNodesControl(names: readonly string[]): Uint8Array {
  if (names.length > kMaxMeshNames) throw new MeshControlError(`mesh control: ${names.length} names in one list (at most ${kMaxMeshNames})`);
  const encoded = names.map((n) => encoder.encode(n));
  let size = 3;
  for (const e of encoded) {
    if (e.length > kMaxNodeNameBytes) throw new MeshControlError(`mesh control: a node name of ${e.length} bytes (at most ${kMaxNodeNameBytes})`);
    size += 2 + e.length;
  }
  const body = new Uint8Array(size);
  const view = new DataView(body.buffer);
  body[0] = kControlNodes;
  view.setUint16(1, names.length);
  let at = 3;
  for (const e of encoded) {
    view.setUint16(at, e.length);
    body.set(e, at + 2);
    at += 2 + e.length;
  }
  return body;
}

export type MeshControl = { readonly kind: 'nodes'; readonly names: readonly string[] };

/** Decode a control body. @throws MeshControlError on an unknown tag or a malformed body. */
export function decodeControl(body: Uint8Array): MeshControl {
  if (body.length < 1) throw new MeshControlError('mesh control: an empty control body');
  if (body[0] !== kControlNodes) throw new MeshControlError(`mesh control: unknown control tag ${body[0]}`);
  if (body.length < 3) throw new MeshControlError(`mesh control: a "nodes" body of ${body.length} bytes (its header is 3)`);
  const view = new DataView(body.buffer, body.byteOffset, body.byteLength);
  const count = view.getUint16(1);
  const names: string[] = [];
  let at = 3;
  for (let i = 0; i < count; i++) {
    if (at + 2 > body.length) throw new MeshControlError(`mesh control: the "nodes" body ends inside name ${i} of ${count}`);
    const len = view.getUint16(at);
    if (at + 2 + len > body.length) throw new MeshControlError(`mesh control: the "nodes" body ends inside name ${i} of ${count}`);
    let name: string;
    try {
      name = decoder.decode(body.subarray(at + 2, at + 2 + len));
    } catch {
      throw new MeshControlError(`mesh control: name ${i} is not UTF-8`);
    }
    names.push(name);
    at += 2 + len;
  }
  if (at !== body.length) throw new MeshControlError(`mesh control: ${body.length - at} bytes after the last name`);
  return { kind: 'nodes', names };
}

/**
 * Step 2: the names of `listed` this node should connect to: not itself, not one it is
 * connected to or connecting to (`known`), each once. A hidden node, or one without the
 * full mesh (`selfHidden` is then true), connects to none.
 */
export function meshTargets(listed: readonly string[], self: string, selfHidden: boolean, known: (name: string) => boolean): string[] {
  if (selfHidden) return [];
  const out: string[] = [];
  for (const name of listed) {
    if (name === self || known(name) || out.includes(name)) continue;
    out.push(name);
  }
  return out;
}
