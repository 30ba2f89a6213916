import { describe, expect, it } from 'vitest';
import { StaticPortMap } from '../../src/dist/static-port-map.ts';
import { InvalidOptionError } from '../../src/core/errors.ts';

function refusal(entries: unknown): InvalidOptionError {
  try {
    new StaticPortMap(entries as never);
  } catch (err) {
    expect(err).toBeInstanceOf(InvalidOptionError);
    return err as InvalidOptionError;
  }
  throw new Error('expected an InvalidOptionError');
}

describe('static port map: name@host -> host:port for hosts without a port mapper', () => {
  it('looks up the listed nodes, in both address forms, and nothing else', () => {
    const map = new StaticPortMap({ 'a@127.0.0.1': '127.0.0.1:9001', 'b@h6': '[::1]:9002', 'c@x': { host: 'x.example', port: 9003 } });
    expect(map.size).toBe(3);
    expect(map.lookup('a@127.0.0.1')).toEqual({ host: '127.0.0.1', port: 9001 });
    expect(map.lookup('b@h6')).toEqual({ host: '::1', port: 9002 });
    expect(map.lookup('c@x')).toEqual({ host: 'x.example', port: 9003 });
    expect(map.lookup('a')).toBeUndefined();
  });

  it('refuses a bad name or address, naming it', () => {
    const e = refusal({ 'nohost': '1.2.3.4:5' });
    expect([e.option, e.message]).toEqual(['nohost', 'staticPortMap: "nohost" is not a full node name (name@host)']);
    expect(refusal({ 'a@b@c': '1.2.3.4:5' }).message).toBe('staticPortMap: "a@b@c" is not a full node name (name@host)');
    expect(refusal({ 'a@h': 'h:0' }).message).toBe('staticPortMap: the address of "a@h" must be "host:port" or { host, port } with a port in 1..65535');
    expect(refusal({ 'a@h': 'h' }).option).toBe('a@h');
    expect(refusal({ 'a@h': { host: '', port: 1 } }).option).toBe('a@h');
    expect(refusal(null).message).toBe('staticPortMap: entries must be an object of "name@host": "host:port"');
  });
});
