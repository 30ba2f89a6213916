import { afterEach, describe, expect, it } from 'vitest';
import { LocalNode } from '../../src/core/local-node.ts';
import type { Context } from '../../src/core/context.ts';
import { Application, defineApplication, getEnv } from '../../src/otp/application.ts';
import { InvalidApplicationError } from '../../src/otp/errors.ts';
import { inActor } from './helpers.ts';

let node: LocalNode;
afterEach(() => node?.stop());

defineApplication({ name: 'conf', env: { port: 4000, host: 'localhost' } });

describe('Application env', () => {
  it('reads the definition env, start overrides and setEnv, with a fallback, from the node thread and from actors', async () => {
    node = new LocalNode();
    expect(getEnv('conf', 'port')).toBe(4000);
    expect(getEnv('conf', 'missing', 'dflt')).toBe('dflt');
    expect(getEnv('no_such_app', 'x')).toBeUndefined();
    await Application.start(node, 'conf', { env: { port: 5000 } });
    expect(Application.getEnv('conf', 'port')).toBe(5000);
    expect(Application.getEnv('conf', 'host')).toBe('localhost');
    Application.setEnv('conf', 'host', 'example.org');
    const seen = await inActor(node, function* (_ctx: Context) {
      return [getEnv('conf', 'port'), getEnv('conf', 'host')];
    });
    expect(seen).toEqual([5000, 'example.org']);
    expect(() => Application.setEnv('nope', 'k', 1)).toThrow('application "nope" is not defined');
  });

  it('validates definitions with exact messages', () => {
    expect(() => defineApplication({ name: '' })).toThrow(new InvalidApplicationError('application: name must be a non-empty string'));
    expect(() => defineApplication({ name: 'x', dependencies: [3 as never] })).toThrow('application "x": dependencies must be an array of application names');
    expect(() => defineApplication({ name: 'x', colour: 'red' } as never)).toThrow('application "x": unknown field "colour"');
    expect(() => defineApplication({ name: 'conf' })).toThrow('application "conf" is already defined');
  });
});
