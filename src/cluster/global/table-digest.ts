/**
 * Table digests: Global's anti-entropy under Membership. Two name servers that count each
 * other as synced compare a 32-bit digest of their tables now and then; a difference
 * means a merge did not reach one of them, and they merge again.
 *
 * Why it is needed: a merge (registrar.ts, sync) installs the merged table on every node
 * of both partitions, each of which then counts all of them as synced. When the next
 * partition cuts the cluster while the install is under way, some nodes got it and some
 * did not, yet they count each other as synced; two of them that land on the same side
 * without ever losing each other get no new memberJoined, so nothing would merge them
 * again: one side with two owners of a name. Erlang's global prevents it by disconnecting
 * (prevent_overlapping_partitions); here the digest finds it.
 *
 * Protocol (name-server.ts, under Membership only):
 *   1. Every kDigestIntervalMs each server sends one synced member, chosen at random,
 *      `{ op: 'digest', node, digest }` (its table's digest).
 *   2. The receiver, if it counts the sender as synced and as a member, compares: a
 *      different digest is treated as a nodeup of the sender (the smaller name queues a
 *      sync, the other says hello), so the pair merges under the cluster lock.
 *   3. A transaction under way can make two digests differ for a moment (its writes reach
 *      the nodes one by one); the sync that follows waits for the lock and finds equal
 *      tables: one extra merge, nothing resolved.
 *
 *   digest = Σ rowHash(name, owner) mod 2^32      (a sum: a change adds or subtracts one row)
 *   rowHash = FNV-1a 32 over  name \0 ownerNodeName \0 id . serial
 *
 * Erlang mapping: none (global relies on prevent_overlapping_partitions instead).
 */
import type { Pid } from '../../core/pid.ts';

/** Step 1's period. */
export const kDigestIntervalMs = 1000;

function fnv1a(s: string, h: number): number {
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}

/** One row's hash: the same on every node (the owner by its node's name, id and serial). */
export function rowHash(name: string, ownerNode: string, pid: Pid): number {
  return fnv1a(`${name}\0${ownerNode}\0${pid.id}.${pid.serial}`, 0x811c9dc5);
}

export function addRow(digest: number, name: string, ownerNode: string, pid: Pid): number {
  return (digest + rowHash(name, ownerNode, pid)) >>> 0;
}

export function removeRow(digest: number, name: string, ownerNode: string, pid: Pid): number {
  return (digest - rowHash(name, ownerNode, pid)) >>> 0;
}
