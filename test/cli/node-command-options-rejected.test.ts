import { describe, expect, it } from 'vitest';
import { NodeCommandError, nodeStartOptions } from '../../src/cli/node-command.ts';
import { switchboard } from './fixtures/cli-process.ts';

// Bad options of `switchboard node` are refused before anything starts: by commander in
// switchboard.mjs (a port out of range), by the command (a distribution option without
// --name), exit 2; nodeStartOptions maps good ones onto startNode's, naming the bad ones.

function refusal(o: Parameters<typeof nodeStartOptions>[0]): NodeCommandError {
  try {
    nodeStartOptions(o);
  } catch (e) {
    expect(e).toBeInstanceOf(NodeCommandError);
    expect((e as NodeCommandError).code).toBe('ERR_SB_NODE_COMMAND');
    return e as NodeCommandError;
  }
  throw new Error('expected a NodeCommandError');
}

describe('switchboard node: options', () => {
  it('maps the flags onto startNode options', () => {
    expect(nodeStartOptions({})).toEqual({ schedulers: 0 });
    expect(nodeStartOptions({ name: 'a@127.0.0.1', cookie: 'X', hidden: true, portMapper: '127.0.0.1:4400', listenPort: 5001, schedulers: 2 })).toEqual({
      schedulers: 2, name: 'a@127.0.0.1', cookie: 'X', hidden: true,
      dist: { portMapper: { host: '127.0.0.1', port: 4400 }, listen: { host: '127.0.0.1', port: 5001 } },
    });
    expect(nodeStartOptions({ name: 'b@h6', portMapper: '[::1]:4369' })).toEqual({ schedulers: 0, name: 'b@h6', dist: { portMapper: { host: '::1', port: 4369 } } });
  });

  it('refuses bad ones, naming the flag', () => {
    expect(refusal({ cookie: 'X' }).message).toBe('switchboard node: --cookie needs --name (a node without a name is not distributed)');
    expect(refusal({ listenPort: 1 }).message).toBe('switchboard node: --listen-port needs --name (a node without a name is not distributed)');
    expect(refusal({ name: 'a@h', portMapper: 'h' }).message).toBe('switchboard node: --port-mapper must be host:port (port 1..65535), got "h"');
    expect(refusal({ name: 'a@h', portMapper: 'h:0' }).message).toBe('switchboard node: --port-mapper must be host:port (port 1..65535), got "h:0"');
    expect(refusal({ name: 'a@h', listenPort: 70000 }).message).toBe('switchboard node: --listen-port must be 0..65535, got 70000');
    expect(refusal({ schedulers: -1 }).message).toBe('switchboard node: --schedulers must be a non-negative integer, got -1');
    expect(refusal({ name: '' }).message).toBe('switchboard node: --name must be a node name such as a@127.0.0.1');
  });

  it('the command refuses them before starting anything: exit 2 (commander\'s own check: 1)', async () => {
    const noName = switchboard(['node', '--hidden']);
    expect(await noName.exit()).toEqual({ code: 2, signal: null });
    expect(noName.stderr).toContain('switchboard node: --hidden needs --name (a node without a name is not distributed)');
    expect(noName.lines).toEqual([]);

    const badPort = switchboard(['node', '--listen-port', '99999']);
    expect(await badPort.exit()).toEqual({ code: 1, signal: null });
    expect(badPort.stderr).toContain("error: option '--listen-port <port>' argument '99999' is invalid. --listen-port must be an integer 0..65535");
  });
});
