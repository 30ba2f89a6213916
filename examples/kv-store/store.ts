/**
 * The key-value store: one GenServer, registered as 'kv', holding a Map.
 *
 * Calls: { get: key } -> value | null;  { put: key, value } -> 'ok';  { del: key } -> boolean;
 *        'size' -> number.
 * Casts: 'clear'.
 * Every get/put is counted by casting { op } to the stats server ('kv_stats').
 */
import { GenServer, defineGenServer, serverName } from '../../src/otp/index.ts';
import { statsName } from './stats.ts';

export type StoreCall = { get: string } | { put: string; value: unknown } | { del: string } | 'size';
export type StoreCast = 'clear';
export type StoreReply = unknown;

export const Store = defineGenServer<Map<string, unknown>, StoreCall, StoreCast, StoreReply, []>(import.meta.url, {
  init() {
    return { ok: new Map() };
  },
  handleCall(msg, _from, table, ctx) {
    if (msg === 'size') return { reply: table.size, state: table };
    if ('get' in msg) {
      GenServer.cast(ctx, statsName, { op: 'get' });
      return { reply: table.has(msg.get) ? table.get(msg.get) : null, state: table };
    }
    if ('put' in msg) {
      table.set(msg.put, msg.value);
      GenServer.cast(ctx, statsName, { op: 'put' });
      return { reply: 'ok', state: table };
    }
    return { reply: table.delete(msg.del), state: table };
  },
  handleCast(_msg, table) {
    table.clear();
    return { noreply: true, state: table };
  },
}, 'Store');

export const storeName = serverName<typeof Store>('kv');
