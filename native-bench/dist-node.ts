/**
 * One Switchboard node process of the dist workload: the twin of sb_dist_peer.erl (role b)
 * and sb_dist.erl run by sb_bench (role a). dist-switchboard.ts starts B, waits for its
 * ready line, then starts A.
 *
 *   node --expose-gc scripts/run-ts.mjs native-bench/dist-node.ts b name=<b> schedulers=N \
 *        port_mapper=4369 timeout_ms=N
 *   node --expose-gc scripts/run-ts.mjs native-bench/dist-node.ts a name=<a> peer=<b> \
 *        schedulers=N port_mapper=4369 timeout_ms=N preset=full|quick [key=value ...]
 * The cookie comes from SWITCHBOARD_COOKIE (startNode's own fallback, also passed as the
 * `cookie` option). `schedulers` is startNode's: 0 = LocalNode, N = ThreadedNode.
 *
 * Output, one JSON object per line on stdout (as the other drivers):
 *   B: {"ready":true,"node":"<b>"} once its servers are registered; it then runs until A
 *      has connected and gone (nodedown), SIGTERM, its stdin closing (the bench is gone),
 *      or its watchdog; it stops the node and exits 0.
 *   A: one metric line per figure, the same variants and metrics as sb_dist.erl (plus
 *      node_call_p50/p99: the GenServer calls made from the embedding thread), then exit 0.
 *   Failure: {"error": "..."} and exit 1 (workload), 2 (arguments), 3 (watchdog), or
 *      4 with "unavailable": true when startNode refuses the distribution options (the
 *      node side of issue 11 is not in this build), or starts a node that did not take
 *      the name (a node kind without distribution yet).
 */
import { GenServer } from '../src/otp/gen-server.ts';
import type { Pid } from '../src/core/pid.ts';
import { DistCounter, DistDriver, DistEcho, DistPinger, DistSink, kEchoName, kServerName, kSinkName, nearestRank, type DriverOp } from './dist-actors.ts';
import { isDistUnavailable, startDistNode, type DistNode } from './dist-api.ts';

/** Same names and presets as sb_dist.erl's params/1. */
export const distParams = {
  full: { messages: 1_000_000, echoes: 100_000, calls: 100_000, big_mib: 200, big_count: 3, ping_ms: 10, idle_ms: 1000 },
  quick: { messages: 10_000, echoes: 1000, calls: 1000, big_mib: 20, big_count: 1, ping_ms: 10, idle_ms: 200 },
} as const;
type Params = { -readonly [K in keyof typeof distParams.full]: number };

function fail(code: number, error: string, extra: Record<string, unknown> = {}): never {
  process.stdout.write(JSON.stringify({ error, ...extra }) + '\n');
  process.exit(code);
}

const [role, ...kv] = process.argv.slice(2);
if (role !== 'a' && role !== 'b') fail(2, `dist-node: role must be a or b, not ${role ?? '(none)'}`);
const args: Record<string, string> = {};
for (const a of kv) {
  const i = a.indexOf('=');
  if (i <= 0) fail(2, `dist-node: bad argument ${a} (expected key=value)`);
  args[a.slice(0, i)] = a.slice(i + 1);
}
const name = args.name ?? fail(2, 'dist-node: name=<node name> is required');
const schedulers = Number(args.schedulers ?? 0);
const portMapper = Number(args.port_mapper ?? 4369);
const timeoutMs = Number(args.timeout_ms ?? 600_000);
const cookie = process.env.SWITCHBOARD_COOKIE;
const watchdog = setTimeout(() => fail(3, `watchdog: dist node ${role} ran past ${timeoutMs} ms`), timeoutMs);
watchdog.unref();

let node: DistNode;
try {
  // SB_DIST_SPIN_US (bench knob, both roles): the ThreadedNode's spinUs, for A/B runs of it.
  const spin = process.env.SB_DIST_SPIN_US;
  const threadOpts = schedulers > 0 && spin !== undefined && spin !== '' ? { spinUs: Number(spin) } : {};
  node = await startDistNode({ schedulers, name, ...threadOpts, ...(cookie ? { cookie } : {}), dist: { portMapper: { host: '127.0.0.1', port: portMapper } } });
} catch (e) {
  if (isDistUnavailable(e)) fail(4, (e as Error).message, { unavailable: true });
  fail(1, `startNode: ${e instanceof Error ? `${e.message}\n${e.stack}` : String(e)}`);
}
// A node kind without distribution yet may take the name and stay local: unavailable too.
if (node.name !== name) {
  await stopBounded(node);
  fail(4, `startNode({ schedulers: ${schedulers}, name }) started a node named ${JSON.stringify(node.name)}, not ${JSON.stringify(name)}: no distribution on this node kind`, { unavailable: true });
}

try {
  if (role === 'b') await serve(node);
  else await measure(node, args);
} catch (e) {
  fail(1, e instanceof Error ? `${e.message}\n${e.stack}` : String(e));
}
process.exit(0);

/** node.stop(), given at most 5 s: the process exits next either way. */
async function stopBounded(n: DistNode): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([n.stop(), new Promise<void>((r) => (timer = setTimeout(r, 5000)))]);
  clearTimeout(timer);
}

/** Role b: register the servers, say ready, run until A is gone or we are told to stop. */
async function serve(n: DistNode): Promise<void> {
  await n.register(kSinkName, await n.spawn(DistSink, []));
  await n.register(kEchoName, await n.spawn(DistEcho, []));
  await GenServer.start(n, DistCounter, [], { name: kServerName });
  let seen = false;
  await new Promise<void>((resolve) => {
    n.on('nodeup', () => (seen = true));
    n.on('nodedown', () => seen && resolve());
    process.once('SIGTERM', resolve);
    process.stdin.on('end', resolve).on('error', resolve).resume();
    process.stdout.write(JSON.stringify({ ready: true, node: n.name }) + '\n');
  });
  await stopBounded(n);
}

/** Role a: the measurements of sb_dist.erl, in the same order, the same lines. */
async function measure(n: DistNode, a: Record<string, string>): Promise<void> {
  const preset = a.preset ?? 'full';
  if (preset !== 'full' && preset !== 'quick') fail(2, `preset must be full or quick, not ${preset}`);
  const p: Params = { ...distParams[preset] };
  for (const [k, v] of Object.entries(a)) {
    if (['name', 'peer', 'schedulers', 'port_mapper', 'timeout_ms', 'preset'].includes(k)) continue;
    if (!(k in p)) fail(2, `unknown parameter ${k} for dist; known: ${Object.keys(p).join(', ')}`);
    const x = Number(v.replaceAll('_', ''));
    if (!Number.isFinite(x)) fail(2, `parameter ${k} must be a number`);
    p[k as keyof Params] = x;
  }
  const peer = a.peer ?? fail(2, 'dist-node: peer=<node B> is required for role a');
  if (!(await n.connectNode(peer))) throw new Error(`dist: cannot connect to ${peer}`);
  const emit = (variant: string, metric: string, unit: string, value: number, better: 'lower' | 'higher', extra: Record<string, unknown> = {}): void => {
    process.stdout.write(JSON.stringify({ workload: 'dist', variant, metric, unit, value, better, schedulers: n.schedulers, ...extra }) + '\n');
  };
  const driver = await n.spawn(DistDriver, []);
  const run = <R>(op: DriverOp): Promise<R> => n.call<R>(driver, op, timeoutMs);
  const sink = await run<Pid>({ op: 'whois', to: { name: kSinkName, node: peer }, tag: 'sink' });
  const echo = await run<Pid>({ op: 'whois', to: { name: kEchoName, node: peer }, tag: 'echo' });

  // 2. small messages
  await run({ op: 'small', sink, n: Math.min(10_000, Math.max(1, Math.floor(p.messages / 10))) }); // warm-up
  const small = await run<{ ns: number; sinkNs: number }>({ op: 'small', sink, n: p.messages });
  emit(`small_${p.messages}`, 'msgs_per_s', 'msgs/s', p.messages / (small.ns / 1e9), 'higher',
    { messages: p.messages, sink_msgs_per_s: p.messages / (Math.max(1, small.sinkNs) / 1e9) });

  // 3. echo
  await run({ op: 'echo', echo, n: Math.min(1000, p.echoes) });
  const e = await run<{ p50: number; p99: number }>({ op: 'echo', echo, n: p.echoes });
  emit(`echo_${p.echoes}`, 'rtt_p50', 'us', e.p50, 'lower', { samples: p.echoes });
  emit(`echo_${p.echoes}`, 'rtt_p99', 'us', e.p99, 'lower', { samples: p.echoes });

  // 4. GenServer.call to { name, node } from an actor (as gen_server:call from a process)
  const server = { name: kServerName, node: peer };
  const warm = await run<{ before: number; after: number }>({ op: 'call', server, n: Math.min(1000, p.calls) });
  const c = await run<{ p50: number; p99: number; before: number; after: number }>({ op: 'call', server, n: p.calls });
  if (c.before !== warm.after || c.after !== c.before + p.calls) throw new Error(`dist: counter is ${c.after}, expected ${warm.after + p.calls}`);
  emit(`call_${p.calls}`, 'call_p50', 'us', c.p50, 'lower', { samples: p.calls });
  emit(`call_${p.calls}`, 'call_p99', 'us', c.p99, 'lower', { samples: p.calls });
  // The same calls from the embedding thread (node.call to { name, node }): what code
  // outside any actor sees. No BEAM twin (there every caller is a process).
  const viaNode = new Float64Array(p.calls);
  for (let i = 0; i < p.calls; i++) {
    const t0 = performance.now();
    await n.call(server, 'incr', timeoutMs);
    viaNode[i] = (performance.now() - t0) * 1000;
  }
  viaNode.sort();
  const note = 'node.call from the embedding thread; no BEAM twin';
  emit(`call_${p.calls}`, 'node_call_p50', 'us', nearestRank(viaNode, 0.5), 'lower', { samples: p.calls, note });
  emit(`call_${p.calls}`, 'node_call_p99', 'us', nearestRank(viaNode, 0.99), 'lower', { samples: p.calls, note });

  // 5. big binary with a ping over the same connection
  const bytes = p.big_mib * 1024 * 1024;
  const pinger = await n.spawn(DistPinger, [echo, p.ping_ms]);
  await new Promise((r) => setTimeout(r, p.idle_ms));
  const windows = await run<number[]>({ op: 'big', sink, bytes, count: p.big_count });
  const samples = await n.call<number[]>(pinger, 'samples', 60_000);
  const idle: number[] = [];
  const busy: number[] = [];
  let totalMs = 0;
  for (let w = 0; w < windows.length; w += 2) totalMs += windows[w + 1]! - windows[w]!;
  for (let i = 0; i < samples.length; i += 2) {
    const sent = samples[i]!;
    if (sent < windows[0]!) idle.push(samples[i + 1]!);
    else for (let w = 0; w < windows.length; w += 2) if (sent >= windows[w]! && sent <= windows[w + 1]!) busy.push(samples[i + 1]!);
  }
  const v = `big_${p.big_mib}MiB`;
  emit(v, 'mib_per_s', 'MiB/s', (p.big_mib * p.big_count) / (totalMs / 1000), 'higher', { transfers: p.big_count, bytes });
  for (const [prefix, ms] of [['ping_idle', idle], ['ping_busy', busy]] as const) {
    if (ms.length === 0) continue; // a transfer shorter than one ping period: no figure (as sb_dist.erl)
    ms.sort((x, y) => x - y);
    emit(v, `${prefix}_p50`, 'ms', nearestRank(ms, 0.5), 'lower', { samples: ms.length });
    emit(v, `${prefix}_p99`, 'ms', nearestRank(ms, 0.99), 'lower', { samples: ms.length });
    emit(v, `${prefix}_max`, 'ms', nearestRank(ms, 1), 'lower', { samples: ms.length });
  }
  await stopBounded(n);
}
