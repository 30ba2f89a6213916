/** The distribution layer (so far: the EPMD-protocol port mapper). Re-exports only. */
export { PortMapperError, type PortMapperFailure } from './errors.ts';
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
