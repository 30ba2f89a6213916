/**
 * Global across runtimes: Switchboard's Global and OTP's global (lib/kernel/src/global.erl)
 * share one name table. The Erlang bridge speaks global's protocol to the Erlang node
 * (src/dist/erlang-peer/global-sync.ts); this file is its handler (global-handler.ts): it
 * says what our names are, writes the Erlang node's into our server's table, and stands
 * for the Erlang node's global_name_server towards our server and registrar, so
 * name-server.ts and registrar.ts treat an Erlang node as one more synced node.
 *
 *   our side (protocol.ts)                        the Erlang node (OTP global)
 *   ----------------------------------------------------------------------------------------
 *   server nodeup: sync N, or hello to N          hello: taken here; our server is told
 *                                                   `hello, drive` (it runs the sync itself)
 *   registrar: set_lock(names) call to N          {set_lock, {global, StandIn}} on N; answered
 *                                                   { granted, owners (N's view) } when N answers
 *   registrar: table call                         N's names as we know them (its view), known []
 *   registrar: apply(changes) call                {register, Name, Pid, Method} / {unregister,
 *                                                   Name} on N, for each change N's view lacks
 *   registrar: install(rows) call                 the same for every row, and {unregister, Name}
 *                                                   for N's names the rows do not have
 *   registrar: del_lock                           {del_lock, {global, StandIn}} on N
 *   anything else of ours to N's server           dropped (N's server logs what it does not know)
 *   N's {register | unregister} call, its         `apply` to our server (the change written
 *     exchange at connect, its resolved ops         here only: N told every node it knows)
 *
 * Steps:
 *   1. Connect: global-sync.ts exchanges names with N under N's connect lock (our names
 *      from this thread's replica; clashes resolved by the node whose name sorts first).
 *      Our server meanwhile syncs with N through the rows above: the registrar's lock on N
 *      waits for N's connect lock, then merges N's view with our table (clashes left there
 *      resolved by resolve.ts, as between Switchboard nodes), installs the result on N and
 *      counts N as synced (Global.sync then waits for N too).
 *   2. After connect: our register / unregister take the lock on N with every other synced
 *      node and write there; N's register_name / unregister_name take the lock on us
 *      (granted: N's own lock is the one that orders them) and reach our server as apply.
 *   3. An owner's exit: each side's server monitors the owner and drops the name itself
 *      (no message between the servers), as global does; nodedown: our server drops N's
 *      names, N drops ours.
 * Not shared: Erlang names that are not atoms, Switchboard names longer than 255
 * characters; resolve methods travel as global:random_exit_name/3 or notify_all_name/3 (a
 * user resolve function of ours as random_exit_name; erl's own funs are not run here).
 */
import { callReply, isCall } from '../../core/call-protocol.ts';
import { Ref, type Pid } from '../../core/pid.ts';
import { setErlangGlobalHandler, type ErlangGlobalHandler, type ErlangGlobalIo } from '../../dist/erlang-peer/global-handler.ts';
import type { LockAnswer } from './cluster-lock.ts';
import { kServerName, type NameChange, type NameRow, type ServerCall, type ServerInfo } from './protocol.ts';
import { threadReplica } from './thread-replica.ts';

/** The `sched` part of the refs of our apply calls (their answers go to the stand-in and are dropped). */
const kApplySched = 0xeffe;
let nextApply = 0;

const samePid = (a: Pid | null, b: Pid | null): boolean => (a === null ? b === null : b !== null && a.equals(b));

function isServerInfo(m: unknown): m is ServerInfo {
  return typeof m === 'object' && m !== null && (m as { type?: unknown }).type === '$global';
}

function isServerCall(m: unknown): m is ServerCall {
  return typeof m === 'object' && m !== null && typeof (m as { op?: unknown }).op === 'string';
}

/** Write N's change into our server's table (an apply call whose answer nobody waits for). */
function applyHere(io: ErlangGlobalIo, changes: NameChange[]): void {
  const server = io.whereis(kServerName);
  if (server === undefined) return; // Global not started here: the sync at its start brings N's names
  const msg: ServerCall = { op: 'apply', changes };
  io.deliver(server, { type: '$call', from: { pid: io.standIn, ref: new Ref(0, kApplySched, ++nextApply) }, msg });
}

/** N holds `name` as `pid` (null: not at all) after this; sends what its view lacks. */
function writeThere(io: ErlangGlobalIo, peer: string, name: string, pid: Pid | null, notifyAll: boolean): void {
  if (samePid(io.owner(peer, name), pid)) return;
  if (pid === null) io.unregister(peer, name);
  else io.register(peer, name, pid, notifyAll);
}

function serveCall(peer: string, from: { readonly pid: Pid; readonly ref: Ref }, req: ServerCall, io: ErlangGlobalIo): () => void {
  const answer = (v: unknown): void => io.deliver(from.pid, callReply(from.ref, v));
  switch (req.op) {
    case 'set_lock':
      return () =>
        io.lock(peer, (granted) => {
          const a: LockAnswer = { granted, owners: granted ? req.names.map((n) => io.owner(peer, n)) : [] };
          answer(a);
        });
    case 'table':
      return () => {
        const rows: NameRow[] = [];
        for (const [name, pid] of io.view(peer)) rows.push([name, pid, 'random_exit']);
        answer({ rows, known: [] });
      };
    case 'apply':
      return () => {
        for (const c of req.changes) writeThere(io, peer, c.name, c.pid, c.method === 'notify_all');
        answer([]);
      };
    case 'install':
      return () => {
        const keep = new Set<string>();
        for (const [name, pid, method] of req.rows) {
          keep.add(name);
          writeThere(io, peer, name, pid, method === 'notify_all');
        }
        for (const [name] of [...io.view(peer)]) if (!keep.has(name)) io.unregister(peer, name);
        answer(0);
      };
    default:
      return () => answer({ error: 'unknown global_name_server request' });
  }
}

export const globalErlangHandler: ErlangGlobalHandler = {
  *names() {
    if (threadReplica.serverEpoch === null) return;
    for (const name of threadReplica.names()) {
      const pid = threadReplica.whereis(name);
      if (pid !== undefined) yield [name, pid, false] as const;
    }
  },
  whereis(name) {
    return threadReplica.serverEpoch === null ? undefined : threadReplica.whereis(name);
  },
  erlangChanged(name, pid, io) {
    applyHere(io, [{ name, pid, method: 'random_exit' }]);
  },
  outbound(peer, msg, io) {
    if (isCall(msg)) return isServerCall(msg.msg) ? serveCall(peer, msg.from, msg.msg, io) : null;
    if (!isServerInfo(msg)) return null;
    switch (msg.op) {
      case 'del_lock':
        return () => io.unlock(peer);
      case 'hello':
        return () => {
          const server = io.whereis(kServerName);
          if (server !== undefined) io.deliver(server, { type: '$global', op: 'hello', node: peer, drive: true } satisfies ServerInfo);
        };
      default:
        return () => {};
    }
  },
};

setErlangGlobalHandler(globalErlangHandler);
