/**
 * The Datos demo (datos.ts) with three node processes:
 *
 *   node scripts/run-ts.mjs examples/cluster/leader/main.ts
 *
 * Steps:
 *   1. Start a port mapper on a free port in this process, then three node processes
 *      (node.ts) datos_a, datos_b, datos_c at once, with the candidates [a, b, c]: a, the
 *      first candidate, ends up leading whichever started first.
 *   2. On c: a leader call { put: 'colour', value: 'blue' } — answered by a, and its
 *      broadcast reaches b and c (their `fromLeader` lines).
 *   3. kill -9 of a: b is elected, its handleDOWN is told a is gone, c surrenders to b.
 *   4. On c: another put — answered by b now; a local get on c reads both values.
 * Prints every line the nodes print (prefixed by the node), then one JSON summary line:
 * { firstLeader, broadcastSeenBy, secondLeader, handleDOWN, electedAfterKillMs, colour, size }.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import readline from 'node:readline';
import { startPortMapper } from '../../../src/index.ts';

type Line = Record<string, unknown>;

const root = fileURLToPath(new URL('../../../', import.meta.url));
const names = ['a', 'b', 'c'].map((s) => `datos_${s}@127.0.0.1`);
const [A, B, C] = names as [string, string, string];

const mapper = await startPortMapper({ port: 0 });
const seen: { from: string; line: Line }[] = [];
const waiters: { pred: (from: string, l: Line) => boolean; resolve: (l: Line) => void }[] = [];

function waitLine(pred: (from: string, l: Line) => boolean, what: string, ms = 15_000): Promise<Line> {
  const hit = seen.find((s) => pred(s.from, s.line));
  if (hit !== undefined) return Promise.resolve(hit.line);
  return new Promise((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(`datos demo: no ${what} within ${ms} ms`)), ms);
    waiters.push({ pred, resolve: (l) => (clearTimeout(t), resolve(l)) });
  });
}

function startOne(name: string): ChildProcess {
  const child = spawn(process.execPath, ['scripts/run-ts.mjs', 'examples/cluster/leader/node.ts', name, String(mapper.port), names.join(',')], { cwd: root, stdio: ['pipe', 'pipe', 'inherit'] });
  readline.createInterface({ input: child.stdout! }).on('line', (text) => {
    let line: Line;
    try {
      line = JSON.parse(text) as Line;
    } catch {
      return;
    }
    console.log(`${name.split('@')[0]}: ${text}`);
    seen.push({ from: name, line });
    for (const w of [...waiters]) {
      if (w.pred(name, line)) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve(line);
      }
    }
  });
  return child;
}

const children = new Map<string, ChildProcess>();
try {
  // 1. All three at once: whichever starts first leads for a moment, a ends up leading.
  for (const n of names) children.set(n, startOne(n));
  for (const n of names) await waitLine((f, l) => f === n && l.ready === n, `ready of ${n}`);
  await waitLine((f, l) => f === C && l.datos === 'surrendered' && l.leader === A, 'c following a');
  await waitLine((f, l) => f === B && l.datos === 'surrendered' && l.leader === A, 'b following a');

  // 2.
  children.get(C)!.stdin!.write(JSON.stringify({ put: 'colour', value: 'blue' }) + '\n');
  const first = await waitLine((f, l) => f === C && (l.to as Line | undefined)?.put === 'colour', 'answer to the first put');
  const seenBy: string[] = [];
  for (const n of [B, C]) {
    await waitLine((f, l) => f === n && l.datos === 'fromLeader' && l.put === 'colour', `broadcast on ${n}`);
    seenBy.push(n);
  }

  // 3.
  const killedAt = Date.now();
  children.get(A)!.kill('SIGKILL');
  await waitLine((f, l) => f === B && l.datos === 'elected' && l.joined === null, 'b elected');
  const electedAfterKillMs = Date.now() - killedAt;
  const down = await waitLine((f, l) => f === B && l.datos === 'handleDOWN', 'handleDOWN on b');
  await waitLine((f, l) => f === C && l.datos === 'surrendered' && l.leader === B, 'c following b');

  // 4.
  children.get(C)!.stdin!.write(JSON.stringify({ put: 'size', value: 3 }) + '\n');
  const second = await waitLine((f, l) => f === C && (l.to as Line | undefined)?.put === 'size', 'answer to the second put');
  await waitLine((f, l) => f === C && l.datos === 'fromLeader' && l.put === 'size', 'second broadcast on c');
  children.get(C)!.stdin!.write(JSON.stringify({ get: 'colour' }) + '\n');
  const colour = await waitLine((f, l) => f === C && (l.to as Line | undefined)?.get === 'colour', 'get colour');
  children.get(C)!.stdin!.write(JSON.stringify({ get: 'size' }) + '\n');
  const size = await waitLine((f, l) => f === C && (l.to as Line | undefined)?.get === 'size', 'get size');

  console.log(JSON.stringify({
    firstLeader: (first.answer as Line).leader,
    broadcastSeenBy: seenBy,
    secondLeader: (second.answer as Line).leader,
    handleDOWN: down.down,
    electedAfterKillMs,
    colour: colour.answer,
    size: size.answer,
  }));
} finally {
  for (const c of children.values()) {
    if (c.exitCode === null && c.signalCode === null) {
      c.stdin!.end();
      const t = setTimeout(() => c.kill('SIGKILL'), 5000);
      await new Promise((r) => c.once('exit', r));
      clearTimeout(t);
    }
  }
  await mapper.close();
}
