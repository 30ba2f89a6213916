/** The distribution layer and startNode (which puts the node kinds together). Re-exports only. */
export { startNode, type StartedNode, type StartNodeOptions } from './start-node.ts';
export { type DistOptions } from './dist-options.ts';
export { PortMapperError, NoConnectionError, RemoteSpawnError, AlreadyDistributedError, type PortMapperFailure } from './errors.ts';
export {
  HandshakeError, BadCookieError, NameTakenHandshakeError, SimultaneousConnectError, VersionMismatchError,
  ReplayedChallengeError, HandshakeTimeoutError, MalformedHandshakeError, HandshakeClosedError,
} from './handshake-errors.ts';
export { FrameError, type FrameFailure } from './frame-errors.ts';
export { IoLinkError, MeshControlError, DistConnectError } from './io-errors.ts';
export { BadNodeNameError, parseNodeName, type NodeName } from './node-name.ts';
export { BadCookieFileError, resolveCookie } from './cookie.ts';
export {
  ALIVE2_REQ, ALIVE2_RESP, ALIVE2_X_RESP, NAMES_REQ, NODE_TYPE_HIDDEN, NODE_TYPE_NORMAL, PORT2_RESP, PORT_PLEASE2_REQ,
  PROTOCOL_TCP_IPV4, type NodeEntry, type NamesAnswer,
} from './epmd-frames.ts';
export {
  PortMapperRegistration, listNames, lookupNode, registerNode, type PortMapperAddress, type RegisterNodeOptions,
} from './port-mapper-client.ts';
export { PortMapperServer, startPortMapper, type PortMapperEntry, type PortMapperServerOptions } from './port-mapper-server.ts';
export { ensurePortMapper, type EnsuredPortMapper, type EnsurePortMapperOptions } from './port-mapper.ts';
export { StaticPortMap, type StaticNodeAddress } from './static-port-map.ts';
