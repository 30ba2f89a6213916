/**
 * The walk-through, as a function the test can run: start the application on a node,
 * open many sessions, write and read through them, crash the store and watch the
 * supervisor restart it (and, rest_for_one, everything after it), then stop the node.
 */
import { LocalNode } from '../../src/core/local-node.ts';
import type { Pid } from '../../src/core/pid.ts';
import { Application, DynamicSupervisor, GenServer, Supervisor, getEnv, type ServerPid } from '../../src/otp/index.ts';
import { KvApp } from './app.ts';
import type { SessionCall } from './session.ts';
import { statsName } from './stats.ts';
import { storeName } from './store.ts';

export interface DemoResult {
  sessions: number;
  readBack: number;
  statsBefore: { gets: number; puts: number; sessions: number };
  storeRestarted: boolean;
  sessionsAfterRestart: number;
  sizeAfterRestart: number;
}

export async function runDemo(log: (line: string) => void = () => {}, sessionCount?: number): Promise<DemoResult> {
  const node = new LocalNode();
  await Application.start(node, KvApp);
  const n = sessionCount ?? getEnv<number>('kv', 'sessions');
  log(`application kv started: ${Application.whichApplications(node).map((a) => a.name).join(', ')}`);

  // 1. Open n sessions under the dynamic supervisor.
  const sessions: ServerPid<SessionCall, never, unknown>[] = [];
  for (let i = 0; i < n; i++) {
    const r = await DynamicSupervisor.startChild(node, 'kv_sessions', [`client${i}`]);
    if (!('ok' in r) || r.ok === null) throw new Error(`session ${i} failed to start: ${JSON.stringify(r)}`);
    sessions.push(r.ok as ServerPid<SessionCall, never, unknown>);
  }
  log(`${n} sessions started`);

  // 2. Each session writes its key, then reads it back (the store answers the client).
  await Promise.all(sessions.map((s, i) => GenServer.call(node, s, { put: 'greeting', value: `hello ${i}` })));
  const values = await Promise.all(sessions.map((s) => GenServer.call(node, s, { get: 'greeting' })));
  const readBack = values.filter((v, i) => v === `hello ${i}`).length;
  const statsBefore = await GenServer.call(node, statsName, 'snapshot');
  log(`read back ${readBack}/${n}; stats ${JSON.stringify(statsBefore)}`);

  // 3. Crash the store: rest_for_one restarts it, the stats and the session supervisor.
  const top = Application.whichApplications(node)[0]!.top!;
  const oldStore = node.whereis('kv') as Pid;
  node.exit(oldStore, 'simulated_crash');
  let newStore: Pid | undefined;
  for (let i = 0; i < 200 && (newStore === undefined || newStore.equals(oldStore)); i++) {
    await new Promise((r) => setTimeout(r, 10));
    newStore = node.whereis('kv');
  }
  const storeRestarted = newStore !== undefined && !newStore.equals(oldStore);
  const children = await Supervisor.whichChildren(node, top);
  log(`store restarted: ${storeRestarted}; children ${children.map((c) => `${c.id}=${String(c.pid)}`).join(' ')}`);
  const sessionsAfterRestart = (await DynamicSupervisor.countChildren(node, 'kv_sessions')).active;
  const sizeAfterRestart = (await GenServer.call(node, storeName, 'size')) as number;
  log(`after the restart: ${sessionsAfterRestart} sessions, ${sizeAfterRestart} keys (state starts fresh)`);

  // 4. node.stop() stops the application first (reverse order), then the node.
  await node.stop();
  log('node stopped');
  return { sessions: n, readBack, statsBefore, storeRestarted, sessionsAfterRestart, sizeAfterRestart };
}
