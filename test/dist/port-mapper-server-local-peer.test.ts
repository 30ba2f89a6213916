import { describe, expect, it } from 'vitest';
import { isLocalPeer } from '../../src/dist/port-mapper-server.ts';

describe('embedded port mapper: only a peer on this host may register (as epmd)', () => {
  it('loopback and the address the connection came in on are local; others are not', () => {
    expect(isLocalPeer({ remoteAddress: '127.0.0.1', localAddress: '127.0.0.1' })).toBe(true);
    expect(isLocalPeer({ remoteAddress: '127.9.8.7', localAddress: '127.0.0.1' })).toBe(true);
    expect(isLocalPeer({ remoteAddress: '::ffff:127.0.0.1', localAddress: '::ffff:127.0.0.1' })).toBe(true);
    expect(isLocalPeer({ remoteAddress: '::1', localAddress: '::1' })).toBe(true);
    expect(isLocalPeer({ remoteAddress: '10.0.0.5', localAddress: '10.0.0.5' })).toBe(true);
    expect(isLocalPeer({ remoteAddress: '10.0.0.6', localAddress: '10.0.0.5' })).toBe(false);
    expect(isLocalPeer({ remoteAddress: undefined, localAddress: '10.0.0.5' })).toBe(false);
  });
});
