// The published package works when installed: `npm pack` (prepack builds dist/), install
// the tarball into a fresh project, and use it there as a user would — plain `.mjs` on 0 and
// 2 schedulers with a module-defined actor, the typed GenServer API checked by tsc (a wrong
// message type is a compile error), the module hooks through the package's bin, and the
// guarded-script pattern of the README, two named nodes talking over TCP, `switchboard node`,
// and the cluster services and the Erlang term codec (from JS on 0 and 2 schedulers, typed from TS).
//
// Offline-friendly: the dependencies come from the npm cache that `npm ci` filled
// (`--prefer-offline`); every child process is bounded in time.
import { execFile, spawn } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { freePort } from '../dist/fixtures/free-port.ts';

const repo = fileURLToPath(new URL('../../', import.meta.url));
const fixtures = fileURLToPath(new URL('./fixtures/consumer/', import.meta.url));
const tsc = join(repo, 'node_modules/typescript/bin/tsc');
const kStepMs = 180_000;

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * The environment for child npm/node processes: without the npm_* variables of an
 * enclosing `npm test` (npm_config_local_prefix would make `npm install` install into the
 * repository), keeping where the cache and the configuration are.
 */
function childEnv(): NodeJS.ProcessEnv {
  const keep = new Set(['npm_config_cache', 'npm_config_userconfig', 'npm_config_globalconfig', 'npm_config_registry', 'npm_config_cafile']);
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!k.toLowerCase().startsWith('npm_') || keep.has(k.toLowerCase())) env[k] = v;
  delete env.INIT_CWD;
  return env;
}

function run(cmd: string, args: string[], cwd: string, timeoutMs = kStepMs): Promise<Run> {
  return new Promise((resolve) => {
    execFile(cmd, args, { cwd, env: childEnv(), timeout: timeoutMs, maxBuffer: 16 * 1024 * 1024 }, (err, stdout, stderr) => {
      const code = err === null ? 0 : typeof (err as { code?: unknown }).code === 'number' ? ((err as { code: number }).code) : null;
      resolve({ code, stdout: String(stdout), stderr: String(stderr) });
    });
  });
}

function ok(r: Run, what: string): Run {
  if (r.code !== 0) throw new Error(`${what} failed (exit ${String(r.code)}):\n${r.stdout}\n${r.stderr}`);
  return r;
}

/** The JSON lines a script printed. */
function lines(r: Run): unknown[] {
  return r.stdout.trim().split('\n').filter((l) => l !== '').map((l) => JSON.parse(l) as unknown);
}

let work = '';
let project = '';
let tarball = '';

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'switchboard-pack-'));
  ok(await run('npm', ['pack', '--pack-destination', work], repo), 'npm pack');
  const tgz = readdirSync(work).filter((f) => f.endsWith('.tgz'));
  expect(tgz).toHaveLength(1);
  tarball = join(work, tgz[0]!);

  project = join(work, 'consumer');
  cpSync(fixtures, project, { recursive: true });
  writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'consumer', private: true, type: 'module' }, null, 2));
  const compilerOptions = {
    target: 'ES2022',
    module: 'NodeNext',
    moduleResolution: 'NodeNext',
    strict: true,
    noEmit: true,
    allowImportingTsExtensions: true,
    // Check the package's own .d.ts files too: they must compile for a consumer.
    skipLibCheck: false,
    types: ['node'],
    typeRoots: [join(repo, 'node_modules/@types')],
  };
  // One tsc run checks the good files and the wrong one together (each run type-checks all
  // of @types/node with skipLibCheck off, ~10 s): the wrong call must be the only error.
  writeFileSync(join(project, 'tsconfig.json'), JSON.stringify({ compilerOptions, files: ['typed-client.ts', 'ts-threads.ts', 'hooks.ts', 'cluster-typed.ts', 'typed-client-wrong.ts'] }, null, 2));
  ok(await run('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', tarball], project), 'npm install <tarball>');
}, 2 * kStepMs + 30_000);

afterAll(() => {
  if (work !== '') rmSync(work, { recursive: true, force: true });
});

describe('package: npm pack, install the tarball, use it', () => {
  it('ships the build, the declarations, the bin, the README and docs, and no sources, tests, benchmarks or CI scripts', async () => {
    const files = ok(await run('tar', ['-tzf', tarball], work), 'tar -tzf').stdout.split('\n').filter((f) => f !== '');
    for (const f of ['package/package.json', 'package/README.md', 'package/dist/index.js', 'package/dist/compiler/index.js', 'package/dist/compiler/register.js', 'package/dist/types/index.d.ts', 'package/dist/types/compiler/index.d.ts', 'package/scripts/switchboard.mjs', 'package/docs/architecture.md', 'package/docs/cluster/pg.md', 'package/docs/cluster/delivery.md', 'package/docs/cluster/leader.md', 'package/docs/erlang-interop.md']) {
      expect(files).toContain(f);
    }
    expect(files.filter((f) => /^package\/(src|test|native-bench|examples)\//.test(f))).toEqual([]);
    expect(files.filter((f) => /^package\/scripts\//.test(f)).sort()).toEqual(['package/scripts/run-ts.mjs', 'package/scripts/switchboard.mjs']);
  }, kStepMs);

  it('a plain .mjs script on 2 schedulers: the module-defined actor runs on each worker thread, answers calls and runs dirty work', async () => {
    const r = ok(await run(process.execPath, ['main.mjs', '2'], project, 60_000), 'node main.mjs 2');
    expect(lines(r)).toEqual([
      { schedulers: 2, answers: [{ n: 42, onWorker: true }, { dirty: 42 * 42 }, { n: 43, onWorker: true }, { dirty: 43 * 43 }] },
    ]);
  }, kStepMs);

  // Needs startNode({ schedulers: 0 }) (issue 10, point 3): one scheduler on the calling thread.
  it('the same script on 0 schedulers: the actor runs on the calling thread', async () => {
    const r = ok(await run(process.execPath, ['main.mjs', '0'], project, 60_000), 'node main.mjs 0');
    expect(lines(r)).toEqual([{ schedulers: 0, answers: [{ n: 42, onWorker: false }] }]);
  }, kStepMs);

  it('a script that holds its behaviour and guards its top-level code with isMainThread runs that code once', async () => {
    const r = ok(await run(process.execPath, ['guarded.mjs'], project, 60_000), 'node guarded.mjs');
    expect(lines(r)).toEqual([{ echo: 'hi', onWorker: true }]);
  }, kStepMs);

  it('the cluster services and the Erlang term codec from JS (0 and 2 schedulers): Global, Pg, Delivery, GenLeader, EtfEncoder/EtfDecoder', async () => {
    for (const schedulers of ['0', '2']) {
      const r = ok(await run(process.execPath, ['cluster.mjs', schedulers], project, 60_000), `node cluster.mjs ${schedulers}`);
      expect(lines(r)).toEqual([{
        schedulers: Number(schedulers),
        pg: { server: 'pg:default', members: 1, isReceiver: true },
        delivery: { ok: true, attempts: 1, duplicate: false, byReceiver: true },
        leader: { sum: 5, leader: 'pkc@127.0.0.1' },
        global: { registered: 'yes', isReceiver: true, delivered: true },
        // term_to_binary({ok, 42}): 131 (version), SMALL_TUPLE 2, SMALL_ATOM_UTF8 "ok", SMALL_INTEGER 42.
        etf: { bytes: [131, 104, 2, 119, 2, 111, 107, 97, 42], back: true },
      }]);
    }
  }, 2 * kStepMs);

  /** The consumer's one tsc run, shared by the two type-checking tests below. */
  let typecheck: Promise<Run> | undefined;
  const consumerTsc = (): Promise<Run> => (typecheck ??= run(process.execPath, [tsc, '--noEmit', '-p', 'tsconfig.json'], project));

  it('the typed GenServer API (and the Scheduler, Context and hooks used by the other .ts files, the cluster and ETF APIs of cluster-typed.ts) type-checks in the consumer with tsc', async () => {
    const r = await consumerTsc();
    // Every error line names typed-client-wrong.ts: the other files and the package's own
    // declarations (skipLibCheck is off) compile cleanly.
    const errorLines = r.stdout.split('\n').filter((l) => / error TS\d+/.test(l));
    expect(errorLines.filter((l) => !l.startsWith('typed-client-wrong.ts('))).toEqual([]);
    expect(r.stderr).toBe('');
  }, kStepMs);

  it('a call with a wrong message type is a compile error in the consumer', async () => {
    const r = await consumerTsc();
    expect(r.code).toBe(2);
    // The one error: line 8, `GenServer.call(node, pid, { add: 'one' })`, `add` is a number.
    expect(r.stdout.match(/error TS\d+/g)).toEqual(['error TS2769']);
    expect(r.stdout).toContain('typed-client-wrong.ts(8,');
    expect(r.stdout).toContain("Type 'string' is not assignable to type 'number'");
  }, kStepMs);

  it('two named nodes of the installed package talk over TCP (0 and 2 schedulers): call by { name, node }, nodedown', async () => {
    for (const schedulers of ['0', '2']) {
      const r = ok(await run(process.execPath, ['dist-pair.mjs', 'a', schedulers], project, 60_000), `node dist-pair.mjs a ${schedulers}`);
      expect(JSON.parse(r.stdout.trim())).toEqual({ answer: { echo: 'hi', node: 'pkb@127.0.0.1' }, nodes: ['pkb@127.0.0.1'], nodedown: 'pkb@127.0.0.1' });
    }
  }, 2 * kStepMs);

  it('the bin runs a named node from the installed package until SIGTERM (switchboard node)', async () => {
    const pm = await freePort();
    const child = spawn(join(project, 'node_modules/.bin/switchboard'), ['node', '--name', 'pkcli@127.0.0.1', '--cookie', 'k', '--port-mapper', `127.0.0.1:${pm}`], { cwd: project, env: childEnv() });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    const exited = new Promise<number | null>((r) => child.on('exit', (c) => r(c)));
    await vi.waitFor(() => expect(out).toContain('node pkcli@127.0.0.1 listening'), { timeout: 30_000, interval: 50 });
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(out).toContain('node pkcli@127.0.0.1 stopped');
  }, kStepMs);

  it("the bin runs a TypeScript file with the package's module hooks: spinner.ts is instrumented and its runaway loop killed", async () => {
    const r = ok(await run(join(project, 'node_modules/.bin/switchboard'), ['run', 'hooks.ts'], project, 60_000), 'switchboard run hooks.ts');
    expect(lines(r)).toEqual([{ killed: 'runaway' }]);
    const viaImport = ok(await run(process.execPath, ['--import', 'switchboard/compiler/register', 'hooks.ts'], project, 60_000), 'node --import switchboard/compiler/register hooks.ts');
    expect(lines(viaImport)).toEqual([{ killed: 'runaway' }]);
  }, kStepMs);

  it('a TypeScript behaviour runs on a scheduler thread of the installed package (the thread loads it through the hooks)', async () => {
    const r = ok(await run(join(project, 'node_modules/.bin/switchboard'), ['run', 'ts-threads.ts'], project, 60_000), 'switchboard run ts-threads.ts');
    expect(lines(r)).toEqual([{ n: 42, mainThread: true }]);
  }, kStepMs);
});
