import { afterEach, describe, expect, it } from 'vitest';
import { LocalNode } from '../../src/core/local-node.ts';
import type { Context } from '../../src/core/context.ts';
import { Application, defineApplication, getEnv } from '../../src/otp/application.ts';
import { InvalidApplicationError, UndefinedApplicationError } from '../../src/otp/errors.ts';
import { inActor, thrownBy } from './helpers.ts';

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
    const undef = thrownBy(() => Application.setEnv('nope', 'k', 1));
    expect(undef).toBeInstanceOf(UndefinedApplicationError);
    expect(undef).toMatchObject({ code: 'ERR_SB_UNDEF_APPLICATION', application: 'nope', message: 'application "nope" is not defined' });
  });

  it('validates definitions with exact messages', () => {
    const cases: [() => unknown, string][] = [
      [() => defineApplication({ name: '' }), 'application: name must be a non-empty string'],
      [() => defineApplication({ name: 'x', dependencies: [3 as never] }), 'application "x": dependencies must be an array of application names'],
      [() => defineApplication({ name: 'x', colour: 'red' } as never), 'application "x": unknown field "colour"'],
      [() => defineApplication({ name: 'conf' }), 'application "conf" is already defined'],
    ];
    for (const [define, message] of cases) {
      const err = thrownBy(define);
      expect(err).toBeInstanceOf(InvalidApplicationError);
      expect(err).toMatchObject({ code: 'ERR_SB_INVALID_APPLICATION', message });
    }
  });
});
