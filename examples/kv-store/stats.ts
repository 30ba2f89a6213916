/**
 * Operation counters: a GenServer registered as 'kv_stats'. Casts { op: 'get' | 'put' }
 * count; call 'snapshot' returns { gets, puts, sessions }. Sessions report their start
 * and end with { session: +1 | -1 }.
 */
import { defineGenServer, serverName } from '../../src/otp/index.ts';

export interface Stats {
  gets: number;
  puts: number;
  sessions: number;
}
export type StatsCast = { op: 'get' | 'put' } | { session: 1 | -1 };

export const StatsServer = defineGenServer<Stats, 'snapshot', StatsCast, Stats, []>(import.meta.url, {
  init() {
    return { ok: { gets: 0, puts: 0, sessions: 0 } };
  },
  handleCall(_msg, _from, st) {
    return { reply: { ...st }, state: st };
  },
  handleCast(msg, st) {
    if ('session' in msg) st.sessions += msg.session;
    else if (msg.op === 'get') st.gets++;
    else st.puts++;
    return { noreply: true, state: st };
  },
}, 'StatsServer');

export const statsName = serverName<typeof StatsServer>('kv_stats');
