/**
 * The node thread's side of Erlang peers, held by Distribution (distribution.ts):
 *
 *   1. nodeup of a peer whose NodeUpInfo.protocol is 'erlang': an ErlangPeerState for
 *      its connection (erlang-peer-state.ts).
 *   2. Ops for it (NodeTransport asks `peerFor(index)` first; zero cost while no Erlang
 *      peer is up): encoded by ErlangOpEncoder, written as any op. Ops that waited for
 *      the connection were encoded as Switchboard ops (the protocol was not known yet):
 *      at nodeup they are decoded (dist-ops.ts OpDecoder) and encoded again for Erlang.
 *   3. kInMessage of its connection: ErlangDispatch.
 *   4. nodedown: the state is dropped (open calls, monitor maps); links and monitors
 *      fire through peerGone as for any peer.
 *   (Pinging an Erlang node is a plain call to its net_kernel: erlang-ping.ts.)
 */
import { nodeTable } from '../../core/node-table.ts';
import type { Registry } from '../../core/registry.ts';
import type { Inbound } from '../../core/router.ts';
import { ErlangDispatch } from './erlang-dispatch.ts';
import { ErlangOpEncoder } from './erlang-op-encoder.ts';
import { ErlangPeerState } from './erlang-peer-state.ts';

/** Where encoded bytes go: the peer's connection (NodeTransport.outByName). */
export type ErlangWrite = (name: string, index: number, stream: number, bytes: Uint8Array) => void;

export class ErlangBridge {
  readonly encoder = new ErlangOpEncoder();
  private readonly byConn = new Map<number, ErlangPeerState>();
  private readonly byName = new Map<string, ErlangPeerState>();
  private dispatcher: ErlangDispatch | null = null;

  constructor(private readonly write: ErlangWrite) {}

  attach(inbound: Inbound, registry: Pick<Registry, 'whereis'>): void {
    this.dispatcher = new ErlangDispatch(inbound, registry, (peer, stream, bytes) => this.write(peer.name, peer.index, stream, bytes), (n) => this.byName.get(n));
    this.encoder.global = this.dispatcher.global;
  }

  /** How many Erlang peers are up (NodeTransport skips its lookup at 0). */
  get size(): number {
    return this.byConn.size;
  }

  isErlangConn(conn: number): boolean {
    return this.byConn.has(conn);
  }

  /** Step 1. */
  nodeUp(conn: number, name: string, index: number, flags: number): ErlangPeerState {
    const s = new ErlangPeerState(name, index, flags);
    this.byConn.set(conn, s);
    this.byName.set(name, s);
    return s;
  }

  /** Step 4. */
  nodeDown(conn: number): void {
    const s = this.byConn.get(conn);
    if (s === undefined) return;
    this.byConn.delete(conn);
    if (this.byName.get(s.name) === s) this.byName.delete(s.name);
    this.dispatcher?.global.forget(s.name);
  }

  /** Step 2: the state of an up Erlang peer that node-table index `index` belongs to (any incarnation of its name). */
  peerFor(index: number): ErlangPeerState | undefined {
    const id = nodeTable.identity(index);
    return id === undefined ? undefined : this.byName.get(id.name);
  }

  peerNamed(name: string): ErlangPeerState | undefined {
    return this.byName.get(name);
  }

  /** Step 3. @throws on bytes that are not a well-formed Erlang message (the caller disconnects). */
  dispatch(conn: number, bytes: Uint8Array): void {
    const s = this.byConn.get(conn);
    if (s !== undefined) this.dispatcher!.dispatch(s, bytes);
  }

  get dispatchStats(): ErlangDispatch['stats'] | undefined {
    return this.dispatcher?.stats;
  }
}
