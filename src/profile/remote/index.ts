export { startProfileAgent, ProfileAgent } from './profile-agent.ts';
export type { ProfileAgentHandle } from './profile-agent.ts';
export { attachRemote } from './remote-source.ts';
export type { AttachRemoteOptions, RemoteAttachment } from './remote-source.ts';
export { RemoteAttachError, RemoteQueryError } from './errors.ts';
export { kProfileAgentName } from './profile-protocol.ts';
export type { ProfileRequest, ProfileAnswer, ProfileHello } from './profile-protocol.ts';
