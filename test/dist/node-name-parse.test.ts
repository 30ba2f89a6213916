import { hostname } from 'node:os';
import { describe, expect, it } from 'vitest';
import { BadNodeNameError, parseNodeName } from '../../src/dist/node-name.ts';

// Node names as Erlang's -name / -sname take them.

describe('parseNodeName', () => {
  it('parses long names (an IP or a dotted host)', () => {
    expect(parseNodeName('a@127.0.0.1')).toEqual({ alive: 'a', host: '127.0.0.1', full: 'a@127.0.0.1', long: true });
    expect(parseNodeName('web-1@host.example.com').long).toBe(true);
  });

  it('completes and checks short names', () => {
    const short = hostname().split('.')[0]!;
    expect(parseNodeName('a', { shortNames: true }).full).toBe(`a@${short}`);
    expect(parseNodeName('a@box', { shortNames: true })).toEqual({ alive: 'a', host: 'box', full: 'a@box', long: false });
  });

  it('refuses bad names with exact reasons', () => {
    expect(() => parseNodeName('a')).toThrow(new BadNodeNameError('a', "a long name needs a host: 'alive@host' (or use shortNames)"));
    expect(() => parseNodeName('a@box')).toThrow(new BadNodeNameError('a@box', 'a long name has a host with a dot or an IP address (or use shortNames)'));
    expect(() => parseNodeName('a@1.2.3.4', { shortNames: true })).toThrow(new BadNodeNameError('a@1.2.3.4', 'a short name has a host without dots (or drop shortNames)'));
    expect(() => parseNodeName('a@b@c')).toThrow(new BadNodeNameError('a@b@c', "more than one '@'"));
    expect(() => parseNodeName('a b@h.x')).toThrow(new BadNodeNameError('a b@h.x', "the part before '@' must be 1-255 letters, digits, '_' or '-'"));
    expect(() => parseNodeName('')).toThrow(new BadNodeNameError('', 'expected a non-empty string'));
    const e = (() => { try { parseNodeName('@h.x'); } catch (x) { return x; } })() as BadNodeNameError;
    expect(e.code).toBe('ERR_SB_BAD_NODE_NAME');
  });
});
