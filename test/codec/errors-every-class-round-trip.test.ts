import { describe, expect, it } from 'vitest';
import * as switchboard from '../../src/index.ts';
import { SwitchboardError } from '../../src/core/errors.ts';
import { Pid } from '../../src/core/pid.ts';
import { Atom, Tuple } from '../../src/codec/etf/index.ts';
import { copyMessage } from '../../src/core/copy.ts';
import { decodeMessage, encodeMessage } from '../../src/codec/index.ts';

type AnyErrorClass = new (...args: unknown[]) => SwitchboardError;

/** Constructor arguments that give the subclass fields telling values; others get text. */
const kArgs: Record<string, unknown[]> = {
  NoProcError: [new Pid(0, 7, 2)],
  InvalidOptionError: ['timeoutMs', 'spawn: option "timeoutMs" must be a number'],
  CallTimeoutError: [250],
  PortMapperError: ['timeout', 'lookupNode: no answer from the port mapper at 127.0.0.1:4369 within 2000 ms'],
  CallExitError: [{ kind: 'error', name: 'Error', message: 'boom', stack: 'Error: boom' }],
  NameTakenError: ['db'],
  NotRegisteredError: ['db'],
  UnsendableError: ['msg.f', 'a function'],
  BackpressureError: [1, 4096],
  StartFailedError: [{ kind: 'shutdown', reason: 'no' }],
  UndefinedApplicationError: ['app', 'application "app" is not defined'],
  AlreadyStartedError: ['app'],
  NotStartedError: ['app'],
  CodeLoadError: ['file:///m.js', 'import failed'],
  TaskTimeoutError: [500],
  TaskExitError: ['noproc'],
  HandshakeError: ['ERR_SB_HANDSHAKE', 'handshake with b@h failed', 'b@h'],
  VersionMismatchError: ['b@h', [1, 1], [2, 3]],
  SyncNodesError: ['proxima', ['a@h', 'b@h'], 5000],
  ErlangRpcError: ['e@h', 'm:f/1', Tuple.of(Atom.of('EXIT'), Atom.of('boom'))],
  RemoteQueryError: ['ERR_SB_BADARG', 'a@h: profile agent: unknown request "x"'],
  DeliveryFailedError: ['d-1', { kind: 'delivery_failed', tried: [{ target: 'echo', attempts: 2, outcome: 'timeout' }] }],
};

const errorClasses = (Object.entries(switchboard) as [string, unknown][]).filter(
  (entry): entry is [string, AnyErrorClass] => typeof entry[1] === 'function' && entry[1].prototype instanceof SwitchboardError,
);

function expectSame(out: unknown, err: SwitchboardError, name: string): void {
  expect(Object.getPrototypeOf(out), `${name}: class`).toBe(Object.getPrototypeOf(err));
  const got = out as SwitchboardError;
  expect(got.code, `${name}: code`).toBe(err.code);
  expect(got.message, `${name}: message`).toBe(err.message);
  expect(got.name, `${name}: name`).toBe(err.name);
  expect(got.stack, `${name}: stack`).toBe(err.stack);
  expect(Object.keys(got), `${name}: own fields`).toEqual(Object.keys(err));
  for (const k of Object.keys(err)) {
    expect((got as unknown as Record<string, unknown>)[k], `${name}.${k}`).toEqual((err as unknown as Record<string, unknown>)[k]);
  }
}

describe('errors: every exported SwitchboardError subclass crosses as itself', () => {
  it('finds the subclasses exported by the package (core, threads and otp)', () => {
    const names = errorClasses.map(([n]) => n);
    for (const n of ['NoProcError', 'BadArgError', 'BackpressureError', 'StartFailedError', 'CodeLoadError', 'TaskExitError']) {
      expect(names).toContain(n);
    }
  });

  it.each(errorClasses)('%s round-trips through the codec and the local copy with its class, code, message and fields', (name, ErrorClass) => {
    const err = new ErrorClass(...(kArgs[name] ?? ['some text', 'more text']));
    expect(err.code).toMatch(/^ERR_SB_/);
    expectSame(decodeMessage(encodeMessage(err)), err, name);
    expectSame(copyMessage(err), err, name);
    // Inside a message too, and as a cause.
    const wrapped = decodeMessage(encodeMessage({ e: new Error('outer', { cause: err }) })) as { e: Error };
    expectSame(wrapped.e.cause, err, `${name} (cause)`);
  });
});
