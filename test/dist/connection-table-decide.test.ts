import type { Socket } from 'node:net';
import { describe, expect, it } from 'vitest';
import { ConnectionTable } from '../../src/dist/connection-table.ts';
import type { Connection } from '../../src/dist/connection.ts';

const sock = (): Socket => ({ destroy() {} }) as unknown as Socket;
const smallerWins = (self: string, peer: string): boolean => self < peer;
const conn = (name: string, id: number): Connection => ({ conn: id, peer: { name, creation: 1, hidden: false, flags: 0 } }) as unknown as Connection;

describe('connection table: who keeps which connection', () => {
  it('accepts a new name, refuses one that is up or already being accepted, and itself', () => {
    const t = new ConnectionTable('b@h', smallerWins);
    const s1 = sock();
    expect(t.decide('a@h', s1, 1)).toBe('ok');
    expect(t.decide('a@h', sock(), 1)).toBe('alive');
    expect(t.decide('b@h', sock(), 1)).toBe('alive');
    expect(t.completed('a@h', s1)).toEqual({ keep: true, waiters: [] });
    const old = conn('a@h', t.allocateConn());
    t.add(old);
    expect(t.decide('a@h', sock(), 1)).toBe('alive');
    // Another creation: the peer's next life may go on, and replaces the old connection.
    const s2 = sock();
    expect(t.decide('a@h', s2, 2)).toBe('ok');
    expect(t.decide('a@h', sock(), 2)).toBe('alive'); // one accept at a time
    expect(t.completed('a@h', s2)).toEqual({ keep: true, waiters: [], replaces: old });
  });

  it('simultaneous connect: the smaller name keeps its outgoing; the other side accepts and drops its own', () => {
    const a = new ConnectionTable('a@h', smallerWins);
    const b = new ConnectionTable('b@h', smallerWins);
    const aOut = a.request('b@h', 1)!;
    const bOut = b.request('a@h', 7)!;
    expect(a.decide('b@h', sock(), 1)).toBe('nok'); // a's outgoing wins
    const bIn = sock();
    expect(b.decide('a@h', bIn, 1)).toBe('ok'); // b takes a's connection; its own is superseded
    expect(b.completed('a@h', bIn)).toEqual({ keep: true, waiters: [7] }); // b's request is answered by that nodeup
    expect(bOut.cancelled).toBe(true);
    expect(a.completed('b@h', aOut)).toEqual({ keep: true, waiters: [1] });
  });

  it('a lost race keeps the setup for the incoming connection; a real failure fails every waiter', () => {
    const b = new ConnectionTable('b@h', smallerWins);
    const out = b.request('a@h', 1)!;
    expect(b.request('a@h', 2)).toBeNull(); // joins the setup
    expect(b.failed('a@h', out, true)).toBeNull(); // 'nok' came before a's connection
    const inbound = sock();
    expect(b.decide('a@h', inbound, 1)).toBe('ok');
    expect(b.completed('a@h', inbound)).toEqual({ keep: true, waiters: [1, 2] });

    const out2 = b.request('c@h', 3)!;
    expect(b.failed('c@h', out2)).toEqual([3]);
    expect(b.known('c@h')).toBe(false);
    const out3 = b.request('d@h', 4)!;
    expect(b.failed('d@h', out3, true)).toBeNull();
    expect(b.expireIdle('d@h')).toEqual([4]);
  });

  it('gives connection ids from 1 up, and forgets a removed connection by name and id', () => {
    const t = new ConnectionTable('a@h', smallerWins);
    const ids = [t.allocateConn(), t.allocateConn(), t.allocateConn()];
    expect(ids).toEqual([1, 2, 3]);
    const c = conn('b@h', ids[0]!);
    t.add(c);
    expect(t.byConn(1)).toBe(c);
    expect(t.visibleNames('x')).toEqual(['b@h']);
    t.remove(c);
    expect(t.byConn(1)).toBeUndefined();
    expect(t.connection('b@h')).toBeUndefined();
  });
});
