/**
 * A client session: one GenServer per connected client, started on demand under the
 * 'kv_sessions' DynamicSupervisor with the client id as extra argument.
 *
 * Calls: { get: key } and { put: key, value } — passed on to the store with
 * GenServer.forward, so the store answers the client directly (a callback cannot wait for
 * a call of its own); 'ops' -> how many operations this session made.
 * It counts itself in the stats on start and, trapping exits, on shutdown (terminate).
 */
import { GenServer, defineGenServer } from '../../src/otp/index.ts';
import { statsName } from './stats.ts';
import { storeName } from './store.ts';

export type SessionCall = { get: string } | { put: string; value: unknown } | 'ops';

interface SessionState {
  client: string;
  ops: number;
}

export const Session = defineGenServer<SessionState, SessionCall, never, unknown, [string]>(import.meta.url, {
  init(ctx, client) {
    ctx.trapExit(true);
    GenServer.cast(ctx, statsName, { session: 1 });
    return { ok: { client, ops: 0 } };
  },
  handleCall(msg, from, st, ctx) {
    if (msg === 'ops') return { reply: st.ops, state: st };
    const key = `${st.client}/${'get' in msg ? msg.get : msg.put}`;
    GenServer.forward(ctx, storeName, from, 'get' in msg ? { get: key } : { put: key, value: msg.value });
    st.ops++;
    return { noreply: true, state: st };
  },
  terminate(_reason, _st, ctx) {
    GenServer.cast(ctx, statsName, { session: -1 });
  },
}, 'Session');
