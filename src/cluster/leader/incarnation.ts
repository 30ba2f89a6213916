/**
 * The incarnation number of one GenLeader process: a number that is larger for every
 * later start of the election on the same node, across restarts of the node process.
 * Together with a per-incarnation round counter it names every claim a candidate makes
 * (election-protocol.ts): `{ node, incarnation, round }` is unique cluster-wide for ever.
 *
 * Two sources, chosen by the `incarnationDir` option of GenLeader.start:
 *   1. A directory given: the number is a counter persisted in
 *      `<dir>/<election>@<node>.incarnation` (the node's name with characters outside
 *      [A-Za-z0-9@._-] replaced by '_'). Start: read it (missing: 0), add 1, write the new
 *      value to a temporary file, fsync it, rename it over the old one (atomic on POSIX),
 *      fsync the directory. A crash at any point leaves the old or the new value, so the
 *      next start still gets a larger number. Safe as long as the directory is not shared
 *      by two nodes of the same name (it is per node) and survives restarts.
 *   2. No directory: the wall clock in milliseconds at start (Date.now()). Larger for every
 *      later start as long as the clock is not set back across a restart and a node does
 *      not restart within the same millisecond (a node process takes far longer to start).
 *      The node's distribution *creation* is not used: it is only unique, not increasing
 *      (random without a port mapper).
 *
 * What the number is for: it orders the lives of one node (a later claim of a restarted
 * node is told apart from an earlier one in traces and in the Election callbacks see). The
 * protocol's safety does not depend on it: every protocol message is sent to the pid of
 * one life of a server, and a dead life's pid is never reused.
 *
 * Erlang mapping: gen_leader keeps the incarnation in a file in the node's working
 * directory (or `{vardir, Dir}`), named after the election and the node — the same idea.
 */
import fs from 'node:fs';
import path from 'node:path';

function fileName(election: string, node: string): string {
  return `${election}@${node}`.replace(/[^A-Za-z0-9@._-]/g, '_') + '.incarnation';
}

/** The next incarnation of `election` on `node` (see the header for the two sources). */
export function nextIncarnation(election: string, node: string, dir: string | undefined): number {
  if (dir === undefined) return Date.now();
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, fileName(election, node));
  let last = 0;
  try {
    const text = fs.readFileSync(file, 'utf8').trim();
    const n = Number(text);
    if (Number.isSafeInteger(n) && n >= 0) last = n;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
  }
  const next = last + 1;
  const tmp = `${file}.${process.pid}.tmp`;
  const fd = fs.openSync(tmp, 'w');
  try {
    fs.writeSync(fd, `${next}\n`);
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  fs.renameSync(tmp, file);
  try {
    const dfd = fs.openSync(dir, 'r');
    try {
      fs.fsyncSync(dfd);
    } finally {
      fs.closeSync(dfd);
    }
  } catch {
    // Some file systems refuse to fsync a directory; the rename is still atomic.
  }
  return next;
}
