/**
 * Distribution over the rings of a ThreadedNode: the DISTOUT and DISTIN records
 * (records.ts) between the scheduler threads and the gateway, on whose thread (the
 * embedding thread) the node's one Distribution (src/dist/distribution.ts) lives next to
 * the I/O link.
 *
 *   scheduler k                         gateway (embedding thread)          I/O thread
 *   actor -> router -> DistForward  --DISTOUT-->  DistGateway.onOut  -> NodeTransport -> ...
 *   (ctx.monitorNode, spawnRequest) --DISTOUT-->  Distribution.hooks
 *   scheduler.inbound  <--DISTIN--  DistGateway (routing Inbound)  <- Distribution <- ...
 *
 * Record: the kind word, the op word, then one codec array (its args). Pids and refs in it
 * name their node as every ring value does (endpoint.ts `ringNodeHooks`: this node as 0,
 * another by its identity), so each thread interns other nodes into its own node table.
 *
 *    0          4          8
 *    +----------+----------+----------------------------------+
 *    | kind     | op       | codec value: [args ...]          |
 *    +----------+----------+----------------------------------+
 *
 *   DISTOUT (scheduler -> gateway): an op on another node's pid or name, by a local actor;
 *   the gateway calls the same member of the Distribution's NodeTransport (or its hooks):
 *     kDoSendEncoded   [to, op bytes]                   transport.sendEncoded: a send, encoded
 *                                                       as the dist op (codec/dist-ops.ts) on
 *                                                       the scheduler, so the gateway's thread
 *                                                       (which carries every scheduler's ops and
 *                                                       the I/O link) neither decodes the
 *                                                       message nor encodes it again
 *     kDoExit          [to, from, reason, viaLink]      transport.exit
 *     kDoLink          [to, from]                       transport.link
 *     kDoUnlink        [to, from]                       transport.unlink
 *     kDoMonitor       [to, watcher, ref]               transport.monitor
 *     kDoDemonitor     [to, ref]                        transport.demonitor
 *     kDoDown          [to, ref, pid, reason]           transport.down
 *     kDoSendNamedEncoded [node, name, op bytes]        transport.sendNamedEncoded, the same
 *                                                       for a named send (a kOpRegSend op)
 *     kDoMonitorName   [node, name, watcher, ref]       transport.monitorName (the placeholder
 *                                                       pid was made on the scheduler, the
 *                                                       same way: <index of (node, any), 0, -1>)
 *     kDoMonitorNode   [watcher, node, on]              hooks.monitorNode
 *     kDoMonitorNodes  [watcher, on]                    hooks.monitorNodes
 *     kDoSpawnRequest  [from, node, { module, export }, args, link, ref]
 *                                                       hooks.spawnRequest (with the ref the
 *                                                       scheduler returned to the actor)
 *     kDoSendLarge     [to, seq]                        transport.sendEncoded: a send whose
 *                                                       message holds a large binary, encoded
 *                                                       as the op (op-parts.ts) on the
 *                                                       scheduler, its bytes on the side
 *                                                       channel (dist-large-port.ts) as `seq`
 *     kDoSendNamedLarge [node, name, seq]               transport.sendNamedEncoded, the same
 *
 *   DISTIN (gateway -> scheduler k): what another node does to an actor of k (the gateway's
 *   routing Inbound, dist-gateway.ts), handed to k's scheduler.inbound as is:
 *     kDoSend          [to, msg]                        deliverTo
 *     kDoExit          [to, from, reason, viaLink]      exitIn
 *     kDoLink          [to, from]                       linkIn   (from: the remote pid)
 *     kDoUnlink        [to, from]                       unlinkIn
 *     kDoMonitor       [to, watcher, ref]               monitorIn
 *     kDoDemonitor     [to, ref]                        demonitorIn
 *     kDoDown          [watcher, ref, pid, reason]      downIn
 *     kDoPeerGone      [{ name, creation }, reason]     peerGone(the index of that identity here)
 *     kDoNodes         [visible[], hidden[]]            what ctx.nodes() answers from now on
 *     kDoSendLarge     [to, seq]                        deliverTo(to, the message of the op
 *                                                       payload on the side channel: a send or
 *                                                       named send with a large binary, as it
 *                                                       came from the peer, decoded here, its
 *                                                       binaries views of the transferred bytes)
 *
 * One ring per ordered pair keeps each pair's order: what a node delivered before its
 * nodedown reaches every scheduler before the nodedown's PEERGONE.
 */

export const kDoSend = 1;
export const kDoExit = 2;
export const kDoLink = 3;
export const kDoUnlink = 4;
export const kDoMonitor = 5;
export const kDoDemonitor = 6;
export const kDoDown = 7;
export const kDoSendNamed = 8;
export const kDoMonitorName = 9;
export const kDoMonitorNode = 10;
export const kDoSpawnRequest = 11;
export const kDoPeerGone = 12;
export const kDoNodes = 13;
export const kDoMonitorNodes = 14;
export const kDoSendLarge = 15;
export const kDoSendNamedLarge = 16;
export const kDoSendEncoded = 17;
export const kDoSendNamedEncoded = 18;

/** A node's identity as it crosses (the table's own frozen object on the sending side). */
export interface CrossingIdentity {
  readonly name: string;
  readonly creation: number;
}
