/**
 * The diagnostics_channel events of a Switchboard node (node:diagnostics_channel), so an
 * APM or a tracer can hook in without a Switchboard API:
 *
 *   'switchboard:spawn'     { pid, parent, behaviour }     an actor was created
 *   'switchboard:exit'      { pid, reason }                an actor ended (reason as given)
 *   'switchboard:nodeup'    { node, hidden }               a connection to a node is up
 *   'switchboard:nodedown'  { node, hidden, reason, detail } it is down (reason 'noconnection')
 *
 * How they are published (core/process-table.ts, core/signals.ts, dist/distribution.ts
 * hold the publishing side; core cannot import this layer, and a channel is found by its
 * name, so both sides name the same channel object):
 *   1. At spawn (after the actor's slot is taken, before its init runs) and at exit (after
 *      its slot is freed and its links and monitors are told), the scheduler checks
 *      `channel.hasSubscribers`: one boolean load; nothing is allocated when nobody listens.
 *   2. With a subscriber the payload object is built and published synchronously on the
 *      thread of the scheduler that runs the actor. A subscriber that throws does not
 *      throw into the scheduler: diagnostics_channel catches it and rethrows it on
 *      process.nextTick, an uncaught exception of that thread (subscribers must not throw).
 *   3. nodeup/nodedown are published by the distribution layer on the node thread (the
 *      embedding thread) right after the node's own 'nodeup'/'nodedown' event.
 *
 * Threads: channels are per thread (per V8 isolate). On a ThreadedNode, spawn and exit
 * happen on the scheduler worker threads, so a subscriber on the main thread sees none of
 * them; subscribe on every scheduler with `node.applyOnSchedulers({ module, export })`
 * running a function that calls `subscribe(...)` there. They are NOT forwarded to the main
 * thread (that would cost a ring record per spawn/exit). nodeup/nodedown are on the
 * embedding thread for both node kinds. The gateway of a LocalNode is spawned before any
 * caller can subscribe, so it is never seen.
 *
 * Erlang mapping: spawn/exit are the `procs` trace events of erlang:trace/3 (spawn, exit)
 * as a seq_trace-free hook; nodeup/nodedown are net_kernel:monitor_nodes messages.
 */
import { channel, type Channel } from 'node:diagnostics_channel';
import type { Pid } from '../../core/pid.ts';

export const kSpawnChannel = 'switchboard:spawn';
export const kExitChannel = 'switchboard:exit';
export const kNodeUpChannel = 'switchboard:nodeup';
export const kNodeDownChannel = 'switchboard:nodedown';

export interface SpawnEvent {
  readonly pid: Pid;
  /** The spawning actor, null for a spawn from the embedding thread. */
  readonly parent: Pid | null;
  /** `file#export` of a module-defined behaviour, `closure(handler)` / `closure(process)` otherwise. */
  readonly behaviour: string;
}

export interface ExitEvent {
  readonly pid: Pid;
  /** The exit reason, as the actor's links and monitors get it ('normal', tagged data...). */
  readonly reason: unknown;
}

export interface NodeUpEvent {
  readonly node: string;
  readonly hidden: boolean;
}

export interface NodeDownEvent {
  readonly node: string;
  readonly hidden: boolean;
  /** Always 'noconnection' (Erlang's reason). */
  readonly reason: string;
  /** 'closed', 'tick_timeout', 'disconnect', 'stopped', or an error's text. */
  readonly detail: string;
}

/** The four channels (the same objects the runtime publishes on, on this thread). */
export const switchboardChannels: {
  readonly spawn: Channel;
  readonly exit: Channel;
  readonly nodeup: Channel;
  readonly nodedown: Channel;
} = Object.freeze({
  spawn: channel(kSpawnChannel),
  exit: channel(kExitChannel),
  nodeup: channel(kNodeUpChannel),
  nodedown: channel(kNodeDownChannel),
});
