/**
 * What the I/O thread uses of the handshake (API.md section 2, handshake.ts) and of the
 * channel frames (section 3, frame-writer.ts / frame-reader.ts), as one object handed to
 * the connection code. io-thread.ts builds it from those modules; the connection code
 * (connection.ts, connection-table.ts, io-service.ts) only sees this interface, so it can
 * be tested over any transport that keeps the same contract.
 *
 * The types are the structural shape of API.md sections 2 and 3 (only what is used here).
 */
import type { Duplex } from 'node:stream';

export interface KitHandshakeSelf {
  readonly name: string;
  readonly creation: number;
  readonly hidden: boolean;
  readonly flags: number;
  readonly cookie: string;
  readonly setupTimeMs: number;
}

export interface KitPeerInfo {
  readonly name: string;
  readonly creation: number;
  readonly hidden: boolean;
  readonly flags: number;
}

export interface KitHandshakeResult {
  readonly peer: KitPeerInfo;
  /** Bytes that arrived after the handshake's last message: the channel's first frames. */
  readonly rest: Uint8Array;
}

/** 'ok_simultaneous': 'ok', and our own attempt to that peer is dropped (Erlang tells the peer so; Switchboard's handshake says 'ok'). */
export type KitAcceptDecision = 'ok' | 'ok_simultaneous' | 'nok' | 'alive';

/** Where frames go: false means "wait for 'drain', then flush()". */
export interface KitFrameSink {
  write(chunks: Uint8Array[]): boolean;
}

export interface KitFrameWriter {
  tick(): void;
  control(body: Uint8Array): void;
  /** Takes ownership of `payload`. */
  message(stream: number, payload: Uint8Array): void;
  flush(): void;
  readonly queuedBytes: number;
  readonly pending: boolean;
  /** The peer's credit (kCredit) frees window (frame-writer.ts step 2b); kits without credit leave it out. */
  credit?(bytes: number): void;
  /** Grant the peer credit for fragment bytes we read (a no-op when the peer does not take credit). */
  grantCredit?(bytes: number): void;
}

export interface KitFrameHandler {
  onTick(): void;
  onCredit?(bytes: number): void;
  onControl(body: Uint8Array): void;
  onMessage(stream: number, payload: Uint8Array): void;
}

export interface KitFrameReader {
  /** @throws a typed FrameError on malformed input. */
  push(chunk: Uint8Array): void;
  readonly bufferedBytes: number;
  /** Chunk bytes of fragments read so far (what credit is granted for); kits without credit leave it out. */
  readonly fragmentBytesRead?: number;
}

/** Which protocol a kit speaks (a node accepts both on one listener, io-service.ts). */
export type KitProtocol = 'switchboard' | 'erlang';

export interface ChannelKit {
  /** The capability flags this node offers in its handshakes. */
  readonly flags: number;
  connectHandshake(socket: Duplex, self: KitHandshakeSelf, expectedPeer: string): Promise<KitHandshakeResult>;
  acceptHandshake(socket: Duplex, self: KitHandshakeSelf, decide: (peer: KitPeerInfo) => KitAcceptDecision): Promise<KitHandshakeResult>;
  /** Is `err` (from connectHandshake) the peer's 'nok': we lost a simultaneous connect? */
  lostSimultaneousConnect(err: unknown): boolean;
  /** True when the connection `self` initiated to `peer` is the one kept in a simultaneous connect. */
  keepsOutgoing(self: string, peer: string): boolean;
  /** `peerFlags`: the flags in use on the connection (the handshake's peer.flags). */
  createWriter(sink: KitFrameSink, opts: { fragmentBytes: number; peerFlags: number }): KitFrameWriter;
  createReader(handler: KitFrameHandler): KitFrameReader;
}
