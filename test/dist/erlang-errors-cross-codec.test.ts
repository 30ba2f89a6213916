/**
 * The Erlang protocol's errors are registered classes: each crosses the codec and the
 * local copy as itself, with its code and its own fields (peer, detectedBy, missing,
 * failure).
 */
import { describe, expect, it } from 'vitest';
import {
  ErlangAliveError, ErlangBadCookieError, ErlangFrameError, ErlangHandshakeClosedError, ErlangHandshakeTimeoutError,
  ErlangMalformedHandshakeError, ErlangMissingFlagsError, ErlangNotAllowedError, ErlangSimultaneousConnectError,
} from '../../src/dist/erlang/index.ts';
import { errorClassPrototype } from '../../src/core/error-classes.ts';
import { copyMessage } from '../../src/core/copy.ts';
import { decodeMessage, encodeMessage } from '../../src/codec/index.ts';

describe('Erlang protocol errors cross boundaries as themselves', () => {
  const cases: [Error & { code: string }, string, Record<string, unknown>][] = [
    [new ErlangBadCookieError('e@h', 'peer'), 'ERR_SB_ERLANG_BAD_COOKIE', { peer: 'e@h', detectedBy: 'peer' }],
    [new ErlangNotAllowedError('e@h', 'no'), 'ERR_SB_ERLANG_NOT_ALLOWED', { peer: 'e@h' }],
    [new ErlangSimultaneousConnectError('e@h'), 'ERR_SB_ERLANG_NOK', { peer: 'e@h' }],
    [new ErlangAliveError('e@h'), 'ERR_SB_ERLANG_ALIVE', { peer: 'e@h' }],
    [new ErlangMissingFlagsError(null, ['MAP_TAG', 'V4_NC']), 'ERR_SB_ERLANG_MISSING_FLAGS', { peer: null, missing: ['MAP_TAG', 'V4_NC'] }],
    [new ErlangHandshakeTimeoutError(null, 50), 'ERR_SB_ERLANG_TIMEOUT', { peer: null }],
    [new ErlangMalformedHandshakeError('e@h', 'x'), 'ERR_SB_ERLANG_MALFORMED', { peer: 'e@h' }],
    [new ErlangHandshakeClosedError('e@h', 'x'), 'ERR_SB_ERLANG_CLOSED', { peer: 'e@h' }],
    [new ErlangFrameError('bad_fragment', 'Erlang channel: x'), 'ERR_SB_ERLANG_FRAME', { failure: 'bad_fragment' }],
  ];
  for (const [err, code, fields] of cases) {
    it(`${err.name} (${code})`, () => {
      expect(err.code).toBe(code);
      expect(errorClassPrototype(code)).toBe(Object.getPrototypeOf(err));
      for (const out of [decodeMessage(encodeMessage(err)), copyMessage(err)] as (Error & Record<string, unknown>)[]) {
        expect(Object.getPrototypeOf(out)).toBe(Object.getPrototypeOf(err));
        expect(out.message).toBe(err.message);
        for (const [k, v] of Object.entries(fields)) expect(out[k]).toEqual(v);
      }
    });
  }
});
