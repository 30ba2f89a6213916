import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeAlive2Resp, decodeNamesResp, decodePort2Resp, decodeRequest, encodeAlive2Req } from '../../src/dist/epmd-frames.ts';
import { PortMapperError } from '../../src/dist/errors.ts';
import { SwitchboardError } from '../../src/core/errors.ts';

function errorOf(f: () => unknown): PortMapperError {
  try {
    f();
  } catch (err) {
    expect(err).toBeInstanceOf(PortMapperError);
    return err as PortMapperError;
  }
  throw new Error('expected a PortMapperError, nothing was thrown');
}

const framed = (body: number[]): Buffer => Buffer.from([body.length >> 8, body.length & 0xff, ...body]);

describe('EPMD frames: malformed input is a PortMapperError, never another exception', () => {
  it('random bytes into every decoder: a value, null, or a PortMapperError', () => {
    const decoders = [decodeRequest, decodeAlive2Resp, decodePort2Resp, decodeNamesResp];
    fc.assert(fc.property(fc.uint8Array({ maxLength: 300 }), fc.nat(3), (bytes, which) => {
      try {
        decoders[which]!(bytes);
      } catch (err) {
        expect(err).toBeInstanceOf(PortMapperError);
        expect((err as PortMapperError).failure).toBe('malformed');
      }
    }), { numRuns: 2000 });
  });

  it('mutated ALIVE2_REQ frames too', () => {
    const good = encodeAlive2Req({ name: 'node1', port: 5000, nodeType: 77, protocol: 0, highestVersion: 6, lowestVersion: 6, extra: new Uint8Array(0) });
    fc.assert(fc.property(fc.nat(good.length - 1), fc.integer({ min: 0, max: 255 }), (at, byte) => {
      const bad = Buffer.from(good);
      bad[at] = byte;
      try {
        decodeRequest(bad);
      } catch (err) {
        expect(err).toBeInstanceOf(PortMapperError);
      }
    }), { numRuns: 2000 });
  });

  it('each kind of malformed request says what is wrong', () => {
    const e = errorOf(() => decodeRequest(framed([])));
    expect(e).toBeInstanceOf(SwitchboardError);
    expect(e.code).toBe('ERR_SB_PORT_MAPPER');
    expect(e.failure).toBe('malformed');
    expect(e.message).toBe('EPMD frame: request of length 0');
    expect(errorOf(() => decodeRequest(Buffer.from([0x0c, 0x00]))).message).toBe('EPMD frame: request length 3072 exceeds 2053 bytes');
    expect(errorOf(() => decodeRequest(framed([99]))).message).toBe('EPMD frame: unknown request tag 99');
    expect(errorOf(() => decodeRequest(framed([110, 0]))).message).toBe('EPMD frame: NAMES_REQ of length 2, expected 1');
    expect(errorOf(() => decodeRequest(framed([122]))).message).toBe('EPMD frame: PORT_PLEASE2_REQ: empty node name');
    expect(errorOf(() => decodeRequest(framed([122, 97, 0, 98]))).message).toBe('EPMD frame: PORT_PLEASE2_REQ: node name contains a NUL byte');
    expect(errorOf(() => decodeRequest(framed([122, 0xff]))).message).toBe('EPMD frame: PORT_PLEASE2_REQ: node name is not valid UTF-8');
    expect(errorOf(() => decodeRequest(framed([120, 0, 1, 77]))).message).toBe('EPMD frame: ALIVE2_REQ shorter than its fixed fields');
    // name length 9 but only 1 byte of name in the frame
    expect(errorOf(() => decodeRequest(framed([120, 0, 1, 77, 0, 0, 6, 0, 6, 0, 9, 97, 0, 0]))).message).toBe(
      'EPMD frame: ALIVE2_REQ: node name length 9 runs past the frame',
    );
    expect(errorOf(() => decodeRequest(framed([120, 0, 1, 77, 0, 0, 6, 0, 6, 0, 1, 97, 0, 5]))).message).toBe(
      'EPMD frame: ALIVE2_REQ: extra length 5 runs past the frame',
    );
    expect(errorOf(() => decodeRequest(framed([120, 0, 1, 77, 0, 0, 6, 0, 6, 0, 1, 97, 0, 0, 1]))).message).toBe(
      'EPMD frame: ALIVE2_REQ has 1 bytes after its extra field',
    );
  });

  it('each kind of malformed answer says what is wrong', () => {
    expect(errorOf(() => decodeAlive2Resp(Buffer.from([119, 0]))).message).toBe('EPMD frame: expected ALIVE2_X_RESP (118) or ALIVE2_RESP (121), got tag 119');
    expect(errorOf(() => decodePort2Resp(Buffer.from([118]))).message).toBe('EPMD frame: expected PORT2_RESP (119), got tag 118');
    expect(errorOf(() => decodeNamesResp(Buffer.from([0, 0]))).message).toBe('EPMD frame: NAMES answer of 2 bytes is shorter than its 4-byte port');
    expect(errorOf(() => decodeNamesResp(Buffer.from('\0\0\x11\x11name a at port 1', 'latin1'))).message).toBe('EPMD frame: NAMES answer ends in an unterminated line');
    expect(errorOf(() => decodeNamesResp(Buffer.from('\0\0\x11\x11hello\n', 'latin1'))).message).toBe(
      'EPMD frame: NAMES answer has a line not of the form "name N at port P": "hello"',
    );
    expect(errorOf(() => decodeNamesResp(Buffer.from('\0\0\x11\x11name a at port 70000\n', 'latin1'))).message).toBe(
      'EPMD frame: NAMES answer has a line not of the form "name N at port P": "name a at port 70000"',
    );
  });
});
