/**
 * Message translators: how a layer above dist (cluster/pg speaks OTP pg's protocol to
 * Erlang nodes) changes the messages its processes exchange with Erlang processes, at the
 * boundary, without dist knowing that layer. Registered once per thread by that layer
 * (on the embedding thread, where the Distribution serving Erlang peers runs).
 *
 *   inbound, REG_SEND to a name not registered here (step 1 of ErlangDispatch.regSend):
 *     regSendIn(name, msg, whereis) -> { to, msg } to deliver instead, or undefined
 *   inbound, SEND to a pid of ours:
 *     sendIn(to, msg) -> the message to deliver instead, or undefined (unchanged)
 *   outbound, SEND to an Erlang pid / REG_SEND to { name, node } of an Erlang node:
 *     sendOut(msg) / regSendOut(name, msg) -> the term (and name) to send instead,
 *     null to send nothing, or undefined (not this translator's message)
 *
 * Inbound messages are the decoded terms as they came (ErlPid, not yet mapped: a translator
 * maps what it takes with term-mapping.ts's fromErlang, so nothing is mapped twice for
 * messages it leaves alone); outbound ones are the values the actor sent (core Pids). The first
 * translator that answers wins. With none registered the cost is one length check per
 * message.
 */
import type { Pid } from '../../core/pid.ts';

export interface ErlangMessageTranslator {
  regSendIn(name: string, msg: unknown, whereis: (name: string) => Pid | undefined): { readonly to: Pid; readonly msg: unknown } | undefined;
  sendIn(to: Pid, msg: unknown): unknown;
  sendOut(msg: unknown): unknown;
  regSendOut(name: string, msg: unknown): { readonly name: string; readonly msg: unknown } | null | undefined;
}

export const erlangTranslators: ErlangMessageTranslator[] = [];

/** Add `t` (once; a second registration of the same object is a no-op). */
export function registerErlangTranslator(t: ErlangMessageTranslator): void {
  if (!erlangTranslators.includes(t)) erlangTranslators.push(t);
}
