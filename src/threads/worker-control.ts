/**
 * CONTROL requests from the gateway to a scheduler thread, and their replies (records.ts:
 * CONTROL requestId op body; the reply carries the same requestId and kOpOk / kOpError):
 *
 *   op          body                          reply
 *   SPAWN       { module, export, args, opts }  the pid (after importing the module)
 *   INFO        a pid                          processInfo, or undefined
 *   REGISTER    { name, pid }                  true
 *   APPLY       { module, export, args }       fn(scheduler, ...args), awaited
 *   STOP        { reason }                     true, then the worker lets itself exit
 *
 * An error becomes a plain `{ code, message, option?, name? }` body (`errorBody`), rebuilt
 * as a typed error by the gateway.
 */
import { loadBehaviour, type BehaviourRef } from '../core/behaviour.ts';
import { SwitchboardError } from '../core/errors.ts';
import type { Pid } from '../core/pid.ts';
import type { Scheduler, SpawnOptions } from '../core/scheduler.ts';
import { kOpSpawn, kOpInfo, kOpRegister, kOpStop, kOpApply, kOpOk, kOpError } from './records.ts';
import type { WorkerHost } from './worker-host.ts';

/** An error as a plain body for a CONTROL reply (rebuilt as a typed error by the gateway). */
export function errorBody(e: unknown): { code: string; message: string; option?: string; name?: string } {
  if (e instanceof SwitchboardError) {
    const extra = e as unknown as { option?: string; registeredName?: string };
    return { code: e.code, message: e.message, option: extra.option, name: extra.registeredName };
  }
  return { code: 'ERR_SB_INTERNAL', message: e instanceof Error ? e.message : String(e) };
}

export function reply(w: WorkerHost, reqId: number, op: number, value: unknown): void {
  const n = w.hdrControl(reqId, op);
  try {
    w.emit(w.gateway, n, value, true);
  } catch (e) {
    w.emit(w.gateway, w.hdrControl(reqId, op), errorBody(e), true);
  }
  w.kick();
}

export function onControl(w: WorkerHost, reqId: number, op: number, body: unknown): void {
  const s = w.sched;
  switch (op) {
    case kOpSpawn: {
      const b = body as { module: string; export: string; args: unknown[]; opts: SpawnOptions | undefined };
      const ref: BehaviourRef = { module: b.module, export: b.export };
      loadBehaviour(ref).then(
        (beh) => {
          try {
            reply(w, reqId, kOpOk, s.spawn(beh, b.args, b.opts));
          } catch (e) {
            reply(w, reqId, kOpError, errorBody(e));
          }
        },
        (e: unknown) => {
          reply(w, reqId, kOpError, {
            code: 'ERR_SB_UNDEF',
            message: `cannot load behaviour ${b.export} from ${b.module}: ${e instanceof Error ? e.message : String(e)}`,
          });
        },
      );
      return;
    }
    case kOpInfo: {
      let info: unknown;
      try {
        info = s.processInfo(body as Pid);
      } catch (e) {
        reply(w, reqId, kOpError, errorBody(e));
        return;
      }
      reply(w, reqId, kOpOk, info);
      return;
    }
    case kOpRegister: {
      const b = body as { name: string; pid: Pid };
      try {
        s.register(b.name, b.pid);
        reply(w, reqId, kOpOk, true);
      } catch (e) {
        reply(w, reqId, kOpError, errorBody(e));
      }
      return;
    }
    case kOpApply: {
      // fn(scheduler, ...args), an export of a module, may be async; its result is the reply.
      const b = body as { module: string; export: string; args: unknown[] };
      import(b.module)
        .then((ns: Record<string, unknown>) => {
          const fn = ns[b.export];
          if (typeof fn !== 'function') throw new Error(`module ${b.module} has no function export ${b.export}`);
          // Guests (migration.ts) are this scheduler's actors for such a function (the
          // code server kills or wakes actors by pid), at least in its synchronous part.
          w.guestAccess++;
          try {
            return (fn as (sched: Scheduler, ...a: unknown[]) => unknown)(s, ...b.args);
          } finally {
            w.guestAccess--;
          }
        })
        .then(
          (v) => reply(w, reqId, kOpOk, v === undefined ? null : v),
          (e: unknown) => reply(w, reqId, kOpError, errorBody(e)),
        );
      return;
    }
    case kOpStop:
      w.stop(reqId, body);
      return;
    default:
      reply(w, reqId, kOpError, { code: 'ERR_SB_BADARG', message: `unknown control op ${op}` });
  }
}
