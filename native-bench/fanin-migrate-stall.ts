/**
 * Repro of the known stall of live migration (issue 4 note): 1,000 senders round-robin on
 * two schedulers flood one receiver on scheduler 0. Prints every scheduler's stats each
 * second; with 'migrate' scheduler 0 freezes (stats stop moving) and the run never ends,
 * with 'spawn' it ends in about a second.
 *
 *   node scripts/run-ts.mjs native-bench/fanin-migrate-stall.ts [migrate|spawn|steal] [msgs per sender]
 */
import { startNode } from '../src/dist/start-node.ts';
import * as A from './switchboard/threaded-actors.ts';
const balance = (process.argv[2] ?? 'migrate') as 'migrate' | 'spawn' | 'steal';
const senders = 1000, m = Number(process.argv[3] ?? 3000);
const node = await startNode({ schedulers: 2, balance });
let done = false;
node.on('message', (x: any) => { if (x && x.counted) done = true; });
const receiver = await node.spawn(A.Counter, [senders * m, node.pid], { scheduler: 0 });
const pids = [];
for (let i = 0; i < senders; i++) pids.push(await node.spawn(A.FanSender, [receiver, m], { scheduler: i % 2 }));
const t0 = performance.now();
for (const p of pids) node.send(p, 'go');
const pick = (s: any) => ({ st: s.state, rq: s.runQueue, held: s.heldActors, ovf: s.overflowBytes, bw: s.blockedWaits, full: s.ringFull, out: s.migrationsOut, in: s.migrationsIn, g: s.guests, fw: s.forwarded, rin: s.recordsIn, rout: s.recordsOut, busy: Math.round(s.busyMs), parked: Math.round(s.parkedMs) });
for (let i = 0; i < 8 && !done; i++) {
  await new Promise((r) => setTimeout(r, 1000));
  console.log(i, JSON.stringify(node.stats().schedulers.map(pick)));
}
console.log(balance, done ? `done in ${(performance.now() - t0).toFixed(0)} ms` : 'STALLED');
process.exit(0);
