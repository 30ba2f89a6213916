import { afterEach, describe, expect, it } from 'vitest';
import { startPortMapper, type PortMapperServer } from '../../src/dist/port-mapper-server.ts';
import { attachRemote, RemoteAttachError } from '../../src/profile/remote/index.ts';
import { switchboard } from '../cli/fixtures/cli-process.ts';
import { startRemoteTarget, kCookie, type RemoteTarget } from './remote-target.ts';

// Attaching fails with a RemoteAttachError that says why: nobody by that name (port
// mapper without it), or a node that runs without the profile agent
// (--no-profile-agent). The CLI refuses flag mixes with exit 2 before attaching.

let target: RemoteTarget | undefined;
let mapper: PortMapperServer | undefined;
afterEach(async () => {
  await target?.stop();
  await mapper?.close();
  target = mapper = undefined;
});

describe('remote attach: failures', () => {
  it('no such node: RemoteAttachError naming it and where it was looked for', async () => {
    mapper = await startPortMapper({ port: 0 });
    const err = await attachRemote({ node: 'nobody@127.0.0.1', cookie: kCookie, portMapper: { host: '127.0.0.1', port: mapper.port } }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RemoteAttachError);
    expect((err as RemoteAttachError).code).toBe('ERR_SB_REMOTE_ATTACH');
    expect((err as Error).message).toBe(`cannot connect to nobody@127.0.0.1 through the port mapper at 127.0.0.1:${mapper.port}: is it running, and is the cookie the same?`);
  });

  it('a node without the agent: RemoteAttachError saying how to start it; the CLI exits 1 with it', { timeout: 90_000 }, async () => {
    target = await startRemoteTarget('remote-noagent@127.0.0.1', ['--no-profile-agent']);
    const err = await attachRemote({ node: target.name, cookie: kCookie, portMapper: { host: '127.0.0.1', port: target.mapper.port } }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RemoteAttachError);
    const text = "remote-noagent@127.0.0.1 runs no profile agent ('$sb_profile'): start it there with startProfileAgent(node), or run the node with `switchboard node --name ...`, which starts it";
    expect((err as Error).message).toBe(text);
    const p = switchboard(['top', ...target.flags]);
    expect(await p.exit(60_000)).toEqual({ code: 1, signal: null });
    expect(p.stderr).toBe(`switchboard top: ${text}\n`);
  });

  it('flag mixes are refused before attaching (exit 2)', { timeout: 90_000 }, async () => {
    const cases: [string[], string][] = [
      [['top', '--node', 'a@127.0.0.1', '--run', 'x.ts'], 'switchboard top: --run and --node exclude each other (--node attaches to a node that already runs its code)'],
      [['observe', '--cookie', 'c'], 'switchboard observe: --cookie needs --node (it is how to reach a remote node)'],
      [['trace', '--node', 'nohost', '--seconds', '1', '-o', '/tmp/x.json'], 'switchboard trace: --node must be a node name such as a@127.0.0.1, got "nohost"'],
      [['observe', '--node', 'a@127.0.0.1', '--schedulers', '2'], 'switchboard observe: --schedulers and --node exclude each other (the remote node has its own)'],
    ];
    const runs = cases.map(([args]) => switchboard(args));
    for (let i = 0; i < cases.length; i++) {
      expect(await runs[i]!.exit(60_000)).toEqual({ code: 2, signal: null });
      expect(runs[i]!.stderr).toBe(cases[i]![1] + '\n');
    }
  });
});
