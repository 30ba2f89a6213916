import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type NodeEntry, decodeAlive2Resp, decodeNamesResp, decodePort2Resp, decodeRequest, encodeAlive2Req, encodeAlive2Resp,
  encodeAlive2XResp, encodeNamesReq, encodeNamesResp, encodePort2Resp, encodePortPlease2Req,
} from '../../src/dist/epmd-frames.ts';

const name = fc.string({ minLength: 1, maxLength: 40, unit: 'grapheme' }).filter((s) => !s.includes('\0') && !s.includes('\n'));
const entry: fc.Arbitrary<NodeEntry> = fc.record({
  name,
  port: fc.integer({ min: 0, max: 65535 }),
  nodeType: fc.constantFrom(77, 72),
  protocol: fc.integer({ min: 0, max: 255 }),
  highestVersion: fc.integer({ min: 0, max: 65535 }),
  lowestVersion: fc.integer({ min: 0, max: 65535 }),
  extra: fc.uint8Array({ maxLength: 64 }),
});

describe('EPMD frames: every request and answer decodes to what was encoded', () => {
  it('ALIVE2_REQ', () => {
    fc.assert(fc.property(entry, (e) => {
      const bytes = encodeAlive2Req(e);
      expect(bytes.readUInt16BE(0)).toBe(bytes.length - 2);
      expect(bytes[2]).toBe(120);
      expect(decodeRequest(bytes)).toEqual({ value: { kind: 'alive2', entry: e }, bytes: bytes.length });
      // One byte short is "need more", never an error.
      expect(decodeRequest(bytes.subarray(0, bytes.length - 1))).toBeNull();
    }));
  });

  it('PORT_PLEASE2_REQ, with or without a trailing NUL, and NAMES_REQ', () => {
    fc.assert(fc.property(name, (n) => {
      const bytes = encodePortPlease2Req(n);
      expect(decodeRequest(bytes)).toEqual({ value: { kind: 'port_please2', name: n }, bytes: bytes.length });
      const withNul = Buffer.concat([bytes, Buffer.from([0])]);
      withNul.writeUInt16BE(withNul.length - 2, 0);
      expect(decodeRequest(withNul)?.value).toEqual({ kind: 'port_please2', name: n });
    }));
    expect([...encodeNamesReq()]).toEqual([0, 1, 110]);
    expect(decodeRequest(encodeNamesReq())).toEqual({ value: { kind: 'names' }, bytes: 3 });
  });

  it('a request followed by more bytes takes only its own', () => {
    const two = Buffer.concat([encodeNamesReq(), encodePortPlease2Req('x')]);
    expect(decodeRequest(two)).toEqual({ value: { kind: 'names' }, bytes: 3 });
    expect(decodeRequest(two.subarray(3))).toEqual({ value: { kind: 'port_please2', name: 'x' }, bytes: 4 });
  });

  it('ALIVE2_X_RESP (32-bit creation) and ALIVE2_RESP (16-bit)', () => {
    fc.assert(fc.property(fc.integer({ min: 0, max: 255 }), fc.integer({ min: 0, max: 0xffffffff }), (result, creation) => {
      expect(decodeAlive2Resp(encodeAlive2XResp(result, creation))).toEqual({ value: { tag: 118, result, creation }, bytes: 6 });
      const c16 = creation & 0xffff;
      expect(decodeAlive2Resp(encodeAlive2Resp(result, c16))).toEqual({ value: { tag: 121, result, creation: c16 }, bytes: 4 });
      expect(decodeAlive2Resp(encodeAlive2XResp(result, creation).subarray(0, 5))).toBeNull();
    }));
  });

  it('PORT2_RESP: an entry, or "not registered"', () => {
    fc.assert(fc.property(entry, (e) => {
      const bytes = encodePort2Resp(e);
      expect(decodePort2Resp(bytes)).toEqual({ value: e, bytes: bytes.length });
      for (let cut = 0; cut < bytes.length; cut++) expect(decodePort2Resp(bytes.subarray(0, cut))).toBeNull();
    }));
    expect([...encodePort2Resp(undefined)]).toEqual([119, 1]);
    expect(decodePort2Resp(Buffer.from([119, 1]))).toEqual({ value: undefined, bytes: 2 });
  });

  it('the NAMES answer: port, then "name N at port P" lines', () => {
    const names = [{ name: 'a', port: 4000 }, { name: 'bé', port: 65535 }];
    const bytes = encodeNamesResp(4369, names);
    expect(bytes.subarray(4).toString('utf8')).toBe('name a at port 4000\nname bé at port 65535\n');
    expect(decodeNamesResp(bytes)).toEqual({ epmdPort: 4369, names });
    expect(decodeNamesResp(encodeNamesResp(7, []))).toEqual({ epmdPort: 7, names: [] });
  });
});
