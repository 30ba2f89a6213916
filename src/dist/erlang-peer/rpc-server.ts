/**
 * rpc from Erlang nodes into this node: what `rpc:call('sb@h', M, F, A)`, `erpc:call`,
 * `rpc:cast` / `erpc:cast` and old-style `gen_server:call({rex, 'sb@h'}, {call, ...})`
 * reach here, served on the embedding thread (ErlangDispatch hands them over) by the
 * functions exported with exportRpc (rpc-exports.ts). No Erlang code runs here, so an MFA
 * names an exported JS function, nothing else.
 *
 * Two ways in, as OTP has them:
 *
 *   A. erpc (OTP 23+; OTP 25's rpc:call and rpc:cast are built on it):
 *      1. SPAWN_REQUEST {29, ReqId, From, GL, {erpc, execute_call, 4}, Opts} + [Res, M, F, A]
 *         (SPAWN_REQUEST_TT 30 the same, with a token: ignored); DFLAG_SPAWN is offered so
 *         erl sends it (without it erts answers notsup itself and rpc:call fails).
 *      2. SPAWN_REPLY {31, ReqId, From, Flags, Pid} at once: Pid names the call's run here
 *         (a node-thread task, not an actor: messages to it are dropped, and exit(Pid, kill)
 *         does not stop a JS function); Flags 2 when `monitor` was asked (ReqId is the
 *         monitor's ref), 1 when `link`.
 *      3. When the function is done, the run "exits" with erpc's reason:
 *           {Res, return, Value} | {Res, throw, Thrown} | {Res, error, Reason, Stack}
 *         as MONITOR_P_EXIT {21, Pid, From, ReqId, Reason} (monitor) and/or
 *         EXIT {3, Pid, From, Reason} (link). erpc:call reads it from the 'DOWN'.
 *      {erpc, execute_cast, 3} + [M, F, A]: steps 1-2, the result is not sent. Any other
 *      MFA: SPAWN_REPLY with the atom `notsup` (no process is started).
 *
 *   B. rex (kernel's rpc server, registered as `rex` on every Erlang node; REG_SEND to our
 *      unregistered `rex` lands here):
 *      {'$gen_call', {Pid, Tag}, {call | block_call, M, F, A, GL}}  -> {Tag, Result}
 *      {'$gen_cast', {cast, M, F, A, GL}}                          -> run, nothing sent
 *      {From, {call, M, F, A, GL}}                                 -> From ! {rex, Result}
 *      {From, features_request}                                    -> From ! {features_reply, Us, [erpc]}
 *      Result: the value; a throw: the thrown value (as rex); else {badrpc, {'EXIT', R}}.
 *
 * Outcomes of a function, in Erlang's terms (Stack is [{M, F, Arity, []}]):
 *   not exported                  error undef, stack [{M, F, Args, []}] (as erts's undef)
 *   returns v (or a promise of v) return v
 *   throws / rejects with an Error error {js_error, Name, Message}
 *   throws a non-Error value x    throw x
 *   a value with no Erlang term   error {js_error, 'EtfUnsupportedError', Message}
 */
import { Atom, ErlPid, ErlRef, EtfEncoder, Tuple } from '../../codec/etf/index.ts';
import { nodeTable } from '../../core/node-table.ts';
import { Pid } from '../../core/pid.ts';
import * as C from './control-messages.ts';
import { packOutbound } from './erlang-payload.ts';
import { genReplyPayload } from './gen-reply.ts';
import type { ErlangPeerState } from './erlang-peer-state.ts';
import { rpcExport } from './rpc-exports.ts';
import { fromErlang, pidToErl, reasonToErlang, toErlang } from './term-mapping.ts';

/** Where answers to the peer go (as ErlangDispatch's). */
export type RpcAnswer = (peer: ErlangPeerState, stream: number, bytes: Uint8Array) => void;

export interface ErlangRpcServerStats {
  /** rex calls and casts served. */
  rexCalls: number;
  /** erpc runs (SPAWN_REQUEST of erpc:execute_call / execute_cast). */
  erpcRuns: number;
  /** SPAWN_REQUESTs of any other MFA, answered notsup. */
  spawnsRefused: number;
  /** rex messages of no known shape, dropped. */
  rexDropped: number;
}

type Outcome =
  | { readonly kind: 'return'; readonly value: unknown }
  | { readonly kind: 'throw'; readonly value: unknown }
  | { readonly kind: 'error'; readonly reason: unknown; readonly stack: unknown[] };

const A = Atom.of;
const kGenCall = A('$gen_call');
const kGenCast = A('$gen_cast');
const kCall = A('call');
const kBlockCall = A('block_call');
const kCast = A('cast');
const kRex = A('rex');
const kFeaturesRequest = A('features_request');
const kFeaturesReply = A('features_reply');
const kErpc = A('erpc');
const kExecuteCall = A('execute_call');
const kExecuteCast = A('execute_cast');
const kReturn = A('return');
const kThrow = A('throw');
const kError = A('error');
const kExit = A('EXIT');
const kBadRpc = A('badrpc');
const kUndef = A('undef');
const kNotsup = A('notsup');
const kMonitor = A('monitor');
const kLink = A('link');
const kEmpty = A('');

/** The pids of erpc runs: ids far above any actor's (slot * stride + index), so none is ever an actor's. */
const kRunIdBase = 0xf000_0000;
const kRunIdSpan = 0x0fff_ffff;

export class ErlangRpcServer {
  private readonly enc = new EtfEncoder();
  private runs = 0;
  readonly stats: ErlangRpcServerStats = { rexCalls: 0, erpcRuns: 0, spawnsRefused: 0, rexDropped: 0 };

  constructor(private readonly answer: RpcAnswer) {}

  // --- B: rex ---

  /** A message to our (unregistered) `rex` (step B). */
  rex(peer: ErlangPeerState, raw: unknown): void {
    if (!(raw instanceof Tuple)) return void this.stats.rexDropped++;
    const e = raw.elements;
    if (e.length === 3 && e[0] === kGenCall && e[1] instanceof Tuple && e[1].elements.length === 2 && e[1].elements[0] instanceof ErlPid) {
      const req = rexRequest(e[2], kCall) ?? rexRequest(e[2], kBlockCall);
      if (req === null) return void this.stats.rexDropped++;
      const from = e[1].elements[0];
      const tag = e[1].elements[1];
      this.stats.rexCalls++;
      void run(req.m, req.f, req.args).then((o) => this.replyTo(peer, from, tag, this.rexResult(o)));
      return;
    }
    if (e.length === 2 && e[0] === kGenCast) {
      const req = rexRequest(e[1], kCast);
      if (req === null) return void this.stats.rexDropped++;
      this.stats.rexCalls++;
      void run(req.m, req.f, req.args);
      return;
    }
    if (e.length === 2 && e[0] instanceof ErlPid) {
      const from = e[0];
      if (e[1] === kFeaturesRequest) {
        this.send(peer, from, Tuple.of(kFeaturesReply, A(nodeTable.local.name), [kErpc]));
        return;
      }
      const req = rexRequest(e[1], kCall);
      if (req === null) return void this.stats.rexDropped++;
      this.stats.rexCalls++;
      void run(req.m, req.f, req.args).then((o) => this.sendResult(peer, from, (r) => Tuple.of(kRex, r), this.rexResult(o)));
      return;
    }
    this.stats.rexDropped++;
  }

  /** What rex answers for an outcome: the value, a throw's value, or {badrpc, {'EXIT', R}}. */
  private rexResult(o: Outcome): unknown {
    if (o.kind === 'return' || o.kind === 'throw') return o.value;
    return Tuple.of(kBadRpc, Tuple.of(kExit, Tuple.of(o.reason, o.stack)));
  }

  /** A gen_server reply {Tag, Result} (gen-reply.ts); a result with no Erlang term is sent as the badrpc of that error. */
  private replyTo(peer: ErlangPeerState, from: ErlPid, tag: unknown, result: unknown): void {
    let bytes: Uint8Array;
    try {
      bytes = genReplyPayload(this.enc, from, tag, result);
    } catch (e) {
      bytes = genReplyPayload(this.enc, from, tag, Tuple.of(kBadRpc, Tuple.of(kExit, Tuple.of(reasonToErlang(e), []))));
    }
    this.answer(peer, from.id, bytes);
  }

  // --- A: erpc ---

  /** SPAWN_REQUEST / SPAWN_REQUEST_TT (step A); `el` the control tuple's elements, `args` the arg list. */
  spawnRequest(peer: ErlangPeerState, el: readonly unknown[], args: unknown): void {
    const reqId = el[1];
    const from = el[2];
    const mfa = el[4];
    const opts = el[5];
    if (!(reqId instanceof ErlRef) || !(from instanceof ErlPid) || !(mfa instanceof Tuple) || mfa.elements.length !== 3) return void this.stats.spawnsRefused++;
    const [mod, fun, arity] = mfa.elements;
    const optList = Array.isArray(opts) ? opts : [];
    const monitor = optList.includes(kMonitor);
    const link = optList.includes(kLink);
    const call = mod === kErpc && fun === kExecuteCall && arity === 4 && Array.isArray(args) && args.length === 4 && args[1] instanceof Atom && args[2] instanceof Atom && Array.isArray(args[3]);
    const cast = mod === kErpc && fun === kExecuteCast && arity === 3 && Array.isArray(args) && args.length === 3 && args[0] instanceof Atom && args[1] instanceof Atom && Array.isArray(args[2]);
    if (!call && !cast) {
      this.stats.spawnsRefused++;
      this.control(peer, from, Tuple.of(C.kCtlSpawnReply, reqId, from, 0, kNotsup));
      return;
    }
    this.stats.erpcRuns++;
    this.runs = (this.runs + 1) % kRunIdSpan;
    const runPid = pidToErl(new Pid(0, kRunIdBase + this.runs, 0));
    const flags = (link ? 1 : 0) | (monitor ? 2 : 0);
    this.control(peer, from, Tuple.of(C.kCtlSpawnReply, reqId, from, flags, runPid));
    const a = args as unknown[];
    if (cast) {
      void run(a[0] as Atom, a[1] as Atom, a[2] as unknown[]).then(() => this.exitRun(peer, from, runPid, reqId, monitor, link, A('normal')));
      return;
    }
    const res = a[0];
    void run(a[1] as Atom, a[2] as Atom, a[3] as unknown[]).then((o) => {
      const reason = o.kind === 'error' ? Tuple.of(res, kError, o.reason, o.stack) : Tuple.of(res, o.kind === 'return' ? kReturn : kThrow, o.value);
      this.exitRun(peer, from, runPid, reqId, monitor, link, reason);
    });
  }

  /** Step A3: the run's exit reaches its monitor (MONITOR_P_EXIT) and its link (EXIT). */
  private exitRun(peer: ErlangPeerState, from: ErlPid, runPid: ErlPid, reqId: ErlRef, monitor: boolean, link: boolean, reason: unknown): void {
    let r = reason;
    try {
      this.enc.encodeTerm(r);
    } catch (e) {
      // The value has no Erlang term: the run failed with that error instead.
      const res = reason instanceof Tuple ? reason.elements[0] : kUndef;
      r = Tuple.of(res, kError, reasonToErlang(e), []);
    }
    if (monitor) this.control(peer, from, Tuple.of(C.kCtlMonitorPExit, runPid, from, reqId, r));
    if (link && r !== A('normal')) this.control(peer, from, Tuple.of(C.kCtlExit, runPid, from, r));
  }

  // --- sending ---

  private control(peer: ErlangPeerState, to: ErlPid, control: Tuple): void {
    this.answer(peer, to.id, packOutbound(this.enc.encodeTerm(control), null));
  }

  private send(peer: ErlangPeerState, to: ErlPid, msg: unknown): void {
    this.answer(peer, to.id, packOutbound(this.enc.encodeTerm(Tuple.of(C.kCtlSend, kEmpty, to)), this.enc.encodeTerm(msg)));
  }

  /** SEND `make(result)`; a result with no Erlang term is sent as the badrpc of that error. */
  private sendResult(peer: ErlangPeerState, to: ErlPid, make: (r: unknown) => unknown, result: unknown): void {
    const control = Tuple.of(C.kCtlSend, kEmpty, to);
    let body: Uint8Array;
    try {
      body = this.enc.encodeTerm(make(result));
    } catch (e) {
      body = this.enc.encodeTerm(make(Tuple.of(kBadRpc, Tuple.of(kExit, Tuple.of(reasonToErlang(e), [])))));
    }
    this.answer(peer, to.id, packOutbound(this.enc.encodeTerm(control), body));
  }
}

/** `{Op, M, F, Args, _GroupLeader}` with atoms M, F and a proper list Args, or null. */
function rexRequest(v: unknown, op: Atom): { m: Atom; f: Atom; args: unknown[] } | null {
  if (!(v instanceof Tuple) || v.elements.length !== 5 || v.elements[0] !== op) return null;
  const [, m, f, args] = v.elements;
  if (!(m instanceof Atom) || !(f instanceof Atom) || !Array.isArray(args)) return null;
  return { m, f, args };
}

/** Run the exported M:F with args (mapped as messages); never rejects. */
async function run(m: Atom, f: Atom, args: unknown[]): Promise<Outcome> {
  const fn = rpcExport(nodeTable.local.name, m.name, f.name);
  if (fn === undefined) return { kind: 'error', reason: kUndef, stack: [Tuple.of(m, f, args, [])] };
  try {
    const v = await (fn as (...a: unknown[]) => unknown)(...(args.map(fromErlang)));
    return { kind: 'return', value: toErlang(v) };
  } catch (e) {
    if (e instanceof Error) return { kind: 'error', reason: reasonToErlang(e), stack: [Tuple.of(m, f, args.length, [])] };
    return { kind: 'throw', value: toErlang(e) };
  }
}
