/**
 * OTP conformance: supervisor flags are checked as options (issue 17, point 5).
 *
 * Follows lib/stdlib/test/supervisor_SUITE.erl:
 *   sup_flags   {invalid_strategy, _}, {invalid_intensity, infinity}, {invalid_period, 0},
 *               {invalid_period, infinity}: the start fails with the reason; here the
 *               supervisor's start fails (StartFailedError) with the InvalidOptionError as
 *               its reason, message `supervisor flags: option "<flag>" <requirement>`.
 *               OTP ignores unexpected flags; Switchboard refuses them (a typo would
 *               otherwise be silently a default): `unknown option "x"`.
 *   (DynamicSupervisor, OTP's simple_one_for_one: the same flags, `dynamic supervisor spec`.)
 */
import { expect, it } from 'vitest';
import { DynamicSupervisor, StartFailedError, Supervisor, Sys } from '../../../src/index.ts';
import { Kid } from './fixtures/children.ts';
import { describeOnSchedulers, rejectionOf } from './support.ts';

const cases: readonly [string, Record<string, unknown>, string][] = [
  ['invalid_strategy', { strategy: 'none_for_one' }, `option "strategy" must be 'one_for_one', 'one_for_all' or 'rest_for_one'`],
  ['invalid_intensity infinity', { intensity: Infinity }, 'option "intensity" must be a non-negative integer'],
  ['invalid_intensity -1', { intensity: -1 }, 'option "intensity" must be a non-negative integer'],
  ['invalid_period 0', { period: 0 }, 'option "period" must be a positive finite number of seconds'],
  ['invalid_period infinity', { period: Infinity }, 'option "period" must be a positive finite number of seconds'],
  ['invalid_period NaN', { period: Number.NaN }, 'option "period" must be a positive finite number of seconds'],
  ['unexpected flag', { silly_flag: true }, 'unknown option "silly_flag"'],
];

describeOnSchedulers('supervisor flags', (kind) => {
  for (const [otp, flags, requirement] of cases) {
    it(`sup_flags: ${otp} fails the start with the exact message`, async () => {
      const { node } = kind;
      const err = await rejectionOf(Supervisor.start(node, { ...flags, children: [] } as never, { spawn: kind.placeOn(0) }));
      expect(err).toBeInstanceOf(StartFailedError);
      expect(err).toMatchObject({ code: 'ERR_SB_START_FAILED', reason: { kind: 'error', name: 'InvalidOptionError', message: `supervisor flags: ${requirement}` } });
      if (otp === 'invalid_strategy') return; // no strategy in a dynamic spec (below)
      const child = { id: 'k', start: { behaviour: Kid, args: ['k', node.pid] } };
      const dyn = await rejectionOf(DynamicSupervisor.start(node, { ...flags, child } as never));
      expect(dyn).toBeInstanceOf(StartFailedError);
      expect(dyn).toMatchObject({ reason: { kind: 'error', name: 'InvalidOptionError', message: `dynamic supervisor spec: ${requirement}` } });
    });
  }

  it('sup_flags: valid flags start (period may be a fraction of a second); a dynamic spec refuses a strategy', async () => {
    const { node } = kind;
    const sup = (await Supervisor.start(node, { strategy: 'rest_for_one', intensity: 0, period: 0.5, children: [] }, { spawn: kind.placeOn(0) }))!;
    expect(await Supervisor.whichChildren(node, sup)).toEqual([]);
    expect(await Sys.terminate(node, sup, 'shutdown')).toBe('ok');
    const child = { id: 'k', start: { behaviour: Kid, args: ['k', node.pid] } };
    const dyn = await rejectionOf(DynamicSupervisor.start(node, { strategy: 'one_for_all', child } as never));
    expect(dyn).toMatchObject({ reason: { kind: 'error', name: 'InvalidOptionError', message: 'dynamic supervisor spec: unknown option "strategy"' } });
  });
});
