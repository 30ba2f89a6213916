/**
 * GenStatem events and actions: the shapes a state function receives (StatemEvent) and
 * returns in `actions` (StatemAction), their builders (`Statem.*`), and the shared event
 * constants of the loop (gen-statem.ts) and the time-out table (gen-statem-timeouts.ts).
 *
 * Events (what `event` is in a state function):
 *   { type: 'call', from }               a GenStatem.call / GenServer.call
 *   { type: 'cast' | 'info' }            a cast / any other message
 *   { type: 'stateTimeout' | 'timeout' } the state / event time-out fired
 *   { type: 'genericTimeout', name }     the generic time-out `name` fired
 *   { type: 'enter' }                    the enter call (content: the previous state)
 *   { type: 'internal' }                 inserted by nextEvent
 *
 * Actions (applied in order, so of two actions on one time-out the last wins):
 *   reply(from, value)                   answer a call now
 *   postpone()                           retry this event after the next state change
 *   stateTimeout(ms, content)            (re)start the state time-out; Infinity cancels
 *   eventTimeout(ms, content)            (re)start the event time-out; Infinity cancels
 *   genericTimeout(name, ms, content)    (re)start the generic time-out `name`
 *   cancelStateTimeout() / cancelEventTimeout() / cancelGenericTimeout(name)
 *   updateStateTimeout(content) / updateEventTimeout(content) / updateGenericTimeout(name, content)
 *                                        change the content of the running time-out
 *                                        (its deadline stays); none running: it fires at
 *                                        once, as a zero time-out
 *   hibernate()                          drop the loop's buffers; Sys.getStatus says
 *                                        hibernated until the next message (JavaScript has
 *                                        no per-process heap to compact: GenServer's too)
 *   nextEvent(content, type)             handle this event next, before anything queued;
 *                                        type: 'internal' (default), 'cast', 'info',
 *                                        'stateTimeout', 'timeout', or an event object
 *                                        ({ type: 'call', from }, { type: 'genericTimeout',
 *                                        name }, ...; not 'enter')
 *
 * Erlang/OTP mapping: reply = {reply,From,V}; postpone; hibernate; {state_timeout,T,C};
 * {timeout,T,C}; {{timeout,Name},T,C}; {Type,cancel}; {Type,update,C};
 * {next_event,Type,C}. A zero time-out is taken before the mailbox (gen-statem-timeouts.ts).
 */
import type { From } from '../core/call-protocol.ts';
import { BadArgError } from '../core/errors.ts';

export type StatemEvent =
  | { readonly type: 'call'; readonly from: From }
  | { readonly type: 'cast' | 'info' | 'stateTimeout' | 'timeout' | 'enter' | 'internal' }
  | { readonly type: 'genericTimeout'; readonly name: string };

/** `ms: 'update'` changes the content of a running time-out (see the header). */
export type TimeoutMs = number | 'update';

export type StatemAction =
  | { readonly type: 'reply'; readonly from: From; readonly value: unknown }
  | { readonly type: 'postpone' }
  | { readonly type: 'hibernate' }
  | { readonly type: 'stateTimeout'; readonly ms: TimeoutMs; readonly content: unknown }
  | { readonly type: 'timeout'; readonly ms: TimeoutMs; readonly content: unknown }
  | { readonly type: 'genericTimeout'; readonly name: string; readonly ms: TimeoutMs; readonly content: unknown }
  | { readonly type: 'nextEvent'; readonly event: StatemEvent; readonly content: unknown };

/** Event constants: no allocation for events without fields. */
export const CAST: StatemEvent = Object.freeze({ type: 'cast' });
export const INFO: StatemEvent = Object.freeze({ type: 'info' });
export const STATE_TIMEOUT: StatemEvent = Object.freeze({ type: 'stateTimeout' });
export const EVENT_TIMEOUT: StatemEvent = Object.freeze({ type: 'timeout' });
export const ENTER: StatemEvent = Object.freeze({ type: 'enter' });
export const INTERNAL: StatemEvent = Object.freeze({ type: 'internal' });
const POSTPONE: StatemAction = Object.freeze({ type: 'postpone' });
const HIBERNATE: StatemAction = Object.freeze({ type: 'hibernate' });

const kNamedEvents: { readonly [k: string]: StatemEvent } = { internal: INTERNAL, cast: CAST, info: INFO, stateTimeout: STATE_TIMEOUT, timeout: EVENT_TIMEOUT };

function checkMs(what: string, ms: number): void {
  if (!(ms === Infinity || (typeof ms === 'number' && ms >= 0 && Number.isFinite(ms)))) {
    throw new BadArgError(`Statem.${what}: ms must be a number >= 0 or Infinity, got ${String(ms)}`);
  }
}

function checkName(what: string, name: unknown): void {
  if (typeof name !== 'string') throw new BadArgError(`Statem.${what}: name must be a string`);
}

/** The event a nextEvent inserts: a type name, or an event object (not an enter call). */
function insertedEvent(event: unknown): StatemEvent {
  if (typeof event === 'string') {
    const e = kNamedEvents[event];
    if (e !== undefined) return e;
  } else if (typeof event === 'object' && event !== null) {
    const e = event as { type?: unknown; from?: unknown; name?: unknown };
    if (e.type === 'call' && typeof e.from === 'object' && e.from !== null) return event as StatemEvent;
    if (e.type === 'genericTimeout' && typeof e.name === 'string') return event as StatemEvent;
    if (typeof e.type === 'string' && kNamedEvents[e.type] !== undefined) return kNamedEvents[e.type]!;
  }
  throw new BadArgError("Statem.nextEvent: event must be 'internal', 'cast', 'info', 'stateTimeout', 'timeout' or an event object ({ type: 'call', from } | { type: 'genericTimeout', name })");
}

/** Action builders. */
export const Statem = {
  reply: (from: From, value: unknown): StatemAction => ({ type: 'reply', from, value }),
  postpone: (): StatemAction => POSTPONE,
  hibernate: (): StatemAction => HIBERNATE,
  stateTimeout(ms: number, content?: unknown): StatemAction {
    checkMs('stateTimeout', ms);
    return { type: 'stateTimeout', ms, content };
  },
  eventTimeout(ms: number, content?: unknown): StatemAction {
    checkMs('eventTimeout', ms);
    return { type: 'timeout', ms, content };
  },
  genericTimeout(name: string, ms: number, content?: unknown): StatemAction {
    checkName('genericTimeout', name);
    checkMs('genericTimeout', ms);
    return { type: 'genericTimeout', name, ms, content };
  },
  cancelStateTimeout: (): StatemAction => ({ type: 'stateTimeout', ms: Infinity, content: undefined }),
  cancelEventTimeout: (): StatemAction => ({ type: 'timeout', ms: Infinity, content: undefined }),
  cancelGenericTimeout(name: string): StatemAction {
    checkName('cancelGenericTimeout', name);
    return { type: 'genericTimeout', name, ms: Infinity, content: undefined };
  },
  updateStateTimeout: (content: unknown): StatemAction => ({ type: 'stateTimeout', ms: 'update', content }),
  updateEventTimeout: (content: unknown): StatemAction => ({ type: 'timeout', ms: 'update', content }),
  updateGenericTimeout(name: string, content: unknown): StatemAction {
    checkName('updateGenericTimeout', name);
    return { type: 'genericTimeout', name, ms: 'update', content };
  },
  nextEvent(content: unknown, event: 'internal' | 'cast' | 'info' | 'stateTimeout' | 'timeout' | StatemEvent = 'internal'): StatemAction {
    return { type: 'nextEvent', event: insertedEvent(event), content };
  },
};
