/**
 * An on-disk cache of what the module hooks (loader.ts) produce for a source file, so a
 * process that loads the same modules again (each node process of a multi-node test, each
 * scheduler thread: module hooks are per thread in Node 20) does not transpile them again.
 *
 * Off unless `SWITCHBOARD_TRANSFORM_CACHE` names a directory (the test configuration sets
 * it; an embedding never gets files written behind its back).
 *
 *   key  = sha256(kFormat | esbuild version | how (esm, cjs, instrumented + its options)
 *                 | path | source text)                                  -> <dir>/<key>.js
 *
 * Steps
 *   1. get(key): the file's text, or null when absent or unreadable (a cache never fails a
 *      load: any error is a miss).
 *   2. put(key, text): write `<key>.<pid>.<random>.tmp`, then rename it onto `<key>.js`:
 *      rename is atomic, so a concurrent reader sees the old file, no file, or the whole
 *      new one — never a torn one. Two writers of one key write the same text. Errors
 *      are ignored (the next load transpiles again).
 * The key includes the source text itself, so an edited file is a new key; stale entries
 * are never read again (delete the directory to reclaim the space).
 */
import { createHash, randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/** Bump when what the hooks produce changes in a way the key does not show. */
const kFormat = 'switchboard-transform-1';

export class TransformCache {
  private ready: Promise<void> | null = null;

  constructor(
    readonly dir: string,
    private readonly salt: string,
  ) {}

  /** The cache named by SWITCHBOARD_TRANSFORM_CACHE, or null. `salt`: what else decides the output (tool versions). */
  static fromEnv(salt: string): TransformCache | null {
    const dir = process.env.SWITCHBOARD_TRANSFORM_CACHE;
    return typeof dir === 'string' && dir !== '' ? new TransformCache(dir, salt) : null;
  }

  key(how: string, path: string, source: string): string {
    return createHash('sha256').update(kFormat).update('\0').update(this.salt).update('\0').update(how).update('\0').update(path).update('\0').update(source).digest('hex');
  }

  /** Step 1. */
  async get(key: string): Promise<string | null> {
    try {
      return await readFile(join(this.dir, `${key}.js`), 'utf8');
    } catch {
      return null;
    }
  }

  /** Step 2. */
  async put(key: string, text: string): Promise<void> {
    try {
      this.ready ??= mkdir(this.dir, { recursive: true }).then(() => undefined);
      await this.ready;
      const tmp = join(this.dir, `${key}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
      await writeFile(tmp, text);
      await rename(tmp, join(this.dir, `${key}.js`));
    } catch {
      this.ready = null;
    }
  }
}
