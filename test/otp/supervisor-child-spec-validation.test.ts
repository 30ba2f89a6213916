import { afterEach, describe, expect, it } from 'vitest';
import { InvalidOptionError } from '../../src/core/errors.ts';
import { LocalNode } from '../../src/core/local-node.ts';
import { validateChildSpec, validateChildSpecs, validateSupervisorFlags } from '../../src/otp/child-spec.ts';
import { InvalidChildSpecError, StartFailedError } from '../../src/otp/errors.ts';
import { Supervisor } from '../../src/otp/supervisor.ts';
import { Worker } from './fixtures/workers.ts';

let node: LocalNode;
afterEach(() => node?.stop());

const ok = { id: 'db', start: { behaviour: Worker, args: ['db'] } };

function message(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(InvalidChildSpecError);
    expect((e as InvalidChildSpecError).code).toBe('ERR_SB_CHILD_SPEC');
    return (e as Error).message;
  }
  throw new Error('expected an InvalidChildSpecError');
}

function optionMessage(f: () => unknown, option: string): string {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(InvalidOptionError);
    expect(e).toMatchObject({ code: 'ERR_SB_INVALID_OPTION', option });
    return (e as Error).message;
  }
  throw new Error('expected an InvalidOptionError');
}

describe('child spec validation', () => {
  it('fills in the OTP defaults', () => {
    expect(validateChildSpec(ok)).toMatchObject({ id: 'db', restart: 'permanent', shutdown: 5000, type: 'worker', start: { args: ['db'] } });
    expect(validateChildSpec({ ...ok, type: 'supervisor' }).shutdown).toBe('infinity');
    expect(validateSupervisorFlags({})).toEqual({ strategy: 'one_for_one', intensity: 1, period: 5 });
  });

  it('rejects each bad field with an exact message', () => {
    expect(message(() => validateChildSpec({ ...ok, id: '' }))).toBe('child spec: id must be a non-empty string');
    expect(message(() => validateChildSpec({ ...ok, restart: 'always' }))).toBe("child spec \"db\": restart must be 'permanent', 'transient' or 'temporary'");
    expect(message(() => validateChildSpec({ ...ok, shutdown: -1 }))).toBe("child spec \"db\": shutdown must be 'brutal_kill', 'infinity' or a non-negative integer of milliseconds");
    expect(message(() => validateChildSpec({ ...ok, type: 'daemon' }))).toBe("child spec \"db\": type must be 'worker' or 'supervisor'");
    expect(message(() => validateChildSpec({ id: 'db', start: { behaviour: 42 } }))).toBe('child spec "db": start.behaviour must be a Behaviour or { module, export }');
    expect(message(() => validateChildSpec({ id: 'db', start: { behaviour: Worker, args: 'x' } }))).toBe('child spec "db": start.args must be an array');
    expect(message(() => validateChildSpec({ ...ok, restrat: 'temporary' }))).toBe('child spec "db": unknown field "restrat"');
    expect(message(() => validateChildSpec({ id: 'db', start: { behaviour: Worker, options: { link: true } } }))).toBe('child spec "db": start.options.link is set by the supervisor');
    expect(message(() => validateChildSpecs([ok, ok]))).toBe('supervisor spec: duplicate child id "db"');
  });

  it('rejects bad supervisor flags as options (InvalidOptionError naming the flag)', () => {
    expect(optionMessage(() => validateSupervisorFlags({ strategy: 'all_for_one' }), 'strategy')).toBe("supervisor flags: option \"strategy\" must be 'one_for_one', 'one_for_all' or 'rest_for_one'");
    expect(optionMessage(() => validateSupervisorFlags({ intensity: -1 }), 'intensity')).toBe('supervisor flags: option "intensity" must be a non-negative integer');
    expect(optionMessage(() => validateSupervisorFlags({ period: 0 }), 'period')).toBe('supervisor flags: option "period" must be a positive finite number of seconds');
    expect(optionMessage(() => validateSupervisorFlags({ intensty: 3 }), 'intensty')).toBe('supervisor flags: unknown option "intensty"');
  });

  it('a supervisor given a bad spec fails to start with that message; startChild validates before sending', async () => {
    node = new LocalNode();
    const bad = Supervisor.start(node, { children: [{ ...ok, restart: 'sometimes' as never }] });
    const err = await bad.catch((e: unknown) => e);
    // The supervisor's init threw the InvalidChildSpecError: its exit reason carries it.
    const reason = { kind: 'error', name: 'InvalidChildSpecError', message: "child spec \"db\": restart must be 'permanent', 'transient' or 'temporary'" };
    expect(err).toBeInstanceOf(StartFailedError);
    expect(err).toMatchObject({ code: 'ERR_SB_START_FAILED', reason, message: `the process failed to start: ${JSON.stringify(reason)}` });
    const sup = (await Supervisor.start(node, { children: [] }))!;
    expect(message(() => Supervisor.startChild(node, sup, { ...ok, type: 'thing' as never }))).toBe("child spec \"db\": type must be 'worker' or 'supervisor'");
  });
});
