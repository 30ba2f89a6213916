/**
 * net_adm:ping from Switchboard: connect to the node, then call its net_kernel with
 * `{is_auth, ThisNode}` (what net_adm:ping does); `yes` -> 'pong'. A Switchboard peer has
 * no net_kernel: being connected is its pong. Anything else (no connection, no answer
 * within `timeoutMs`, another answer) -> 'pang'.
 *
 * The other way, an Erlang node's net_adm:ping('sb@host') is answered by this node's
 * distribution layer (erlang-dispatch.ts: REG_SEND to an unregistered 'net_kernel').
 */
import { Atom, Tuple } from '../../codec/etf/index.ts';
import type { Node } from '../../core/node.ts';

export async function erlangPing(node: Node, peer: string, timeoutMs = 5000): Promise<'pong' | 'pang'> {
  if (!(await node.connectNode(peer).catch(() => false))) return 'pang';
  try {
    const answer = await node.call({ name: 'net_kernel', node: peer }, Tuple.of(Atom.of('is_auth'), Atom.of(node.name)), timeoutMs);
    return answer === Atom.of('yes') ? 'pong' : 'pang';
  } catch (e) {
    // A Switchboard node has no net_kernel: its DOWN 'noproc' (NoProcError) says it is up.
    return (e as { code?: unknown }).code === 'ERR_SB_NOPROC' ? 'pong' : 'pang';
  }
}
