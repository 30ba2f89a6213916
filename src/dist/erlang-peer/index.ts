/** A Switchboard node as a peer of Erlang nodes (issue 15): re-exports only. README text: readme-erlbridge.md. */
export { erlangPing } from './erlang-ping.ts';
export { erlangChannelKit, kErlangBridgeFlags } from './erlang-channel-kit.ts';
export { kRefMark, fromErlang, toErlang, pidFromErl, pidToErl, refToErl, ownRefFromErl, reasonFromErlang, reasonToErlang } from './term-mapping.ts';
export type { ErlangDispatchStats } from './erlang-dispatch.ts';
export { erlangRpc, type ErlangRpcOptions } from './erlang-rpc.ts';
export { ErlangRpcError } from './rpc-errors.ts';
export { exportRpc, type RpcFunction } from './rpc-exports.ts';
export type { ErlangRpcServerStats } from './rpc-server.ts';
export { registerErlangTranslator, type ErlangMessageTranslator } from './message-translators.ts';
