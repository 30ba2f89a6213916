/**
 * The application: a top supervisor (rest_for_one) over
 *   1. the store ('kv'),
 *   2. the stats server ('kv_stats'),
 *   3. a DynamicSupervisor of sessions ('kv_sessions').
 * rest_for_one: if the store dies, the stats and every session are restarted after it
 * (they depend on it); if a session dies, only that session is affected (its supervisor
 * handles it: sessions are temporary, a crashed one is not restarted).
 */
import { DynamicSupervisorProcess, defineApplication, type DynamicSupervisorSpec } from '../../src/otp/index.ts';
import { Session } from './session.ts';
import { StatsServer } from './stats.ts';
import { Store } from './store.ts';

const sessions: DynamicSupervisorSpec = {
  child: { id: 'session', restart: 'temporary', shutdown: 1000, start: { behaviour: Session } },
  intensity: 100,
  period: 1,
};

export const KvApp = defineApplication({
  name: 'kv',
  env: { sessions: 1000 },
  start: () => ({
    strategy: 'rest_for_one',
    intensity: 3,
    period: 5,
    children: [
      { id: 'store', name: 'kv', start: { behaviour: Store } },
      { id: 'stats', name: 'kv_stats', start: { behaviour: StatsServer } },
      { id: 'sessions', name: 'kv_sessions', type: 'supervisor', start: { behaviour: DynamicSupervisorProcess, args: [sessions] } },
    ],
  }),
});
