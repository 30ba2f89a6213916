/**
 * The ring record protocol between the endpoints of a node (endpoint.ts): record kinds,
 * their header layouts, and the CONTROL ops.
 *
 * Records. A ring record (spsc-ring.ts) carries one record of this protocol; its payload
 * starts on a 4-byte boundary and begins with Int32 header words, then (for the kinds
 * that have one) a codec value (codec.ts):
 *
 *   kind        words after the kind word               value
 *   MSG         to.id to.serial                         the message
 *   EXIT        to.id to.serial from.id from.serial via  the reason (via = 1: link)
 *   LINK        to.id to.serial from.id from.serial      -
 *   UNLINK      to.id to.serial from.id from.serial      -
 *   MONITOR     to.id to.serial w.id w.serial ref.sched ref.n     (w = the watcher)
 *   DEMONITOR   to.id to.serial ref.sched ref.n          -
 *   DOWN        to.id to.serial pid.id pid.serial ref.sched ref.n   the reason
 *   CONTROL     requestId op                            request / reply body
 *   NAMECLEAR   to.id to.serial                         the name
 *   SCHEDDOWN   endpoint                                the reason
 *   FRAG        total index                             raw bytes (endpoint.ts: records bigger
 *                                                       than half a ring are cut)
 *   SPAWN       id parent.id parent.serial link         { module, export, args, opts }
 *               (into a slot the sender reserved, placement.ts)
 *   DIRTY       pid.id pid.serial ref.n                 scheduler -> gateway: { module, export, args }
 *                                                       gateway -> scheduler: { ok, value | error }
 *               (ctx.dirty, dirty-pool.ts)
 *   MIGRATE     id serial                               an actor moving home -> host (migration.ts)
 *   UNFORWARD   id serial                               host -> home: the guest ended
 *   GUESTSDOWN  host                                    home -> all: { ids, serials, reason }
 *                                                       (its guests died with their host)
 *   DISTOUT     op                                      scheduler -> gateway: [args] of an op
 *                                                       on another node (dist-records.ts)
 *   DISTIN      op                                      gateway -> scheduler: [args] of what
 *                                                       another node did to a local actor
 *
 * Endpoint has one header writer per kind (`hdrMsg`, `hdrExit`, `hdrLink`, `hdrUnlink`,
 * `hdrMonitor`, `hdrDemonitor`, `hdrDown`, `hdrControl`, `hdrNameClear`, `hdrSchedDown`,
 * `hdrSpawn`, `hdrDirty`, `hdrDist`); MIGRATE / UNFORWARD / GUESTSDOWN are written by
 * migration.ts.
 */

export const kRecMsg = 1;
export const kRecExit = 2;
export const kRecLink = 3;
export const kRecUnlink = 4;
export const kRecMonitor = 5;
export const kRecDemonitor = 6;
export const kRecDown = 7;
export const kRecControl = 8;
export const kRecNameClear = 9;
export const kRecSchedDown = 10;
export const kRecFrag = 11;
export const kRecSpawn = 12;
export const kRecDirty = 13;
/** Live migration (migration.ts). */
export const kRecMigrate = 14;
export const kRecUnforward = 15;
export const kRecGuestsDown = 16;
/** Distribution (dist-records.ts). */
export const kRecDistOut = 17;
export const kRecDistIn = 18;

/** Control ops (CONTROL records). Requests go gateway -> scheduler, replies come back. */
export const kOpSpawn = 1;
export const kOpInfo = 2;
export const kOpRegister = 3;
export const kOpStop = 4;
/** Run an exported function `fn(scheduler, ...args)` of a module on the scheduler's thread (see ThreadedNode.applyOnSchedulers). */
export const kOpApply = 5;
export const kOpOk = 100;
export const kOpError = 101;
