/** The Erlang distribution wire protocol: handshake, framing, ticks (re-exports only). */
export * from './flags.ts';
export * from './errors.ts';
export {
  acceptErlangHandshake, connectErlangHandshake, erlangKeepsOutgoing, type ErlangAcceptDecision, type ErlangAcceptOptions,
  type ErlangConnectOptions, type ErlangHandshakeResult, type ErlangHandshakeSelf, type ErlangPeer, type ErlangPeerHello,
} from './handshake.ts';
export { erlangDigest, type ErlangStatus } from './handshake-messages.ts';
export { ErlangAtomCache } from './atom-cache.ts';
export { ErlangFrameReader, type ErlangFrameHandler, type ErlangFrameReaderLimits, type ErlangMessage } from './frame-reader.ts';
export { ErlangFrameWriter, kDefaultErlangFragmentBytes, type ErlangFrameSink, type ErlangFrameWriterOptions } from './frame-writer.ts';
export { ErlangTicker, type ErlangTickerIo, type ErlangTickerOptions } from './ticker.ts';
export { skipTerm } from './term-skipper.ts';
