/**
 * The profile agent's protocol: the calls a remote tool (remote-source.ts) makes to the
 * agent registered as '$sb_profile' on the observed node (profile-agent.ts), and how the
 * agent relays them to its node's embedding thread, where the Node API lives.
 *
 *   tool (hidden node)            agent actor '$sb_profile'          target's embedding thread
 *   call {op,...} ------------->  handleCall: noreply,
 *                                 send gateway {'$sb_profile_req',
 *                                   from, req} ------------------->  node 'message' listener:
 *                                                                     answer with the Node API
 *                                 handleInfo {'$sb_profile_ans',  <-  send agent {..., from, answer}
 *   <------------- reply answer   from, answer}: reply(from, answer)
 *
 * Requests (`op`), each answered with `{ ok: value }` or `{ error: message, code }`:
 *   hello                           { node, version: 1, schedulers }
 *   frame { session, actorRows }    an ObserverFrame (src/profile/observe/observer-frame.ts)
 *   snapshot { session, limit }     an ActorViewSnapshot whose rows are cut to the top
 *                                   `limit` by each sort (what `top` shows)
 *   processInfo { pid }             ProcessInfo as JSON data (pids as the target's text), or
 *                                   null when not alive (`pid`: the target's text `<a.b.c>`)
 *   supervision                     a SupervisionReport
 *   end { session }                 true: the session's sampler is dropped
 *   traceStart { bufferEvents?, sampleSlices? }   startTrace on the node (src/profile/trace)
 *   traceStop                       stopTrace; the Chrome trace is kept as JSON text and
 *                                   { id, chars, events } answered (one kept at a time)
 *   traceChunk { id, offset }       up to kTraceChunkChars characters of that text from
 *                                   `offset` (the trace can be megabytes: no one message
 *                                   carries it whole); the last chunk drops it
 * A session is one tool's ActorView (rates are per sampler: two tools must not share
 * one). At most kMaxSessions live; one unused for kSessionIdleMs is dropped, and when
 * the table is full the least recently used one goes.
 * Erlang mapping: observer_backend / etop's collector, run on the observed node by rpc.
 */
export const kProfileAgentName = '$sb_profile';
export const kProfileProtocolVersion = 1;
export const kMaxSessions = 16;
export const kSessionIdleMs = 60_000;
export const kTraceChunkChars = 1 << 20;

export type ProfileRequest =
  | { readonly op: 'hello' }
  | { readonly op: 'frame'; readonly session: string; readonly actorRows: number }
  | { readonly op: 'snapshot'; readonly session: string; readonly limit: number }
  | { readonly op: 'processInfo'; readonly pid: string }
  | { readonly op: 'supervision' }
  | { readonly op: 'end'; readonly session: string }
  | { readonly op: 'traceStart'; readonly bufferEvents?: number; readonly sampleSlices?: number }
  | { readonly op: 'traceStop' }
  | { readonly op: 'traceChunk'; readonly id: number; readonly offset: number };

export interface TraceStopped {
  readonly id: number;
  readonly chars: number;
  readonly events: number;
}

export type ProfileAnswer = { readonly ok: unknown } | { readonly error: string; readonly code: string };

export interface ProfileHello {
  readonly node: string;
  readonly version: number;
  readonly schedulers: number;
}

/** agent -> embedding thread. */
export interface ProfileRelayRequest {
  readonly type: '$sb_profile_req';
  readonly agent: unknown;
  readonly from: unknown;
  readonly req: unknown;
}

/** embedding thread -> agent. */
export interface ProfileRelayAnswer {
  readonly type: '$sb_profile_ans';
  readonly from: unknown;
  readonly answer: ProfileAnswer;
}

export function isRelayRequest(m: unknown): m is ProfileRelayRequest {
  return typeof m === 'object' && m !== null && (m as { type?: unknown }).type === '$sb_profile_req';
}

export function isRelayAnswer(m: unknown): m is ProfileRelayAnswer {
  return typeof m === 'object' && m !== null && (m as { type?: unknown }).type === '$sb_profile_ans';
}
