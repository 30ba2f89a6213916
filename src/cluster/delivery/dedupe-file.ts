/**
 * DedupeFile: the append-only file behind a persisted dedupe table (dedupe-table.ts).
 * One record per line, JSON: `{"k": key, "t": recordedAtMs}` plus `"v": value` when the
 * processing's result is recorded with its key.
 *
 * Protocol:
 *   1. Open (`'a+'`: created if absent). A last line without its newline is a torn append
 *      (the writer died inside it): the file is truncated back to the last newline, so that
 *      record counts as never written. Every other line must parse, else DedupeFileError
 *      with its line number.
 *   2. `append(record)`: one `write` of one whole line on an O_APPEND descriptor, so
 *      appends of several processes to one file (shared mode) never overwrite each other;
 *      with `sync`, an fsync after it (the record then survives a crash of the machine, not
 *      only of the process: without it, what the kernel accepted survives kill -9).
 *   3. `readNew()` (shared mode): the records other writers appended since this reader
 *      last looked (a partial last line waits for the rest), this writer's own included.
 *   4. `compact(records)`: rewrite the file with only `records` (a temporary file renamed
 *      over it; the table's `compactAtStart`, never for a shared file).
 *   5. `close()`.
 * Erlang mapping: a disk_log of terms (`disk_log:log/2`, repaired at open), one JSON line per term.
 * Reads and writes are synchronous: an actor that records a key waits for the write, so
 * the key is in the file before its ack leaves.
 */
import { closeSync, fstatSync, fsyncSync, ftruncateSync, openSync, readSync, renameSync, writeFileSync, writeSync } from 'node:fs';
import { DedupeFileError } from './errors.ts';

export interface DedupeRecord {
  readonly k: string;
  readonly t: number;
  readonly v?: unknown;
}

function parseRecord(path: string, line: string, n: number): DedupeRecord {
  let r: unknown;
  try {
    r = JSON.parse(line);
  } catch {
    throw new DedupeFileError(path, n, 'not a JSON record');
  }
  const o = r as Partial<DedupeRecord>;
  if (typeof r !== 'object' || r === null || typeof o.k !== 'string' || typeof o.t !== 'number') {
    throw new DedupeFileError(path, n, 'a record needs a string "k" and a number "t"');
  }
  return o as DedupeRecord;
}

export class DedupeFile {
  readonly path: string;
  private fd: number;
  private readonly sync: boolean;
  /** Step 3: how far this reader has read, and an incomplete last line. */
  private readOffset = 0;
  private partial = '';
  private linesRead = 0;

  /** Step 1: open and read every record already in the file. */
  constructor(path: string, sync: boolean) {
    this.path = path;
    this.sync = sync;
    try {
      this.fd = openSync(path, 'a+');
    } catch (e) {
      throw new DedupeFileError(path, 0, `cannot open: ${(e as Error).message}`);
    }
  }

  /** Step 1's reading (call once, after construction): the records in the file now. */
  load(): DedupeRecord[] {
    const size = this.size();
    const buf = Buffer.alloc(size);
    let off = 0;
    while (off < size) {
      const n = readSync(this.fd, buf, off, size - off, off);
      if (n === 0) break;
      off += n;
    }
    const lastNl = buf.lastIndexOf(0x0a, off - 1);
    const whole = lastNl + 1;
    if (whole < off) ftruncateSync(this.fd, whole); // a torn last append
    this.readOffset = whole;
    const text = buf.subarray(0, whole).toString('utf8');
    return this.parseLines(text);
  }

  private parseLines(text: string): DedupeRecord[] {
    const out: DedupeRecord[] = [];
    for (const line of text.split('\n')) {
      if (line === '') continue;
      this.linesRead++;
      out.push(parseRecord(this.path, line, this.linesRead));
    }
    return out;
  }

  private size(): number {
    try {
      return fstatSync(this.fd).size;
    } catch (e) {
      throw new DedupeFileError(this.path, 0, `cannot read: ${(e as Error).message}`);
    }
  }

  /** Step 2. */
  append(r: DedupeRecord): void {
    writeSync(this.fd, JSON.stringify(r) + '\n');
    if (this.sync) fsyncSync(this.fd);
  }

  /** Step 3. */
  readNew(): DedupeRecord[] {
    const size = this.size();
    if (size <= this.readOffset) return [];
    const buf = Buffer.alloc(size - this.readOffset);
    const n = readSync(this.fd, buf, 0, buf.length, this.readOffset);
    this.readOffset += n;
    const text = this.partial + buf.subarray(0, n).toString('utf8');
    const nl = text.lastIndexOf('\n');
    this.partial = text.slice(nl + 1);
    return this.parseLines(text.slice(0, nl + 1));
  }

  /** Step 4 (not for a shared file: another writer's appends would be lost). */
  compact(records: readonly DedupeRecord[]): void {
    const tmp = `${this.path}.compact-${process.pid}`;
    writeFileSync(tmp, records.map((r) => JSON.stringify(r) + '\n').join(''));
    closeSync(this.fd);
    renameSync(tmp, this.path);
    this.fd = openSync(this.path, 'a+');
    this.readOffset = this.size();
    this.partial = '';
  }

  /** Step 5. */
  close(): void {
    if (this.fd < 0) return;
    closeSync(this.fd);
    this.fd = -1;
  }
}
