/**
 * The answer to an Erlang gen_server call that this layer serves itself (rex, the
 * global_name_server stand-in): `{Tag, Reply}` to the caller, as gen_server:reply does.
 *
 *   tag [alias | Ref] (OTP 24+ gen_server:call)  ALIAS_SEND {33, From, Ref} + {Tag, Reply}:
 *                                                erl drops it once the call is over
 *   any other tag (a ref, multi_call's {Ref, Node}) SEND {2, '', Pid} + {Tag, Reply}
 */
import { Atom, ErlPid, ErlRef, type EtfEncoder, ImproperList, Tuple } from '../../codec/etf/index.ts';
import { kNoPid } from '../../core/pid.ts';
import * as C from './control-messages.ts';
import { packOutbound } from './erlang-payload.ts';
import { pidToErl } from './term-mapping.ts';

const kAlias = Atom.of('alias');
const kEmpty = Atom.of('');

/** The outbound payload of the reply `{tag, body}` to `from` (body already a term; it must encode). */
export function genReplyPayload(enc: EtfEncoder, from: ErlPid, tag: unknown, body: unknown): Uint8Array {
  const alias = tag instanceof ImproperList && tag.items.length === 1 && tag.items[0] === kAlias && tag.tail instanceof ErlRef ? tag.tail : null;
  const control = alias !== null ? Tuple.of(C.kCtlAliasSend, pidToErl(kNoPid), alias) : Tuple.of(C.kCtlSend, kEmpty, from);
  return packOutbound(enc.encodeTerm(control), enc.encodeTerm(Tuple.of(tag, body)));
}

/** `{'$gen_call', {Pid, Tag}, Req}` (Tag a ref, [alias | Ref], or anything multi_call uses), or null. */
export function erlangGenCall(raw: unknown): { readonly from: ErlPid; readonly tag: unknown; readonly req: unknown } | null {
  if (!(raw instanceof Tuple)) return null;
  const e = raw.elements;
  if (e.length !== 3 || e[0] !== Atom.of('$gen_call') || !(e[1] instanceof Tuple)) return null;
  const f = e[1].elements;
  if (f.length !== 2 || !(f[0] instanceof ErlPid)) return null;
  return { from: f[0], tag: f[1], req: e[2] };
}
