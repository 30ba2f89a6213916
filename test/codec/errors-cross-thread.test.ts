import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CallExitError, NoProcError, SwitchboardError } from '../../src/core/errors.ts';
import { Pid } from '../../src/core/pid.ts';
import { StartFailedError } from '../../src/otp/errors.ts';
import { TaskTimeoutError } from '../../src/otp/task-errors.ts';
import { type ThreadedNode } from '../../src/threads/index.ts';
import { startNode } from '../../src/dist/start-node.ts';
import { ErrorRelay, ErrorSource, makeError, type ErrorKind, type Seen } from './fixtures/error-actors.ts';

let node: ThreadedNode;
let source: Pid;
let relay: Pid;
beforeAll(async () => {
  node = await startNode({ schedulers: 2 });
  source = await node.spawn(ErrorSource, [], { scheduler: 1 });
  relay = await node.spawn(ErrorRelay, [], { scheduler: 0 });
});
afterAll(() => node.stop());

/** Same class, code, message and own fields as the error the actor made. */
function expectSameError(got: unknown, kind: ErrorKind): void {
  const want = makeError(kind);
  expect(Object.getPrototypeOf(got)).toBe(Object.getPrototypeOf(want));
  const err = got as SwitchboardError;
  expect(err.code).toBe(want.code);
  expect(err.message).toBe(want.message);
  expect(Object.keys(err)).toEqual(Object.keys(want));
  for (const k of Object.keys(want)) expect((err as unknown as Record<string, unknown>)[k]).toEqual((want as unknown as Record<string, unknown>)[k]);
}

describe('errors cross threads as their own class', () => {
  it('a reply from scheduler 1 to the embedding thread keeps the class and fields', async () => {
    const noproc = await node.call(source, { give: 'noproc' });
    expect(noproc).toBeInstanceOf(NoProcError);
    expect((noproc as NoProcError).target).toEqual(new Pid(0, 12345, 6));
    expectSameError(noproc, 'noproc');
    const startFailed = await node.call(source, { give: 'startFailed' });
    expect(startFailed).toBeInstanceOf(StartFailedError);
    expect((startFailed as StartFailedError).reason).toEqual({ kind: 'shutdown', reason: 'init said no' });
    expectSameError(startFailed, 'startFailed');
    const taskTimeout = await node.call(source, { give: 'taskTimeout' });
    expect((taskTimeout as TaskTimeoutError).timeoutMs).toBe(1234);
    expectSameError(taskTimeout, 'taskTimeout');
  });

  it('an exit reason thrown on scheduler 1 reaches the embedding caller inside CallExitError, as its class', async () => {
    const err = await node.call(source, { exitWith: 'noproc' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CallExitError);
    expectSameError((err as CallExitError).reason, 'noproc');
    source = await node.spawn(ErrorSource, [], { scheduler: 1 });
  });

  it('a caller on scheduler 0 gets the class of its own thread, and passes it on to the embedding thread', async () => {
    const given = (await node.call(relay, { source, msg: { give: 'startFailed' } })) as { got: unknown; seen: Seen };
    expect(given.seen).toMatchObject({ isStartFailed: true, isNoProc: false });
    expectSameError(given.got, 'startFailed');

    const thrown = (await node.call(relay, { source, msg: { exitWith: 'noproc' } })) as { got: unknown; seen: Seen };
    expect(thrown.seen).toMatchObject({ isCallExit: true, reasonIsNoProc: true });
    expect(thrown.got).toBeInstanceOf(CallExitError);
    expectSameError((thrown.got as CallExitError).reason, 'noproc');
  });
});
