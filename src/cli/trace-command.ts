/**
 * `switchboard trace`: record a timeline trace of a node started in this process and write
 * it as a Chrome Trace Event Format file (open it in ui.perfetto.dev or chrome://tracing).
 *
 *   switchboard trace --seconds S --run <module> [--schedulers N] [--buffer-events N]
 *                     [--sample-slices N] [--clock-every N] -o trace.json
 *   switchboard trace --seconds S --node a@h [--cookie C] [--port-mapper host:port |
 *                     --address host:port] [--buffer-events N] [--sample-slices N] -o trace.json
 *
 * scripts/switchboard.mjs parses the flags (commander) and runs this file in a child
 * process through the module hooks, with the options as one JSON argument (as `switchboard
 * top` does).
 *
 * Run, in order:
 *   1. Check the options (traceCommandOptions): TraceCommandError for a bad one,
 *      `switchboard trace: <message>` on stderr, exit 2.
 *   2. startNode({ schedulers }) (default 0: one scheduler on this thread), import --run's
 *      module (resolved against the working directory) and await its exported
 *      `start(node)` if it has one.
 *   3. startTrace(node, { bufferEvents, sampleSlices, clockEvery }) (src/profile/trace/),
 *      wait --seconds, stopTrace. With --node instead of 2-3: attach as a hidden node
 *      (src/profile/remote/remote-source.ts) and have that node's profile agent record it
 *      (the agent's protocol carries bufferEvents and sampleSlices: --clock-every is
 *      refused there, the remote node records with the default); the remote node goes on
 *      running afterwards.
 *   4. Write the trace (JSON) to --output, stop the node, print
 *      `switchboard trace: <n> events written to <file>` and exit 0. A failure in 2-4:
 *      the message on stderr, the node stopped, exit 1.
 * Erlang mapping: `ttb:tracer/2`, `ttb:p(all, [running, timestamp])`, `timer:sleep(S)`,
 * `ttb:stop([format])`; with --node, ttb on that node from a hidden one.
 */
import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Node } from '../core/node.ts';
import { startNode } from '../dist/start-node.ts';
import { TraceCommandError } from '../profile/trace/errors.ts';
import { kDefaultBufferEvents, kDefaultClockEvery, startTrace, stopTrace } from '../profile/trace/trace-session.ts';
import { remoteFlags } from '../profile/remote/attach-flags.ts';
import { attachRemote, type AttachRemoteOptions, type RemoteAttachment } from '../profile/remote/remote-source.ts';

/** The options of `switchboard trace`, as scripts/switchboard.mjs passes them. */
export interface TraceCommandOptions {
  readonly run?: string;
  readonly seconds?: number;
  readonly schedulers?: number;
  readonly bufferEvents?: number;
  readonly sampleSlices?: number;
  readonly clockEvery?: number;
  readonly output?: string;
  readonly node?: string;
  readonly cookie?: string;
  readonly portMapper?: string;
  readonly address?: string;
}

export interface TraceSettings {
  /** null with --node. */
  readonly run: string | null;
  readonly remote: AttachRemoteOptions | null;
  readonly seconds: number;
  readonly schedulers: number;
  readonly bufferEvents: number;
  readonly sampleSlices: number;
  readonly clockEvery: number;
  readonly output: string;
}

const kKnown = new Set(['run', 'seconds', 'schedulers', 'bufferEvents', 'sampleSlices', 'clockEvery', 'output', 'node', 'cookie', 'portMapper', 'address']);

function intIn(flag: string, v: unknown, min: number, max: number): number {
  if (!Number.isInteger(v) || (v as number) < min || (v as number) > max) throw new TraceCommandError(`switchboard trace: ${flag} must be an integer ${min}..${max}, got ${String(v)}`);
  return v as number;
}

/** Step 1. */
export function traceCommandOptions(o: TraceCommandOptions): TraceSettings {
  for (const k of Object.keys(o)) if (!kKnown.has(k)) throw new TraceCommandError(`switchboard trace: unknown option "${k}"`);
  const remote = remoteFlags('trace', o, (m) => new TraceCommandError(m));
  if (remote !== null && o.clockEvery !== undefined) throw new TraceCommandError('switchboard trace: --clock-every applies to --run only (with --node the remote node records with the default)');
  if (remote === null && (typeof o.run !== 'string' || o.run === '')) throw new TraceCommandError('switchboard trace: --run <module> or --node <name> is required (the module whose start(node) runs in the node, or the running node to trace)');
  if (typeof o.output !== 'string' || o.output === '') throw new TraceCommandError('switchboard trace: -o, --output <file> is required');
  const seconds = o.seconds;
  if (typeof seconds !== 'number' || !Number.isFinite(seconds) || seconds <= 0 || seconds > 3600) {
    throw new TraceCommandError(`switchboard trace: --seconds must be a number in (0, 3600], got ${String(seconds)}`);
  }
  return {
    run: remote === null ? (o.run as string) : null,
    remote,
    seconds,
    schedulers: intIn('--schedulers', o.schedulers ?? 0, 0, 1024),
    bufferEvents: intIn('--buffer-events', o.bufferEvents ?? kDefaultBufferEvents, 16, 10_000_000),
    sampleSlices: intIn('--sample-slices', o.sampleSlices ?? 1, 1, 1_000_000),
    clockEvery: intIn('--clock-every', o.clockEvery ?? kDefaultClockEvery, 1, 1024),
    output: o.output,
  };
}

/** Steps 2-4: resolves with the exit code. */
export async function runTraceCommand(o: TraceCommandOptions, err: (line: string) => void = (l) => process.stderr.write(l + '\n')): Promise<number> {
  let settings: TraceSettings;
  try {
    settings = traceCommandOptions(o);
  } catch (e) {
    err(e instanceof Error ? e.message : String(e));
    return 2;
  }
  let node: Node | undefined;
  let remote: RemoteAttachment | undefined;
  try {
    if (settings.remote !== null) {
      remote = await attachRemote(settings.remote);
      const trace = await remote.trace(settings.seconds, { bufferEvents: settings.bufferEvents, sampleSlices: settings.sampleSlices });
      await writeFile(settings.output, JSON.stringify(trace));
      await remote.close();
      process.stdout.write(`switchboard trace: ${trace.traceEvents.length} events written to ${settings.output}\n`);
      return 0;
    }
    node = await startNode({ schedulers: settings.schedulers });
    const mod = (await import(pathToFileURL(resolve(settings.run!)).href)) as { start?: unknown };
    if (typeof mod.start === 'function') await (mod.start as (n: Node) => unknown)(node);
    await startTrace(node, { bufferEvents: settings.bufferEvents, sampleSlices: settings.sampleSlices, clockEvery: settings.clockEvery });
    await new Promise((r) => setTimeout(r, settings.seconds * 1000));
    const trace = await stopTrace(node);
    await writeFile(settings.output, JSON.stringify(trace));
    await node.stop();
    process.stdout.write(`switchboard trace: ${trace.traceEvents.length} events written to ${settings.output}\n`);
    return 0;
  } catch (e) {
    err(`switchboard trace: ${e instanceof Error ? e.message : String(e)}`);
    if (node?.running === true) await node.stop().catch(() => {});
    await remote?.close().catch(() => {});
    return 1;
  }
}

/** Entry: `trace-command.ts '<options JSON>'` (from scripts/switchboard.mjs). */
async function main(): Promise<void> {
  let o: TraceCommandOptions;
  try {
    o = JSON.parse(process.argv[2] ?? '{}') as TraceCommandOptions;
  } catch {
    process.stderr.write('switchboard trace: the options argument is not JSON\n');
    process.exit(2);
  }
  const code = await runTraceCommand(o);
  process.stdout.write('', () => process.exit(code));
}

if (process.argv[1] !== undefined && pathToFileURL(process.argv[1]).href === import.meta.url) await main();
