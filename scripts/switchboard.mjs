#!/usr/bin/env node
// The `switchboard` command (package.json "bin"): `npx switchboard bench [options]`.
//
//   switchboard bench [--quick] [--only <regex>] [--runs N] [--schedulers 1,2] [--no-beam]
//       the side-by-side benchmark (native-bench/run.ts), the same as `npm run bench --`
//   switchboard bench:micro        core micro-benchmarks (native-bench/micro.ts)
//   switchboard bench:threads      multi-thread node benchmark (native-bench/threads-bench.ts)
//
//   switchboard run <file> [args...]
//       run a TypeScript or JavaScript file with Switchboard's module hooks (TypeScript,
//       reduction counting for modules that opt in)
//
//   switchboard node [--name a@127.0.0.1] [--cookie X] [--app module] [--hidden]
//                    [--port-mapper host:port] [--listen-port N] [--schedulers N]
//                    [--no-profile-agent]
//       run one node until SIGINT/SIGTERM (src/cli/node-command.ts): prints
//       `node <name> listening` when ready, `node <name> stopped` after a clean stop; a
//       named node runs the profile agent that `top|observe|trace --node` attach to
//
//   switchboard top (--run <module> [--schedulers N] | --node a@h [--cookie C]
//                   [--port-mapper host:port | --address host:port]) [--interval ms]
//                   [--sort reductions|mailbox|memory] [--limit N]
//       a live view of a node started in the same process, or of a running named node
//       (attached as a hidden node) (src/cli/top-command.ts):
//       scheduler utilisation, run queues, top actors; keys r / m / y sort, q quits; a
//       plain periodic print when stdout is not a terminal
//
//   switchboard observe [--run <module>] [--schedulers N] [--node a@h --cookie C ...]
//                       [--port N] [--host H] [--token T] [--interval ms] [--history N]
//                       [--max-clients N]
//       the observer web page (src/cli/observe-command.ts): prints
//       `switchboard observe: <node> at <url>`; serves until SIGINT/SIGTERM
//
//   switchboard trace --seconds S --run <module> [--schedulers N] [--buffer-events N]
//                     [--sample-slices N] [--clock-every N] -o trace.json
//       record a timeline trace (src/cli/trace-command.ts): which actor ran on which
//       scheduler when, parked periods and GC, as a Chrome Trace Event Format file
//       (Perfetto, chrome://tracing)
//
// Each command runs its entry in a child Node.js process through scripts/run-ts.mjs
// (Switchboard's module hooks, no build step) with the options passed through unchanged;
// the child's exit code is this command's exit code; SIGINT and SIGTERM sent to this
// process are passed on to the child (which decides how to end). The bench commands need
// the repository (native-bench/ is not in the published package); `run` works from an
// install; `node` needs src/cli/ (the repository) for now.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Command, InvalidArgumentError } from 'commander';

const root = fileURLToPath(new URL('../', import.meta.url));
const runTs = fileURLToPath(new URL('./run-ts.mjs', import.meta.url));

function run(entry, args) {
  const file = root + entry;
  if (!existsSync(file)) {
    process.stderr.write(`switchboard: ${entry} is not in this installation (the bench commands need the repository)\n`);
    process.exit(2);
  }
  runFile(file, args);
}

/**
 * How a file runs with the module hooks. From the repository, through run-ts.mjs: the
 * threads layer passes the hooks to each scheduler thread it starts. From an installed
 * package (no src/), with `--import <dist>/compiler/register.js`: the threads layer
 * passes no hooks from a build, but a worker thread inherits the parent's `--import`, so
 * a `.ts` behaviour loads on every scheduler thread too.
 */
const builtRegister = fileURLToPath(new URL('../dist/compiler/register.js', import.meta.url));
const hooked = existsSync(root + 'src/compiler/bootstrap.mjs') || !existsSync(builtRegister) ? [runTs] : ['--import', pathToFileURL(builtRegister).href];

function runFile(file, args) {
  const child = spawn(process.execPath, [...hooked, file, ...args], { stdio: 'inherit' });
  // Without this, a signal would end this process and leave the child running, orphaned.
  for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => child.kill(sig));
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
}

/** A commander option parser for an integer in [min, max]. */
function integerIn(flag, min, max) {
  return (v) => {
    const n = Number(v);
    if (!/^\d+$/.test(v) || n < min || n > max) throw new InvalidArgumentError(`${flag} must be an integer ${min}..${max}`);
    return n;
  };
}

function positiveSeconds(v) {
  const n = Number(v);
  if (!/^\d+(\.\d+)?$/.test(v) || !(n > 0) || n > 3600) throw new InvalidArgumentError('--seconds must be a number in (0, 3600]');
  return n;
}

function hostPort(v) {
  if (!/^(\[[^\]]+\]|[^:]+):\d{1,5}$/.test(v)) throw new InvalidArgumentError('must be host:port');
  return v;
}

const program = new Command('switchboard')
  .description('Switchboard: an Erlang/OTP-grade actor runtime for Node.js')
  .showHelpAfterError();

for (const [name, entry, what] of [
  ['bench', 'native-bench/run.ts', 'millions-of-actors workloads side by side with the BEAM (options as `npm run bench --`: --quick, --only <regex>, --runs N, --schedulers 1,2, --no-beam)'],
  ['bench:micro', 'native-bench/micro.ts', 'core micro-benchmarks (ns/op)'],
  ['bench:threads', 'native-bench/threads-bench.ts', 'multi-thread node: ring throughput vs postMessage, cross-scheduler round trip, scaling'],
]) {
  program
    .command(name)
    .description(what)
    .allowUnknownOption(true)
    .helpOption(false)
    .argument('[options...]')
    .action((opts) => run(entry, opts));
}

program
  .command('run')
  .description("run a TypeScript or JavaScript file with Switchboard's module hooks")
  .allowUnknownOption(true)
  .helpOption(false)
  .argument('<file>')
  .argument('[args...]')
  .action((file, args) => runFile(resolve(file), args));

program
  .command('node')
  .description('run one Switchboard node until SIGINT/SIGTERM; prints `node <name> listening` when ready')
  .option('--name <name>', 'node name, e.g. a@127.0.0.1 (without it: a local node, not distributed)')
  .option('--cookie <cookie>', 'the cookie (else $SWITCHBOARD_COOKIE, else ~/.erlang.cookie)')
  .option('--app <module>', 'a module to import once the node runs; its exported start(node) is called')
  .option('--hidden', 'a hidden node: not meshed, not in nodes()')
  .option('--port-mapper <host:port>', 'the port mapper to register with and look peers up in', hostPort)
  .option('--listen-port <port>', 'the distribution port to listen on (0: any free port)', integerIn('--listen-port', 0, 65535))
  .option('--schedulers <n>', 'scheduler threads (0: one scheduler on the main thread)', integerIn('--schedulers', 0, 1024), 0)
  .option('--no-profile-agent', 'a named node does not start the profile agent (no `top|observe|trace --node` attach)')
  .action((opts) => {
    // From the repository: the TypeScript source; from an installed package: its build.
    const entry = existsSync(root + 'src/cli/node-command.ts') ? 'src/cli/node-command.ts' : 'dist/cli/node-command.js';
    if (!existsSync(root + entry)) {
      process.stderr.write(`switchboard: ${entry} is not in this installation\n`);
      process.exit(2);
    }
    runFile(root + entry, [JSON.stringify(opts)]);
  });

/** The remote-attach options of top, observe and trace (src/profile/remote/attach-flags.ts). */
function remoteOptions(cmd) {
  return cmd
    .option('--node <name>', 'attach to this running named node (as a hidden node) instead of starting one')
    .option('--cookie <cookie>', 'with --node: the cookie (else $SWITCHBOARD_COOKIE, else ~/.erlang.cookie)')
    .option('--port-mapper <host:port>', 'with --node: the port mapper to look the node up in', hostPort)
    .option('--address <host:port>', "with --node: the node's distribution address (no port mapper)", hostPort);
}

function runCommandFile(name) {
  return (opts) => {
    const entry = existsSync(root + `src/cli/${name}-command.ts`) ? `src/cli/${name}-command.ts` : `dist/cli/${name}-command.js`;
    if (!existsSync(root + entry)) {
      process.stderr.write(`switchboard: ${entry} is not in this installation\n`);
      process.exit(2);
    }
    runFile(root + entry, [JSON.stringify(opts)]);
  };
}

remoteOptions(
  program
    .command('top')
    .description('a live view (schedulers, run queues, top actors) of a node started in this process (--run) or of a running named node (--node); keys r/m/y sort, q quits')
    .option('--run <module>', 'the module to import once the node runs; its exported start(node) is called')
    .option('--schedulers <n>', 'scheduler threads (0: one scheduler on the main thread)', integerIn('--schedulers', 0, 1024)),
)
  .option('--interval <ms>', 'refresh interval in milliseconds', integerIn('--interval', 100, 60000), 1000)
  .option('--sort <key>', 'initial sort: reductions, mailbox or memory', 'reductions')
  .option('--limit <n>', 'actor rows at most', integerIn('--limit', 1, 1000), 20)
  .action(runCommandFile('top'));

remoteOptions(
  program
    .command('observe')
    .description('serve the observer web page (schedulers over time, top actors, one actor, supervision tree, nodes) for a node started here (--run) or a running named node (--node)')
    .option('--run <module>', 'the module to import once the node runs; its exported start(node) is called')
    .option('--schedulers <n>', 'scheduler threads (0: one scheduler on the main thread)', integerIn('--schedulers', 0, 1024)),
)
  .option('--port <n>', 'TCP port of the page (0: any free port)', integerIn('--port', 0, 65535), 0)
  .option('--host <host>', 'address to bind (a non-loopback one needs a token)', '127.0.0.1')
  .option('--token <token>', 'every request must carry it (?token= or Authorization: Bearer); else $SWITCHBOARD_OBSERVE_TOKEN')
  .option('--interval <ms>', 'sample interval in milliseconds', integerIn('--interval', 100, 60000), 1000)
  .option('--history <n>', 'samples kept for a page opened later', integerIn('--history', 2, 10000), 120)
  .option('--max-clients <n>', 'pages open at once', integerIn('--max-clients', 1, 1000), 8)
  .exitOverride((err) => process.exit(err.exitCode === 0 ? 0 : 2))
  .action(runCommandFile('observe'));

remoteOptions(
  program
    .command('trace')
    .description('record a timeline trace (slices, parked, GC) of a node started in this process (--run) or of a running named node (--node), as a Chrome Trace Event Format file')
    .option('--run <module>', 'the module to import once the node runs; its exported start(node) is called'),
)
  .requiredOption('--seconds <s>', 'how long to trace, in seconds (0 < s <= 3600)', positiveSeconds)
  .requiredOption('-o, --output <file>', 'the file to write the trace to (JSON)')
  .option('--schedulers <n>', 'scheduler threads (0: one scheduler on the main thread)', integerIn('--schedulers', 0, 1024))
  .option('--buffer-events <n>', 'ring capacity per scheduler, in events (oldest overwritten)', integerIn('--buffer-events', 16, 10000000))
  .option('--sample-slices <n>', 'record one slice in n (default 1: every slice; cheaper on many short slices)', integerIn('--sample-slices', 1, 1000000))
  .option('--clock-every <n>', 'with every slice recorded, read the clock after every nth slice and interpolate the others (default 16; 1: exact times)', integerIn('--clock-every', 1, 1024))
  // A bad or missing option exits 2 (commander prints the message first); --help exits 0.
  .exitOverride((err) => process.exit(err.exitCode === 0 ? 0 : 2))
  .action(runCommandFile('trace'));

await program.parseAsync(process.argv);
