/**
 * Pg across runtimes: the scope servers of Switchboard nodes and OTP's pg scope processes
 * of Erlang nodes (lib/kernel/src/pg.erl) are peers of one scope. Both run the same
 * exchange (discover / sync / join / leave, pg-protocol.ts); this file only translates the
 * messages at the boundary with an Erlang node (a message translator of the Erlang bridge,
 * src/dist/erlang-peer/message-translators.ts), so scope-server.ts is the same for both.
 *
 *   Switchboard (pg-protocol.ts)                    OTP pg (pg.erl)
 *   ---------------------------------------------------------------------------------------
 *   scope S, server registered as 'pg:S'            scope process registered as S
 *     ('default' <-> pg, Erlang's default scope)      (`pg` for pg:join/2 etc.)
 *   { type: '$pg.discover', peer }                  {discover, Peer}   (REG_SEND or SEND)
 *   { type: '$pg.sync', peer, groups }              {'$gen_cast', {sync, Peer, [{Group, Pids}]}}
 *   { type: '$pg.join', peer, group, pids }         {join, Peer, Group, Pids}
 *   { type: '$pg.leave', peer, pids, groups }       {leave, Peer, Pids, Groups}
 *   group 'workers' (a string)                      the atom workers
 *
 * Steps:
 *   1. Out (our server sends to an Erlang node): REG_SEND to 'pg:S' goes to the Erlang
 *      name S ('default' -> pg); each message becomes its Erlang tuple. The sender's pid
 *      (`peer`) is remembered as one of our scope servers (step 2 needs it).
 *   2. In: a SEND to one of those pids, or a REG_SEND to an unregistered name S whose
 *      'pg:S' server runs here ('pg' -> 'pg:default'), in one of the four Erlang shapes,
 *      becomes the Switchboard message (pids mapped, a single pid as [pid]).
 *   3. Everything else in scope-server.ts is as between Switchboard nodes: the peer is
 *      monitored (its DOWN or its node's nodedown drops its members), local joiners that
 *      exit leave (broadcast as leave), nodeup sends discover.
 *
 * Not shared: Erlang groups that are not atoms (a binary, a tuple...) are left out here
 * (not in a sync, a join/leave of one is dropped: Switchboard groups are strings); a
 * Switchboard group or scope name longer than 255 characters (no atom) is not sent to
 * Erlang nodes. Erlang's scope process crashes on a message it does not know
 * (handle_info(_) -> error(badarg)), so only these four shapes are ever sent to it.
 */
import { Atom, ErlPid, Tuple } from '../../codec/etf/index.ts';
import type { Pid } from '../../core/pid.ts';
import { pidFromErl, registerErlangTranslator, type ErlangMessageTranslator } from '../../dist/erlang-peer/index.ts';
import { isPeerMsg, kDefaultScope, serverName, type DiscoverMsg, type JoinMsg, type LeaveMsg, type PeerMsg, type SyncMsg } from './pg-protocol.ts';

const kErlangDefaultScope = 'pg';
const kDiscover = Atom.of('discover');
const kSync = Atom.of('sync');
const kJoin = Atom.of('join');
const kLeave = Atom.of('leave');
const kGenCast = Atom.of('$gen_cast');
const kServerPrefix = serverName('');

/** Our scope servers that have spoken to Erlang nodes (step 1): pid id -> serial (no string per message in step 2). */
const ourServers = new Map<number, number>();

export function erlangScopeName(scope: string): string {
  return scope === kDefaultScope ? kErlangDefaultScope : scope;
}

export function scopeOfErlangName(name: string): string {
  return name === kErlangDefaultScope ? kDefaultScope : name;
}

const fitsAtom = (s: string): boolean => s.length > 0 && s.length <= 255;

/** Step 1: a Switchboard pg message as OTP pg's, or null when it cannot be said in Erlang. */
function toErlangPg(m: PeerMsg): Tuple | null {
  if (m.peer.node === 0) ourServers.set(m.peer.id, m.peer.serial);
  switch (m.type) {
    case '$pg.discover':
      return Tuple.of(kDiscover, m.peer);
    case '$pg.sync':
      return Tuple.of(kGenCast, Tuple.of(kSync, m.peer, m.groups.filter(([g]) => fitsAtom(g)).map(([g, pids]) => Tuple.of(Atom.of(g), pids.slice()))));
    case '$pg.join':
      return fitsAtom(m.group) ? Tuple.of(kJoin, m.peer, Atom.of(m.group), m.pids.slice()) : null;
    case '$pg.leave': {
      const groups = m.groups.filter(fitsAtom).map((g) => Atom.of(g));
      return groups.length === 0 ? null : Tuple.of(kLeave, m.peer, m.pids.slice(), groups);
    }
  }
}

function pidList(v: unknown): Pid[] | undefined {
  if (v instanceof ErlPid) return [pidFromErl(v)];
  if (!Array.isArray(v) || !v.every((p) => p instanceof ErlPid)) return undefined;
  return v.map((p: ErlPid) => pidFromErl(p));
}

function groupNames(v: unknown): string[] | undefined {
  if (!Array.isArray(v)) return undefined;
  return v.filter((g): g is Atom => g instanceof Atom).map((g) => g.name);
}

/** Step 2: OTP pg's message (decoded, not yet mapped) as Switchboard's, or undefined if it is not one. */
function fromErlangPg(raw: unknown): PeerMsg | undefined {
  if (!(raw instanceof Tuple)) return undefined;
  const e = raw.elements;
  if (e.length === 2 && e[0] === kDiscover && e[1] instanceof ErlPid) {
    const d: DiscoverMsg = { type: '$pg.discover', peer: pidFromErl(e[1]) };
    return d;
  }
  if (e.length === 2 && e[0] === kGenCast && e[1] instanceof Tuple) {
    const s = e[1].elements;
    if (s.length !== 3 || s[0] !== kSync || !(s[1] instanceof ErlPid) || !Array.isArray(s[2])) return undefined;
    const groups: Array<[string, Pid[]]> = [];
    for (const entry of s[2] as unknown[]) {
      if (!(entry instanceof Tuple) || entry.elements.length !== 2) return undefined;
      const pids = pidList(entry.elements[1]);
      if (pids === undefined) return undefined;
      if (entry.elements[0] instanceof Atom) groups.push([entry.elements[0].name, pids]);
    }
    const m: SyncMsg = { type: '$pg.sync', peer: pidFromErl(s[1]), groups };
    return m;
  }
  if (e.length === 4 && e[0] === kJoin && e[1] instanceof ErlPid && e[2] instanceof Atom) {
    const pids = pidList(e[3]);
    if (pids === undefined) return undefined;
    const m: JoinMsg = { type: '$pg.join', peer: pidFromErl(e[1]), group: e[2].name, pids };
    return m;
  }
  if (e.length === 4 && e[0] === kLeave && e[1] instanceof ErlPid) {
    const pids = pidList(e[2]);
    const groups = groupNames(e[3]);
    if (pids === undefined || groups === undefined) return undefined;
    const m: LeaveMsg = { type: '$pg.leave', peer: pidFromErl(e[1]), pids, groups };
    return m;
  }
  return undefined;
}

export const pgErlangTranslator: ErlangMessageTranslator = {
  regSendIn(name, raw, whereis) {
    const server = whereis(serverName(scopeOfErlangName(name)));
    if (server === undefined) return undefined;
    const msg = fromErlangPg(raw);
    return msg === undefined ? undefined : { to: server, msg };
  },
  sendIn(to, raw) {
    if (ourServers.size === 0 || !(raw instanceof Tuple) || to.node !== 0 || ourServers.get(to.id) !== to.serial) return undefined;
    return fromErlangPg(raw);
  },
  sendOut(msg) {
    return isPeerMsg(msg) ? toErlangPg(msg) : undefined;
  },
  regSendOut(name, msg) {
    if (!name.startsWith(kServerPrefix) || !isPeerMsg(msg)) return undefined;
    const erlName = erlangScopeName(name.slice(kServerPrefix.length));
    if (!fitsAtom(erlName)) return null;
    const t = toErlangPg(msg);
    return t === null ? null : { name: erlName, msg: t };
  },
};

registerErlangTranslator(pgErlangTranslator);
