/**
 * The control messages of Erlang's distribution protocol this node uses (the first
 * element of the control tuple; erts's dist.h / the ERTS User's Guide, "Protocol between
 * connected nodes"). Which ones are sent and handled: erlang-op-encoder.ts and
 * erlang-dispatch.ts.
 */
export const kCtlLink = 1;
export const kCtlSend = 2;
export const kCtlExit = 3;
export const kCtlUnlink = 4;
export const kCtlRegSend = 6;
export const kCtlExit2 = 8;
export const kCtlSendTT = 12;
export const kCtlExitTT = 13;
export const kCtlRegSendTT = 16;
export const kCtlExit2TT = 18;
export const kCtlMonitorP = 19;
export const kCtlDemonitorP = 20;
export const kCtlMonitorPExit = 21;
export const kCtlSendSender = 22;
export const kCtlSendSenderTT = 23;
export const kCtlPayloadExit = 24;
export const kCtlPayloadExitTT = 25;
export const kCtlPayloadExit2 = 26;
export const kCtlPayloadExit2TT = 27;
export const kCtlPayloadMonitorPExit = 28;
export const kCtlAliasSend = 33;
export const kCtlAliasSendTT = 34;
export const kCtlUnlinkId = 35;
export const kCtlUnlinkIdAck = 36;
export const kCtlSpawnRequest = 29;
export const kCtlSpawnRequestTT = 30;
export const kCtlSpawnReply = 31;
